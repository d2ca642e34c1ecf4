package authoring

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestFromPattern: what fromPattern draws, the pattern matches.
func TestFromPattern(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, p := range []string{`^(?:1[0-9]{10})$`, `[A-Z]{2}-[0-9]+`, `(eu|us)-(small|large)`, `a?b*c+`, `[a-cx-z]{3,5}`, `\d{3}\.\d+`, `.{2}`} {
		re := regexp.MustCompile(`^(?:` + p + `)$`)
		for range 100 {
			if s := fromPattern(rng, p); !re.MatchString(s) {
				t.Fatalf("%s: drew %q, which it does not match", p, s)
			}
		}
	}
}

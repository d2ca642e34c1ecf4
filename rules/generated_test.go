package rules_test

import (
	"os"
	"testing"

	"ratecard/internal/genlists"
	"ratecard/rules"
)

// TestFastYAMLGenerated: the fast path reads the generated lists the
// load benchmarks measure, as yaml.v3 does.
func TestFastYAMLGenerated(t *testing.T) {
	base, err := os.ReadFile("../rules.d/video-credits.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range genlists.Lists(base, 3, 50) {
		fast, ok := rules.FastYAML(f.Data)
		if !ok {
			t.Fatalf("%s: left to yaml.v3", f.Path)
		}
		v3, err := rules.YAMLv3(f.Data)
		if err != nil || len(v3) != len(fast) {
			t.Fatalf("%s: yaml.v3 reads %d documents (%v), the fast path %d", f.Path, len(v3), err, len(fast))
		}
		for i := range fast {
			if d := rules.SameNodes(fast[i], v3[i], "document"); d != "" {
				t.Fatalf("%s: %s", f.Path, d)
			}
		}
	}
}

package authoring

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestIntDomainDraw: the draw in integers gives what decimal arithmetic
// gives, value and places, over random domains, places and draws.
func TestIntDomainDraw(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	checked := 0
	for i := 0; i < 200_000; i++ {
		lo := decimal.New(rng.Int64N(2_000_001)-1_000_000, -int32(rng.IntN(5)))
		hi := lo.Add(decimal.New(rng.Int64N(10_000_000), -int32(rng.IntN(5))))
		places := int32(rng.IntN(13))
		k := int64(rng.IntN(10001))
		if i%10 == 0 {
			k = []int64{0, 5000, 10000}[i%3]
		}
		d, ok := newIntDomain(lo, hi, places)
		if !ok {
			continue
		}
		checked++
		want := lo.Add(hi.Sub(lo).Mul(decimal.New(k, -4))).Round(places)
		if got := d.draw(k); !got.Equal(want) || got.Exponent() != want.Exponent() {
			t.Fatalf("lo %s hi %s places %d k %d: %s (exp %d), decimal gives %s (exp %d)", lo, hi, places, k, got, got.Exponent(), want, want.Exponent())
		}
	}
	if checked < 150_000 {
		t.Errorf("only %d draws fit in integers", checked)
	}
	if _, ok := newIntDomain(decimal.New(1, 20), decimal.New(2, 20), 2); ok {
		t.Error("a domain beyond int64 is not refused")
	}
}

// TestNumberLiterals: the hand-written scan finds what the regular
// expression it replaced finds, on random expressions.
func TestNumberLiterals(t *testing.T) {
	re := regexp.MustCompile(`(?:^|[^\w.])(\d+\.\d+|\d+)`)
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "0123456789._aZ +-*/(),'\"é"
	runes := []rune(alphabet)
	for i := 0; i < 100_000; i++ {
		var b strings.Builder
		for n := rng.IntN(16); n > 0; n-- {
			b.WriteRune(runes[rng.IntN(len(runes))])
		}
		text := b.String()
		var want []string
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			want = append(want, m[1])
		}
		if got := numberLiterals(text); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("%q: %q, the regular expression finds %q", text, got, want)
		}
	}
}

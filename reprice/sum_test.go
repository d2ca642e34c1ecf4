package reprice

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"ratecard/engine"
)

// TestExactSum: sums in int64 units equal plain decimal sums, across
// overflow, amounts with other places, huge amounts and merges.
func TestExactSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	var sign int64
	amount := func() decimal.Decimal {
		switch rng.IntN(5) {
		case 0: // 18 digits, the most that adds in units: ten of one sign overflow
			return decimal.New(sign*(999_999_999_999_999_999-rng.Int64N(1000)), -2)
		case 1: // beyond an int64
			return decimal.New(rng.Int64N(1<<62), -2).Mul(decimal.New(1, 10))
		case 2: // other places
			return decimal.New(rng.Int64N(100000)-50000, -int32(rng.IntN(5)))
		}
		return decimal.New(rng.Int64N(100000)-50000, -2)
	}
	for run := 0; run < 200; run++ {
		sign = int64(1 - 2*(run%2))
		a, b := exactSum{places: 2}, exactSum{places: 2}
		want := decimal.Zero
		for i := rng.IntN(50); i > 0; i-- {
			d := amount()
			want = want.Add(d)
			if rng.IntN(2) == 0 {
				a.add(engine.DecimalAmount(d))
			} else {
				b.add(engine.DecimalAmount(d))
			}
		}
		a.merge(b)
		if got := a.value(); !got.Equal(want) {
			t.Fatalf("run %d: sum %s, want %s", run, got, want)
		}
	}
}

package engine

import (
	"math"
	"math/big"
	"math/rand"
	"testing"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

func parseNum(t testing.TB, s string) num {
	t.Helper()
	return fromDecimal(decimal.RequireFromString(s))
}

func TestNumExact(t *testing.T) {
	tests := []struct {
		name string
		got  num
		want string
	}{
		{"0.1 + 0.2", add(parseNum(t, "0.1"), parseNum(t, "0.2")), "0.3"},
		{"5 / 3 * 3", mul(must(quo(intNum(5), intNum(3))), intNum(3)), "5"},
		{"1/3 stays exact", must(quo(one, intNum(3))), "0.333333333333…"},
		{"61 * 20 / 60", must(quo(mul(intNum(61), intNum(20)), intNum(60))), "20.333333333333…"},
		{"0.105 / 3", must(quo(parseNum(t, "0.105"), intNum(3))), "0.035"},
		{"floor(-1.5)", floor(parseNum(t, "-1.5")), "-2"},
		{"ceil(-1.5)", ceil(parseNum(t, "-1.5")), "-1"},
		{"ceil(30.0000000000000001)", ceil(parseNum(t, "30.0000000000000001")), "31"},
		{"overflow moves to big", mul(intNum(math.MaxInt64/2), intNum(10)), "46116860184273879030"},
		{"big back to small", must(quo(mul(intNum(math.MaxInt64/2), intNum(10)), intNum(10))), "4611686018427387903"},
		{"1e-30 * 1e30", mul(parseNum(t, "1e-30"), parseNum(t, "1e30")), "1"},
	}
	for _, tt := range tests {
		if got := tt.got.String(); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func must(n num, ok bool) num {
	if !ok {
		panic("division by zero")
	}
	return n
}

func TestNumRounding(t *testing.T) {
	tests := []struct {
		in     string
		places int32
		mode   rules.Rounding
		want   string
	}{
		{"1.665", 2, rules.HalfUp, "1.67"},
		{"1.665", 2, rules.HalfEven, "1.66"},
		{"1.675", 2, rules.HalfEven, "1.68"},
		{"1.661", 2, rules.Up, "1.67"},
		{"1.669", 2, rules.Down, "1.66"},
		{"-1.665", 2, rules.HalfUp, "-1.67"},
		{"-1.661", 2, rules.Up, "-1.67"},
		{"-1.669", 2, rules.Down, "-1.66"},
		{"0.035", 2, rules.HalfUp, "0.04"}, // a 0.105 s clip at 1 credit per 3 s
		{"2.5", 0, rules.HalfEven, "2"},
		{"3.5", 0, rules.HalfEven, "4"},
	}
	for _, tt := range tests {
		got := unitsDecimal(roundUnits(parseNum(t, tt.in), tt.places, tt.mode), tt.places).StringFixed(tt.places)
		if got != tt.want {
			t.Errorf("round(%s, %d, %s) = %s, want %s", tt.in, tt.places, tt.mode, got, tt.want)
		}
	}
	// 5/3 rounds to 1.67 straight from the fraction, not through a float.
	if got := unitsDecimal(roundUnits(must(quo(intNum(5), intNum(3))), 2, rules.HalfUp), 2).String(); got != "1.67" {
		t.Errorf("5/3 rounded = %s, want 1.67", got)
	}
}

// TestNumAgainstBigRat checks the int64 fast path against math/big on
// random values, including ones near the overflow limits.
func TestNumAgainstBigRat(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	pick := func() num {
		switch rng.Intn(4) {
		case 0:
			return reduce(rng.Int63n(2000)-1000, rng.Int63n(100)+1)
		case 1:
			return reduce(rng.Int63()-math.MaxInt64/2, rng.Int63n(math.MaxInt32)+1)
		case 2:
			return intNum(rng.Int63n(math.MaxInt64) - math.MaxInt64/2)
		}
		return reduce(rng.Int63n(100000), pow10[rng.Intn(19)])
	}
	for i := 0; i < 20000; i++ {
		a, b := pick(), pick()
		check := func(op string, got num, want *big.Rat) {
			if got.rat().Cmp(want) != 0 {
				t.Fatalf("%s %s %s = %s, want %s", a.rat(), op, b.rat(), got.rat(), want)
			}
		}
		check("+", add(a, b), new(big.Rat).Add(a.rat(), b.rat()))
		check("-", sub(a, b), new(big.Rat).Sub(a.rat(), b.rat()))
		check("*", mul(a, b), new(big.Rat).Mul(a.rat(), b.rat()))
		if b.sign() != 0 {
			check("/", must(quo(a, b)), new(big.Rat).Quo(a.rat(), b.rat()))
		}
		if got, want := cmp(a, b), a.rat().Cmp(b.rat()); got != want {
			t.Fatalf("cmp(%s, %s) = %d, want %d", a.rat(), b.rat(), got, want)
		}
		for _, mode := range rules.Roundings {
			places := int32(rng.Intn(5))
			units := roundBigUnits(a.rat(), places, mode).rat()
			if got := roundUnits(a, places, mode); got.rat().Cmp(units) != 0 {
				t.Fatalf("roundUnits(%s, %d, %s) = %s, want %s", a.rat(), places, mode, got.rat(), units)
			}
			want := new(big.Rat).Quo(units, new(big.Rat).SetInt64(pow10[places]))
			if got := round(a, places, mode); got.rat().Cmp(want) != 0 {
				t.Fatalf("round(%s, %d, %s) = %s, want %s", a.rat(), places, mode, got.rat(), want)
			}
		}
	}
}

// TestMul64Limits: the overflow check at the edges of int64, where
// MinInt64 counts as overflow so that every small value can be negated.
func TestMul64Limits(t *testing.T) {
	tests := []struct {
		a, b int64
		want int64
		ok   bool
	}{
		{math.MaxInt64, 1, math.MaxInt64, true},
		{math.MinInt64 + 1, -1, math.MaxInt64, true},
		{math.MinInt64, 1, 0, false},
		{-1, math.MinInt64, 0, false},
		{1 << 32, 1 << 31, 0, false},    // 2^63
		{-(1 << 32), 1 << 31, 0, false}, // -2^63 = MinInt64
		{3037000499, 3037000499, 9223372030926249001, true},
		{3037000500, 3037000500, 0, false},
		{0, math.MinInt64, 0, true},
		{-7, 6, -42, true},
	}
	for _, tt := range tests {
		if got, ok := mul64(tt.a, tt.b); got != tt.want || ok != tt.ok {
			t.Errorf("mul64(%d, %d) = %d, %v; want %d, %v", tt.a, tt.b, got, ok, tt.want, tt.ok)
		}
	}
}

// TestGcd compares the binary gcd with math/big's on edge and random
// values.
func TestGcd(t *testing.T) {
	values := []uint64{0, 1, 2, 3, 60, 100, 1 << 62, 1 << 63, math.MaxUint64, math.MaxInt64, 600851475143}
	rng := rand.New(rand.NewSource(1))
	for range 200 {
		values = append(values, rng.Uint64()>>uint(rng.Intn(64)), uint64(rng.Intn(1000)))
	}
	for _, a := range values {
		for _, b := range values {
			want := new(big.Int).GCD(nil, nil, new(big.Int).SetUint64(a), new(big.Int).SetUint64(b))
			if got := gcd(a, b); got != want.Uint64() {
				t.Fatalf("gcd(%d, %d) = %d, want %v", a, b, got, want)
			}
		}
	}
}

package engine

import (
	"math"
	"math/big"
	"math/bits"
	"strings"
	"sync/atomic"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// num is an exact rational number. Most amounts in a price list are small,
// so a num is a fraction of two int64s (n/d, d > 0, in lowest terms) and
// arithmetic allocates nothing; when a result would not fit, the value moves
// to a big.Rat and stays exact. Division never rounds: a quotient that does
// not terminate, such as 5/3, is rounded only where the rule rounds it.
type num struct {
	n, d int64
	r    *big.Rat // the value, when it does not fit n/d; then n and d are unused
}

var (
	zero = num{n: 0, d: 1}
	one  = num{n: 1, d: 1}
)

func intNum(i int64) num { return num{n: i, d: 1} }

func (a num) isBig() bool { return a.r != nil }

func (a num) rat() *big.Rat {
	if a.r != nil {
		return a.r
	}
	return new(big.Rat).SetFrac64(a.n, a.d)
}

// maxBits caps the numerator and the denominator of an exact number:
// about 1,000 decimal digits, far beyond any price (inputs and literals
// have at most 40 digits and exponents within ±40), but small enough that
// every operation stays cheap. Without it, a value squared 30 times grows
// without end and a quote never finishes.
const maxBits = 3322

// errTooLarge is the panic raised when a number outgrows maxBits. It ends
// the evaluation at once, wherever it is, and the evaluation's caller turns
// it into an error naming the rate or value (see catchTooLarge).
var errTooLarge = &tooLargeError{}

type tooLargeError struct{}

func (*tooLargeError) Error() string {
	return "a number in this calculation grew past 1,000 digits"
}

// catchTooLarge turns an errTooLarge panic into *err, described by
// describe; any other panic goes on up.
func catchTooLarge(err *error, describe func(*tooLargeError) error) {
	if p := recover(); p != nil {
		tl, ok := p.(*tooLargeError)
		if !ok {
			panic(p)
		}
		*err = describe(tl)
	}
}

// fromRat returns r as a small fraction when it fits. A number past
// maxBits raises errTooLarge.
func fromRat(r *big.Rat) num {
	if r.Num().BitLen() > maxBits || r.Denom().BitLen() > maxBits {
		panic(errTooLarge)
	}
	if !slowPathOnly && r.Num().IsInt64() && r.Denom().IsInt64() {
		n, d := r.Num().Int64(), r.Denom().Int64()
		if n != math.MinInt64 {
			return num{n: n, d: d}
		}
	}
	return num{r: r}
}

// fromDecimal converts exactly.
func fromDecimal(v decimal.Decimal) num {
	exp := v.Exponent()
	if !slowPathOnly && v.NumDigits() <= 18 { // fits an int64; asked this way to avoid copying the coefficient
		n := v.CoefficientInt64()
		switch {
		case exp == 0:
			return intNum(n)
		case exp > 0 && exp <= 18:
			if m, ok := mul64(n, pow10[exp]); ok {
				return intNum(m)
			}
		case exp < 0 && exp >= -18:
			return reduce(n, pow10[-exp])
		}
	}
	r := new(big.Rat).SetInt(v.Coefficient())
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs32(exp))), nil)
	if exp > 0 {
		r.Mul(r, new(big.Rat).SetInt(scale))
	} else {
		r.Quo(r, new(big.Rat).SetInt(scale))
	}
	return fromRat(r)
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

var pow10 = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// mul64 multiplies, reporting false on overflow. MinInt64 counts as
// overflow so that every small value can be negated safely.
func mul64(a, b int64) (int64, bool) {
	// On the magnitudes, in 128 bits: no division to check for overflow.
	hi, lo := bits.Mul64(absU(a), absU(b))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if (a < 0) != (b < 0) {
		return -int64(lo), true
	}
	return int64(lo), true
}

func add64(a, b int64) (int64, bool) {
	c := a + b
	if (c > a) != (b > 0) || c == math.MinInt64 {
		return 0, false
	}
	return c, true
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func absU(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

// reduce builds n/d in lowest terms; d must be > 0.
func reduce(n, d int64) num {
	if d == 1 {
		return num{n: n, d: 1}
	}
	if g := int64(gcd(absU(n), uint64(d))); g > 1 {
		n, d = n/g, d/g
	}
	return num{n: n, d: d}
}

func add(a, b num) num {
	if !a.isBig() && !b.isBig() {
		if a.d == b.d {
			if n, ok := add64(a.n, b.n); ok {
				return reduce(n, a.d)
			}
		} else if x, ok := mul64(a.n, b.d); ok {
			if y, ok := mul64(b.n, a.d); ok {
				if n, ok := add64(x, y); ok {
					if d, ok := mul64(a.d, b.d); ok {
						return reduce(n, d)
					}
				}
			}
		}
	}
	return fromRat(new(big.Rat).Add(a.rat(), b.rat()))
}

func neg(a num) num {
	if a.isBig() {
		return fromRat(new(big.Rat).Neg(a.r))
	}
	return num{n: -a.n, d: a.d}
}

func sub(a, b num) num { return add(a, neg(b)) }

func mul(a, b num) num {
	if !a.isBig() && !b.isBig() {
		// Cancel across first: the result is then already in lowest terms
		// and overflows less often.
		an, ad, bn, bd := a.n, a.d, b.n, b.d
		if bd != 1 { // a whole number needs no gcd, and most are whole
			if g := int64(gcd(absU(an), uint64(bd))); g > 1 {
				an, bd = an/g, bd/g
			}
		}
		if ad != 1 {
			if g := int64(gcd(absU(bn), uint64(ad))); g > 1 {
				bn, ad = bn/g, ad/g
			}
		}
		if n, ok := mul64(an, bn); ok {
			if d, ok := mul64(ad, bd); ok {
				return num{n: n, d: d}
			}
		}
	}
	return fromRat(new(big.Rat).Mul(a.rat(), b.rat()))
}

// quo divides; ok is false when b is zero.
func quo(a, b num) (q num, ok bool) {
	if b.sign() == 0 {
		return zero, false
	}
	if !b.isBig() {
		inv := num{n: b.d, d: b.n}
		if inv.d < 0 {
			inv.n, inv.d = -inv.n, -inv.d
		}
		return mul(a, inv), true
	}
	return fromRat(new(big.Rat).Quo(a.rat(), b.rat())), true
}

func (a num) sign() int {
	if a.isBig() {
		return a.r.Sign()
	}
	switch {
	case a.n < 0:
		return -1
	case a.n > 0:
		return 1
	}
	return 0
}

func cmp(a, b num) int {
	if !a.isBig() && !b.isBig() {
		x, y := a.n, b.n
		if a.d != b.d { // compare a.n*b.d with b.n*a.d (denominators are positive)
			var okx, oky bool
			x, okx = mul64(a.n, b.d)
			y, oky = mul64(b.n, a.d)
			if !okx || !oky {
				return sub(a, b).sign()
			}
		}
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return sub(a, b).sign()
}

// floor is the greatest whole number <= a.
func floor(a num) num {
	if a.isBig() {
		q := new(big.Int)
		m := new(big.Int)
		q.DivMod(a.r.Num(), a.r.Denom(), m) // Euclidean: rounds toward -inf for d > 0
		return fromRat(new(big.Rat).SetInt(q))
	}
	if a.d == 1 {
		return a
	}
	q := a.n / a.d
	if a.n%a.d != 0 && a.n < 0 {
		q--
	}
	return intNum(q)
}

// ceil is the least whole number >= a.
func ceil(a num) num { return neg(floor(neg(a))) }

// round rounds a to places decimal places (0 to 18) in the given mode.
func round(a num, places int32, mode rules.Rounding) num {
	if !a.isBig() && a.d == 1 {
		return a
	}
	u := roundUnits(a, places, mode)
	if !u.isBig() {
		return reduce(u.n, pow10[places])
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	return fromRat(new(big.Rat).SetFrac(u.r.Num(), scale))
}

// roundUnits rounds a to places decimal places (0 to 18) in the given mode
// and returns the result in units of the last place, a whole number (45.005
// to 2 places half-up is 4501): sums of such amounts need no fractions.
func roundUnits(a num, places int32, mode rules.Rounding) num {
	if !a.isBig() {
		if a.d == 1 {
			if n, ok := mul64(a.n, pow10[places]); ok {
				return intNum(n)
			}
		} else if hi, lo := bits.Mul64(absU(a.n), uint64(pow10[places])); hi < uint64(a.d) {
			d := uint64(a.d)
			q, r := bits.Div64(hi, lo, d)
			if roundAway(q, r, d, mode) {
				q++
			}
			if q <= math.MaxInt64 {
				if a.n < 0 {
					return intNum(-int64(q))
				}
				return intNum(int64(q))
			}
		}
	}
	return roundBigUnits(a.rat(), places, mode)
}

// roundAway decides whether the magnitude q with remainder r (of divisor d)
// rounds away from zero.
func roundAway(q, r, d uint64, mode rules.Rounding) bool {
	if r == 0 {
		return false
	}
	half := 0                      // how the remainder compares with half the divisor
	if twice := 2 * r; twice > d { // r < d <= MaxInt64: no overflow
		half = 1
	} else if twice < d {
		half = -1
	}
	return awayFromZero(mode, half, q%2 == 1)
}

// awayFromZero is the rule of each rounding mode, for int64 and big
// numbers alike: given a remainder that is not zero, how it compares with
// half the divisor (-1, 0, 1), and whether the magnitude is odd, does the
// magnitude go up by one?
func awayFromZero(mode rules.Rounding, half int, odd bool) bool {
	switch mode {
	case rules.Up:
		return true
	case rules.Down:
		return false
	case rules.HalfEven:
		return half > 0 || (half == 0 && odd)
	}
	return half >= 0 // half_up
}

func roundBigUnits(r *big.Rat, places int32, mode rules.Rounding) num {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	n := new(big.Int).Mul(new(big.Int).Abs(r.Num()), scale)
	q, rem := new(big.Int).QuoRem(n, r.Denom(), new(big.Int))
	if rem.Sign() != 0 && awayFromZero(mode, new(big.Int).Lsh(rem, 1).Cmp(r.Denom()), q.Bit(0) == 1) {
		q.Add(q, big.NewInt(1))
	}
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return fromRat(new(big.Rat).SetInt(q))
}

// unitsDecimal returns an amount in units of the last of places decimal
// places (a whole number) as a decimal with exactly that many places.
func unitsDecimal(u num, places int32) decimal.Decimal {
	if !u.isBig() {
		return newDecimal(u.n, places)
	}
	return decimal.NewFromBigInt(u.r.Num(), -places)
}

// String writes a exactly when its decimal expansion ends, and to 12
// places followed by "…" when it does not (5/3 is "1.666666666667…").
func (a num) String() string {
	r := a.rat()
	if r.IsInt() {
		return r.Num().String()
	}
	d := new(big.Int).Set(r.Denom())
	twos, fives := 0, 0
	for d.Bit(0) == 0 {
		d.Rsh(d, 1)
		twos++
	}
	five, m := big.NewInt(5), new(big.Int)
	for {
		q, rem := new(big.Int).QuoRem(d, five, m)
		if rem.Sign() != 0 {
			break
		}
		d = q
		fives++
	}
	if d.Cmp(big.NewInt(1)) == 0 {
		return r.FloatString(max(twos, fives))
	}
	return strings.TrimRight(r.FloatString(12), "0") + "…"
}

// smallDecimals memoizes the decimals of small amounts: 0 to 16383 units
// of the last place, at 0 to 4 places (up to 163.83 at 2 places). Most
// line items and totals are such amounts, and a decimal.Decimal is
// immutable, so one value can be handed to every caller; this saves a
// big.Int allocation per amount handed back.
var smallDecimals [5][1 << 14]atomic.Pointer[decimal.Decimal]

func newDecimal(n int64, places int32) decimal.Decimal {
	if n < 0 || n >= 1<<14 || places >= 5 {
		return decimal.New(n, -places)
	}
	slot := &smallDecimals[places][n]
	if d := slot.Load(); d != nil {
		return *d
	}
	d := decimal.New(n, -places)
	slot.Store(&d)
	return d
}

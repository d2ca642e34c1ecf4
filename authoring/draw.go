package authoring

import "github.com/shopspring/decimal"

// intDomain is a number input's domain in integers, so that its random
// values are drawn without decimal arithmetic (most of check's time went
// there, not to pricing): lo + (hi - lo) * k / 10,000, rounded half away
// from zero to the input's places, as decimal's Round does it.
type intDomain struct {
	lo, width int64 // the bounds' low end and hi - lo, in units of 10^-(scale-4)
	scale     int32 // the places the draw is exact at before rounding
	places    int32
}

// newIntDomain returns the domain in integers, or false when it does not
// fit in them (the draw then takes the decimal way).
func newIntDomain(lo, hi decimal.Decimal, places int32) (intDomain, bool) {
	s := max(-lo.Exponent(), -hi.Exponent(), 0)
	if s > 12 || places < 0 || places > 12 {
		return intDomain{}, false
	}
	l, w := lo.Shift(s), hi.Sub(lo).Shift(s)
	// Every value of the draw, at scale s+4 (and at places+1, when that
	// is finer), must fit in an int64: |l| + |w| under 10^14 leaves 10^18.
	limit := decimal.New(1, 14-max(0, places+1-(s+4)))
	if !l.IsInteger() || !w.IsInteger() || l.Abs().Add(w.Abs()).GreaterThanOrEqual(limit) || w.IsNegative() {
		return intDomain{}, false
	}
	return intDomain{lo: l.IntPart(), width: w.IntPart(), scale: s + 4, places: places}, true
}

// draw returns lo + (hi - lo) * k / 10,000 rounded to the places, for k
// in [0, 10,000].
func (d intDomain) draw(k int64) decimal.Decimal {
	v := d.lo*10_000 + d.width*k // at scale d.scale: |v| < 10^18
	// Truncate to places+1, toward zero, then round the last digit half
	// away from zero.
	var t int64
	if shift := d.scale - d.places - 1; shift >= 0 {
		t = v / pow10[shift]
	} else {
		t = v * pow10[-shift] // exact: v has fewer places
	}
	var r int64
	if t >= 0 {
		r = (t + 5) / 10
	} else {
		r = -((-t + 5) / 10)
	}
	return decimal.New(r, -d.places)
}

var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return
}()

package reprice

import (
	"github.com/shopspring/decimal"
	"ratecard/engine"
)

// exactSum adds the amounts of one meter, exactly. The engine hands back
// amounts in units of their meter's last place, so while they fit they add
// as int64 units: no big.Int, no decimal and no allocation per record. An
// amount that does not fit goes to a decimal remainder.
type exactSum struct {
	places int32
	units  int64
	rest   decimal.Decimal
}

func (s *exactSum) add(a engine.Amount) {
	if u, ok := a.Units(); ok && a.Places() == s.places && s.addUnits(u) {
		return
	}
	s.rest = s.rest.Add(a.Decimal())
}

// units returns d in units of the last of places decimal places, when d
// has exactly that many places and at most 18 digits.
func units(d decimal.Decimal, places int32) (int64, bool) {
	if d.Exponent() != -places || d.NumDigits() > 18 {
		return 0, false
	}
	return d.CoefficientInt64(), true
}

// addUnits adds u units unless the total would overflow.
func (s *exactSum) addUnits(u int64) bool {
	total := s.units + u
	if (total > s.units) != (u > 0) {
		return false
	}
	s.units = total
	return true
}

func (s *exactSum) merge(o exactSum) {
	if !s.addUnits(o.units) {
		s.rest = s.rest.Add(decimal.New(o.units, -o.places))
	}
	s.rest = s.rest.Add(o.rest)
}

func (s *exactSum) value() decimal.Decimal {
	return decimal.New(s.units, -s.places).Add(s.rest)
}

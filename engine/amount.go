package engine

import (
	"math/big"
	"strconv"

	"github.com/shopspring/decimal"
)

// Amount is an exact amount on a meter, held in units of the meter's last
// decimal place: 45.01 at 2 places is 4501 units. Line items and totals
// are Amounts, so that a caller adding them up (a what-if over millions of
// records) adds whole numbers, without fractions and, while they fit an
// int64, without allocating. Decimal gives it as a decimal.Decimal.
type Amount struct {
	units  int64
	big    *big.Int // the units, when they do not fit an int64; else nil
	places int32
}

// amountOf makes an Amount of u, a whole number of units.
func amountOf(u num, places int32) Amount {
	if !u.isBig() {
		return Amount{units: u.n, places: places}
	}
	return Amount{big: u.r.Num(), places: places}
}

// NewAmount returns units units of the last of places places.
func NewAmount(units int64, places int32) Amount { return Amount{units: units, places: places} }

// DecimalAmount returns d as an Amount with d's own places (at least 0):
// 45.10 is 4510 units of 2 places.
func DecimalAmount(d decimal.Decimal) Amount {
	places := max(-d.Exponent(), 0)
	u := d.Shift(places).BigInt()
	if u.IsInt64() {
		return Amount{units: u.Int64(), places: places}
	}
	return Amount{big: u, places: places}
}

// Places is the number of decimal places the amount has (its meter's).
func (a Amount) Places() int32 { return a.places }

// Units returns the amount in units of its last place, and false when it
// does not fit an int64 (see BigUnits).
func (a Amount) Units() (int64, bool) { return a.units, a.big == nil }

// BigUnits returns the amount in units of its last place, whatever its
// size.
func (a Amount) BigUnits() *big.Int {
	if a.big != nil {
		return new(big.Int).Set(a.big)
	}
	return big.NewInt(a.units)
}

// value returns the amount as the engine's exact number.
func (a Amount) value() num {
	if !slowPathOnly && a.big == nil && a.places >= 0 && a.places <= 18 {
		return reduce(a.units, pow10[a.places])
	}
	return fromDecimal(a.Decimal())
}

// Cmp compares the amount with b exactly, whatever their places: -1, 0
// or 1.
func (a Amount) Cmp(b Amount) int {
	if a.big == nil && b.big == nil && a.places == b.places {
		return cmpInt64(a.units, b.units)
	}
	return cmp(a.value(), b.value())
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Decimal returns the amount as a decimal with exactly its places. Small
// amounts come from a shared cache: a decimal.Decimal is immutable.
func (a Amount) Decimal() decimal.Decimal {
	if a.big == nil {
		return newDecimal(a.units, a.places)
	}
	return decimal.NewFromBigInt(a.big, -a.places)
}

// Sign returns -1, 0 or 1.
func (a Amount) Sign() int {
	if a.big != nil {
		return a.big.Sign()
	}
	switch {
	case a.units < 0:
		return -1
	case a.units > 0:
		return 1
	}
	return 0
}

// IsNegative reports whether the amount is below zero.
func (a Amount) IsNegative() bool { return a.Sign() < 0 }

// String writes the amount with exactly its places: "45.00", "0.05".
func (a Amount) String() string { return string(a.Append(nil)) }

// Append appends the amount as String writes it, allocating nothing for
// an amount that fits an int64.
func (a Amount) Append(buf []byte) []byte {
	if a.big != nil {
		return append(buf, a.Decimal().StringFixed(a.places)...)
	}
	n := a.units
	if n < 0 {
		buf = append(buf, '-')
	}
	start := len(buf)
	buf = strconv.AppendUint(buf, absU(n), 10)
	if a.places == 0 {
		return buf
	}
	for digits := len(buf) - start; digits <= int(a.places); digits++ { // leading zeros: 5 -> 0.05
		buf = append(buf[:start+1], buf[start:]...)
		buf[start] = '0'
	}
	dot := len(buf) - int(a.places)
	buf = append(buf, 0)
	copy(buf[dot+1:], buf[dot:])
	buf[dot] = '.'
	return buf
}

// MarshalJSON writes the amount as a decimal string with its places
// ("45.00"), never as a JSON number, which readers take as a float.
func (a Amount) MarshalJSON() ([]byte, error) {
	return append(a.Append([]byte{'"'}), '"'), nil
}

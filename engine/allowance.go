package engine

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// Draw is what a quote took from one allowance: the engine is stateless,
// so the caller passes what is left (Terms.Remaining) and keeps Left.
type Draw struct {
	Allowance string
	Meter     string
	Amount    Amount // drawn, with the meter's places
	Left      Amount // what is left of the allowance after this quote
}

// draw takes each meter's total from the allowances the terms give, in the
// order the price list declares them, and sets what is billed beyond.
func (l *PriceList) draw(q *Quote, remaining map[string]decimal.Decimal) error {
	if err := l.checkRemaining(remaining); err != nil {
		return err
	}
	owed := make([]decimal.Decimal, len(q.Totals))
	for i, t := range q.Totals {
		owed[i] = decimal.Max(t.Amount.Decimal(), decimal.Zero)
	}
	q.Drawn = []Draw{}
	for _, a := range l.Rules.Allowances {
		left, given := remaining[a.Name]
		if !given {
			continue
		}
		i := slices.IndexFunc(q.Totals, func(t Total) bool { return t.Meter == a.Meter })
		take := decimal.Min(left, owed[i])
		owed[i] = owed[i].Sub(take)
		places := q.Totals[i].Amount.Places()
		q.Drawn = append(q.Drawn, Draw{Allowance: a.Name, Meter: a.Meter,
			Amount: DecimalAmount(take.Round(places)), Left: DecimalAmount(left.Sub(take).Round(places))})
	}
	q.Billed = make([]Total, len(q.Totals))
	for i, t := range q.Totals {
		billed := t.Amount
		if t.Amount.Sign() > 0 {
			billed = DecimalAmount(owed[i].Round(t.Amount.Places()))
		}
		q.Billed[i] = Total{Meter: t.Meter, Unit: t.Unit, Amount: billed}
	}
	return nil
}

// checkRemaining refuses an allowance the list lacks, a negative amount
// left, or one finer than its meter keeps.
func (l *PriceList) checkRemaining(remaining map[string]decimal.Decimal) error {
	names := make([]string, 0, len(remaining))
	for name := range remaining {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		a := l.Rules.Allowance(name)
		if a == nil {
			known := "none"
			if len(l.Rules.Allowances) > 0 {
				known = strings.Join(l.Rules.AllowanceNames(), ", ")
			}
			return requestErrorf("remaining", "unknown allowance %s in remaining%s; %s has %s", rules.Quote(name),
				rules.DidYouMean(name, l.Rules.AllowanceNames()), l.Rules.Name, known)
		}
		v := remaining[name]
		m := l.Rules.Meter(a.Meter)
		switch {
		case v.IsNegative():
			return requestErrorf("remaining", "remaining %s must be at least 0, not %s", name, v)
		case !v.Equal(v.Truncate(m.Places)):
			return requestErrorf("remaining", "remaining %s can have at most %d decimal places, as meter %s keeps; %s has more", name, m.Places, m.Name, v)
		}
	}
	return nil
}

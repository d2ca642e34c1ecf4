package engine

import (
	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// periodSource is the price list a period section compiles as: its rates,
// on the list's meters, over inputs that are each meter's total for the
// period (by the meter's name) and what is billed beyond the period's
// allowances (NAME_billed). Compiling it as a list of its own gives period
// rates everything a rate has: when, grids, tiers, explain.
func periodSource(src *rules.PriceList) *rules.PriceList {
	p := src.Period
	out := &rules.PriceList{File: src.File, Pos: p.Pos, Name: src.Name + " (period)", Version: src.Version,
		Meters: src.Meters, Rates: p.Rates, Grids: src.Grids}
	zero := &rules.Value{Pos: p.Pos, Type: rules.Decimal}
	for _, m := range src.Meters {
		out.Inputs = append(out.Inputs,
			&rules.Input{Pos: p.Pos, Name: m.Name, Type: rules.Decimal, Default: zero, Places: -1,
				Description: "the period's total of " + m.Name},
			&rules.Input{Pos: p.Pos, Name: rules.BilledName(m.Name), Type: rules.Decimal, Default: zero, Places: -1,
				Description: "what the period bills of " + m.Name + " beyond its allowances"})
	}
	return out
}

// PeriodCharges prices what the list charges once per period, given each
// meter's total over the period and what it bills beyond the period's
// allowances (both in the list's meter order). It returns nil when the
// list declares no period.
func (l *PriceList) PeriodCharges(total, billed []decimal.Decimal) (*Quote, error) {
	if l.period == nil {
		return nil, nil
	}
	in := l.period.NewInputs()
	defer in.release()
	for i, m := range l.Rules.Meters {
		if err := in.SetDecimal(m.Name, total[i]); err != nil {
			return nil, err
		}
		if err := in.SetDecimal(rules.BilledName(m.Name), billed[i]); err != nil {
			return nil, err
		}
	}
	return in.Quote()
}

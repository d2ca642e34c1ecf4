package engine

import (
	"strings"

	"ratecard/rules"
)

// Unused lists the inputs no rate reads (directly, through named values,
// or as a for_each list) and the named values nothing reads.
func (l *PriceList) Unused() (inputs []*rules.Input, values []*rules.NamedValue) {
	used := map[string]bool{}
	for _, r := range l.rates {
		for _, u := range r.uses {
			used[u.name] = true
		}
		if r.src.ForEach != "" {
			used[r.src.ForEach] = true
		}
	}
	for i := len(l.values) - 1; i >= 0; i-- { // a value uses only those above it
		if v := l.values[i]; used[v.src.Name] {
			for _, u := range v.uses {
				used[u.name] = true
			}
		}
	}
	for _, in := range l.Rules.Inputs {
		if !used[in.Name] {
			inputs = append(inputs, in)
		}
	}
	for _, v := range l.values {
		if !used[v.src.Name] {
			values = append(values, v.src)
		}
	}
	return inputs, values
}

// Holds evaluates an invariant's holds expression for the request set in
// in, whose quote is q (priced from in just before): the inputs and named
// values as q's quote computed them, and each meter's total. An invariant
// without an expression holds.
func (in *Inputs) Holds(inv *rules.Invariant, q *Quote) (_ bool, err error) {
	ch := in.list.invariants[inv]
	if ch == nil {
		return true, nil
	}
	s := in.s
	defer func() {
		if p := recover(); p != nil { // no panic leaves the engine
			err = in.list.internalError(p)
		}
	}()
	defer catchTooLarge(&err, s.tooLarge)
	for i, t := range q.Totals {
		s.nums[ch.meterSlots[i]] = t.Amount.value()
	}
	s.err = nil
	s.atRate, s.atValue, s.atHolds, s.at = nil, nil, inv.Holds, nil
	ok := ch.holds(s)
	if s.err != nil {
		return false, s.err
	}
	return ok, nil
}

// CheckValue reports whether the input called name (or, named
// "records.field", a field of a records input) takes v, with the message a
// request giving it would get.
func (l *PriceList) CheckValue(name string, v *rules.Value) error {
	ci := l.byName[name]
	if records, field, isField := strings.Cut(name, "."); isField && l.byName[records] != nil && l.byName[records].t.rec != nil {
		if f := l.byName[records].t.rec.field(field); f != nil && f.input != nil {
			ci = f.input
		}
	}
	if ci == nil {
		return l.unknownInput(name)
	}
	if ci.t.kind == kNum { // checked without a state: check's sampler asks this for every number it draws
		_, err := ci.numberOf(v.Num)
		return err
	}
	s := l.newState()
	defer l.pool.Put(s)
	return ci.setValue(s, v)
}

// Adjusts reports whether the rate called name reads a meter's total: an
// adjustment (a cap, a discount, a minimum), whose amount may well be
// negative by design.
func (l *PriceList) Adjusts(name string) bool {
	for _, r := range l.rates {
		if r.src.Name == name {
			for _, u := range r.uses {
				if u.what == "meter total" {
					return true
				}
			}
		}
	}
	return false
}

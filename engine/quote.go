package engine

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// Quote is the price of one request: its line items, the total of each
// meter, and the rules it came from.
type Quote struct {
	List    string
	Version string
	Digest  string
	Lines   []Line
	Totals  []Total // one per meter, in the order the rule file declares them
}

// Line is one line item: an amount a rate charges on a meter, already
// rounded to the meter's places.
type Line struct {
	Rate     string
	Meter    string
	Item     int // for a rate charged per list element: which one (from 1); else 0
	Amount   decimal.Decimal
	Places   int32
	Rounding rules.Rounding
}

// Total is what a quote charges on one meter: the sum of its rounded lines.
type Total struct {
	Meter  string
	Unit   string
	Amount decimal.Decimal
	Places int32
}

// Total returns the total of a meter (zero for a meter the list lacks).
func (q *Quote) Total(meter string) decimal.Decimal {
	for _, t := range q.Totals {
		if t.Meter == meter {
			return t.Amount
		}
	}
	return decimal.Zero
}

// Quote prices a request.
func (l *PriceList) Quote(req Request) (*Quote, error) {
	return l.evaluate(req, nil)
}

// tracer receives each step of an evaluation, for Explain.
type tracer interface {
	inputsSet(l *PriceList, s *state)
	valueSet(v *compiledValue, s *state)
	skipped(r *compiledRate)
	line(r *compiledRate, item int, raw num, s *state)
}

func (l *PriceList) newState() *state {
	if s, ok := l.pool.Get().(*state); ok {
		s.err = nil
		return s
	}
	return &state{
		nums:  make([]num, l.slots[0]),
		bools: make([]bool, l.slots[1]),
		words: make([]int, l.slots[2]),
		lists: make([][]num, l.slots[3]),
	}
}

// evaluate prices req, telling tr (if any) each step. No panic leaves it:
// a fault in the engine becomes an error, and the pooled state it may have
// left half-written is dropped.
func (l *PriceList) evaluate(req Request, tr tracer) (q *Quote, err error) {
	s := l.newState()
	defer func() {
		if p := recover(); p != nil {
			q, err = nil, fmt.Errorf("internal error while pricing %s: %v", l.Rules.Name, p)
			return
		}
		l.pool.Put(s)
	}()
	if err := l.setInputs(s, req); err != nil {
		return nil, err
	}
	if tr != nil {
		tr.inputsSet(l, s)
	}
	if err := l.setValues(s, tr); err != nil {
		return nil, err
	}
	meters := l.Rules.Meters
	q = &Quote{List: l.Rules.Name, Version: l.Rules.Version, Digest: l.digest,
		Totals: make([]Total, len(meters)), Lines: make([]Line, 0, len(l.rates))}
	var buf [8]num // on the stack for the common few meters
	sums := buf[:0]
	for range meters {
		sums = append(sums, zero)
	}
	charge := func(r *compiledRate, item int) {
		raw := r.amount(s)
		if s.err != nil {
			return
		}
		m := r.meter
		rounded := round(raw, m.Places, m.Mode)
		sums[r.meterIndex] = add(sums[r.meterIndex], rounded)
		q.Lines = append(q.Lines, Line{Rate: r.src.Name, Meter: m.Name, Item: item,
			Amount: rounded.decimal(m.Places), Places: m.Places, Rounding: m.Mode})
		if tr != nil {
			tr.line(r, item, raw, s)
		}
	}
	for _, r := range l.rates {
		if r.when != nil && !r.when(s) {
			if tr != nil {
				tr.skipped(r)
			}
		} else if r.each < 0 {
			charge(r, 0)
		} else {
			for i, item := range s.lists[r.each] {
				s.nums[r.item] = item
				charge(r, i+1)
				if s.err != nil {
					break
				}
			}
		}
		if s.err != nil {
			e := *s.err
			e.Rate = r.src.Name
			return nil, &e
		}
	}
	for i, m := range meters {
		q.Totals[i] = Total{Meter: m.Name, Unit: m.Unit, Amount: sums[i].decimal(m.Places), Places: m.Places}
	}
	return q, nil
}

// setValues computes the named values, in order.
func (l *PriceList) setValues(s *state, tr tracer) error {
	for _, v := range l.values {
		if v.num != nil {
			s.nums[v.sym.slot] = v.num(s)
		} else {
			s.bools[v.sym.slot] = v.bool(s)
		}
		if s.err != nil {
			return s.err
		}
		if tr != nil {
			tr.valueSet(v, s)
		}
	}
	return nil
}

// MarshalJSON writes amounts as decimal strings with the meter's places
// ("45.00"), never as JSON numbers, which readers take as floats.
func (q *Quote) MarshalJSON() ([]byte, error) {
	type line struct {
		Rate   string `json:"rate"`
		Meter  string `json:"meter"`
		Item   int    `json:"item,omitempty"`
		Amount string `json:"amount"`
	}
	type ruleset struct {
		Digest  string `json:"digest"`
		Version string `json:"version,omitempty"`
	}
	out := struct {
		List    string            `json:"list"`
		Totals  map[string]string `json:"totals"`
		Lines   []line            `json:"lines"`
		Ruleset ruleset           `json:"ruleset"`
	}{List: q.List, Totals: map[string]string{}, Lines: []line{}, Ruleset: ruleset{q.Digest, q.Version}}
	for _, t := range q.Totals {
		out.Totals[t.Meter] = t.Amount.StringFixed(t.Places)
	}
	for _, l := range q.Lines {
		out.Lines = append(out.Lines, line{l.Rate, l.Meter, l.Item, l.Amount.StringFixed(l.Places)})
	}
	return json.Marshal(out)
}

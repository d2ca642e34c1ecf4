package engine

import (
	"encoding/json"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// scannedInputs is the most inputs a price list may have for Inputs to
// find a name by comparing it with each; beyond, it looks it up in a map.
const scannedInputs = 16

// Inputs is a reusable request for one price list, for callers that quote
// many requests in a loop (a service's hot path, a what-if run over
// millions of records). Each value is converted and checked as it is set,
// straight into the slot the compiled rules read, so quoting builds no map
// and, with QuoteInto, allocates nothing for common amounts.
//
// Set the inputs of a request, quote, call Reset, and set the next one.
// Inputs left unset take their defaults. The values and errors are those of
// a Request with the same entries. An Inputs belongs to the price list that
// made it (after a reload, make one from the new list) and is not safe for
// concurrent use: keep one per goroutine.
type Inputs struct {
	list *PriceList
	s    *state
	err  error // the first failed Set since Reset: quoting reports it
	next int   // the input after the last one set: callers set inputs in the same order each time
	// records is the RecordList Records returns, reused from one request
	// to the next.
	records RecordList
}

// NewInputs returns an empty request for the price list.
func (l *PriceList) NewInputs() *Inputs {
	in := &Inputs{list: l, s: l.newState()}
	in.Reset() // a pooled state still says which inputs its last request gave
	return in
}

// release gives the Inputs' state back to the price list's pool, for an
// Inputs used once inside the engine; it must not be used after.
func (in *Inputs) release() {
	in.list.pool.Put(in.s)
	in.s = nil
}

// Reset unsets every input, and forgets a failed Set.
func (in *Inputs) Reset() {
	clear(in.s.given)
	in.err, in.next = nil, 0
	in.records.active = false
}

// Set sets an input to a value of any form a Request takes.
func (in *Inputs) Set(name string, v any) error {
	ci, err := in.input(name)
	if err == nil {
		err = ci.setAny(in.s, v)
	}
	return in.done(ci, err)
}

// SetText sets an input from text, as a command line, a form or a CSV
// field gives it: "create", "90", "true", "5,3" for a list.
func (in *Inputs) SetText(name, text string) error {
	ci, err := in.input(name)
	if err == nil {
		err = ci.setText(in.s, text)
	}
	return in.done(ci, err)
}

// SetDecimal sets a number input.
func (in *Inputs) SetDecimal(name string, d decimal.Decimal) error {
	ci, err := in.input(name)
	if err == nil {
		err = ci.setDecimal(in.s, d)
	}
	return in.done(ci, err)
}

// SetInt sets a number input to a whole number.
func (in *Inputs) SetInt(name string, n int64) error {
	ci, err := in.input(name)
	if err == nil {
		err = ci.setInt(in.s, n)
	}
	return in.done(ci, err)
}

// SetDecimals sets a list input.
func (in *Inputs) SetDecimals(name string, items []decimal.Decimal) error {
	ci, err := in.input(name)
	if err == nil {
		err = ci.setDecimals(in.s, items)
	}
	return in.done(ci, err)
}

// SetValue sets an input from a value of a rule file (an example's input,
// a table's setting), already of the input's type.
func (in *Inputs) SetValue(name string, v *rules.Value) error {
	ci, err := in.input(name)
	if err == nil {
		err = ci.setValue(in.s, v)
	}
	return in.done(ci, err)
}

// SetJSON sets an input from a raw JSON value, as a JSON-lines usage
// record or a request body holds it: a number, a string (text, as
// SetText takes it), true or false, or an array for a list. null leaves the
// input unset, as an empty CSV field does, so that its default applies.
func (in *Inputs) SetJSON(name string, raw json.RawMessage) error {
	ci, err := in.input(name)
	if err == nil {
		if isNull(raw) {
			return nil
		}
		err = ci.setJSON(in.s, raw)
	}
	return in.done(ci, err)
}

// input finds a declared input by name. It compares the name with the
// inputs' names first, starting after the last one set, where a caller
// setting inputs in about the declared order finds it at once; comparing
// a few names, which mostly differ in length, is cheaper than hashing one.
func (in *Inputs) input(name string) (*compiledInput, error) {
	in.records.end() // a record still open is added before anything else is set
	l := in.list
	if n := len(l.names); n <= scannedInputs {
		for k := range n {
			i := in.next + k
			if i >= n {
				i -= n
			}
			if l.names[i] == name {
				return l.inputs[i], nil
			}
		}
	} else if ci := l.byName[name]; ci != nil {
		return ci, nil
	}
	return nil, l.unknownInput(name)
}

// done records the outcome of setting ci: given, or the request's first
// error.
func (in *Inputs) done(ci *compiledInput, err error) error {
	if err != nil {
		if in.err == nil {
			in.err = err
		}
		if ci != nil {
			in.s.given[ci.index] = false
		}
		return err
	}
	in.s.given[ci.index] = true
	in.next = ci.index + 1 // input wraps it around
	return nil
}

// Quote prices the inputs set since the last Reset into a new Quote.
func (in *Inputs) Quote() (*Quote, error) {
	return in.quote(nil)
}

// QuoteInto prices the inputs set since the last Reset into q, reusing its
// lines and totals: with a q kept from one quote to the next, a quote
// allocates nothing unless an amount is large or very fine. What q held
// before is overwritten, so hand it to nothing that keeps it; its decimals
// may be kept. On error q is left as it was.
func (in *Inputs) QuoteInto(q *Quote) error {
	_, err := in.quote(q)
	return err
}

// quote prices into q, or into a new quote of the right size if q is nil.
func (in *Inputs) quote(q *Quote) (_ *Quote, err error) {
	in.records.end()
	if in.err != nil {
		return nil, in.err
	}
	l := in.list
	defer func() {
		if p := recover(); p != nil {
			err = l.recovered(p, in.s)
		}
	}()
	if err := l.complete(in.s); err != nil {
		return nil, err
	}
	if err := l.price(in.s, nil); err != nil {
		return nil, err
	}
	if q == nil {
		q = newQuote(len(in.s.charged), len(l.Rules.Meters))
	}
	l.fill(q, in.s)
	return q, nil
}

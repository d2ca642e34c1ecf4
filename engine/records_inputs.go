package engine

import (
	"strings"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// RecordList sets a records input of an Inputs one record at a time,
// straight into the columns the compiled rules read, so that a service's
// hot path sets a month of calls without building a map per call:
//
//	calls := in.Records("calls")
//	for _, c := range month {
//		calls.Add()
//		calls.SetText("dialed", c.Dialed)
//		calls.SetInt("seconds", c.Seconds)
//	}
//	err := in.QuoteInto(q)
//
// Add starts a record; a field it is not given takes its default, and a
// required field left unset fails the quote. Values are converted and
// checked as Inputs' setters do; the first error (naming the record) is
// returned and fails the quote. A RecordList belongs to its Inputs and is
// valid until the next call to Records or Reset.
type RecordList struct {
	in    *Inputs
	input *compiledInput
	open  bool   // a record is started and not yet in the columns
	given []bool // the open record's fields that were set, by field
	n     int    // records added, the open one included
}

// Records empties a records input and returns the RecordList that adds
// its records. An unknown name, or an input that is not a list of
// records, fails the quote (and every Add and Set reports it).
func (in *Inputs) Records(name string) *RecordList {
	w := &in.records
	ci, err := in.input(name) // closes the record still open
	if err == nil && ci.t.kind != kRecords {
		err = requestErrorf(name, "%s is %s, not a list of records", name, ci.t)
	}
	*w = RecordList{in: in, given: w.given}
	if in.done(ci, err) != nil {
		return w
	}
	w.input = ci
	in.s.records[ci.slot].reset(ci.t.rec)
	w.given = append(w.given[:0], make([]bool, len(ci.t.rec.fields))...)
	return w
}

// Add starts the next record, ending the one before.
func (w *RecordList) Add() error {
	if w.input == nil {
		return w.in.errOr(errNoRecords)
	}
	if err := w.close(); err != nil {
		return err
	}
	if limit := w.input.maxItems(); w.n >= limit {
		name := w.input.src.Name
		return w.fail(requestErrorf(name, "%s has more than %d records; at most %d are allowed", name, limit, limit))
	}
	w.open = true
	w.n++
	clear(w.given)
	return nil
}

// SetText sets a field of the record being added from text, as Inputs'
// SetText takes it.
func (w *RecordList) SetText(field, text string) error {
	f, err := w.field(field)
	if err == nil {
		err = f.input.setText(w.in.s, text)
	}
	return w.set(f, err)
}

// SetInt sets a number field of the record being added.
func (w *RecordList) SetInt(field string, n int64) error {
	f, err := w.field(field)
	if err == nil {
		err = f.input.setInt(w.in.s, n)
	}
	return w.set(f, err)
}

// SetDecimal sets a number field of the record being added.
func (w *RecordList) SetDecimal(field string, d decimal.Decimal) error {
	f, err := w.field(field)
	if err == nil {
		err = f.input.setDecimal(w.in.s, d)
	}
	return w.set(f, err)
}

// SetBool sets a true/false field of the record being added.
func (w *RecordList) SetBool(field string, b bool) error {
	f, err := w.field(field)
	if err == nil {
		if f.t.kind != kBool {
			err = f.input.wrongType(b)
		} else {
			w.in.s.bools[f.input.slot] = b
		}
	}
	return w.set(f, err)
}

// errNoRecords is what a RecordList used after Reset returns.
var errNoRecords = &RequestError{Msg: "the records were reset: call Records again"}

// field finds a field of the records input by name, for the open record.
func (w *RecordList) field(name string) (*recordField, error) {
	if w.input == nil {
		return nil, w.in.errOr(errNoRecords)
	}
	in := w.input.src.Name
	if !w.open {
		return nil, requestErrorf(in, "%s: call Add before setting the fields of a record", in)
	}
	def := w.input.t.rec
	for i, f := range def.fields {
		if f.name == name {
			w.given[i] = true
			return f, nil
		}
	}
	names := fieldNamesOf(def)
	return nil, requestErrorf(in, "%s item %d has no field %s%s; its fields are %s", in, w.n, rules.Quote(name),
		rules.DidYouMean(name, names), strings.Join(names, ", "))
}

// set records the outcome of setting a field.
func (w *RecordList) set(f *recordField, err error) error {
	if err == nil {
		return nil
	}
	if w.input == nil {
		return err // the request's error, already recorded
	}
	if re, ok := err.(*RequestError); ok && f != nil {
		name := w.input.src.Name
		err = requestErrorf(name, "%s item %d: %s", name, w.n, re.Msg)
	}
	return w.fail(err)
}

// close moves the open record's fields into the columns, the ones it was
// not given taking their defaults. It is small enough to be inlined where
// every Set calls it.
func (w *RecordList) close() error {
	if !w.open {
		return nil
	}
	return w.closeRecord()
}

func (w *RecordList) closeRecord() error {
	w.open = false
	s, def := w.in.s, w.input.t.rec
	rl := &s.records[w.input.slot]
	for i, f := range def.fields {
		if !w.given[i] {
			if f.def == nil {
				name := w.input.src.Name
				return w.fail(requestErrorf(name, "%s item %d: %s is required", name, w.n, f.name))
			}
			f.input.store(s, f.def)
		}
		f.append(s, rl)
	}
	rl.n++
	return nil
}

// fail makes err the request's error (unless it has one already) and
// stops the list taking more records.
func (w *RecordList) fail(err error) error {
	w.in.done(w.input, err)
	w.input, w.open = nil, false
	return err
}

// errOr returns the request's error, or err if it has none.
func (in *Inputs) errOr(err error) error {
	if in.err != nil {
		return in.err
	}
	return err
}

package engine

import (
	"github.com/shopspring/decimal"
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
	in     *Inputs
	active bool // Records succeeded, and neither Reset nor an error came since
	a      recordAdder
}

// Records empties a records input and returns the RecordList that adds
// its records. An unknown name, or an input that is not a list of
// records, fails the quote (and every Add and Set reports it).
func (in *Inputs) Records(name string) *RecordList {
	w := &in.records
	ci, err := in.input(name) // ends the record still open
	if err == nil && ci.t.kind != kRecords {
		err = requestErrorf(name, "%s is %s, not a list of records", name, ci.t)
	}
	w.in, w.active = in, false
	if in.done(ci, err) != nil {
		return w
	}
	w.active = true
	w.a.begin(in.s, ci)
	return w
}

// Add starts the next record, ending the one before.
func (w *RecordList) Add() error {
	if !w.active {
		return w.in.errOr(errNoRecords)
	}
	return w.fail(w.a.add())
}

// SetText sets a field of the record being added from text, as Inputs'
// SetText takes it.
func (w *RecordList) SetText(field, text string) error {
	f, err := w.field(field)
	if err == nil {
		err = w.a.fieldError(f.input.setText(w.in.s, text))
	}
	return w.fail(err)
}

// SetInt sets a number field of the record being added.
func (w *RecordList) SetInt(field string, n int64) error {
	f, err := w.field(field)
	if err == nil {
		err = w.a.fieldError(f.input.setInt(w.in.s, n))
	}
	return w.fail(err)
}

// SetDecimal sets a number field of the record being added.
func (w *RecordList) SetDecimal(field string, d decimal.Decimal) error {
	f, err := w.field(field)
	if err == nil {
		err = w.a.fieldError(f.input.setDecimal(w.in.s, d))
	}
	return w.fail(err)
}

// SetBool sets a true/false field of the record being added.
func (w *RecordList) SetBool(field string, b bool) error {
	f, err := w.field(field)
	if err == nil {
		if f.t.kind != kBool {
			err = w.a.fieldError(f.input.wrongType(b))
		} else {
			w.in.s.bools[f.input.slot] = b
		}
	}
	return w.fail(err)
}

// errNoRecords is what a RecordList used after Reset returns.
var errNoRecords = &RequestError{Msg: "the records were reset: call Records again"}

func (w *RecordList) field(name string) (*recordField, error) {
	if !w.active {
		return nil, w.in.errOr(errNoRecords)
	}
	return w.a.field(name)
}

// end adds the record still open, before anything else is set or priced.
// It is small enough to be inlined where every Set calls it.
func (w *RecordList) end() {
	if w.a.open {
		w.endRecord()
	}
}

func (w *RecordList) endRecord() {
	if w.active {
		w.fail(w.a.endRecord())
	}
}

// fail makes err, if any, the request's error (unless it has one
// already) and stops the list taking more records.
func (w *RecordList) fail(err error) error {
	if err != nil && w.active {
		w.in.done(w.a.input, err)
		w.active = false
	}
	return err
}

// errOr returns the request's error, or err if it has none.
func (in *Inputs) errOr(err error) error {
	if in.err != nil {
		return in.err
	}
	return err
}

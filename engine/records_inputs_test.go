package engine

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestRecordList: records added one at a time price as the same records
// given in a Request do, fields left out taking their defaults; the Inputs
// is reused for a second request.
func TestRecordList(t *testing.T) {
	rs := mustCompile(t, telecom)
	want, err := rs.Quote("", Request{"calls": `[{"seconds": 61, "dialed": "14155550100"}, {"seconds": 300, "dialed": "18005550100"}, {"seconds": 10, "dialed": "442079460000", "kind": "video"}]`})
	if err != nil {
		t.Fatal(err)
	}
	in := rs.lists[0].NewInputs()
	for range 2 {
		calls := in.Records("calls")
		calls.Add()
		calls.SetInt("seconds", 61)
		calls.SetText("dialed", "14155550100")
		calls.Add()
		calls.SetDecimal("seconds", decimal.NewFromInt(300))
		calls.SetText("dialed", "18005550100")
		calls.Add()
		calls.SetText("dialed", "442079460000")
		calls.SetText("kind", "video")
		calls.SetInt("seconds", 10) // fields in any order
		got, err := in.Quote()
		if err != nil {
			t.Fatal(err)
		}
		if got.Totals[0].Amount.String() != want.Totals[0].Amount.String() || len(got.Lines) != len(want.Lines) {
			t.Errorf("added one at a time: %v, want %v", got, want)
		}
		in.Reset()
	}
	// No records at all is an empty list, not the default.
	in.Records("calls")
	if q, err := in.Quote(); err != nil || len(q.Lines) != 1 {
		t.Errorf("no records: %v %v", q, err)
	}
}

// TestRecordListErrors: each mistake made adding records is returned,
// fails the quote, and names the record.
func TestRecordListErrors(t *testing.T) {
	rs := mustCompile(t, telecom)
	l := rs.lists[0]
	for name, c := range map[string]struct {
		add  func(in *Inputs) error
		want string
	}{
		"required field left out": {func(in *Inputs) error {
			calls := in.Records("calls")
			calls.Add()
			calls.SetInt("seconds", 1)
			return calls.Add()
		}, "calls item 1: dialed is required"},
		"required field left out of the last record": {func(in *Inputs) error {
			calls := in.Records("calls")
			calls.Add()
			calls.SetText("dialed", "123")
			calls.Add()
			return nil
		}, "calls item 2: dialed is required"},
		"misspelt field": {func(in *Inputs) error {
			calls := in.Records("calls")
			calls.Add()
			return calls.SetInt("second", 1)
		}, `calls item 1 has no field "second" (did you mean "seconds"?)`},
		"out of bounds": {func(in *Inputs) error {
			calls := in.Records("calls")
			calls.Add()
			return calls.SetInt("seconds", -1)
		}, "calls item 1: seconds must be at least 0, not -1"},
		"a word not listed": {func(in *Inputs) error {
			calls := in.Records("calls")
			calls.Add()
			return calls.SetText("kind", "audio")
		}, `calls item 1: kind must be one of voice, video, not "audio"`},
		"wrong type": {func(in *Inputs) error {
			calls := in.Records("calls")
			calls.Add()
			return calls.SetBool("seconds", true)
		}, "calls item 1: seconds"},
		"a field before Add": {func(in *Inputs) error {
			return in.Records("calls").SetInt("seconds", 1)
		}, "calls: call Add before setting the fields of a record"},
		"too many": {func(in *Inputs) error {
			calls := in.Records("calls")
			for range 4 {
				if err := calls.Add(); err != nil {
					return err
				}
				calls.SetText("dialed", "123")
			}
			return nil
		}, "calls has more than 3 records; at most 3 are allowed"},
		"not a records input": {func(in *Inputs) error {
			return in.Records("usd").Add()
		}, `unknown input "usd"`},
		"after Reset": {func(in *Inputs) error {
			calls := in.Records("calls")
			in.Reset()
			return calls.Add()
		}, "the records were reset: call Records again"},
	} {
		in := l.NewInputs()
		err := c.add(in)
		_, qerr := in.Quote()
		if name == "after Reset" {
			qerr = err // the Inputs itself is fine
		}
		if qerr == nil || !strings.HasPrefix(qerr.Error(), c.want) {
			t.Errorf("%s: quote's error %v, want %s", name, qerr, c.want)
		}
		if err != nil && err.Error() != qerr.Error() {
			t.Errorf("%s: returned %v, the quote says %v", name, err, qerr)
		}
	}
}

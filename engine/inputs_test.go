package engine

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// setAll sets every entry of req, in a fixed order, and returns the first
// error.
func setAll(in *Inputs, req Request) error {
	in.Reset()
	var first error
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range req {
			if !yield(k) {
				return
			}
		}
	}) {
		if err := in.Set(name, req[name]); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// TestInputsBadRequests: every bad request fails through Inputs with the
// very error the Request path gives, whether Set reports it or the quote.
func TestInputsBadRequests(t *testing.T) {
	l, err := shipped(t).List("")
	if err != nil {
		t.Fatal(err)
	}
	in := l.NewInputs()
	for _, tt := range badRequests {
		_, want := l.Quote(tt.req)
		setErr := setAll(in, tt.req)
		quoteErr := in.QuoteInto(&Quote{})
		if quoteErr == nil || want == nil || quoteErr.Error() != want.Error() {
			t.Errorf("%v: Inputs gave %v, a Request %v", tt.req, quoteErr, want)
		}
		if setErr != nil && setErr.Error() != want.Error() {
			t.Errorf("%v: Set gave %v, a Request %v", tt.req, setErr, want)
		}
		var re *RequestError
		if !errors.As(quoteErr, &re) || re.Input != tt.input {
			t.Errorf("%v: got %v, want a RequestError naming %s", tt.req, quoteErr, tt.input)
		}
	}
}

// TestInputsTypedSetters: each typed setter, and Set with each Go form,
// gives the quote a Request with the same values gives.
func TestInputsTypedSetters(t *testing.T) {
	l, err := shipped(t).List("")
	if err != nil {
		t.Fatal(err)
	}
	want, err := l.Quote(Request{"action": "edit", "images": "3", "clips": "5,5"})
	if err != nil {
		t.Fatal(err)
	}
	five := decimal.NewFromInt(5)
	for name, set := range map[string]func(in *Inputs) error{
		"text": func(in *Inputs) error {
			return errors.Join(in.SetText("action", "edit"), in.SetText("images", "3"), in.SetText("clips", "5,5"))
		},
		"typed": func(in *Inputs) error {
			return errors.Join(in.SetText("action", "edit"), in.SetInt("images", 3), in.SetDecimals("clips", []decimal.Decimal{five, five}))
		},
		"typed, out of order": func(in *Inputs) error {
			return errors.Join(in.SetDecimals("clips", []decimal.Decimal{five, five}), in.SetDecimal("images", decimal.NewFromInt(3)), in.SetText("action", "edit"))
		},
		"any": func(in *Inputs) error {
			return errors.Join(in.Set("action", "edit"), in.Set("images", 3), in.Set("clips", []any{"5", 5}))
		},
		"text the slow way": func(in *Inputs) error { // forms only the general parser reads
			return errors.Join(in.SetText("action", " edit"), in.SetText("images", "3e0"), in.SetText("clips", " 5, 5.0"))
		},
	} {
		in := l.NewInputs()
		if err := set(in); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := in.Quote()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(describeQuote(want), describeQuote(got)) {
			t.Errorf("%s: quote %v, a Request's %v", name, describeQuote(got), describeQuote(want))
		}
	}
}

func describeQuote(q *Quote) []string {
	var out []string
	for _, l := range q.Lines {
		out = append(out, l.Rate+"="+l.Amount.String())
	}
	for _, t := range q.Totals {
		out = append(out, t.Meter+"="+t.Amount.String())
	}
	return out
}

// TestInputsReset: inputs not set since Reset take their defaults again, and
// a failed Set keeps failing quotes until Reset, so that a caller that
// checks only the quote's error never prices a request it did not mean.
func TestInputsReset(t *testing.T) {
	l, err := shipped(t).List("")
	if err != nil {
		t.Fatal(err)
	}
	in, q := l.NewInputs(), &Quote{}
	in.SetText("action", "edit")
	in.SetText("clips", "5,5")
	if err := in.QuoteInto(q); err != nil || len(q.Lines) != 2 {
		t.Fatalf("two clips: %v, %v", describeQuote(q), err)
	}
	in.Reset()
	in.SetText("action", "edit")
	in.SetInt("images", 1)
	if err := in.QuoteInto(q); err != nil || !slices.Equal(describeQuote(q), []string{"images=0.20", "credits=0.20", "video_minutes=0.00"}) {
		t.Errorf("after Reset the clips must be back to none: %v, %v", describeQuote(q), err)
	}

	in.Reset()
	if err := in.SetText("duration", "-5"); err == nil {
		t.Fatal("a negative duration was accepted")
	}
	if err := in.SetText("duration", "90"); err != nil {
		t.Fatal(err)
	}
	before := describeQuote(q)
	if err := in.QuoteInto(q); err == nil || !strings.Contains(err.Error(), "duration must be at least 0, not -5") {
		t.Errorf("a quote after a failed Set: got %v, want the failed Set's error", err)
	}
	if !slices.Equal(before, describeQuote(q)) {
		t.Errorf("a failed quote changed the Quote: %v, was %v", describeQuote(q), before)
	}
	in.Reset()
	in.SetText("duration", "90")
	if err := in.QuoteInto(q); err != nil || q.Total("credits").String() != "30" {
		t.Errorf("after Reset: %v, %v; want 30 credits", describeQuote(q), err)
	}
}

// TestInputsErrors: names and values no input takes, and failures only
// the quote can see.
func TestInputsErrors(t *testing.T) {
	l, err := shipped(t).List("")
	if err != nil {
		t.Fatal(err)
	}
	in := l.NewInputs()
	if err := in.SetText("duraton", "5"); err == nil || !strings.Contains(err.Error(), `unknown input "duraton" (did you mean "duration"?)`) {
		t.Errorf("unknown input: got %v", err)
	}
	in.Reset()
	if err := in.SetInt("duration", math.MinInt64); err == nil || !strings.Contains(err.Error(), "at least 0") {
		t.Errorf("the smallest int64: got %v", err)
	}
	in.Reset()
	if err := in.SetDecimal("actor", decimal.NewFromInt(1)); err == nil || !strings.Contains(err.Error(), "actor must be one of none, library, clone") {
		t.Errorf("a number for a word: got %v", err)
	}
	in.Reset()
	in.SetText("action", "create")
	if err := in.QuoteInto(&Quote{}); err == nil || !strings.Contains(err.Error(), `input duration is required when action == "create"`) {
		t.Errorf("required duration left out: got %v", err)
	}

	rs := mustCompile(t, strings.Replace(exprList, "AMOUNT", "100 / n", 1))
	in = rs.Lists()[0].NewInputs()
	in.SetInt("n", 0)
	if err := in.QuoteInto(&Quote{}); err == nil || err.Error() != "t.yaml:15:18: rate r: division by zero" {
		t.Errorf("division by zero: got %v", err)
	}
	in.SetText("n", "8")
	in.SetText("flag", "true")
	q := &Quote{}
	if err := in.QuoteInto(q); err != nil || q.Lines[0].Amount.Decimal().String() != "12.5" {
		t.Errorf("after the error, 100 / 8 = %v, %v; want 12.5", describeQuote(q), err)
	}
}

// TestNewInputsStartsEmpty: a new Inputs has no input set, even when its
// scratch state comes from the pool after a Request's quote.
func TestNewInputsStartsEmpty(t *testing.T) {
	l, err := shipped(t).List("")
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if _, err := l.Quote(Request{"action": "edit", "images": "3"}); err != nil {
			t.Fatal(err)
		}
		in, q := l.NewInputs(), &Quote{}
		in.SetText("duration", "90")
		if err := in.QuoteInto(q); err != nil || q.Total("credits").String() != "30" {
			t.Fatalf("a new Inputs with only duration set: %v, %v; want 30 credits for a created video", describeQuote(q), err)
		}
	}
}

// TestInputsManyInputs: a list with more inputs than Inputs compares names
// with finds them through its map, in any order.
func TestInputsManyInputs(t *testing.T) {
	var decl, sum []string
	for i := range scannedInputs + 4 {
		decl = append(decl, fmt.Sprintf("  x%d: {type: whole, default: 0}", i))
		sum = append(sum, fmt.Sprintf("x%d", i))
	}
	rs := mustCompile(t, "name: many\nmeters: {m: {places: 0}}\ninputs:\n"+strings.Join(decl, "\n")+
		"\nrates: [{name: r, meter: m, amount: '"+strings.Join(sum, " + ")+"'}]\n")
	in := rs.Lists()[0].NewInputs()
	for i := scannedInputs + 3; i >= 0; i -= 2 { // backwards, every other one
		if err := in.SetInt(fmt.Sprintf("x%d", i), int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	q, err := in.Quote()
	want := 0
	for i := scannedInputs + 3; i >= 0; i -= 2 {
		want += i
	}
	if err != nil || q.Total("m").IntPart() != int64(want) {
		t.Errorf("got %v, %v; want %d", describeQuote(q), err, want)
	}
	if err := in.SetInt("x99", 1); err == nil || !strings.Contains(err.Error(), `unknown input "x99"`) {
		t.Errorf("unknown input: %v", err)
	}
}

package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// ExampleResult is the outcome of one example of a rule file.
type ExampleResult struct {
	List    string
	Example *rules.Example
	// Priced is the version that priced it (nil when none could).
	Priced *PriceList
	Err    error      // the request did not price
	Wrong  []Mismatch // meters whose total differs from the expected one
	// LineDiff, when the example lists lines that differ from the quote's,
	// shows them: "- rate amount" expected, "+ rate amount" got.
	LineDiff []string
}

// Passed reports whether the example priced as expected.
func (r *ExampleResult) Passed() bool {
	return r.Err == nil && len(r.Wrong) == 0 && len(r.LineDiff) == 0
}

// Request returns the example's request as NAME=VALUE words, sorted.
func (r *ExampleResult) Request() string {
	parts := make([]string, 0, len(r.Example.Input))
	for name, v := range r.Example.Input {
		parts = append(parts, name+"="+v.String(v.Type))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// quoteValues prices a request of a rule file's values (an example's
// input), set as they are, by input name in a fixed order.
func (l *PriceList) quoteValues(values map[string]*rules.Value) (*Quote, error) {
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	sort.Strings(names)
	in := l.NewInputs()
	defer in.release()
	for _, name := range names {
		if err := in.SetValue(name, values[name]); err != nil {
			return nil, err
		}
	}
	return in.Quote()
}

// Mismatch is a meter total that is not what an example expects.
type Mismatch struct {
	Meter     string
	Want, Got decimal.Decimal
	Places    int32
}

func (m Mismatch) String() string {
	return fmt.Sprintf("%s: want %s, got %s", m.Meter, m.Want.StringFixed(m.Places), m.Got.StringFixed(m.Places))
}

// RunExamples prices every example of every price list, then every case
// of the test files.
func (rs *RuleSet) RunExamples() []*ExampleResult {
	var out []*ExampleResult
	for _, l := range rs.Lists() {
		out = append(out, l.RunExamples()...)
	}
	return append(out, rs.RunTests()...)
}

// RunTests prices the cases of the test files, each as of its instant.
func (rs *RuleSet) RunTests() []*ExampleResult { return rs.RunTestsOf("") }

// RunTestsOf prices the cases of the test files for the list called name
// (every case, for ""), each as of its instant.
func (rs *RuleSet) RunTestsOf(name string) []*ExampleResult {
	var out []*ExampleResult
	for _, ex := range rs.tests {
		if name != "" && ex.List != name {
			continue
		}
		l, err := rs.ListAt(ex.List, Terms{At: ex.At})
		if err != nil {
			out = append(out, &ExampleResult{List: ex.List, Example: ex, Err: err})
			continue
		}
		out = append(out, l.runExample(ex))
	}
	return out
}

// RunExamples prices the price list's examples.
func (l *PriceList) RunExamples() []*ExampleResult {
	var out []*ExampleResult
	for _, ex := range l.Rules.Examples {
		out = append(out, l.runExample(ex))
	}
	return out
}

// runExample prices one example. A meter it does not list must total
// zero, so that a new charge cannot slip in unseen.
func (l *PriceList) runExample(ex *rules.Example) *ExampleResult {
	res := &ExampleResult{List: l.Rules.Name, Example: ex, Priced: l}
	q, err := l.quoteValues(ex.Input)
	if err != nil {
		res.Err = err
		return res
	}
	for _, t := range q.Totals {
		want := decimal.Zero
		for _, e := range ex.Totals {
			if e.Meter == t.Meter {
				want = e.Amount
			}
		}
		if got := t.Amount.Decimal(); !want.Equal(got) {
			res.Wrong = append(res.Wrong, Mismatch{Meter: t.Meter, Want: want, Got: got, Places: t.Amount.Places()})
		}
	}
	if ex.Lines != nil {
		res.LineDiff = lineDiff(ex.Lines, q.Lines)
	}
	return res
}

// lineDiff lists the expected and actual lines where they differ, in
// order; nil when they are the same.
func lineDiff(want []rules.ExpectedLine, got []Line) []string {
	format := func(rate string, item int, amount string) string {
		if item > 0 {
			rate = fmt.Sprintf("%s #%d", rate, item)
		}
		return rate + " " + amount
	}
	var diff []string
	for i := 0; i < max(len(want), len(got)); i++ {
		var w, g string
		if i < len(want) {
			w = format(want[i].Rate, want[i].Item, want[i].Amount.String())
		}
		if i < len(got) { // String drops trailing zeros: 30.00 is written 30 on both sides
			g = format(got[i].Rate, got[i].Item, got[i].Amount.Decimal().String())
		}
		if w == g {
			continue
		}
		if w != "" {
			diff = append(diff, "- "+w)
		}
		if g != "" {
			diff = append(diff, "+ "+g)
		}
	}
	return diff
}

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
	Err     error      // the request did not price
	Wrong   []Mismatch // meters whose total differs from the expected one
}

// Passed reports whether the example priced as expected.
func (r *ExampleResult) Passed() bool { return r.Err == nil && len(r.Wrong) == 0 }

// Request returns the example's request as NAME=VALUE words, sorted.
func (r *ExampleResult) Request(l *PriceList) string {
	var parts []string
	for name, v := range r.Example.Input {
		parts = append(parts, name+"="+v.String(l.Rules.Input(name).Type))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
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

// RunExamples prices every example of every price list.
func (rs *RuleSet) RunExamples() []*ExampleResult {
	var out []*ExampleResult
	for _, l := range rs.Lists() {
		out = append(out, l.RunExamples()...)
	}
	return out
}

// RunExamples prices the price list's examples. A meter an example does
// not list must total zero, so that a new charge cannot slip in unseen.
func (l *PriceList) RunExamples() []*ExampleResult {
	var out []*ExampleResult
	for _, ex := range l.Rules.Examples {
		res := &ExampleResult{List: l.Rules.Name, Example: ex}
		out = append(out, res)
		req := Request{}
		for name, v := range ex.Input {
			req[name] = v.String(l.Rules.Input(name).Type)
		}
		q, err := l.Quote(req)
		if err != nil {
			res.Err = err
			continue
		}
		for _, t := range q.Totals {
			want := decimal.Zero
			for _, e := range ex.Totals {
				if e.Meter == t.Meter {
					want = e.Amount
				}
			}
			if !want.Equal(t.Amount) {
				res.Wrong = append(res.Wrong, Mismatch{Meter: t.Meter, Want: want, Got: t.Amount, Places: t.Places})
			}
		}
	}
	return out
}

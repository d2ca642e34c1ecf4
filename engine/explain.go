package engine

import (
	"strconv"
	"strings"
)

// Explanation is a quote with the working shown: the inputs it used, the
// named values, and for each line the expression, the values it read, and
// the amount before and after rounding.
type Explanation struct {
	Quote   *Quote
	Inputs  []Binding
	Values  []Binding
	Lines   []LineExplanation
	Skipped []SkippedRate // rates whose "when" was false
}

// Binding is a name and its value in one quote.
type Binding struct {
	Name  string
	Value string
	Expr  string // for a named value, its expression
	Note  string // "default" for an input the request left out
}

// LineExplanation tells how one line item was computed.
type LineExplanation struct {
	Line
	When    string    // the rate's condition, if any
	Amount  string    // the amount expression
	Uses    []Binding // the names the rate read, with their values
	Raw     string    // the exact amount before rounding ("…" when it does not end)
	Rounded string    // the amount on the line
}

// SkippedRate is a rate that charged nothing because its "when" was false.
type SkippedRate struct {
	Rate string
	When string
}

// Explain prices a request and records how.
func (l *PriceList) Explain(req Request) (*Explanation, error) {
	ex := &explainer{req: req, e: &Explanation{}}
	q, err := l.evaluate(req, ex)
	if err != nil {
		return nil, err
	}
	ex.e.Quote = q
	for i := range ex.e.Lines {
		ex.e.Lines[i].Line = q.Lines[i]
	}
	return ex.e, nil
}

type explainer struct {
	req Request
	e   *Explanation
}

func (x *explainer) inputsSet(l *PriceList, s *state) {
	for _, in := range l.inputs {
		b := Binding{Name: in.src.Name, Value: in.sym.format(s)}
		if _, given := x.req[in.src.Name]; !given {
			b.Note = "default"
		}
		x.e.Inputs = append(x.e.Inputs, b)
	}
}

func (x *explainer) valueSet(v *compiledValue, s *state) {
	x.e.Values = append(x.e.Values, Binding{Name: v.src.Name, Value: v.sym.format(s), Expr: v.src.Expr.Text})
}

func (x *explainer) skipped(r *compiledRate) {
	x.e.Skipped = append(x.e.Skipped, SkippedRate{Rate: r.src.Name, When: r.src.When.Text})
}

func (x *explainer) line(r *compiledRate, item int, raw num, s *state) {
	le := LineExplanation{Amount: r.src.Amount.Text, Raw: raw.String()}
	if r.src.When != nil {
		le.When = r.src.When.Text
	}
	for _, u := range r.uses {
		le.Uses = append(le.Uses, Binding{Name: u.name, Value: u.format(s)})
	}
	rounded := round(raw, r.meter.Places, r.meter.Mode)
	le.Rounded = rounded.decimal(r.meter.Places).StringFixed(r.meter.Places)
	x.e.Lines = append(x.e.Lines, le)
}

// format writes the symbol's current value as a request would give it.
func (sym *symbol) format(s *state) string {
	switch sym.t.kind {
	case kNum:
		return s.nums[sym.slot].String()
	case kBool:
		return strconv.FormatBool(s.bools[sym.slot])
	case kWord:
		return sym.t.input.Values[s.words[sym.slot]]
	case kList:
		parts := make([]string, len(s.lists[sym.slot]))
		for i, v := range s.lists[sym.slot] {
			parts[i] = v.String()
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return ""
}

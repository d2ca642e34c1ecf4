package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ratecard/rules"
)

// Explanation is a quote with the working shown: the inputs it used, the
// named values, and for each line the expression, the values it read, and
// the amount before and after rounding.
type Explanation struct {
	Quote   *Quote            `json:"quote"`
	Inputs  []Binding         `json:"inputs"`
	Values  []Binding         `json:"values"`
	Lines   []LineExplanation `json:"lines"`
	Skipped []SkippedRate     `json:"skipped"` // rates whose "when" was false
	// Totals rounded once (round: total): each such meter's exact sum of
	// lines and how it was rounded.
	RoundedTotals []TotalRounding `json:"rounded_totals,omitempty"`
}

// TotalRounding is how a meter rounded at its total got there.
type TotalRounding struct {
	Meter    string         `json:"meter"`
	Lines    string         `json:"lines"` // the sum of the lines, at their places
	Places   int32          `json:"places"`
	Rounding rules.Rounding `json:"rounding"`
	Total    string         `json:"total"`
}

// Binding is a name and its value in one quote.
type Binding struct {
	Name    string       `json:"name"`
	Tiers   []TierPart   `json:"tiers,omitempty"`   // for a named value computed with tiers
	Lookups []GridLookup `json:"lookups,omitempty"` // for a named value that looked up a grid
	Value   string       `json:"value"`             // as text: "90", "library", "true", "[5, 3]"
	Expr    string       `json:"expr,omitempty"`    // for a named value, its expression
	Note    string       `json:"note,omitempty"`    // "default" for an input the request left out
	// Items holds a list's items, which JSON shows as an array of decimal
	// strings rather than as the text of Value.
	Items []string `json:"-"`
}

// MarshalJSON writes a list's value as an array of decimal strings.
func (b Binding) MarshalJSON() ([]byte, error) {
	type plain Binding
	if b.Items == nil {
		return json.Marshal(plain(b))
	}
	return json.Marshal(struct {
		Name  string   `json:"name"`
		Value []string `json:"value"`
		Note  string   `json:"note,omitempty"`
	}{b.Name, b.Items, b.Note})
}

// LineExplanation tells how one line item was computed.
type LineExplanation struct {
	Rate     string         `json:"rate"`
	Meter    string         `json:"meter"`
	Item     int            `json:"item,omitempty"`
	When     string         `json:"when,omitempty"` // the rate's condition, if any
	Expr     string         `json:"expr"`           // the amount expression
	Uses     []Binding      `json:"uses"`           // the names the rate read, with their values
	Raw      string         `json:"raw"`            // the exact amount before rounding ("…" when it does not end)
	Rounded  string         `json:"rounded"`        // the amount on the line
	Places   int32          `json:"places"`
	Rounding rules.Rounding `json:"rounding"`
	// Tiers is the part of each tier of graduated and volume pricing the
	// amount used: quantity, unit price, flat fee, amount.
	Tiers []TierPart `json:"tiers,omitempty"`
	// Lookups are the grid lookups the amount made: keys, row, number.
	Lookups []GridLookup `json:"lookups,omitempty"`
	// Origin tells, in an overlay, where the rate comes from: replaced
	// (with the base's expressions) or an adjustment the overlay adds.
	Origin *RateOrigin `json:"origin,omitempty"`
}

// RateOrigin is how an overlay changed a rate of its base.
type RateOrigin struct {
	List     string `json:"list"`               // the list whose file wrote the rate
	Kind     string `json:"kind"`               // "replaced" or "adjustment"
	WasWhen  string `json:"was_when,omitempty"` // for a replaced rate: the base's when...
	WasExpr  string `json:"was_expr,omitempty"` // ...and amount
	WasFrom  string `json:"was_from,omitempty"` // the list the replaced rate came from
	Position string `json:"position"`           // where the overlay writes it
}

// originOf describes what an overlay did to a rate, or nil for a rate
// as its list wrote it.
func originOf(r *rules.Rate) *RateOrigin {
	switch {
	case r.Adjustment:
		return &RateOrigin{List: r.Origin, Kind: "adjustment", Position: r.Pos.String()}
	case r.Replaces != nil:
		o := &RateOrigin{List: r.Origin, Kind: "replaced", WasExpr: r.Replaces.Amount.Text, Position: r.Pos.String(), WasFrom: r.Replaces.Origin}
		if r.Replaces.When != nil {
			o.WasWhen = r.Replaces.When.Text
		}
		return o
	}
	return nil
}

// SkippedRate is a rate that charged nothing because its "when" was false.
type SkippedRate struct {
	Rate string `json:"rate"`
	When string `json:"when"`
}

// Explain prices a request and records how.
func (l *PriceList) Explain(req Request) (*Explanation, error) {
	ex := &explainer{e: &Explanation{}, lineSums: make([]Amount, len(l.Rules.Meters))}
	for i, m := range l.Rules.Meters {
		ex.lineSums[i] = NewAmount(0, m.LineDecimals())
	}
	q, err := l.evaluate(req, ex)
	if err != nil {
		return nil, err
	}
	ex.e.Quote = q
	for i, m := range l.Rules.Meters {
		if m.RoundTotal {
			t := q.Totals[i]
			ex.e.RoundedTotals = append(ex.e.RoundedTotals, TotalRounding{Meter: m.Name, Lines: ex.lineSums[i].String(),
				Places: m.Places, Rounding: m.Mode, Total: t.Amount.String()})
		}
	}
	return ex.e, nil
}

type explainer struct {
	e        *Explanation
	lineSums []Amount // by meter: the sum of its lines, at their places
}

func (x *explainer) inputsSet(l *PriceList, s *state) {
	for i, in := range l.inputs {
		b := Binding{Name: in.src.Name, Value: in.sym.format(s), Items: in.sym.items(s)}
		if !s.given[i] {
			b.Note = "default"
		}
		x.e.Inputs = append(x.e.Inputs, b)
	}
}

func (x *explainer) valueSet(v *compiledValue, s *state) {
	b := Binding{Name: v.src.Name, Value: v.sym.format(s), Expr: v.src.Expr.Text, Tiers: takeTiers(s), Lookups: takeLookups(s)}
	if v.src.Replaces != nil {
		b.Note = "replaced by " + v.src.Origin + "; was " + v.src.Replaces.Expr.Text
	}
	x.e.Values = append(x.e.Values, b)
}

func (x *explainer) skipped(r *compiledRate) {
	x.e.Skipped = append(x.e.Skipped, SkippedRate{Rate: r.src.Name, When: r.src.When.Text})
}

func (x *explainer) line(r *compiledRate, item int, raw num, s *state) {
	m := r.meter
	places := m.LineDecimals()
	le := LineExplanation{Rate: r.src.Name, Meter: m.Name, Item: item, Expr: r.src.Amount.Text,
		Raw: raw.String(), Places: places, Rounding: m.Mode}
	if r.src.When != nil {
		le.When = r.src.When.Text
	}
	for _, u := range r.uses {
		le.Uses = append(le.Uses, Binding{Name: u.name, Value: u.format(s), Items: u.items(s)})
	}
	le.Rounded = unitsDecimal(roundUnits(raw, places, m.Mode), places).StringFixed(places)
	le.Tiers, le.Lookups, le.Origin = takeTiers(s), takeLookups(s), originOf(r.src)
	x.lineSums[r.meterIndex] = amountOf(s.sums[r.meterIndex], places)
	x.e.Lines = append(x.e.Lines, le)
}

// takeTiers returns the tier parts noted since the last step, and
// forgets them.
func takeTiers(s *state) []TierPart {
	if len(s.tiers) == 0 {
		return nil
	}
	out := slices.Clone(s.tiers)
	s.tiers = s.tiers[:0]
	return out
}

// takeLookups returns the grid lookups noted since the last step, and
// forgets them.
func takeLookups(s *state) []GridLookup {
	if len(s.lookups) == 0 {
		return nil
	}
	out := slices.Clone(s.lookups)
	s.lookups = s.lookups[:0]
	return out
}

// items returns a list's items as decimal text (never nil for a list), or
// nil for any other kind.
func (sym *symbol) items(s *state) []string {
	if sym.t.kind != kList {
		return nil
	}
	out := make([]string, len(s.lists[sym.slot]))
	for i, v := range s.lists[sym.slot] {
		out[i] = v.String()
	}
	return out
}

// format writes the symbol's current value as a request would give it.
func (sym *symbol) format(s *state) string {
	if sym.field != nil {
		return sym.field.format(s)
	}
	switch sym.t.kind {
	case kRecords:
		return sym.t.rec.format(s)
	case kRecord:
		return fmt.Sprintf("record %d of %s", s.cur[sym.slot]+1, sym.t.rec.input.src.Name)
	case kNum:
		return s.nums[sym.slot].String()
	case kBool:
		return strconv.FormatBool(s.bools[sym.slot])
	case kWord:
		return sym.t.input.Values[s.words[sym.slot]]
	case kText:
		return s.texts[sym.slot]
	case kList:
		return "[" + strings.Join(sym.items(s), ", ") + "]"
	}
	return ""
}

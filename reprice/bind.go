package reprice

import (
	"encoding/json"
	"fmt"
	"strings"

	"ratecard/engine"
	"ratecard/internal/jsonscan"
	"ratecard/rules"
)

// binding maps the columns of a usage file to a price list's inputs; the
// other columns are carried through to the results.
type binding struct {
	list    *engine.PriceList
	columns []string
	input   []int // by column: the index of its input in the list, or -1
	carried []int // the columns that are not inputs
}

func bind(columns []string, l *engine.PriceList) *binding {
	b := &binding{list: l, columns: columns, input: make([]int, len(columns))}
	for i, c := range columns {
		b.input[i] = inputIndex(l, c)
		if b.input[i] < 0 {
			b.carried = append(b.carried, i)
		}
	}
	return b
}

// inputIndex returns the index of the list's input called name, or -1.
func inputIndex(l *engine.PriceList, name string) int {
	for i, in := range l.Rules.Inputs {
		if in.Name == name {
			return i
		}
	}
	return -1
}

// checkColumns refuses usage columns that would price every record with
// defaults without a word: a CSV header that names no input at all, and a
// column that is no input but looks like one (actors, Actor for actor),
// unless extraOK says such columns are meant and carried through.
func checkColumns(columns []string, csv, extraOK bool, lists ...*engine.PriceList) error {
	var inputs []string
	isInput := map[string]bool{}
	for _, l := range lists {
		for _, name := range l.Rules.InputNames() {
			if !isInput[name] {
				inputs = append(inputs, name)
				isInput[name] = true
			}
		}
	}
	var errs []string
	anyInput := false
	for _, c := range columns {
		if isInput[c] {
			anyInput = true
			continue
		}
		if s := rules.Suggest(c, inputs); s != "" && !extraOK {
			errs = append(errs, fmt.Sprintf("column %s is not an input: did you mean %q?", rules.Quote(c), s))
		}
	}
	if csv && !anyInput && len(columns) > 0 {
		return fmt.Errorf("no column of the header is an input of %s (its inputs are %s): every record would be priced with defaults",
			lists[0].Rules.Name, strings.Join(inputs, ", "))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s (-extra-columns carries such columns through as they are)", strings.Join(errs, "; "))
	}
	return nil
}

// column returns the index of a column, or -1.
func (b *binding) column(name string) int {
	for i, c := range b.columns {
		if c == name {
			return i
		}
	}
	return -1
}

// set gives in (reset first) the record's inputs, and counts in given
// (by input) those it gave. An empty CSV field or a JSON null leaves the
// input out, so that its default applies.
func (b *binding) set(rec *Record, in *engine.Inputs, given []int) error {
	in.Reset()
	if rec.Keys != nil {
		for i, k := range rec.Keys {
			if at := inputIndex(b.list, k); at >= 0 {
				if string(rec.Raw[i]) != "null" {
					given[at]++
				}
				if err := in.SetJSON(k, rec.Raw[i]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i, at := range b.input {
		if at >= 0 && rec.Fields[i] != "" {
			given[at]++
			if err := in.SetText(b.columns[i], rec.Fields[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// pricer prices records under one binding, reusing its inputs and its
// quote from record to record: the quote it returns is good until the
// next call, and allocates nothing for common amounts.
type pricer struct {
	b     *binding
	in    *engine.Inputs
	q     engine.Quote
	given []int // by input: how many records priced gave it
}

func (b *binding) pricer() *pricer {
	return &pricer{b: b, in: b.list.NewInputs(), given: make([]int, len(b.list.Rules.Inputs))}
}

func (p *pricer) quote(rec *Record) (*engine.Quote, error) {
	if err := p.b.set(rec, p.in, p.given); err != nil {
		return nil, err
	}
	if err := p.in.QuoteInto(&p.q); err != nil {
		return nil, err
	}
	return &p.q, nil
}

// text returns the value of column i (of Columns) as text, for CSV output
// and groups.
func (b *binding) text(rec *Record, i int) string {
	if rec.Keys == nil {
		return rec.Fields[i]
	}
	return rawText(rec.value(b.columns[i]))
}

// rawText is a JSON value as text: a string unquoted, null or a missing
// key empty, anything else as written.
func rawText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		if s, err := jsonscan.Unquote(raw); err == nil {
			return s
		}
	}
	return string(raw)
}

// resultColumns names the carried columns and the meters' result columns.
func (b *binding) resultColumns() (carried []string, meters []string) {
	for _, m := range b.list.Rules.Meters {
		meters = append(meters, m.Name)
	}
	for _, i := range b.carried {
		carried = append(carried, b.renamed(b.columns[i]))
	}
	return carried, meters
}

// renamed gives a carried column named like a meter the suffix ".input",
// so that results never hold two columns of one name.
func (b *binding) renamed(column string) string {
	for _, m := range b.list.Rules.Meters {
		if strings.EqualFold(m.Name, column) {
			return column + ".input"
		}
	}
	return column
}

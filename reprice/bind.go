package reprice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"ratecard/engine"
)

// binding maps the columns of a usage file to a price list's inputs; the
// other columns are carried through to the results.
type binding struct {
	list    *engine.PriceList
	columns []string
	input   []bool // by column: is it an input of the list?
	carried []int  // the columns that are not inputs
}

func bind(columns []string, l *engine.PriceList) *binding {
	b := &binding{list: l, columns: columns, input: make([]bool, len(columns))}
	for i, c := range columns {
		if l.Rules.Input(c) != nil {
			b.input[i] = true
		} else {
			b.carried = append(b.carried, i)
		}
	}
	return b
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

// set gives in (reset first) the record's inputs. An empty CSV field or a
// JSON null leaves the input out, so that its default applies.
func (b *binding) set(rec *Record, in *engine.Inputs) error {
	in.Reset()
	if rec.Keys != nil {
		for i, k := range rec.Keys {
			if b.list.Rules.Input(k) == nil {
				continue
			}
			v, err := jsonValue(rec.Raw[i])
			if err != nil {
				return fmt.Errorf("%s: %v", k, err)
			}
			if v != nil {
				if err := in.Set(k, v); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i, isInput := range b.input {
		if isInput && rec.Fields[i] != "" {
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
	b  *binding
	in *engine.Inputs
	q  engine.Quote
}

func (b *binding) pricer() *pricer {
	return &pricer{b: b, in: b.list.NewInputs()}
}

func (p *pricer) quote(rec *Record) (*engine.Quote, error) {
	if err := p.b.set(rec, p.in); err != nil {
		return nil, err
	}
	if err := p.in.QuoteInto(&p.q); err != nil {
		return nil, err
	}
	return &p.q, nil
}

// jsonValue decodes a raw JSON value for a request: numbers stay decimal
// text (json.Number), never float64.
func jsonValue(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	switch raw[0] {
	case 'n':
		return nil, nil
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case 't', 'f':
		return raw[0] == 't', nil
	case '[', '{':
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		err := dec.Decode(&v)
		return v, err
	}
	return json.Number(raw), nil
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
		var s string
		if json.Unmarshal(raw, &s) == nil {
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

package reprice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"ratecard/engine"
)

// binding maps the columns of a usage file to a price list's inputs; the
// other columns are carried through to the results.
type binding struct {
	columns []string
	input   []bool // by column: is it an input of the list?
	carried []int  // the columns that are not inputs
}

func bind(columns []string, l *engine.PriceList) *binding {
	b := &binding{columns: columns, input: make([]bool, len(columns))}
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

// request fills req (emptied first) with the record's inputs. An empty CSV
// field or a JSON null leaves the input out, so that its default applies.
func (b *binding) request(rec *Record, req engine.Request) error {
	clear(req)
	for i, isInput := range b.input {
		if !isInput {
			continue
		}
		if rec.Fields != nil {
			if f := rec.Fields[i]; f != "" {
				req[b.columns[i]] = f
			}
			continue
		}
		v, err := jsonValue(rec.Raw[i])
		if err != nil {
			return fmt.Errorf("%s: %v", b.columns[i], err)
		}
		if v != nil {
			req[b.columns[i]] = v
		}
	}
	return nil
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

// text returns a carried column's value as text (for CSV output).
func (b *binding) text(rec *Record, i int) string {
	if rec.Fields != nil {
		return rec.Fields[i]
	}
	raw := rec.Raw[i]
	if len(raw) > 0 && raw[0] == '"' {
		if s, err := strconv.Unquote(string(raw)); err == nil {
			return s
		}
		var s string
		_ = json.Unmarshal(raw, &s)
		return s
	}
	if string(raw) == "null" {
		return ""
	}
	return string(raw)
}

// resultColumns names the carried columns and the meters' result columns;
// a carried column named like a meter is renamed with a suffix ".input".
func (b *binding) resultColumns(l *engine.PriceList) (carried []string, meters []string) {
	for _, m := range l.Rules.Meters {
		meters = append(meters, m.Name)
	}
	for _, i := range b.carried {
		name := b.columns[i]
		for _, m := range meters {
			if strings.EqualFold(m, name) {
				name += ".input"
			}
		}
		carried = append(carried, name)
	}
	return carried, meters
}

package authoring

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"ratecard/engine"
	"ratecard/rules"
)

// Grid is a rendered price table: a header row, then one row per value of
// the row input.
type Grid struct {
	Title  string
	Header []string
	Rows   [][]string
}

// Setting sets some inputs of a cell's request.
type Setting func(*engine.Inputs) error

// Row is one row of a table: its label and what it sets.
type Row struct {
	Label string
	Set   Setting
}

// Column is one column of a table: its title, what it sets, and what its
// cells show: a meter's total or a rate's amount, after a prefix.
type Column struct {
	Title       string
	Set         Setting
	Meter, Rate string
	Prefix      string
	Places      int32 // with Fixed: the places every cell shows
	FixedPlaces bool
}

// Spec is a table to render: the header of the row labels, the inputs set
// for every cell, the rows and the columns.
type Spec struct {
	Title     string
	RowHeader string
	Fixed     Setting // may be nil
	Rows      []Row
	Columns   []Column
}

// Tables renders every table the price list declares.
func Tables(l *engine.PriceList) ([]*Grid, error) {
	var out []*Grid
	for _, t := range l.Rules.Tables {
		g, err := Table(l, t)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// Table renders a table the price list declares. A cell shows its meter's
// total or its rate's amount without trailing zeros ("10", "1.67", "0.5"),
// as price tables are written for people.
func Table(l *engine.PriceList, t *rules.Table) (*Grid, error) {
	return Render(l, TableSpec(l, t))
}

// TableSpec is the Spec of a table the price list declares.
func TableSpec(l *engine.PriceList, t *rules.Table) Spec {
	in := l.Rules.Input(t.Rows.Input)
	spec := Spec{Title: t.Title, RowHeader: t.Rows.Input, Fixed: values(t.Set)}
	for i, v := range t.Rows.Values {
		label := v.String(in.Type)
		if i < len(t.Rows.Labels) {
			label = t.Rows.Labels[i]
		}
		spec.Rows = append(spec.Rows, Row{Label: label, Set: values(map[string]*rules.Value{in.Name: v})})
	}
	for _, c := range t.Columns {
		spec.Columns = append(spec.Columns, Column{Title: c.Title, Set: values(c.Set), Meter: c.Meter, Rate: c.Rate, Prefix: c.Prefix})
	}
	return spec
}

// FixPlaces makes every cell show its meter's decimal places ("41.50"
// beside "42.25", as money reads), instead of dropping trailing zeros.
func (s *Spec) FixPlaces(l *engine.PriceList) {
	for i := range s.Columns {
		c := &s.Columns[i]
		meter := c.Meter
		if r := l.Rules.Rate(c.Rate); r != nil {
			meter = r.Meter
		}
		if m := l.Rules.Meter(meter); m != nil {
			c.Places, c.FixedPlaces = m.Places, true
		}
	}
}

// values is the Setting of a rule file's values, by input, set in a fixed
// order.
func values(set map[string]*rules.Value) Setting {
	names := make([]string, 0, len(set))
	for name := range set {
		names = append(names, name)
	}
	sort.Strings(names)
	return func(in *engine.Inputs) error {
		for _, name := range names {
			if err := in.SetValue(name, set[name]); err != nil {
				return err
			}
		}
		return nil
	}
}

// Render prices every cell of a table: each with the table's fixed inputs,
// then its column's, then its row's.
func Render(l *engine.PriceList, spec Spec) (*Grid, error) {
	g := &Grid{Title: spec.Title, Header: []string{spec.RowHeader}}
	for _, c := range spec.Columns {
		g.Header = append(g.Header, c.Title)
	}
	in := l.NewInputs()
	for _, r := range spec.Rows {
		row := []string{r.Label}
		for _, c := range spec.Columns {
			in.Reset()
			for _, set := range []Setting{spec.Fixed, c.Set, r.Set} {
				if set != nil {
					if err := set(in); err != nil {
						return nil, fmt.Errorf("table %q, row %q, column %q: %w", spec.Title, r.Label, c.Title, err)
					}
				}
			}
			q, err := in.Quote()
			if err != nil {
				return nil, fmt.Errorf("table %q, row %q, column %q: %w", spec.Title, r.Label, c.Title, err)
			}
			amount := cellAmount(q, c)
			text := amount.String()
			if c.FixedPlaces {
				text = amount.StringFixed(c.Places)
			}
			row = append(row, c.Prefix+text)
		}
		g.Rows = append(g.Rows, row)
	}
	return g, nil
}

func cellAmount(q *engine.Quote, c Column) decimal.Decimal {
	if c.Meter != "" {
		return q.Total(c.Meter)
	}
	sum := decimal.Zero
	for _, line := range q.Lines {
		if line.Rate == c.Rate {
			sum = sum.Add(line.Amount.Decimal())
		}
	}
	return sum
}

// GridSpec reads a table of one's own, as `ratecard table` and the
// studio take it: rows "duration=30,60,90", columns "actor=none,library"
// (or none), cells showing a meter's total or "rate:NAME" (default: the
// first meter), other inputs fixed. Values are text, set as a command
// line gives them.
func GridSpec(l *engine.PriceList, rows, columns, show string, fixed map[string]string) (Spec, error) {
	spec := Spec{Title: l.Rules.Name, Fixed: textSetting(fixed)}
	rowIn, rowValues, err := axis(rows, "rows")
	if err != nil {
		return spec, err
	}
	spec.RowHeader = rowIn
	for _, v := range rowValues {
		spec.Rows = append(spec.Rows, Row{Label: v, Set: textSetting(map[string]string{rowIn: v})})
	}
	if show == "" {
		show = l.Rules.Meters[0].Name
	}
	column := Column{Title: show}
	switch name, isRate := strings.CutPrefix(show, "rate:"); {
	case isRate && l.Rules.Rate(name) == nil:
		return spec, fmt.Errorf("show: unknown rate %q", name)
	case isRate:
		column.Rate = name
	case l.Rules.Meter(show) == nil:
		return spec, fmt.Errorf("show: unknown meter %q; show a meter or rate:NAME", show)
	default:
		column.Meter = show
	}
	if columns == "" {
		spec.Columns = []Column{column}
		return spec, nil
	}
	colIn, colValues, err := axis(columns, "columns")
	if err != nil {
		return spec, err
	}
	for _, v := range colValues {
		c := column
		c.Title, c.Set = colIn+"="+v, textSetting(map[string]string{colIn: v})
		spec.Columns = append(spec.Columns, c)
	}
	return spec, nil
}

// axis reads "INPUT=V1,V2,...".
func axis(spec, flag string) (input string, values []string, err error) {
	input, list, ok := strings.Cut(spec, "=")
	if !ok || input == "" || list == "" {
		return "", nil, fmt.Errorf("%s must be INPUT=V1,V2,..., not %q", flag, spec)
	}
	return input, strings.Split(list, ","), nil
}

// textSetting sets inputs from text, as a command line gives them, in
// the order of their names.
func textSetting(words map[string]string) Setting {
	names := slices.Sorted(maps.Keys(words))
	return func(in *engine.Inputs) error {
		for _, name := range names {
			if err := in.SetText(name, words[name]); err != nil {
				return err
			}
		}
		return nil
	}
}

package engine

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// Grid is a rendered price table: a header row, then one row per value of
// the row input.
type Grid struct {
	Title  string
	Header []string
	Rows   [][]string
}

// Tables renders every table the price list declares.
func (l *PriceList) Tables() ([]*Grid, error) {
	var out []*Grid
	for _, t := range l.Rules.Tables {
		g, err := l.Table(t)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// Table renders one table. A cell shows its meter's total or its rate's
// amount without trailing zeros ("10", "1.67", "0.5"), as price tables are
// written for people.
func (l *PriceList) Table(t *rules.Table) (*Grid, error) {
	g := &Grid{Title: t.Title, Header: []string{t.Rows.Input}}
	for _, c := range t.Columns {
		g.Header = append(g.Header, c.Title)
	}
	in := l.Rules.Input(t.Rows.Input)
	for i, rv := range t.Rows.Values {
		label := rv.String(in.Type)
		if i < len(t.Rows.Labels) {
			label = t.Rows.Labels[i]
		}
		row := []string{label}
		for _, c := range t.Columns {
			req := Request{}
			for _, set := range []map[string]*rules.Value{t.Set, c.Set} {
				for name, v := range set {
					req[name] = v.String(l.Rules.Input(name).Type)
				}
			}
			req[t.Rows.Input] = rv.String(in.Type)
			q, err := l.Quote(req)
			if err != nil {
				return nil, fmt.Errorf("table %q, row %q, column %q: %w", t.Title, label, c.Title, err)
			}
			row = append(row, c.Prefix+cellAmount(q, c).String())
		}
		g.Rows = append(g.Rows, row)
	}
	return g, nil
}

func cellAmount(q *Quote, c *rules.TableColumn) decimal.Decimal {
	if c.Meter != "" {
		return q.Total(c.Meter)
	}
	sum := decimal.Zero
	for _, line := range q.Lines {
		if line.Rate == c.Rate {
			sum = sum.Add(line.Amount)
		}
	}
	return sum
}

// GridSpec asks for a table that the rule file does not declare: the row
// input's values down, one column per value of another input across (or a
// single column), and in each cell a meter's total or a rate's amount.
type GridSpec struct {
	Rows    string  // "duration=30,60,90"
	Columns string  // "actor=none,library", or "" for one column
	Show    string  // a meter name, or "rate:NAME"
	Set     Request // inputs fixed for every cell
}

// Grid renders a table from a GridSpec.
func (l *PriceList) Grid(spec GridSpec) (*Grid, error) {
	t := &rules.Table{Title: l.Rules.Name, Set: map[string]*rules.Value{}}
	for name, v := range spec.Set {
		val, err := l.parseSetting(name, v)
		if err != nil {
			return nil, err
		}
		t.Set[name] = val
	}
	rowIn, rowValues, err := l.parseAxis(spec.Rows, "rows")
	if err != nil {
		return nil, err
	}
	t.Rows = rules.TableRows{Input: rowIn, Values: rowValues}
	column := rules.TableColumn{Title: spec.Show}
	switch name, isRate := strings.CutPrefix(spec.Show, "rate:"); {
	case isRate && l.Rules.Rate(name) == nil:
		return nil, fmt.Errorf("unknown rate %q", name)
	case isRate:
		column.Rate = name
	case l.Rules.Meter(spec.Show) == nil:
		return nil, fmt.Errorf("unknown meter %q; show a meter or rate:NAME", spec.Show)
	default:
		column.Meter = spec.Show
	}
	if spec.Columns == "" {
		t.Columns = []*rules.TableColumn{&column}
		return l.Table(t)
	}
	colIn, colValues, err := l.parseAxis(spec.Columns, "columns")
	if err != nil {
		return nil, err
	}
	for _, v := range colValues {
		c := column
		c.Title = colIn + "=" + v.String(l.Rules.Input(colIn).Type)
		c.Set = map[string]*rules.Value{colIn: v}
		t.Columns = append(t.Columns, &c)
	}
	return l.Table(t)
}

// parseAxis reads "input=v1,v2,...".
func (l *PriceList) parseAxis(spec, what string) (string, []*rules.Value, error) {
	name, list, ok := strings.Cut(spec, "=")
	if !ok || list == "" {
		return "", nil, fmt.Errorf("%s must be INPUT=V1,V2,..., not %q", what, spec)
	}
	var values []*rules.Value
	for _, text := range strings.Split(list, ",") {
		v, err := l.parseSetting(name, text)
		if err != nil {
			return "", nil, err
		}
		values = append(values, v)
	}
	return name, values, nil
}

func (l *PriceList) parseSetting(name string, raw any) (*rules.Value, error) {
	in := l.byName[name]
	if in == nil {
		return nil, requestErrorf(name, "unknown input %s%s", rules.Quote(name), rules.DidYouMean(name, l.Rules.InputNames()))
	}
	return in.parse(raw)
}

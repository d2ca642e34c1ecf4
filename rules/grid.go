package rules

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// Grid is a lookup table: prices by one or more keys (inputs or named
// values), as staff keep them in spreadsheets. An expression calls it by
// its name with the keys' values, rate_card(region, size), and gets its
// number, or with several columns one of them by name,
// rate_card(region, size).setup.
type Grid struct {
	Pos     Pos
	Name    string
	Keys    []GridKey // in the order a call gives them
	Columns []string  // the names of its numbers; one unnamed number when empty
	Rows    []*GridRow
	File    string // the CSV file the rows were read from, if any
}

// GridKey names what a grid is keyed by.
type GridKey struct {
	Pos  Pos
	Name string // an input or a named value of the price list
}

// GridRow is one row of a grid: a pattern for each key, then its numbers.
// The first row whose patterns all match a lookup's keys gives its numbers.
type GridRow struct {
	Pos    Pos
	Keys   []GridCell
	Values []decimal.Decimal
}

// GridCell is a key pattern as written: "*" (any value), an exact value,
// for a number a range "a..b" (a <= x < b; either end may be left out),
// for text a prefix "1800*". The engine reads it by its key's type.
type GridCell struct {
	Pos  Pos
	Text string
}

// MaxGridRows caps a grid's rows, inline or from a file.
const MaxGridRows = 10000

func (d *decoder) decodeGrid(l *PriceList, k, n *yaml.Node) *Grid {
	name, ok := d.name(k, "grid name")
	g := &Grid{Pos: d.pos(k), Name: name}
	var rows, file *yaml.Node
	d.fields(n, "grid "+name, []field{
		{"keys", true, func(v *yaml.Node) {
			d.list(v, "keys of grid "+name, func(item *yaml.Node) {
				// An input, a value, or a records field written calls.dialed.
				records, field, isField := strings.Cut(item.Value, ".")
				if isField {
					_, good1 := d.name(&yaml.Node{Kind: yaml.ScalarNode, Value: records, Line: item.Line, Column: item.Column}, "a key of grid "+name)
					_, good2 := d.name(&yaml.Node{Kind: yaml.ScalarNode, Value: field, Line: item.Line, Column: item.Column}, "a key of grid "+name)
					if good1 && good2 {
						g.Keys = append(g.Keys, GridKey{Pos: d.pos(item), Name: d.strs.intern(item.Value)})
					}
					return
				}
				if s, good := d.name(item, "a key of grid "+name); good {
					g.Keys = append(g.Keys, GridKey{Pos: d.pos(item), Name: s})
				}
			})
		}},
		{"columns", false, func(v *yaml.Node) {
			d.list(v, "columns of grid "+name, func(item *yaml.Node) {
				if s, good := d.name(item, "a column of grid "+name); good {
					g.Columns = append(g.Columns, s)
				}
			})
		}},
		{"rows", false, func(v *yaml.Node) { rows = v }},
		{"file", false, func(v *yaml.Node) { file = v }},
	})
	if !ok || len(g.Keys) == 0 {
		return nil
	}
	width := len(g.Keys) + max(1, len(g.Columns))
	switch {
	case (rows == nil) == (file == nil):
		d.errorf(k, "grid %s needs its rows: rows: [[key, ..., price], ...], or file: NAME.csv beside the rule file", name)
		return nil
	case rows != nil:
		d.list(rows, "rows of grid "+name, func(item *yaml.Node) {
			if len(g.Rows) == MaxGridRows {
				d.errorf(item, "grid %s has more than %d rows", name, MaxGridRows)
			}
			if r := d.gridRow(g, item, width); r != nil && len(g.Rows) < MaxGridRows {
				g.Rows = append(g.Rows, r)
			}
		})
	default:
		g.File, _ = d.str(file, "file of grid "+name)
		d.gridFile(g, file, width)
	}
	return g
}

// gridRow reads one inline row: its key patterns, then its numbers.
func (d *decoder) gridRow(g *Grid, item *yaml.Node, width int) *GridRow {
	if item.Kind != yaml.SequenceNode || len(item.Content) != width {
		d.errorf(item, "a row of grid %s is a list of %d: %s", g.Name, width, g.rowShape())
		return nil
	}
	r := &GridRow{Pos: d.pos(item)}
	for i, cell := range item.Content {
		cell = d.deref(cell)
		if i < len(g.Keys) {
			text, good := d.str(cell, "a key of grid "+g.Name)
			if !good {
				return nil
			}
			r.Keys = append(r.Keys, GridCell{Pos: d.pos(cell), Text: strings.TrimSpace(text)})
			continue
		}
		v, good := d.number(cell, "a number of grid "+g.Name)
		if !good {
			return nil
		}
		r.Values = append(r.Values, v)
	}
	return r
}

// rowShape describes a row: "[region, size, price]".
func (g *Grid) rowShape() string {
	var parts []string
	for _, k := range g.Keys {
		parts = append(parts, k.Name)
	}
	if len(g.Columns) == 0 {
		parts = append(parts, "number")
	}
	return "[" + strings.Join(append(parts, g.Columns...), ", ") + "]"
}

// gridFile reads a grid's rows from a CSV file beside the rule file: a
// header naming the keys then the columns, then a row per line. Errors
// name the CSV file, its line and its field.
func (d *decoder) gridFile(g *Grid, n *yaml.Node, width int) {
	name := path.Join(path.Dir(d.file), g.File)
	f, found := d.data[name]
	if !found || path.Ext(g.File) != ".csv" || strings.Contains(g.File, "/") {
		d.errorf(n, "grid %s: no file %s beside the rule file (a grid's file is a .csv in the same directory)", g.Name, Quote(g.File))
		return
	}
	r := csv.NewReader(bytes.NewReader(f.Data))
	r.FieldsPerRecord = width
	at := func(line, field int) Pos { return Pos{File: name, Line: line, Col: field} }
	header, err := r.Read()
	if err != nil {
		d.errs.Add(at(1, 1), "grid %s: %v", g.Name, csvError(err))
		return
	}
	// The header names the keys, then the columns (any name for the one
	// number of a grid without columns).
	named := header
	if len(g.Columns) == 0 {
		named = header[:len(g.Keys)]
	}
	var want []string
	for _, k := range g.Keys {
		want = append(want, k.Name)
	}
	if want = append(want, g.Columns...); !slices.Equal(named, want) {
		d.errs.Add(at(1, 1), "the header of grid %s must be %s, not %s", g.Name, strings.Trim(g.rowShape(), "[]"), strings.Join(header, ", "))
		return
	}
	for {
		fields, err := r.Read()
		if err != nil {
			if err.Error() != "EOF" {
				line, col := r.FieldPos(0)
				d.errs.Add(at(line, col), "grid %s: %v", g.Name, csvError(err))
			}
			return
		}
		line, _ := r.FieldPos(0)
		if len(g.Rows) == MaxGridRows {
			d.errs.Add(at(line, 1), "grid %s has more than %d rows", g.Name, MaxGridRows)
			return
		}
		row := &GridRow{Pos: at(line, 1)}
		good := true
		for i, field := range fields {
			_, col := r.FieldPos(i)
			if i < len(g.Keys) {
				row.Keys = append(row.Keys, GridCell{Pos: at(line, col), Text: strings.TrimSpace(field)})
				continue
			}
			v, err := ParseNumber(field)
			if err != nil {
				d.errs.Add(at(line, col), "a number of grid %s: %v", g.Name, err)
				good = false
				continue
			}
			row.Values = append(row.Values, v)
		}
		if good {
			g.Rows = append(g.Rows, row)
		}
	}
}

func csvError(err error) string {
	if pe, ok := err.(*csv.ParseError); ok {
		return fmt.Sprint(pe.Err)
	}
	return err.Error()
}

package rules

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// MaxListItems caps a list input's length when the rule file sets no
// smaller max_items, so that no request can make a quote unbounded.
const MaxListItems = 1000

// decodeValue reads a value of the input from YAML (a default, an example's
// input, a table's setting) as the input's type; the engine checks it.
func (d *decoder) decodeValue(in *Input, n *yaml.Node) *Value {
	n = d.deref(n)
	v := &Value{Pos: d.pos(n), Type: in.Type}
	what := in.valueWhat
	if what == "" { // an input not decoded from a file
		what = "a value of " + in.Name
	}
	switch in.Type {
	case Decimal, Whole:
		num, ok := d.number(n, what)
		if !ok {
			return nil
		}
		v.Num = num
	case Boolean:
		b, ok := d.boolean(n, what)
		if !ok {
			return nil
		}
		v.Bool = b
	case OneOf:
		w, ok := d.str(n, what)
		if !ok {
			return nil
		}
		v.Word = w
	case Text:
		t, ok := d.str(n, what)
		if !ok {
			return nil
		}
		v.Text = t
	case List:
		v.List = []decimal.Decimal{}
		ok := true
		d.list(n, what, func(item *yaml.Node) {
			num, good := d.number(item, "an item of "+in.Name)
			ok = ok && good
			v.List = append(v.List, num)
		})
		if !ok || n.Kind != yaml.SequenceNode {
			return nil
		}
	case Records:
		v.Records = []map[string]*Value{}
		ok := true
		d.list(n, what, func(item *yaml.Node) {
			rec := map[string]*Value{}
			d.entries(item, "a record of "+in.Name, func(k, fv *yaml.Node) {
				f := in.Field(k.Value)
				if f == nil {
					d.errorf(k, "a record of %s has no field %s%s; its fields are %s", in.Name, Quote(k.Value),
						DidYouMean(k.Value, fieldNames(in)), strings.Join(fieldNames(in), ", "))
					ok = false
					return
				}
				if val := d.decodeValue(f, fv); val != nil {
					rec[d.strs.intern(k.Value)] = val
				} else {
					ok = false
				}
			})
			v.Records = append(v.Records, rec)
		})
		if !ok || n.Kind != yaml.SequenceNode {
			return nil
		}
	}
	return v // checked against the input by the engine, the one way in for values
}

func fieldNames(in *Input) []string {
	names := make([]string, len(in.Fields))
	for i, f := range in.Fields {
		names[i] = f.Name
	}
	return names
}

// String writes the value as a request would give it.
func (v *Value) String(t Type) string {
	switch t {
	case Boolean:
		return strconv.FormatBool(v.Bool)
	case OneOf:
		return v.Word
	case Text:
		return v.Text
	case Records:
		return recordsText(v.Records)
	case List:
		parts := make([]string, len(v.List))
		for i, n := range v.List {
			parts[i] = n.String()
		}
		return strings.Join(parts, ",")
	}
	return v.Num.String()
}

// recordsText writes records as a request gives them: JSON, fields in
// name order ([{"dialed":"1800","seconds":30}]).
func recordsText(records []map[string]*Value) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, rec := range records {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		names := make([]string, 0, len(rec))
		for name := range rec {
			names = append(names, name)
		}
		slices.Sort(names)
		for j, name := range names {
			if j > 0 {
				b.WriteByte(',')
			}
			v := rec[name]
			b.WriteString(strconv.Quote(name) + ":")
			switch v.Type {
			case Text, OneOf:
				b.WriteString(strconv.Quote(v.String(v.Type)))
			case List:
				b.WriteString("[" + v.String(List) + "]")
			default:
				b.WriteString(v.String(v.Type))
			}
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.String()
}

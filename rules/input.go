package rules

import (
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
	v := &Value{Pos: d.pos(n)}
	what := "a value of " + in.Name
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
	}
	return v // checked against the input by the engine, the one way in for values
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
	case List:
		parts := make([]string, len(v.List))
		for i, n := range v.List {
			parts[i] = n.String()
		}
		return strings.Join(parts, ",")
	}
	return v.Num.String()
}

package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// MaxListItems caps a list input's length when the rule file sets no
// smaller max_items, so that no request can make a quote unbounded.
const MaxListItems = 1000

// ParseText reads a value of the input from text, as a command line or a
// form gives it: a list is comma-separated ("5,3"). The value is checked
// against the input's type and bounds.
func (in *Input) ParseText(text string) (*Value, error) {
	v := &Value{}
	switch in.Type {
	case Decimal, Whole:
		n, err := ParseNumber(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", in.Name, err)
		}
		v.Num = n
	case Boolean:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return nil, fmt.Errorf("%s must be true or false, not %s", in.Name, Quote(text))
		}
		v.Bool = b
	case OneOf:
		v.Word = strings.TrimSpace(text)
	case List:
		v.List = []decimal.Decimal{}
		if strings.TrimSpace(text) != "" {
			for i, part := range strings.Split(text, ",") {
				n, err := ParseNumber(part)
				if err != nil {
					return nil, fmt.Errorf("%s item %d: %v", in.Name, i+1, err)
				}
				v.List = append(v.List, n)
			}
		}
	}
	return v, in.Check(v)
}

// Check reports whether v is a valid value of the input: the right kind of
// number, a listed word, within bounds, not too many items.
func (in *Input) Check(v *Value) error {
	switch in.Type {
	case Decimal:
		if err := in.checkBounds(v.Num); err != nil {
			return fmt.Errorf("%s%v", in.Name, err)
		}
	case Whole:
		if !v.Num.IsInteger() {
			return fmt.Errorf("%s must be a whole number, not %s", in.Name, v.Num)
		}
		if err := in.checkBounds(v.Num); err != nil {
			return fmt.Errorf("%s%v", in.Name, err)
		}
	case OneOf:
		for _, w := range in.Values {
			if w == v.Word {
				return nil
			}
		}
		return fmt.Errorf("%s must be one of %s, not %s%s", in.Name, strings.Join(in.Values, ", "), Quote(v.Word), DidYouMean(v.Word, in.Values))
	case List:
		limit := in.MaxItems
		if limit == 0 {
			limit = MaxListItems
		}
		if len(v.List) > limit {
			return fmt.Errorf("%s has %d items; at most %d are allowed", in.Name, len(v.List), limit)
		}
		for i, n := range v.List {
			if err := in.checkBounds(n); err != nil {
				return fmt.Errorf("%s item %d%v", in.Name, i+1, err)
			}
		}
	}
	return nil
}

// checkBounds returns the broken bound as the end of a message: " must be
// at least 0, not -5". The caller names the value, only when there is an
// error, so that the common case builds no strings.
func (in *Input) checkBounds(n decimal.Decimal) error {
	switch {
	case in.Min != nil && n.LessThan(in.Min.Value):
		return fmt.Errorf(" must be at least %s, not %s", in.Min.Value, n)
	case in.Max != nil && n.GreaterThan(in.Max.Value):
		return fmt.Errorf(" must be at most %s, not %s", in.Max.Value, n)
	case in.Above != nil && !n.GreaterThan(in.Above.Value):
		return fmt.Errorf(" must be more than %s, not %s", in.Above.Value, n)
	case in.Below != nil && !n.LessThan(in.Below.Value):
		return fmt.Errorf(" must be less than %s, not %s", in.Below.Value, n)
	}
	return nil
}

// decodeValue reads a value of the input from YAML (a default, an example's
// input, a table's setting) and checks it.
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
	if err := in.Check(v); err != nil {
		d.errorf(n, "%v", err)
		return nil
	}
	return v
}

// String writes the value as a request would give it.
func (v *Value) String(t Type) string {
	switch t {
	case Boolean:
		return strconv.FormatBool(v.Bool)
	case OneOf:
		return v.Word
	case List:
		parts := make([]string, len(v.List))
		for i, n := range v.List {
			parts[i] = n.String()
		}
		return strings.Join(parts, ",")
	}
	return v.Num.String()
}

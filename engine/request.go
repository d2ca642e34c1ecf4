package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// Request holds a quote's inputs by name. A value may be text, parsed by
// the input's declared type as on the command line ("90", "true", "5,3"),
// or a Go value: decimal.Decimal, an int type, json.Number, bool, or for a
// list []decimal.Decimal, []string or []any of those. A float64 is refused:
// it cannot hold most decimal amounts exactly.
type Request map[string]any

// RequestError is a request the price list cannot price: an unknown input,
// a value of the wrong type or out of bounds, a missing required input.
type RequestError struct {
	Input string // the culprit, when there is one
	Msg   string
}

func (e *RequestError) Error() string { return e.Msg }

func requestErrorf(input, format string, args ...any) *RequestError {
	return &RequestError{Input: input, Msg: fmt.Sprintf(format, args...)}
}

// setInputs fills the state's input slots from req, with defaults for the
// inputs it leaves out.
func (l *PriceList) setInputs(s *state, req Request) error {
	for name := range req {
		if l.byName[name] == nil {
			names := l.Rules.InputNames()
			return requestErrorf(name, "unknown input %q%s; %s takes %s", name,
				rules.DidYouMean(name, names), l.Rules.Name, strings.Join(names, ", "))
		}
	}
	for _, in := range l.inputs {
		raw, given := req[in.src.Name]
		if !given {
			if in.src.Required {
				return requestErrorf(in.src.Name, "input %s is required: %s", in.src.Name, in.src.Description)
			}
			in.store(s, in.def)
			continue
		}
		if w, ok := raw.(string); ok && in.t.kind == kWord {
			// The common case of a word given as text, without building
			// a rules.Value.
			if i := slices.Index(in.src.Values, w); i >= 0 {
				s.words[in.slot] = i
				continue
			}
		}
		v, err := in.parse(raw)
		if err != nil {
			return err
		}
		in.storeValue(s, v)
	}
	for _, in := range l.inputs {
		if in.requiredWhen == nil {
			continue
		}
		if _, given := req[in.src.Name]; !given && in.requiredWhen(s) {
			return requestErrorf(in.src.Name, "input %s is required when %s", in.src.Name, in.src.RequiredWhen.Text)
		}
	}
	return nil
}

func (in *compiledInput) store(s *state, v value) {
	switch in.t.kind {
	case kNum:
		s.nums[in.slot] = v.num
	case kBool:
		s.bools[in.slot] = v.bool
	case kWord:
		s.words[in.slot] = v.word
	case kList:
		s.lists[in.slot] = append(s.lists[in.slot][:0], v.list...)
	}
}

// storeValue stores a checked value in the input's slot, reusing the
// state's list storage.
func (in *compiledInput) storeValue(s *state, v *rules.Value) {
	if in.t.kind != kList {
		in.store(s, convertValue(in, v))
		return
	}
	list := s.lists[in.slot][:0]
	for _, d := range v.List {
		list = append(list, fromDecimal(d))
	}
	s.lists[in.slot] = list
}

// convertValue turns a checked input value into the form code reads.
func convertValue(in *compiledInput, v *rules.Value) value {
	switch in.t.kind {
	case kNum:
		return value{num: fromDecimal(v.Num)}
	case kBool:
		return value{bool: v.Bool}
	case kWord:
		return value{word: slices.Index(in.src.Values, v.Word)}
	}
	list := make([]num, len(v.List))
	for i, d := range v.List {
		list[i] = fromDecimal(d)
	}
	return value{list: list}
}

// parse converts a request's value to the input's type and checks it.
func (in *compiledInput) parse(raw any) (*rules.Value, error) {
	name := in.src.Name
	if text, ok := raw.(string); ok {
		v, err := in.src.ParseText(text)
		if err != nil {
			return nil, requestErrorf(name, "%v", err)
		}
		return v, nil
	}
	v := &rules.Value{}
	var err error
	switch in.src.Type {
	case rules.Decimal, rules.Whole:
		v.Num, err = toDecimal(name, raw)
	case rules.Boolean:
		b, ok := raw.(bool)
		if !ok {
			err = fmt.Errorf("%s must be true or false, not %s", name, describeValue(raw))
		}
		v.Bool = b
	case rules.OneOf:
		err = fmt.Errorf("%s must be one of %s, not %s", name, strings.Join(in.src.Values, ", "), describeValue(raw))
	case rules.List:
		v.List, err = toDecimals(name, raw)
	}
	if err == nil {
		err = in.src.Check(v)
	}
	if err != nil {
		return nil, requestErrorf(name, "%v", err)
	}
	return v, nil
}

func describeValue(raw any) string {
	switch raw.(type) {
	case nil:
		return "null"
	case bool:
		return "true/false"
	case []any, []string, []decimal.Decimal:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%v", raw)
}

func toDecimal(name string, raw any) (decimal.Decimal, error) {
	switch v := raw.(type) {
	case decimal.Decimal:
		if err := rules.CheckNumber(v); err != nil {
			return decimal.Decimal{}, fmt.Errorf("%s %v", name, err)
		}
		return v, nil
	case int:
		return decimal.NewFromInt(int64(v)), nil
	case int64:
		return decimal.NewFromInt(v), nil
	case int32:
		return decimal.NewFromInt(int64(v)), nil
	case json.Number:
		d, err := rules.ParseNumber(string(v))
		if err != nil {
			return d, fmt.Errorf("%s: %v", name, err)
		}
		return d, nil
	case string:
		d, err := rules.ParseNumber(v)
		if err != nil {
			return d, fmt.Errorf("%s: %v", name, err)
		}
		return d, nil
	case float32, float64:
		return decimal.Decimal{}, fmt.Errorf("%s: give the number as text or a decimal, not a float (a float cannot hold most decimal amounts exactly)", name)
	}
	return decimal.Decimal{}, fmt.Errorf("%s must be a number, not %s", name, describeValue(raw))
}

func toDecimals(name string, raw any) ([]decimal.Decimal, error) {
	var items []any
	switch v := raw.(type) {
	case []decimal.Decimal:
		return v, nil
	case []string:
		for _, s := range v {
			items = append(items, s)
		}
	case []int:
		for _, i := range v {
			items = append(items, i)
		}
	case []any:
		items = v
	default:
		return nil, fmt.Errorf("%s must be a list of numbers, not %s", name, describeValue(raw))
	}
	if len(items) > rules.MaxListItems {
		return nil, fmt.Errorf("%s has %d items; at most %d are allowed", name, len(items), rules.MaxListItems)
	}
	out := make([]decimal.Decimal, len(items))
	for i, item := range items {
		d, err := toDecimal(fmt.Sprintf("%s item %d", name, i+1), item)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
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
// inputs it leaves out. The common cases (a decimal.Decimal, an int, a
// plain decimal text, a listed word) are converted and checked without
// allocating; anything else, and every error, goes through parse, which
// checks with the rule file's own messages.
func (l *PriceList) setInputs(s *state, req Request) error {
	found := 0
	for i, in := range l.inputs {
		raw, ok := req[in.src.Name]
		s.given[i] = ok
		if !ok {
			continue
		}
		found++
		if in.fastStore(s, raw) {
			continue
		}
		v, err := in.parse(raw)
		if err != nil {
			return l.requestError(req)
		}
		in.storeValue(s, v)
	}
	if found != len(req) { // a name that is no input
		return l.requestError(req)
	}
	return l.complete(s)
}

// complete gives each input the request left out its default, once the
// given ones are stored, and checks that none of them was required.
func (l *PriceList) complete(s *state) error {
	for i, in := range l.inputs {
		if s.given[i] {
			continue
		}
		if in.src.Required {
			return requestErrorf(in.src.Name, "input %s is required: %s", in.src.Name, in.src.Description)
		}
		in.store(s, in.def)
	}
	for i, in := range l.inputs {
		if in.requiredWhen != nil && !s.given[i] && in.requiredWhen(s) {
			return requestErrorf(in.src.Name, "input %s is required when %s", in.src.Name, in.src.RequiredWhen.Text)
		}
	}
	return nil
}

// requestError finds what is wrong with a request, looking at its inputs
// in a fixed order (unknown names first, then the declared inputs), so
// that the same request always gets the same message.
func (l *PriceList) requestError(req Request) error {
	var unknown []string
	for name := range req {
		if l.byName[name] == nil {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return l.unknownInput(unknown[0])
	}
	for _, in := range l.inputs {
		if raw, ok := req[in.src.Name]; ok {
			if _, err := in.parse(raw); err != nil {
				return err
			}
		}
	}
	return errors.New("internal error: a request failed a check and then passed it")
}

func (l *PriceList) unknownInput(name string) *RequestError {
	names := l.Rules.InputNames()
	return requestErrorf(name, "unknown input %s%s; %s takes %s", rules.Quote(name),
		rules.DidYouMean(name, names), l.Rules.Name, strings.Join(names, ", "))
}

// fastStore stores raw in the input's slot when it is of a common form
// and valid, and reports whether it did; false sends the value to parse,
// which converts the rest and words the errors.
func (in *compiledInput) fastStore(s *state, raw any) bool {
	switch v := raw.(type) {
	case string:
		return in.storeText(s, v)
	case decimal.Decimal:
		n, ok := decimalNum(v)
		return ok && in.storeNum(s, n)
	case int:
		return v != math.MinInt64 && in.storeNum(s, intNum(int64(v)))
	case int64:
		return v != math.MinInt64 && in.storeNum(s, intNum(v))
	case json.Number: // as a JSON decoder with UseNumber gives a number
		if n, ok := parseNumText(string(v)); ok {
			return in.storeNum(s, n)
		}
	case bool:
		if in.t.kind == kBool {
			s.bools[in.slot] = v
			return true
		}
	case []decimal.Decimal:
		return in.storeDecimals(s, v)
	}
	return false
}

// storeText stores a value given as text: a listed word, a plain decimal,
// a comma-separated list of them, or true or false.
func (in *compiledInput) storeText(s *state, text string) bool {
	switch in.t.kind {
	case kWord:
		if i := slices.Index(in.src.Values, text); i >= 0 {
			s.words[in.slot] = i
			return true
		}
	case kBool:
		if text == "true" || text == "false" {
			s.bools[in.slot] = text == "true"
			return true
		}
	case kNum:
		n, ok := parseNumText(text)
		return ok && in.storeNum(s, n)
	case kList:
		list := s.lists[in.slot][:0]
		limit := in.maxItems()
		for rest := text; rest != ""; {
			part, tail, _ := strings.Cut(rest, ",")
			rest = tail
			n, ok := parseNumText(part)
			if !ok || !in.valid(n) || len(list) == limit {
				return false
			}
			list = append(list, n)
			if rest == "" && strings.HasSuffix(text, ",") {
				return false // a trailing comma: let parse say so
			}
		}
		s.lists[in.slot] = list
		return true
	}
	return false
}

// storeNum stores a number in a number input's slot if it is valid.
func (in *compiledInput) storeNum(s *state, n num) bool {
	if slowPathOnly || in.t.kind != kNum || !in.valid(n) {
		return false
	}
	s.nums[in.slot] = n
	return true
}

// storeDecimals stores a list input's items if each is valid.
func (in *compiledInput) storeDecimals(s *state, items []decimal.Decimal) bool {
	if in.t.kind != kList || len(items) > in.maxItems() {
		return false
	}
	list := s.lists[in.slot][:0]
	for _, d := range items {
		n, ok := decimalNum(d)
		if !ok || !in.valid(n) {
			return false
		}
		list = append(list, n)
	}
	s.lists[in.slot] = list
	return true
}

func (in *compiledInput) maxItems() int {
	if in.src.MaxItems == 0 {
		return rules.MaxListItems
	}
	return in.src.MaxItems
}

// decimalNum converts a decimal of at most 18 digits without allocating.
func decimalNum(d decimal.Decimal) (num, bool) {
	if slowPathOnly {
		return zero, false
	}
	if e := d.Exponent(); e < -18 || e > 18 || d.NumDigits() > 18 {
		return zero, false
	}
	return fromDecimal(d), true
}

// parseNumText reads a plain decimal ("-12.50"): at most 18 digits, no
// exponent; anything else is left to the general parser.
func parseNumText(s string) (num, bool) {
	if slowPathOnly || s == "" {
		return zero, false
	}
	neg := s[0] == '-'
	if neg || s[0] == '+' {
		s = s[1:]
	}
	var n int64
	digits, frac := 0, -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if digits > 18 {
				return zero, false
			}
			n = n*10 + int64(c-'0')
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0:
			frac = 0
		default:
			return zero, false
		}
	}
	if digits == 0 {
		return zero, false
	}
	if neg {
		n = -n
	}
	if frac <= 0 {
		return intNum(n), true
	}
	return reduce(n, pow10[frac]), true
}

// valid checks a number against the input's type and bounds, in exact
// numbers; false sends the value to parse for the message.
func (in *compiledInput) valid(n num) bool {
	if in.src.Type == rules.Whole && (n.isBig() || n.d != 1) {
		return false
	}
	b := &in.bounds
	return (b.min == nil || cmp(n, *b.min) >= 0) && (b.max == nil || cmp(n, *b.max) <= 0) &&
		(b.above == nil || cmp(n, *b.above) > 0) && (b.below == nil || cmp(n, *b.below) < 0)
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

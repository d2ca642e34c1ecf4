package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// This file is the one way in for input values. Every value an input
// takes, from a Request, an Inputs setter, a JSON document, a rule file's
// default, example or table, or the check's sampler, is converted and
// checked here, on the engine's exact numbers, with one set of messages,
// straight into the slot the compiled rules read. A new input type is a new
// case here and nowhere else.
//
// The common forms (a plain decimal text, a listed word, a decimal of up to
// 18 digits, an int) are converted without allocating; only errors build
// strings.

// setAny sets the input from a value of any form a Request takes: text
// (parsed by the input's type), decimal.Decimal, an int type, json.Number,
// bool, or for a list []decimal.Decimal, []string, []int or []any of those.
func (in *compiledInput) setAny(s *state, raw any) error {
	switch v := raw.(type) {
	case string:
		return in.setText(s, v)
	case json.RawMessage: // a request's value as its JSON text, not decoded
		return in.setJSON(s, v)
	case decimal.Decimal:
		return in.setDecimal(s, v)
	case int:
		return in.setInt(s, int64(v))
	case int64:
		return in.setInt(s, v)
	case int32:
		return in.setInt(s, int64(v))
	case json.Number: // as a JSON decoder with UseNumber gives a number
		switch in.t.kind {
		case kNum:
			return in.setNumberText(s, string(v))
		case kText: // a number written in JSON, such as a phone number
			return in.setText(s, string(v))
		}
	case bool:
		if in.t.kind == kBool {
			s.bools[in.slot] = v
			return nil
		}
	case []decimal.Decimal:
		return in.setDecimals(s, v)
	case []string, []int, []any:
		switch {
		case in.t.kind == kList:
			return in.setItems(s, raw)
		case in.t.kind == kRecords:
			items, ok := raw.([]any)
			if !ok {
				break
			}
			return in.setRecords(s, items)
		}
	case []map[string]any:
		if in.t.kind == kRecords {
			items := make([]any, len(v))
			for i, r := range v {
				items[i] = r
			}
			return in.setRecords(s, items)
		}
	}
	return in.wrongType(raw)
}

// wrongType words the error of a value whose Go type the input cannot take.
func (in *compiledInput) wrongType(raw any) error {
	name := in.src.Name
	switch in.t.kind {
	case kNum:
		if _, isFloat := raw.(float64); isFloat {
			return requestErrorf(name, "%s: give the number as text or a decimal, not a float (a float cannot hold most decimal amounts exactly)", name)
		}
		if _, isFloat := raw.(float32); isFloat {
			return requestErrorf(name, "%s: give the number as text or a decimal, not a float (a float cannot hold most decimal amounts exactly)", name)
		}
		return requestErrorf(name, "%s must be a number, not %s", name, describeValue(raw))
	case kBool:
		return requestErrorf(name, "%s must be true or false, not %s", name, describeValue(raw))
	case kWord:
		return requestErrorf(name, "%s must be one of %s, not %s", name, strings.Join(in.src.Values, ", "), describeValue(raw))
	case kText:
		return requestErrorf(name, "%s must be text, not %s", name, describeValue(raw))
	case kRecords:
		return requestErrorf(name, "%s must be a list of records [{\"field\": value, ...}, ...], not %s", name, describeValue(raw))
	}
	return requestErrorf(name, "%s must be a list of numbers, not %s", name, describeValue(raw))
}

func describeValue(raw any) string {
	switch raw.(type) {
	case nil:
		return "null"
	case bool:
		return "true/false"
	case []any, []string, []decimal.Decimal, []int:
		return "a list"
	case map[string]any:
		return "an object"
	}
	if text := fmt.Sprint(raw); len(text) <= 40 {
		return text
	} else {
		return rules.Quote(text)
	}
}

// setText sets the input from text, as a command line, a form or a CSV
// field gives it: a word, a number, true or false, or a list as "5,3".
func (in *compiledInput) setText(s *state, text string) error {
	switch in.t.kind {
	case kWord:
		i := slices.Index(in.src.Values, text)
		if i < 0 {
			return in.setWord(s, strings.TrimSpace(text))
		}
		s.words[in.slot] = i
	case kBool:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return requestErrorf(in.src.Name, "%s must be true or false, not %s", in.src.Name, rules.Quote(text))
		}
		s.bools[in.slot] = b
	case kNum:
		return in.setNumberText(s, text)
	case kList:
		return in.setListText(s, text)
	case kText:
		return in.setTextValue(s, text)
	case kRecords:
		return in.setRecordsText(s, text)
	}
	return nil
}

// setTextValue checks a text input's value against its max_length and
// pattern and stores it.
func (in *compiledInput) setTextValue(s *state, text string) error {
	if !utf8.ValidString(text) {
		return requestErrorf(in.src.Name, "%s is not valid UTF-8 text", in.src.Name)
	}
	if len(text) > in.src.MaxLength { // else it has no more characters than bytes
		if n := utf8.RuneCountInString(text); n > in.src.MaxLength {
			return requestErrorf(in.src.Name, "%s has %d characters; at most %d are allowed", in.src.Name, n, in.src.MaxLength)
		}
	}
	if in.pattern != nil && !in.pattern.MatchString(text) {
		return requestErrorf(in.src.Name, "%s must match the pattern %s, not %s", in.src.Name, patternText(in.src.Pattern), rules.Quote(text))
	}
	s.texts[in.slot] = text
	return nil
}

// patternText is the pattern as the file writes it, without the anchors
// the rules add.
func patternText(p *regexp.Regexp) string {
	text := strings.TrimSuffix(strings.TrimPrefix(p.String(), "^(?:"), ")$")
	return strconv.Quote(text)
}

// setWord sets a one_of input from a word that may not be listed.
func (in *compiledInput) setWord(s *state, word string) error {
	i := slices.Index(in.src.Values, word)
	if i < 0 {
		return requestErrorf(in.src.Name, "%s must be one of %s, not %s%s", in.src.Name, strings.Join(in.src.Values, ", "),
			rules.Quote(word), rules.DidYouMean(word, in.src.Values))
	}
	s.words[in.slot] = i
	return nil
}

// setListText sets a list input from its items' text, comma-separated.
func (in *compiledInput) setListText(s *state, text string) error {
	list := s.lists[in.slot][:0]
	if strings.TrimSpace(text) != "" {
		for i, rest := 0, text; ; i++ {
			part, tail, more := strings.Cut(rest, ",")
			n, err := numberText(part)
			if err != nil {
				return requestErrorf(in.src.Name, "%s item %d: %v", in.src.Name, i+1, err)
			}
			list = append(list, n)
			if !more {
				break
			}
			rest = tail
		}
	}
	return in.setList(s, list)
}

// numberText reads a number written as text: a plain decimal ("-12.50",
// at most 18 digits) at once, anything else ("1e3", "1_000", " 5 ")
// through the rule files' own parser, with its limits and messages.
func numberText(text string) (num, error) {
	if n, ok := parseNumText(text); ok {
		return n, nil
	}
	d, err := rules.ParseNumber(text)
	if err != nil {
		return zero, err
	}
	return fromDecimal(d), nil
}

func (in *compiledInput) setNumberText(s *state, text string) error {
	if in.t.kind != kNum {
		return in.wrongType(json.Number(text))
	}
	n, err := numberText(text)
	if err != nil {
		return requestErrorf(in.src.Name, "%s: %v", in.src.Name, err)
	}
	return in.setNum(s, n)
}

func (in *compiledInput) setDecimal(s *state, d decimal.Decimal) error {
	n, err := in.numberOf(d)
	if err != nil {
		return err
	}
	s.nums[in.slot] = n
	return nil
}

// numberOf converts d for the number input, checked as a request's value
// is (its type, size, places and bounds).
func (in *compiledInput) numberOf(d decimal.Decimal) (num, error) {
	if in.t.kind != kNum {
		return zero, in.wrongType(d)
	}
	n, ok := decimalNum(d)
	if !ok {
		var err error
		if n, err = decimalValue(d); err != nil {
			return zero, requestErrorf(in.src.Name, "%s %v", in.src.Name, err)
		}
	}
	return n, in.checkNum(n, 0)
}

// decimalValue converts a decimal within the engine's limits.
func decimalValue(d decimal.Decimal) (num, error) {
	if n, ok := decimalNum(d); ok {
		return n, nil
	}
	if err := rules.CheckNumber(d); err != nil {
		return zero, err
	}
	return fromDecimal(d), nil
}

func (in *compiledInput) setInt(s *state, i int64) error {
	if in.t.kind != kNum {
		return in.wrongType(i)
	}
	if i == math.MinInt64 { // cannot be negated as a small number
		return in.setNum(s, fromDecimal(decimal.NewFromInt(i)))
	}
	return in.setNum(s, intNum(i))
}

// setNum checks a number against the input's type and bounds and stores
// it: the one check of a number input's values.
func (in *compiledInput) setNum(s *state, n num) error {
	if err := in.checkNum(n, 0); err != nil {
		return err
	}
	s.nums[in.slot] = n
	return nil
}

// checkNum checks a number of the input, or its item-th item (from 1) for
// a list input. Bounds are quoted as the file writes them.
func (in *compiledInput) checkNum(n num, item int) error {
	if in.src.Type == rules.Whole && (n.isBig() && !n.r.IsInt() || !n.isBig() && n.d != 1) {
		return in.numError(item, "must be a whole number, not %s", n)
	}
	if p := in.src.Places; p >= 0 && !hasPlaces(n, int32(p)) {
		return in.numError(item, "must have at most %d decimal places, not %s", p, n)
	}
	b, src := &in.bounds, in.src
	switch {
	case b.min != nil && cmp(n, *b.min) < 0:
		return in.numError(item, "must be at least %s, not %s", src.Min.Text, n)
	case b.max != nil && cmp(n, *b.max) > 0:
		return in.numError(item, "must be at most %s, not %s", src.Max.Text, n)
	case b.above != nil && cmp(n, *b.above) <= 0:
		return in.numError(item, "must be more than %s, not %s", src.Above.Text, n)
	case b.below != nil && cmp(n, *b.below) >= 0:
		return in.numError(item, "must be less than %s, not %s", src.Below.Text, n)
	}
	return nil
}

// numError words a number's error, naming the input or its item: built
// only when there is an error.
func (in *compiledInput) numError(item int, format string, args ...any) error {
	what := in.src.Name
	if item > 0 {
		what += " item " + strconv.Itoa(item)
	}
	return requestErrorf(in.src.Name, "%s "+format, append([]any{what}, args...)...)
}

func (in *compiledInput) maxItems() int {
	if in.src.MaxItems == 0 {
		return rules.MaxListItems
	}
	return in.src.MaxItems
}

// setList checks a list's length and items and stores it; list is the
// state's own storage for the slot, or a slice of it.
func (in *compiledInput) setList(s *state, list []num) error {
	if limit := in.maxItems(); len(list) > limit {
		return requestErrorf(in.src.Name, "%s has %d items; at most %d are allowed", in.src.Name, len(list), limit)
	}
	for i, n := range list {
		if err := in.checkNum(n, i+1); err != nil {
			return err
		}
	}
	s.lists[in.slot] = list
	return nil
}

func (in *compiledInput) setDecimals(s *state, items []decimal.Decimal) error {
	if in.t.kind != kList {
		return in.wrongType(items)
	}
	if len(items) > rules.MaxListItems {
		return requestErrorf(in.src.Name, "%s has %d items; at most %d are allowed", in.src.Name, len(items), rules.MaxListItems)
	}
	list := s.lists[in.slot][:0]
	for i, d := range items {
		n, err := decimalValue(d)
		if err != nil {
			return requestErrorf(in.src.Name, "%s item %d %v", in.src.Name, i+1, err)
		}
		list = append(list, n)
	}
	return in.setList(s, list)
}

// setItems sets a list input from a list of Go values of the forms a
// number takes.
func (in *compiledInput) setItems(s *state, raw any) error {
	var items []any
	switch v := raw.(type) {
	case []string:
		for _, t := range v {
			items = append(items, t)
		}
	case []int:
		for _, i := range v {
			items = append(items, i)
		}
	case []any:
		items = v
	}
	if len(items) > rules.MaxListItems {
		return requestErrorf(in.src.Name, "%s has %d items; at most %d are allowed", in.src.Name, len(items), rules.MaxListItems)
	}
	list := s.lists[in.slot][:0]
	for i, item := range items {
		n, err := itemNum(fmt.Sprintf("%s item %d", in.src.Name, i+1), item)
		if err != nil {
			return requestErrorf(in.src.Name, "%v", err)
		}
		list = append(list, n)
	}
	return in.setList(s, list)
}

// itemNum converts one item of a list given as Go values.
func itemNum(what string, raw any) (num, error) {
	var err error
	switch v := raw.(type) {
	case decimal.Decimal:
		n, e := decimalValue(v)
		if e == nil {
			return n, nil
		}
		err = fmt.Errorf("%s %v", what, e)
	case int:
		return itemNum(what, int64(v))
	case int32:
		return itemNum(what, int64(v))
	case int64:
		if v == math.MinInt64 {
			return fromDecimal(decimal.NewFromInt(v)), nil
		}
		return intNum(v), nil
	case json.Number:
		return itemText(what, string(v))
	case string:
		return itemText(what, v)
	case float32, float64:
		err = fmt.Errorf("%s: give the number as text or a decimal, not a float (a float cannot hold most decimal amounts exactly)", what)
	default:
		err = fmt.Errorf("%s must be a number, not %s", what, describeValue(raw))
	}
	return zero, err
}

func itemText(what, text string) (num, error) {
	n, err := numberText(text)
	if err != nil {
		return zero, fmt.Errorf("%s: %v", what, err)
	}
	return n, nil
}

// setValue sets the input from a value of a rule file (a default, an
// example's input, a table's setting), of the input's own type.
func (in *compiledInput) setValue(s *state, v *rules.Value) error {
	switch in.t.kind {
	case kNum:
		return in.setDecimal(s, v.Num)
	case kBool:
		s.bools[in.slot] = v.Bool
		return nil
	case kWord:
		return in.setText(s, v.Word)
	case kText:
		return in.setTextValue(s, v.Text)
	case kRecords:
		return in.setRecordValues(s, v.Records)
	}
	return in.setDecimals(s, v.List)
}

// hasPlaces reports whether n has at most p decimal places: its
// denominator divides 10^p.
func hasPlaces(n num, p int32) bool {
	if !n.isBig() {
		return pow10[p]%n.d == 0
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(p)), nil)
	return new(big.Int).Mod(scale, n.r.Denom()).Sign() == 0
}

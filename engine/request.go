package engine

import (
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
// inputs it leaves out: a Request is a map over the one way in of the
// Inputs setters (value.go). Inputs are set in their declared order, so
// that the same request always gets the same message; an unknown name is
// reported before any other error.
func (l *PriceList) setInputs(s *state, req Request) error {
	found := 0
	for i, in := range l.inputs {
		raw, ok := req[in.src.Name]
		s.given[i] = ok
		if !ok {
			continue
		}
		found++
		if err := in.setAny(s, raw); err != nil {
			if unknown := l.unknownIn(req); unknown != nil {
				return unknown
			}
			return err
		}
	}
	if found != len(req) {
		return l.unknownIn(req)
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
		in.store(s, &in.def)
	}
	for i, in := range l.inputs {
		if in.requiredWhen != nil && !s.given[i] && in.requiredWhenHolds(s) {
			return requestErrorf(in.src.Name, "input %s is required when %s", in.src.Name, in.src.RequiredWhen.Text)
		}
	}
	return nil
}

// requiredWhenHolds evaluates the input's required_when, which it has.
func (in *compiledInput) requiredWhenHolds(s *state) bool {
	s.at = in.src.RequiredWhen
	holds := in.requiredWhen(s)
	s.at = nil
	return holds
}

// unknownIn returns the error of the first name of req (in sorted order)
// that is no input, or nil.
func (l *PriceList) unknownIn(req Request) error {
	var unknown []string
	for name := range req {
		if l.byName[name] == nil {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return l.unknownInput(unknown[0])
}

func (l *PriceList) unknownInput(name string) *RequestError {
	names := l.Rules.InputNames()
	return requestErrorf(name, "unknown input %s%s; %s takes %s", rules.Quote(name),
		rules.DidYouMean(name, names), l.Rules.Name, strings.Join(names, ", "))
}

// store copies a converted value (a default) into the input's slot.
func (in *compiledInput) store(s *state, v *value) {
	switch in.t.kind {
	case kNum:
		s.nums[in.slot] = v.num
	case kWord:
		s.words[in.slot] = v.word
	case kBool:
		s.bools[in.slot] = v.bool
	case kList:
		s.lists[in.slot] = append(s.lists[in.slot][:0], v.list...)
	case kText:
		s.texts[in.slot] = v.text
	case kRecords:
		s.records[in.slot].copyFrom(v.records)
	}
}

// load reads the input's slot back as a value, to keep a default that
// setValue converted and checked.
func (in *compiledInput) load(s *state) value {
	switch in.t.kind {
	case kNum:
		return value{num: s.nums[in.slot]}
	case kBool:
		return value{bool: s.bools[in.slot]}
	case kWord:
		return value{word: s.words[in.slot]}
	case kText:
		return value{text: s.texts[in.slot]}
	case kRecords:
		rl := &recordList{}
		rl.copyFrom(&s.records[in.slot])
		return value{records: rl}
	}
	return value{list: slices.Clone(s.lists[in.slot])}
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

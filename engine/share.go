package engine

import (
	"maps"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// sharer makes the values the lists of a load give (examples' inputs,
// tables' settings and rows) shared among the lists that give the same
// ones: a thousand copies of a list hold the same few hundred, and they
// were most of the heap such a rule set kept. It runs once the load has
// checked the values (their positions are read only by those checks). It
// swaps in whole maps and slices, made here, and never writes into one a
// rule set in use may read.
type sharer struct {
	settings map[string]map[string]*rules.Value
	lists    map[string][]*rules.Value
	labels   map[string][]string
	key      []byte // reused: a lookup by string(key) copies nothing
	names    []string
}

// shareValues shares the values of the lists' examples and tables.
func shareValues(lists []*PriceList) {
	sh := &sharer{settings: map[string]map[string]*rules.Value{}, lists: map[string][]*rules.Value{}, labels: map[string][]string{}}
	for _, l := range lists {
		for _, ex := range l.Rules.Examples {
			ex.Input = sh.setting(ex.Input)
		}
		for _, t := range l.Rules.Tables {
			t.Set = sh.setting(t.Set)
			t.Rows.Values = sh.values(t.Rows.Values)
			t.Rows.Labels = sh.texts(t.Rows.Labels)
			for _, c := range t.Columns {
				c.Set = sh.setting(c.Set)
			}
		}
	}
}

// setting returns the shared map of the values m gives, by name.
func (sh *sharer) setting(m map[string]*rules.Value) map[string]*rules.Value {
	if len(m) == 0 {
		return m
	}
	key := sh.key[:0]
	sh.names = sh.names[:0]
	for name := range m {
		sh.names = append(sh.names, name)
	}
	slices.Sort(sh.names)
	for _, name := range sh.names {
		key = appendText(key, name)
		var ok bool
		if key, ok = appendValueKey(key, m[name]); !ok {
			return m
		}
	}
	sh.key = key
	shared, found := sh.settings[string(key)]
	if !found {
		shared = maps.Clone(m)
		sh.settings[string(key)] = shared
	}
	return shared
}

// values returns the shared slice of the values vs.
func (sh *sharer) values(vs []*rules.Value) []*rules.Value {
	if len(vs) == 0 {
		return vs
	}
	key := sh.key[:0]
	for _, v := range vs {
		var ok bool
		if key, ok = appendValueKey(key, v); !ok {
			return vs
		}
	}
	sh.key = key
	shared, found := sh.lists[string(key)]
	if !found {
		shared = append([]*rules.Value(nil), vs...)
		sh.lists[string(key)] = shared
	}
	return shared
}

// texts returns the shared slice of the texts ts.
func (sh *sharer) texts(ts []string) []string {
	if len(ts) == 0 {
		return ts
	}
	key := sh.key[:0]
	for _, t := range ts {
		key = appendText(key, t)
	}
	sh.key = key
	shared, found := sh.labels[string(key)]
	if !found {
		shared = append([]string(nil), ts...)
		sh.labels[string(key)] = shared
	}
	return shared
}

// appendValueKey appends what makes a value the value it is (its type,
// number with its exponent, word, text or list) to key, or reports false
// for a value it does not share (records). Each part is length-prefixed or ends
// with a separator, so that two values' keys differ.
func appendValueKey(key []byte, v *rules.Value) ([]byte, bool) {
	if v == nil || v.Records != nil {
		return key, false
	}
	key = appendText(key, string(v.Type))
	key = appendDecimalKey(key, v.Num)
	key = strconv.AppendBool(key, v.Bool)
	key = appendText(key, v.Word)
	key = appendText(key, v.Text)
	for _, d := range v.List {
		key = append(key, ',')
		key = appendDecimalKey(key, d)
	}
	return append(key, 0), true
}

// appendText appends a text to a key, its length first, so that the
// texts of a key cannot run into each other.
func appendText(key []byte, s string) []byte {
	key = strconv.AppendInt(key, int64(len(s)), 10)
	key = append(key, ':')
	return append(key, s...)
}

// appendDecimalKey appends a decimal's coefficient and exponent (1.50 is
// not 1.5: a value keeps the places it was written with).
func appendDecimalKey(key []byte, d decimal.Decimal) []byte {
	if d.NumDigits() <= 18 {
		key = strconv.AppendInt(key, d.CoefficientInt64(), 10)
	} else {
		key = d.Coefficient().Append(key, 10)
	}
	key = append(key, 'e')
	key = strconv.AppendInt(key, int64(d.Exponent()), 10)
	return append(key, ';')
}

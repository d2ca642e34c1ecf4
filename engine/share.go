package engine

import (
	"maps"
	"sort"
	"strconv"
	"strings"

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
	key      strings.Builder
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
	sh.key.Reset()
	sh.names = sh.names[:0]
	for name := range m {
		sh.names = append(sh.names, name)
	}
	sort.Strings(sh.names)
	for _, name := range sh.names {
		sh.key.WriteString(name)
		sh.key.WriteByte('=')
		if !writeValueKey(&sh.key, m[name]) {
			return m
		}
		sh.key.WriteByte(0)
	}
	shared, found := sh.settings[sh.key.String()]
	if !found {
		shared = maps.Clone(m)
		sh.settings[sh.key.String()] = shared
	}
	return shared
}

// values returns the shared slice of the values vs.
func (sh *sharer) values(vs []*rules.Value) []*rules.Value {
	if len(vs) == 0 {
		return vs
	}
	sh.key.Reset()
	for _, v := range vs {
		if !writeValueKey(&sh.key, v) {
			return vs
		}
		sh.key.WriteByte(0)
	}
	shared, found := sh.lists[sh.key.String()]
	if !found {
		shared = append([]*rules.Value(nil), vs...)
		sh.lists[sh.key.String()] = shared
	}
	return shared
}

// texts returns the shared slice of the texts ts.
func (sh *sharer) texts(ts []string) []string {
	if len(ts) == 0 {
		return ts
	}
	sh.key.Reset()
	for _, t := range ts {
		sh.key.WriteString(strconv.Quote(t))
	}
	shared, found := sh.labels[sh.key.String()]
	if !found {
		shared = append([]string(nil), ts...)
		sh.labels[sh.key.String()] = shared
	}
	return shared
}

// writeValueKey writes what makes a value the value it is (its type,
// number with its exponent, word, text or list), or reports false for a
// value it does not share (records).
func writeValueKey(b *strings.Builder, v *rules.Value) bool {
	if v == nil || v.Records != nil {
		return false
	}
	b.WriteString(string(v.Type))
	b.WriteByte(':')
	writeDecimalKey(b, v.Num.Coefficient().String(), v.Num.Exponent())
	b.WriteString(strconv.FormatBool(v.Bool))
	b.WriteString(strconv.Quote(v.Word))
	b.WriteString(strconv.Quote(v.Text))
	for _, d := range v.List {
		b.WriteByte(',')
		writeDecimalKey(b, d.Coefficient().String(), d.Exponent())
	}
	return true
}

func writeDecimalKey(b *strings.Builder, coefficient string, exp int32) {
	b.WriteString(coefficient)
	b.WriteByte('e')
	b.WriteString(strconv.Itoa(int(exp)))
	b.WriteByte(';')
}

package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"ratecard/rules"
)

// compiledGrid is a grid ready to look up: each row's key patterns read by
// the key's type, and its numbers exact.
type compiledGrid struct {
	src    *rules.Grid
	keys   []typ // the kind (and for a word, the input) of each key
	rows   []gridRow
	values [][]num // by row, then column
	// broken is set when the grid has errors (reported once, at its first
	// use); calls then compile to nothing.
	broken bool
	// direct gives, for a grid keyed only by words and true/false (and
	// not too many combinations of them), the row of every combination,
	// by its number in a mixed radix of the keys' sizes: such a lookup is
	// an index, not a scan of the rows.
	direct []int32
	sizes  []int
}

type gridRow struct {
	keys []keyPattern
}

// keyPattern matches one key: any value, an exact one, a range of
// numbers (from <= x < to), or a prefix of text.
type keyPattern struct {
	any      bool
	word     int
	boolean  bool
	text     string
	prefix   bool
	num      *num
	from, to *num
	source   string // as written, to compare rows
}

func (p *keyPattern) matches(k typ, v keyValue) bool {
	switch {
	case p.any:
		return true
	case k.kind == kWord:
		return v.word == p.word
	case k.kind == kBool:
		return v.boolean == p.boolean
	case k.kind == kText && p.prefix:
		return strings.HasPrefix(v.text, p.text)
	case k.kind == kText:
		return v.text == p.text
	case p.num != nil:
		return cmp(v.num, *p.num) == 0
	}
	return (p.from == nil || cmp(v.num, *p.from) >= 0) && (p.to == nil || cmp(v.num, *p.to) < 0)
}

// keyValue is a key's value in one lookup.
type keyValue struct {
	num     num
	word    int
	boolean bool
	text    string
}

// maxGridCombinations bounds the check that a grid keyed only by words and
// booleans has a row for every combination, and the index of its rows
// (4 bytes a combination).
const maxGridCombinations = 100000

// grid compiles the grid called name for a call, the first time, with the
// key symbols in the caller's scope; nil when it does not compile (the
// errors are reported then, once).
func (c *compiler) grid(g *rules.Grid, at ast.Node) *compiledGrid {
	if cg, done := c.grids.compiled[g.Name]; done {
		return cg
	}
	cg := &compiledGrid{src: g}
	c.grids.compiled[g.Name] = cg
	for _, k := range g.Keys {
		s := c.scope[k.Name]
		if records, field, ok := strings.Cut(k.Name, "."); ok { // a field of a records input
			s = nil
			if rs := c.scope[records]; rs != nil && rs.t.kind == kRecords {
				if f := rs.t.rec.field(field); f != nil {
					s = &symbol{name: k.Name, t: f.t, what: "field"}
				}
			}
		}
		switch {
		case s == nil || (s.what != "input" && s.what != "value" && s.what != "field"):
			c.errs.Add(k.Pos, "grid %s is keyed by %s, which is not an input, a value above its first use (%s) or a records field (calls.dialed)%s",
				g.Name, rules.Quote(k.Name), c.pos(at), rules.DidYouMean(k.Name, c.names()))
			cg.broken = true
			continue
		case s.t.kind == kList || s.t.kind == 0:
			c.errs.Add(k.Pos, "grid %s is keyed by %s, which is %s: a key is a number, a word, text or true/false", g.Name, k.Name, s.t)
			cg.broken = true
			continue
		}
		cg.keys = append(cg.keys, s.t)
	}
	if cg.broken {
		return cg
	}
	seen := map[string]rules.Pos{}
	for _, r := range g.Rows {
		row := gridRow{}
		var sources []string
		for i, cell := range r.Keys {
			p, ok := c.keyPattern(g, g.Keys[i], cg.keys[i], cell)
			if !ok {
				cg.broken = true
			}
			row.keys = append(row.keys, p)
			sources = append(sources, p.source)
		}
		id := strings.Join(sources, "\x00")
		if prev, dup := seen[id]; dup && !cg.broken {
			c.errs.Add(r.Pos, "grid %s has this row twice: the same keys as the row at line %d", g.Name, prev.Line)
			cg.broken = true
		}
		seen[id] = r.Pos
		values := make([]num, len(r.Values))
		for i, v := range r.Values {
			values[i] = fromDecimal(v)
		}
		cg.rows = append(cg.rows, row)
		cg.values = append(cg.values, values)
	}
	if !cg.broken {
		c.checkCoverage(cg)
	}
	return cg
}

// keyPattern reads a row's cell for a key of type k.
func (c *compiler) keyPattern(g *rules.Grid, key rules.GridKey, k typ, cell rules.GridCell) (keyPattern, bool) {
	p := keyPattern{source: cell.Text}
	if cell.Text == "*" {
		p.any = true
		return p, true
	}
	bad := func(format string, args ...any) (keyPattern, bool) {
		c.errs.Add(cell.Pos, "grid %s, key %s: "+format, append([]any{g.Name, key.Name}, args...)...)
		return p, false
	}
	switch k.kind {
	case kWord:
		p.word = slices.Index(k.input.Values, cell.Text)
		if p.word < 0 {
			return bad("%s is not a value of %s (%s)%s", rules.Quote(cell.Text), k.input.Name,
				strings.Join(k.input.Values, ", "), rules.DidYouMean(cell.Text, k.input.Values))
		}
	case kBool:
		switch cell.Text {
		case "true", "false":
			p.boolean = cell.Text == "true"
		default:
			return bad("%s is not true, false or *", rules.Quote(cell.Text))
		}
	case kText:
		p.text, p.prefix = strings.CutSuffix(cell.Text, "*")
	case kNum:
		from, to, isRange := strings.Cut(cell.Text, "..")
		if !isRange {
			d, err := rules.ParseNumber(cell.Text)
			if err != nil {
				return bad("%v: a number key is a number, a range a..b or *", err)
			}
			n := fromDecimal(d)
			p.num = &n
			p.source = n.String()
			return p, c.withinBounds(g, key, cell, n)
		}
		for _, end := range []struct {
			text string
			dst  **num
		}{{from, &p.from}, {to, &p.to}} {
			if strings.TrimSpace(end.text) == "" {
				continue
			}
			d, err := rules.ParseNumber(end.text)
			if err != nil {
				return bad("%v: a range is a..b (a <= x < b), a.. or ..b", err)
			}
			n := fromDecimal(d)
			*end.dst = &n
		}
		if p.from != nil && p.to != nil && cmp(*p.from, *p.to) >= 0 {
			return bad("the range %s is empty: a..b holds a <= x < b", cell.Text)
		}
	}
	return p, true
}

// withinBounds refuses an exact number key no request can give: outside
// the bounds of the input it keys.
func (c *compiler) withinBounds(g *rules.Grid, key rules.GridKey, cell rules.GridCell, n num) bool {
	s := c.scope[key.Name]
	if s == nil || s.what != "input" {
		return true
	}
	for _, in := range c.inputs {
		if in.sym == s {
			if err := in.checkNum(n, 0); err != nil {
				c.errs.Add(cell.Pos, "grid %s, key %s: no request can give %s: %v", g.Name, key.Name, cell.Text, err)
				return false
			}
		}
	}
	return true
}

// checkCoverage makes sure that a grid keyed only by words and
// true/false has a row for every combination of them: a missing cell
// would otherwise fail a quote some day.
func (c *compiler) checkCoverage(cg *compiledGrid) {
	sizes := make([]int, len(cg.keys))
	total := 1
	for i, k := range cg.keys {
		switch k.kind {
		case kWord:
			sizes[i] = len(k.input.Values)
		case kBool:
			sizes[i] = 2
		default:
			return // numbers and text take values without end: a miss is reported when quoted
		}
		total *= sizes[i]
		if total > maxGridCombinations {
			return
		}
	}
	combo := make([]int, len(cg.keys))
	vals := make([]keyValue, len(cg.keys))
	direct := make([]int32, total)
	for range total {
		at := 0
		for i := range cg.keys {
			vals[i] = keyValue{word: combo[i], boolean: combo[i] == 1}
			at = at*sizes[i] + combo[i]
		}
		r, ok := cg.scan(vals)
		if !ok {
			c.errs.Add(cg.src.Pos, "grid %s has no row for %s: add one, or a row of * for the rest", cg.src.Name, cg.describe(vals))
			cg.broken = true
			return
		}
		direct[at] = int32(r)
		for i := len(combo) - 1; i >= 0; i-- { // the next combination, like an odometer
			if combo[i]++; combo[i] < sizes[i] {
				break
			}
			combo[i] = 0
		}
	}
	cg.direct, cg.sizes = direct, sizes
}

// scan finds the first row whose patterns match the keys, one row after
// another.
func (cg *compiledGrid) scan(keys []keyValue) (int, bool) {
	for r, row := range cg.rows {
		match := true
		for i := range row.keys {
			if !row.keys[i].matches(cg.keys[i], keys[i]) {
				match = false
				break
			}
		}
		if match {
			return r, true
		}
	}
	return 0, false
}

// describe writes keys for a message: "region=eu, size=7".
func (cg *compiledGrid) describe(keys []keyValue) string {
	parts := make([]string, len(keys))
	for i, k := range cg.keys {
		var v string
		switch k.kind {
		case kWord:
			v = k.input.Values[keys[i].word]
		case kBool:
			v = fmt.Sprint(keys[i].boolean)
		case kText:
			v = rules.Quote(keys[i].text)
		default:
			v = keys[i].num.String()
		}
		parts[i] = cg.src.Keys[i].Name + "=" + v
	}
	return strings.Join(parts, ", ")
}

// gridCall compiles a call of a grid, taking its number (or, for a grid
// of several columns, the column named by member).
func (c *compiler) gridCall(g *rules.Grid, n *ast.CallNode, column string, at ast.Node) *code {
	cg := c.grid(g, n)
	if cg == nil || cg.broken {
		return nil
	}
	if len(n.Arguments) != len(cg.keys) {
		c.errorf(n, "grid %s takes %d keys: %s(%s)", g.Name, len(cg.keys), g.Name, keyNames(g))
		return nil
	}
	col := 0
	switch {
	case len(g.Columns) == 0 && column != "":
		c.errorf(at, "grid %s gives one number: call it as %s(%s), without .%s", g.Name, g.Name, keyNames(g), column)
		return nil
	case len(g.Columns) > 0 && column == "":
		c.errorf(n, "grid %s gives %s: say which, as %s(%s).%s", g.Name, strings.Join(g.Columns, ", "), g.Name, keyNames(g), g.Columns[0])
		return nil
	case len(g.Columns) > 0:
		col = slices.Index(g.Columns, column)
		if col < 0 {
			c.errorf(at, "grid %s has no column %s; its columns are %s%s", g.Name, rules.Quote(column),
				strings.Join(g.Columns, ", "), rules.DidYouMean(column, g.Columns))
			return nil
		}
	}
	getters := make([]keyGetter, len(n.Arguments))
	for i, a := range n.Arguments {
		x := c.node(a)
		if x == nil {
			return nil
		}
		k := cg.keys[i]
		get := &getters[i]
		switch {
		case k.kind == kNum && x.t.kind == kNum:
			get.num = x.num
		case k.kind == kBool && x.t.kind == kBool:
			get.bool = x.bool
		case k.kind == kWord && x.t.kind == kWord && x.t.input == k.input:
			get.word = x.word
		case k.kind == kWord && x.t.kind == kText && x.lit:
			w := c.wordIndex(a, k.input, x.text)
			if w < 0 {
				return nil
			}
			get.word = func(*state) int { return w }
		case k.kind == kText && (x.t.kind == kText || x.t.kind == kWord):
			get.text = asText(x)
		default:
			c.errorf(a, "key %d of grid %s is %s (%s), but this is %s", i+1, g.Name, g.Keys[i].Name, k, x.t)
			return nil
		}
	}
	if cg.direct != nil {
		return &code{t: typ{kind: kNum}, num: func(s *state) num {
			at := 0
			for i := range getters {
				at = at*cg.sizes[i] + getters[i].index(s)
			}
			r := int(cg.direct[at])
			if s.tracing {
				var buf [4]keyValue
				s.lookedUp(cg, readKeys(getters, s, &buf), r, col)
			}
			return cg.values[r][col]
		}}
	}
	off := c.offset(n) // placed by the state: see state.place
	return &code{t: typ{kind: kNum}, num: func(s *state) num {
		var buf [4]keyValue
		keys := readKeys(getters, s, &buf)
		r, ok := cg.scan(keys)
		if !ok {
			s.fail(off, "grid %s has no row for %s", g.Name, cg.describe(keys))
			return zero
		}
		s.lookedUp(cg, keys, r, col)
		return cg.values[r][col]
	}}
}

// readKeys reads the keys of a lookup into buf, an array on the caller's
// stack: a grid has few keys, and a lookup allocates nothing.
func readKeys(getters []keyGetter, s *state, buf *[4]keyValue) []keyValue {
	keys := buf[:0]
	if len(getters) > len(buf) {
		keys = make([]keyValue, 0, len(getters))
	}
	for i := range getters {
		keys = append(keys, getters[i].get(s))
	}
	return keys
}

// keyGetter reads a key of a lookup: the one function of its kind is set.
type keyGetter struct {
	num  func(*state) num
	word func(*state) int
	bool func(*state) bool
	text func(*state) string
}

func (g *keyGetter) get(s *state) keyValue {
	switch {
	case g.num != nil:
		return keyValue{num: g.num(s)}
	case g.word != nil:
		return keyValue{word: g.word(s)}
	case g.bool != nil:
		return keyValue{boolean: g.bool(s)}
	}
	return keyValue{text: g.text(s)}
}

// index reads a word or true/false key as its place among the key's
// values, for a grid's direct index.
func (g *keyGetter) index(s *state) int {
	if g.bool != nil {
		if g.bool(s) {
			return 1
		}
		return 0
	}
	return g.word(s)
}

func keyNames(g *rules.Grid) string {
	names := make([]string, len(g.Keys))
	for i, k := range g.Keys {
		names[i] = k.Name
	}
	return strings.Join(names, ", ")
}

// GridLookup is one lookup in a grid, for an explanation: the keys, the
// row that matched (its line in the file), and the number it gave.
type GridLookup struct {
	Grid   string `json:"grid"`
	Keys   string `json:"keys"` // "region=eu, size=7"
	Row    string `json:"row"`  // where the row is, file:line:col
	Column string `json:"column,omitempty"`
	Value  string `json:"value"`
}

// lookedUp notes a lookup while an explanation is made.
func (s *state) lookedUp(cg *compiledGrid, keys []keyValue, r, col int) {
	if !s.tracing {
		return
	}
	l := GridLookup{Grid: cg.src.Name, Keys: cg.describe(keys), Row: cg.src.Rows[r].Pos.String(), Value: cg.values[r][col].String()}
	if len(cg.src.Columns) > 0 {
		l.Column = cg.src.Columns[col]
	}
	s.lookups = append(s.lookups, l)
}

package engine

import (
	"slices"
	"sync"
	"sync/atomic"

	"ratecard/rules"
)

// Lists written alike (contracts and plans copied from one list) compile
// the same texts against the same names: their code is the same, and one
// load compiles it once. Code is shared only when nothing in it belongs to
// one list: it reads slots and constants, and places the errors it raises
// by offsets in its text, which the state resolves in the expression being
// evaluated (state.at). A compile notes every name it looked up and what
// it found (compileTrace); another list takes the code only when each of
// those names finds the same there (the same kind, slot and words, or
// nothing), so that it would have compiled the same code, and the same
// lack of errors. What reads per-list parts (a grid, a records input's
// fields, a meter's running total that gets its slot as a rate first
// reads it, or a slot made for a sum's item) is never shared.

// maxSharedPerText bounds the variants of one text a load keeps: the
// lists of a directory fall into a few families, and a text compiled
// against more environments than this is compiled by each list.
const maxSharedPerText = 8

// sharedCode is one compile of a text, with what it depended on.
type sharedCode struct {
	want   kind
	role   exprRole // the offsets its errors carry name it
	looked []lookedUp
	useAt  []int // the names it read, first use first, as indexes in looked
	out    *code // of kind num or bool: no per-list type travels with it
}

// lookedUp is a name a compile looked up, and what it found.
type lookedUp struct {
	name  string
	grid  bool // a grid's name (found: never shared); else a symbol's
	found bool
	kind  kind
	slot  int
	what  string
	words []string // a one_of's words, which word comparisons compile to
}

// compileTrace is what a compile depends on beyond its text.
type compileTrace struct {
	looked []lookedUp
	uses   []string
	local  bool // it read something of its list's own: not shareable
}

// sharedTexts holds a load's shared compiles by text.
type sharedTexts struct {
	mu     sync.RWMutex
	byText map[string][]*sharedCode
	taken  atomic.Int64 // compiles a list took from another (for tests)
}

// lookup returns the symbol called name, noting it in the trace.
func (c *compiler) lookup(name string) *symbol {
	s := c.scope[name]
	if c.trace != nil {
		l := lookedUp{name: name, found: s != nil}
		if s != nil {
			l.kind, l.slot, l.what = s.t.kind, s.slot, s.what
			// A meter's running total gets its slot as a rate first
			// reads it: code that does is its list's own (a slot given
			// before, as the holds' are, is compared like any other).
			if s.field != nil || s.t.rec != nil || s.what == "meter total" && s.slot < 0 {
				c.trace.local = true
			}
			if s.t.kind == kWord {
				l.words = s.t.input.Values
			}
		}
		c.trace.looked = append(c.trace.looked, l)
	}
	return s
}

// gridNamed returns the price list's grid called name, or nil, noting it in
// the trace: code that calls a grid is its list's own.
func (c *compiler) gridNamed(name string) *rules.Grid {
	if c.grids == nil {
		return nil
	}
	g := c.grids.list.Grid(name)
	if c.trace != nil {
		c.trace.looked = append(c.trace.looked, lookedUp{name: name, grid: true, found: g != nil})
		c.trace.local = c.trace.local || g != nil
	}
	return g
}

// used notes that the compile read the symbol s.
func (t *compileTrace) used(s *symbol) {
	if t != nil && !slices.Contains(t.uses, s.name) {
		t.uses = append(t.uses, s.name)
	}
}

// sharedCompile returns the code an earlier list of the load compiled
// for c's text, when c's names would compile it the same; it notes the
// names the code reads as c's uses.
func (c *compiler) sharedCompile(want kind) *code {
	if c.parsed == nil {
		return nil
	}
	st := &c.parsed.shared
	st.mu.RLock()
	variants := st.byText[c.expr.Text]
	st.mu.RUnlock()
	for _, sc := range variants {
		if sc.want == want && sc.role == c.role && c.sameNames(sc.looked) {
			st.taken.Add(1)
			for _, i := range sc.useAt {
				c.use(c.found[i])
			}
			return sc.out
		}
	}
	return nil
}

// sameNames reports whether each name finds here what it found in the
// compile that noted looked, and keeps what each found in c.found.
func (c *compiler) sameNames(looked []lookedUp) bool {
	c.found = c.found[:0]
	for _, l := range looked {
		c.found = append(c.found, nil)
		if l.grid {
			if c.grids != nil && c.grids.list.Grid(l.name) != nil {
				return false
			}
			continue
		}
		s := c.scope[l.name]
		c.found[len(c.found)-1] = s
		if s == nil || !l.found {
			if (s == nil) != !l.found {
				return false
			}
			continue
		}
		if s.t.kind != l.kind || s.slot != l.slot || s.what != l.what || s.field != nil || s.t.rec != nil {
			return false
		}
		if s.t.kind == kWord && !slices.Equal(s.t.input.Values, l.words) {
			return false
		}
	}
	return true
}

// keepShared offers the code c compiled, with the trace of what it read,
// to the other lists of the load.
func (c *compiler) keepShared(want kind, out *code) {
	t := c.trace
	if c.parsed == nil || t == nil || t.local || (out.t.kind != kNum && out.t.kind != kBool) {
		return
	}
	sc := &sharedCode{want: want, role: c.role, looked: slices.Clone(t.looked),
		out: &code{t: typ{kind: out.t.kind}, num: out.num, bool: out.bool}}
	for _, name := range t.uses {
		i := slices.IndexFunc(t.looked, func(l lookedUp) bool { return !l.grid && l.found && l.name == name })
		if i < 0 {
			return // a name read without being looked up: not known to share
		}
		sc.useAt = append(sc.useAt, i)
	}
	st := &c.parsed.shared
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.byText == nil {
		st.byText = map[string][]*sharedCode{}
	}
	if v := st.byText[c.expr.Text]; len(v) < maxSharedPerText {
		st.byText[c.expr.Text] = append(v, sc)
	}
}

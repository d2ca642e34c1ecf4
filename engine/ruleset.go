package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"ratecard/rules"
)

// RuleSet is a compiled, immutable set of price lists.
type RuleSet struct {
	// Digest identifies the rule files' contents ("sha256:..."): a quote
	// that names it can be reproduced later from the same files.
	Digest string
	lists  []*PriceList     // every version of every list, and overlays over each version of their base
	tests  []*rules.Example // the cases of the test files
	// schedule says which list prices each name when; defaultName is
	// the list a request that names none gets (the one written whole).
	schedule    schedule
	defaultName string
	// fresh are the lists this load compiled (the others came from a
	// cache, and passed their examples when they were compiled).
	fresh []*PriceList
}

// PriceList is one compiled price list.
type PriceList struct {
	// Rules is the price list as written; read it, never change it.
	Rules  *rules.PriceList
	digest string
	inputs []*compiledInput
	names  []string // the inputs' names, side by side for Inputs' quick scan
	byName map[string]*compiledInput
	values []*compiledValue
	rates  []*compiledRate
	// invariants holds the compiled "holds" expressions, by invariant.
	invariants map[*rules.Invariant]*compiledHolds
	records    []*recordsDef // the records inputs
	period     *PriceList    // what is charged once per period, if the list says

	// meterSlots holds, for each meter a rate reads by name, the num slot
	// of its running total (-1 for a meter no rate reads).
	meterSlots []int
	slots      [kinds]int  // how many nums, bools, words, lists and texts a state holds
	pool       *sync.Pool  // shared by the copies a cache makes: their states are alike
	fresh      bool        // compiled by the load that made it (not from a cache)
	parsed     *parseCache // while it compiles: the parses its load shares
}

type compiledInput struct {
	src          *rules.Input
	index        int // in the price list's inputs
	bounds       numBounds
	sym          *symbol
	t            typ
	slot         int
	def          value // the default, already converted
	requiredWhen boolFn
	pattern      *pattern // a text input's pattern
}

// newCompiledInput starts compiling an input (or a field of a records
// input, index -1) of type t.
func newCompiledInput(src *rules.Input, t typ, index int) *compiledInput {
	ci := &compiledInput{src: src, t: t, index: index,
		bounds: numBounds{boundNum(src.Min), boundNum(src.Max), boundNum(src.Above), boundNum(src.Below)}}
	if src.Pattern != nil {
		ci.pattern = newPattern(src.Pattern)
	}
	return ci
}

// numBounds are an input's bounds as exact numbers, for checks that do not
// allocate.
type numBounds struct {
	min, max, above, below *num
}

func boundNum(b *rules.Bound) *num {
	if b == nil {
		return nil
	}
	n := fromDecimal(b.Value)
	return &n
}

// value is an input's value in the form compiled code reads.
type value struct {
	num     num
	bool    bool
	word    int
	list    []num
	text    string
	records *recordList
}

type compiledValue struct {
	src  *rules.NamedValue
	sym  *symbol
	num  numFn
	bool boolFn
	uses []*symbol
}

// compiledHolds is an invariant's expression, which also reads each
// meter's total from a slot of its own.
type compiledHolds struct {
	holds      boolFn
	meterSlots []int
}

type compiledRate struct {
	src        *rules.Rate
	meter      *rules.Meter
	meterIndex int    // in the price list's meters, where its total is summed
	when       boolFn // nil: always
	amount     numFn
	each       int   // the list slot of for_each, or -1
	item       int   // the num slot of the element
	eachRecord int   // the records slot of for_each over records, or -1
	linePlaces int32 // the places of its lines (its meter's, or line_places)
	// readsTotals: the rate reads a meter's total so far, set in its slot
	// just before it is read, not after every line.
	readsTotals bool
	uses        []*symbol
}

// LoadDir loads and compiles the rule files of a directory.
func LoadDir(dir string) (*RuleSet, error) {
	set, err := rules.LoadDir(dir)
	return compileLoaded(set, err, nil)
}

// LoadFS loads and compiles the rule files of the directory dir of fsys.
func LoadFS(fsys fs.FS, dir string) (*RuleSet, error) {
	set, err := rules.LoadFS(fsys, dir)
	return compileLoaded(set, err, nil)
}

// CompileFiles parses and compiles rule files held in memory (read from a
// git revision, say).
func CompileFiles(files []rules.File) (*RuleSet, error) {
	set, err := rules.Parse(files)
	return compileLoaded(set, err, nil)
}

// compileLoaded compiles what loaded even when loading found problems, so
// that a person sees the type errors of expressions together with the
// format errors, in one list.
func compileLoaded(set *rules.Set, loadErr error, cache *Cache) (*RuleSet, error) {
	if set == nil {
		return nil, loadErr
	}
	if loadErr != nil {
		cache = nil // a set with errors neither uses nor updates the cache
	}
	rs, err := compileSet(set, cache)
	if loadErr == nil {
		return rs, err
	}
	var all, more rules.ErrorList
	if !errors.As(loadErr, &all) {
		return nil, loadErr
	}
	if errors.As(err, &more) {
		all = append(all, more...)
	}
	return nil, all.Err()
}

// Compile checks and compiles every expression of a loaded rule set. It
// returns all problems found, as a rules.ErrorList sorted by position.
func Compile(set *rules.Set) (*RuleSet, error) { return compileSet(set, nil) }

func compileSet(set *rules.Set, cache *Cache) (*RuleSet, error) {
	rs := &RuleSet{Digest: set.Digest, tests: set.Tests, defaultName: set.Default()}
	var errs rules.ErrorList
	compiled := make(map[*rules.PriceList]*PriceList, len(set.Lists))
	staged := make(map[string]*PriceList, len(set.Lists))
	lists := compileLists(set, cache, &errs)
	for i, l := range set.Lists {
		cl := lists[i]
		if cl.fresh {
			rs.fresh = append(rs.fresh, cl)
		}
		staged[l.Digest] = cl
		compiled[l] = cl
		rs.lists = append(rs.lists, cl)
	}
	rs.schedule = newSchedule(set, compiled)
	for _, ex := range set.Tests {
		if l, err := rs.ListAt(ex.List, Terms{At: ex.At}); err == nil {
			checkExampleValues(l, ex, l.newState(), &errs)
		}
	}
	errs.Dedupe()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	shareValues(rs.fresh)
	cache.keep(staged, len(rs.fresh))
	return rs, nil
}

// Lists returns every compiled price list, ordered by name and then by
// when it takes effect: each version of a list, and each overlay over each
// version of its base.
func (rs *RuleSet) Lists() []*PriceList {
	out := append([]*PriceList(nil), rs.lists...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Rules, out[j].Rules
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Effective.Before(b.Effective)
	})
	return out
}

// InForce returns the lists in force at t, ordered by name: for each name,
// the version that prices it (a name priced by its base outside an
// overlay's dates is left out: its base is listed under its own name).
func (rs *RuleSet) InForce(t time.Time) []*PriceList {
	var out []*PriceList
	for _, name := range rs.names() {
		if sp := rs.schedule.find(name, t); sp != nil && sp.list.Rules.Name == name {
			out = append(out, sp.list)
		}
	}
	return out
}

// Names lists the names of the price lists, sorted.
func (rs *RuleSet) Names() []string { return rs.names() }

// List finds the version of a price list in force now; "" names the
// default list (the one written whole, when the others overlay it).
func (rs *RuleSet) List(name string) (*PriceList, error) {
	return rs.ListAt(name, Terms{})
}

// UnknownListError is returned for a price list that the rules do not hold.
type UnknownListError struct {
	Name  string
	Known []string
}

func (e *UnknownListError) Error() string {
	return fmt.Sprintf("unknown price list %s%s; the rules hold %s", rules.Quote(e.Name),
		rules.DidYouMean(e.Name, e.Known), strings.Join(e.Known, ", "))
}

func (rs *RuleSet) names() []string {
	names := make([]string, 0, len(rs.schedule))
	for name := range rs.schedule {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Quote prices a request against the named price list, as in force now.
func (rs *RuleSet) Quote(list string, req Request) (*Quote, error) {
	return rs.QuoteTerms(list, Terms{}, req)
}

// Explain prices a request as of now and tells how each line was computed.
func (rs *RuleSet) Explain(list string, req Request) (*Explanation, error) {
	return rs.ExplainTerms(list, Terms{}, req)
}

// compileLists compiles (or takes from the cache) every list of a set, on
// every core: lists compile independently. Their errors come in the
// set's order.
func compileLists(set *rules.Set, cache *Cache, errs *rules.ErrorList) []*PriceList {
	out := make([]*PriceList, len(set.Lists))
	listErrs := make([]rules.ErrorList, len(set.Lists))
	work := make(chan int)
	parsed := &parseCache{}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(set.Lists)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				l := set.Lists[i]
				if out[i] = cache.reuse(l, set.Digest); out[i] == nil {
					out[i] = compileList(l, set.Digest, parsed, &listErrs[i])
					out[i].fresh = true
				}
			}
		}()
	}
	for i := range set.Lists {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, e := range listErrs {
		*errs = append(*errs, e...)
	}
	return out
}

func compileList(src *rules.PriceList, digest string, parsed *parseCache, errs *rules.ErrorList) *PriceList {
	l := &PriceList{Rules: src, digest: digest, byName: map[string]*compiledInput{}, pool: &sync.Pool{}, parsed: parsed}
	defer func() { l.parsed = nil }() // the load's, not the list's to keep
	scope := map[string]*symbol{}
	newSlot := func(k kind) int { // kinds kNum..kList count from 1
		l.slots[k-1]++
		return l.slots[k-1] - 1
	}
	for _, in := range src.Inputs {
		if isReserved(in.Name) {
			errs.Add(in.Pos, "%q is a word of the rule language; name the input otherwise", in.Name)
		}
		ci := newCompiledInput(in, inputType(in), len(l.inputs))
		ci.slot = newSlot(ci.t.kind)
		ci.sym = &symbol{name: in.Name, t: ci.t, slot: ci.slot, what: "input"}
		scope[in.Name] = ci.sym
		l.inputs = append(l.inputs, ci)
		l.byName[in.Name] = ci
		l.names = append(l.names, in.Name)
	}
	grids := &gridSet{list: src, compiled: map[string]*compiledGrid{}}
	// One compiler, set for each expression in turn: no code it makes
	// keeps it (a thousand lists of fifty rates made 100,000 of them).
	cc := &compiler{errs: errs, newSlot: newSlot, grids: grids, inputs: l.inputs, parsed: l.parsed, useRoom: new([]*symbol)}
	for _, ci := range l.inputs {
		if ci.t.kind == kRecords {
			l.records = append(l.records, compileRecords(l, ci, scope, cc))
		}
	}
	checkValues(l, errs)
	for _, g := range src.Grids {
		if _, isFunc := functions[g.Name]; isFunc || isReserved(g.Name) {
			errs.Add(g.Pos, "%q is a function or word of the rule language; name the grid otherwise", g.Name)
		}
	}
	for _, ci := range l.inputs {
		if e := ci.src.RequiredWhen; e != nil {
			if out := cc.of(e, roleRequiredWhen, scope).compile(kBool, "required_when"); out != nil {
				ci.requiredWhen = out.bool
			}
		}
	}
	later := map[string]bool{}
	for _, v := range src.Values {
		later[v.Name] = true
	}
	for _, v := range src.Values {
		delete(later, v.Name)
		if isReserved(v.Name) {
			errs.Add(v.Pos, "%q is a word of the rule language; name the value otherwise", v.Name)
		}
		c := cc.of(v.Expr, roleValue, scope)
		c.later = later
		out := c.compile(0, "a value")
		if out != nil && out.t.kind != kNum && out.t.kind != kBool {
			errs.Add(v.Expr.Pos, "a named value must be a number or true/false; this is %s", out.t)
			out = nil
		}
		if out == nil {
			// Known but broken: later uses are not reported again.
			scope[v.Name] = &symbol{name: v.Name, what: "value"}
			continue
		}
		sym := &symbol{name: v.Name, t: out.t, slot: newSlot(out.t.kind), what: "value"}
		scope[v.Name] = sym
		l.values = append(l.values, &compiledValue{src: v, sym: sym, num: out.num, bool: out.bool, uses: c.uses})
	}
	// A rate reads a meter by its name: the total of the lines above it.
	rateScope := make(map[string]*symbol, len(scope)+len(src.Meters))
	for k, v := range scope {
		rateScope[k] = v
	}
	meterSyms := make([]*symbol, len(src.Meters))
	for i, m := range src.Meters {
		if rateScope[m.Name] == nil {
			meterSyms[i] = &symbol{name: m.Name, t: typ{kind: kNum}, slot: -1, what: "meter total"}
			rateScope[m.Name] = meterSyms[i]
		}
	}
	room := make([]compiledRate, len(src.Rates)) // the list keeps them all: one allocation
	l.rates = make([]*compiledRate, len(src.Rates))
	for i, r := range src.Rates {
		l.rates[i] = compileRate(l, r, rateScope, cc, &room[i])
	}
	l.meterSlots = make([]int, len(src.Meters))
	for i, sym := range meterSyms {
		l.meterSlots[i] = -1
		if sym != nil && sym.slot >= 0 {
			l.meterSlots[i] = sym.slot
		}
	}
	for _, r := range l.rates {
		if r.meter != nil {
			r.linePlaces = r.meter.LineDecimals()
		}
	}
	if src.Period != nil {
		l.period = compileList(periodSource(src), digest, parsed, errs)
	}
	l.invariants = make(map[*rules.Invariant]*compiledHolds, len(src.Invariants))
	// The holds expressions read the meters' totals by name, from slots
	// the check fills before it evaluates one: one scope and one set of
	// slots serve them all.
	var holdsScope map[string]*symbol
	var meterSlots []int
	for _, inv := range src.Invariants {
		if inv.Holds == nil {
			continue
		}
		if holdsScope == nil {
			holdsScope = make(map[string]*symbol, len(scope)+len(src.Meters))
			for k, v := range scope {
				holdsScope[k] = v
			}
			meterSlots = make([]int, len(src.Meters))
			for i, m := range src.Meters {
				meterSlots[i] = newSlot(kNum)
				if holdsScope[m.Name] == nil {
					holdsScope[m.Name] = &symbol{name: m.Name, t: typ{kind: kNum}, slot: meterSlots[i], what: "meter total"}
				}
			}
		}
		if out := cc.of(inv.Holds, roleHolds, holdsScope).compile(kBool, "holds"); out != nil {
			l.invariants[inv] = &compiledHolds{holds: out.bool, meterSlots: meterSlots}
		}
	}
	return l
}

// checkValues checks every value the rule file gives an input (defaults,
// examples' inputs, tables' settings and rows) through the one way in,
// each error at the value's position, and keeps each default converted.
func checkValues(l *PriceList, errs *rules.ErrorList) {
	s := l.newState()
	check := func(name string, v *rules.Value) { checkValue(l, s, name, v, errs) }
	for _, def := range l.records {
		for _, f := range def.fields {
			if v := f.input.src.Default; v != nil {
				if err := f.input.setValue(s, v); err != nil {
					errs.Add(v.Pos, "%v", err)
					continue
				}
				d := f.input.load(s)
				f.def = &d
			} else if !f.input.src.Required {
				errs.Add(f.input.src.Pos, "field %s needs a default, or required: true", f.name)
			}
		}
	}
	for _, ci := range l.inputs {
		if v := ci.src.Default; v != nil {
			if err := ci.setValue(s, v); err != nil {
				errs.Add(v.Pos, "%v", err)
				continue
			}
			ci.def = ci.load(s)
		}
	}
	for _, ex := range l.Rules.Examples {
		checkExampleValues(l, ex, s, errs)
	}
	for _, t := range l.Rules.Tables {
		for name, v := range t.Set {
			check(name, v)
		}
		for _, c := range t.Columns {
			for name, v := range c.Set {
				check(name, v)
			}
		}
		for _, v := range t.Rows.Values {
			check(t.Rows.Input, v)
		}
	}
}

// checkExampleValues checks the inputs an example or test case gives.
func checkExampleValues(l *PriceList, ex *rules.Example, s *state, errs *rules.ErrorList) {
	for name, v := range ex.Input {
		checkValue(l, s, name, v, errs)
	}
}

// checkValue checks one value a rule file gives an input, at its position
// (an unknown input is reported by rules).
func checkValue(l *PriceList, s *state, name string, v *rules.Value, errs *rules.ErrorList) {
	if ci := l.byName[name]; ci != nil && v != nil {
		if err := ci.setValue(s, v); err != nil {
			errs.Add(v.Pos, "%v", err)
		}
	}
}

// compileRate compiles the rate r into cr, and returns it.
func compileRate(l *PriceList, r *rules.Rate, scope map[string]*symbol, cc *compiler, cr *compiledRate) *compiledRate {
	*cr = compiledRate{src: r, meter: l.Rules.Meter(r.Meter), each: -1, eachRecord: -1}
	for i, m := range l.Rules.Meters {
		if m == cr.meter {
			cr.meterIndex = i
		}
	}
	rateScope := scope
	if r.ForEach != "" {
		list := scope[r.ForEach]
		if list == nil || (list.t.kind != kList && list.t.kind != kRecords) {
			return cr // reported by rules
		}
		if scope[r.As] != nil || isReserved(r.As) {
			at := r.Pos
			if r.ForEachPos != nil {
				at = *r.ForEachPos
			}
			cc.errs.Add(at, "as: %q is already a name in this price list; choose another", r.As)
			return cr
		}
		rateScope = make(map[string]*symbol, len(scope)+1)
		for k, v := range scope {
			rateScope[k] = v
		}
		if list.t.kind == kRecords {
			// The item is the current record: its fields read as item.field.
			cr.eachRecord = list.slot
			rateScope[r.As] = &symbol{name: r.As, t: typ{kind: kRecord, rec: list.t.rec, input: list.t.input}, slot: list.slot, what: "record"}
		} else {
			cr.each = list.slot
			cr.item = cc.newSlot(kNum)
			rateScope[r.As] = &symbol{name: r.As, t: typ{kind: kNum}, slot: cr.item, what: "item"}
		}
	}
	var uses []*symbol
	if r.When != nil {
		w := cc.of(r.When, roleWhen, rateScope)
		if out := w.compile(kBool, "when"); out != nil {
			cr.when = out.bool
		}
		uses = w.uses
	}
	if r.Amount != nil {
		c := cc.of(r.Amount, roleAmount, rateScope)
		c.uses = uses
		if out := c.compile(kNum, "amount"); out != nil {
			cr.amount = out.num
		}
		uses = c.uses
	}
	cr.uses = uses
	for _, u := range cr.uses {
		cr.readsTotals = cr.readsTotals || u.what == "meter total"
	}
	return cr
}

func inputType(in *rules.Input) typ {
	switch in.Type {
	case rules.Boolean:
		return typ{kind: kBool}
	case rules.OneOf:
		return typ{kind: kWord, input: in}
	case rules.List:
		return typ{kind: kList}
	case rules.Text:
		return typ{kind: kText, input: in}
	case rules.Records:
		return typ{kind: kRecords, input: in} // rec set once compiled
	}
	return typ{kind: kNum}
}

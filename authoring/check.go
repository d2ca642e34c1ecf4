package authoring

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"ratecard/engine"
	"ratecard/rules"
)

// CheckReport is what `ratecard check` finds in a price list beyond
// loading: invariants broken by sampled requests, and warnings.
type CheckReport struct {
	List    string
	Samples int // the sampled requests tried
	// Asked is the samples asked for; fewer were tried (Samples < Asked)
	// when the check's work budget ran out first.
	Asked      int
	Invariants int
	Violations []*Violation
	Warnings   []Warning
}

// Violation is an invariant broken by a sampled request (or a sampled
// request that does not price, when Invariant is nil).
type Violation struct {
	Invariant  *rules.Invariant
	Request    string // NAME=VALUE words
	Quote      *engine.Quote
	Other      string // for monotonic: the request with the input raised
	OtherQuote *engine.Quote
	Msg        string
}

// Warning is a probable mistake in a price list that does not stop it
// from loading.
type Warning struct {
	Pos rules.Pos
	Msg string
}

func (w Warning) String() string { return w.Pos.String() + ": " + w.Msg }

// CheckWork bounds the work of one Check: the quotes priced and the list
// items they price, all told. A price list whose inputs allow long lists
// stops sampling early (the report says so) rather than running for
// minutes.
const CheckWork = 2_000_000

// checkWork is CheckWork, lowered by a test.
var checkWork = CheckWork

// Check samples requests over each input's declared domain (boundaries,
// the values examples and tables use, and random values; reproducible with
// seed), checks every invariant on them, and collects warnings: inputs and
// values nothing uses, rates that never charge, negative amounts.
//
// rs is the rule set l belongs to: a not_above invariant prices each
// sampled request on the list it names too, as in force when l is.
func Check(rs *engine.RuleSet, l *engine.PriceList, samples int, seed uint64) *CheckReport {
	rep := &CheckReport{List: l.Rules.Name, Asked: samples, Invariants: len(l.Rules.Invariants)}
	rep.Warnings = unused(l)
	sm := newSampler(l, seed)
	in := l.NewInputs()
	q := &engine.Quote{} // reused from sample to sample: a quote of 50 lines is most of a sample's allocations
	charged := map[string]bool{}
	broken := map[*rules.Invariant]bool{}
	negativeSeen := false
	unpriced := false
	work := 0
	for i := 0; i < samples && work < checkWork; i++ {
		req := sm.request()
		rep.Samples++
		work += req.work() * (1 + len(l.Rules.Invariants))
		err := req.quoteInto(in, q)
		if err != nil {
			if !unpriced {
				rep.Violations = append(rep.Violations, &Violation{Request: req.String(),
					Msg: "a request within the declared inputs does not price: " + err.Error()})
				unpriced = true
			}
			continue
		}
		for _, line := range q.Lines {
			if len(charged) < len(l.Rules.Rates) { // once every rate charged, no need to note it
				charged[line.Rate] = true
			}
			if line.Amount.IsNegative() && !negativeSeen && !declaresNoNegative(l) && !l.Adjusts(line.Rate) {
				negativeSeen = true
				rep.Warnings = append(rep.Warnings, Warning{Pos: l.Rules.Rate(line.Rate).Pos,
					Msg: fmt.Sprintf("rate %s charges a negative amount (%s) for %s", line.Rate, line.Amount, req)})
			}
		}
		for _, inv := range l.Rules.Invariants {
			if broken[inv] {
				continue
			}
			if v := checkInvariant(rs, l, inv, req, in, q, sm); v != nil {
				broken[inv] = true
				rep.Violations = append(rep.Violations, v)
			}
		}
	}
	for _, r := range l.Rules.Rates {
		if !charged[r.Name] && rep.Samples > 0 {
			rep.Warnings = append(rep.Warnings, Warning{Pos: r.Pos,
				Msg: fmt.Sprintf("rate %s charged nothing in %d sampled requests: can its when ever be true?", r.Name, rep.Samples)})
		}
	}
	sort.Slice(rep.Warnings, func(i, j int) bool { return rep.Warnings[i].Pos.Line < rep.Warnings[j].Pos.Line })
	return rep
}

// representative is an instant at which l prices its name: the start of
// its first span, or just before the end of one open since ever.
func representative(l *engine.PriceList) time.Time {
	if spans := l.Rules.Spans; len(spans) > 0 {
		switch {
		case !spans[0].From.IsZero():
			return spans[0].From
		case !spans[0].Until.IsZero():
			return spans[0].Until.Add(-time.Nanosecond)
		}
	}
	return time.Now()
}

func declaresNoNegative(l *engine.PriceList) bool {
	for _, inv := range l.Rules.Invariants {
		if inv.NoNegative {
			return true
		}
	}
	return false
}

// checkInvariant tries one invariant on a sampled request, whose quote q
// was priced from in.
func checkInvariant(rs *engine.RuleSet, l *engine.PriceList, inv *rules.Invariant, req sample, in *engine.Inputs, q *engine.Quote, sm *sampler) *Violation {
	// A violation is made only when the invariant fails: writing the
	// request out for every sample was a third of check's time.
	// The quotes are the sampler's, reused by the next sample: a
	// violation keeps copies.
	fail := func(msg string) *Violation {
		return &Violation{Invariant: inv, Request: req.String(), Quote: copyQuote(q), Msg: msg}
	}
	failWith := func(msg, other string, otherQuote *engine.Quote) *Violation {
		v := fail(msg)
		v.Other, v.OtherQuote = other, copyQuote(otherQuote)
		return v
	}
	switch {
	case inv.NotAbove != "" && rs == nil:
		return fail("not_above needs the rule set the list belongs to")
	case inv.NotAbove != "":
		other, err := rs.ListAt(inv.NotAbove, engine.Terms{At: representative(l)})
		if err != nil {
			return fail("not_above: " + err.Error())
		}
		q2 := sm.quoteFor(other)
		err = req.quoteInto(sm.spareFor(other), q2)
		if err != nil {
			return fail(fmt.Sprintf("the request does not price on %s: %v", inv.NotAbove, err))
		}
		for _, t := range q.Totals {
			if mine, theirs := t.Amount.Decimal(), q2.Total(t.Meter); mine.GreaterThan(theirs) {
				return failWith(fmt.Sprintf("%s is %s here, more than %s on %s", t.Meter, t.Amount, theirs.StringFixed(t.Amount.Places()), inv.NotAbove),
					req.String()+" on "+inv.NotAbove, q2)
			}
		}
	case inv.NoNegative:
		for _, line := range q.Lines {
			if line.Amount.IsNegative() {
				return fail(fmt.Sprintf("rate %s charges %s", line.Rate, line.Amount))
			}
		}
	case inv.Monotonic != "":
		input := l.Rules.Input(inv.Monotonic)
		cur := req.get(input.Name)
		r := &sm.raised
		if r.of != sm.serial || r.input != input {
			if !sm.raise(input, cur, &r.raisedValue) {
				return nil // the input is at the top of its domain
			}
			r.of, r.input, r.value, r.other = sm.serial, input, &r.raisedValue, req.with(r.other, input.Name, &r.raisedValue)
			r.quote = &sm.raisedQuote
			r.err = r.other.quoteInto(sm.spare(), r.quote)
		}
		raisedValue, other, q2, err := r.value, r.other, r.quote, r.err
		if err != nil {
			return failWith("with the input raised, the request does not price: "+err.Error(), other.String(), nil)
		}
		// Compared as the engine's amounts: decimals are made only for
		// the message of a failure.
		c := q2.TotalAmount(inv.Meter).Cmp(q.TotalAmount(inv.Meter))
		if (!inv.Decreasing && c < 0) || (inv.Decreasing && c > 0) {
			a, b := q.Total(inv.Meter), q2.Total(inv.Meter)
			return failWith(fmt.Sprintf("%s goes from %s to %s when %s goes from %s to %s", inv.Meter, a, b, input.Name, cur.String(input.Type), raisedValue.String(input.Type)),
				other.String(), q2)
		}
	case inv.Holds != nil:
		ok, err := in.Holds(inv, q)
		if err != nil {
			return fail("the expression fails: " + err.Error())
		}
		if !ok {
			return fail(inv.Holds.Text + " is false")
		}
	}
	return nil
}

// unused warns of inputs no rate reads (directly or through named values)
// and of named values nothing reads.
func unused(l *engine.PriceList) []Warning {
	inputs, values := l.Unused()
	var out []Warning
	for _, in := range inputs {
		out = append(out, Warning{Pos: in.Pos, Msg: fmt.Sprintf("input %s is used by no rate", in.Name)})
	}
	for _, v := range values {
		out = append(out, Warning{Pos: v.Pos, Msg: fmt.Sprintf("value %s is never used", v.Name)})
	}
	return out
}

// sample is a sampled request: a typed value for every input, in the
// declared order, set on an Inputs as it is (never written as text and
// parsed again).
type sample []setting

type setting struct {
	input *rules.Input
	value *rules.Value
}

// quoteInto prices the request into q (reused: see Inputs.QuoteInto).
func (r sample) quoteInto(in *engine.Inputs, q *engine.Quote) error {
	in.Reset()
	for _, s := range r {
		if err := in.SetValue(s.input.Name, s.value); err != nil {
			return err
		}
	}
	return in.QuoteInto(q)
}

// copyQuote returns a copy of q that its reuse leaves alone (nil for nil).
func copyQuote(q *engine.Quote) *engine.Quote {
	if q == nil {
		return nil
	}
	c := *q
	c.Lines, c.Totals = slices.Clone(q.Lines), slices.Clone(q.Totals)
	c.Drawn, c.Billed = slices.Clone(q.Drawn), slices.Clone(q.Billed)
	return &c
}

// get returns the value of an input.
func (r sample) get(name string) *rules.Value {
	for _, s := range r {
		if s.input.Name == name {
			return s.value
		}
	}
	return nil
}

// with returns a copy of the sample with one input changed, made in
// dst's room.
func (r sample) with(dst sample, name string, v *rules.Value) sample {
	dst = dst[:0]
	for _, s := range r {
		if s.input.Name == name {
			s.value = v
		}
		dst = append(dst, s)
	}
	return dst
}

// work is what pricing the sample costs, counted for CheckWork: one, and
// one more for each list item.
func (r sample) work() int {
	n := 1
	for _, s := range r {
		n += len(s.value.List)
	}
	return n
}

// String writes the sample as sorted NAME=VALUE words, as a command line
// gives a request.
func (r sample) String() string {
	parts := make([]string, 0, len(r))
	for _, s := range r {
		parts = append(parts, s.input.Name+"="+s.value.String(s.input.Type))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// sampler draws requests from the inputs' declared domains.
type sampler struct {
	l       *engine.PriceList
	rng     *rand.Rand
	notable map[*rules.Input][]decimal.Decimal // by input (or field): bounds and the values examples and tables use
	lo, hi  map[*rules.Input]decimal.Decimal   // by input (or field): its domain
	path    map[*rules.Input]string            // what CheckValue calls it: "calls.seconds" for a field
	places  map[*rules.Input]int32             // the decimal places its random values have
	ints    map[*rules.Input]intDomain         // its domain in integers, when it fits
	// texts are the notable texts of the price list: text inputs' values
	// in defaults, examples and tables, and the text literals its
	// expressions compare with ("1800" in dialed startsWith "1800").
	texts []string
	// spareIn and others are reused for the second quote of an invariant.
	spareIn *engine.Inputs
	others  map[*engine.PriceList]*engine.Inputs
	// raisedQuote and quotes (of another list, by list) hold the second
	// quote of an invariant, reused from sample to sample.
	raisedQuote engine.Quote
	quotes      map[*engine.PriceList]*engine.Quote
	// req and values hold the current request; serial counts requests.
	req    sample
	values []rules.Value
	serial int
	// probe (and item, its list) is the value valid asks about.
	probe rules.Value
	item  [1]decimal.Decimal
	// raised is the last request a monotonic invariant raised an input
	// of, with its quote: invariants on the same input (one per meter)
	// share it, a quote fewer each.
	raised struct {
		of    int // the serial of the request raised
		input *rules.Input
		value *rules.Value
		other sample
		quote *engine.Quote
		err   error
		// raisedValue is room for the value, reused (as other's) from
		// sample to sample: what outlives one is written out.
		raisedValue rules.Value
	}
}

// maxNotable caps the distinct notable values kept per input: a file may
// reuse one long list in a thousand examples (YAML aliases), and every one
// of its values need not be tried.
const maxNotable = 256

func newSampler(l *engine.PriceList, seed uint64) *sampler {
	sm := &sampler{l: l, rng: rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d)), notable: map[*rules.Input][]decimal.Decimal{},
		lo: map[*rules.Input]decimal.Decimal{}, hi: map[*rules.Input]decimal.Decimal{}}
	seen := map[*rules.Input]map[string]bool{}
	add := func(in *rules.Input, v decimal.Decimal) {
		if seen[in] == nil {
			seen[in] = map[string]bool{}
		}
		if key := v.String(); !seen[in][key] && len(sm.notable[in]) < maxNotable {
			seen[in][key] = true
			sm.notable[in] = append(sm.notable[in], v)
		}
	}
	var note func(in *rules.Input, v *rules.Value)
	note = func(in *rules.Input, v *rules.Value) {
		if in == nil || v == nil {
			return
		}
		add(in, v.Num)
		for _, item := range v.List {
			add(in, item)
		}
		for _, rec := range v.Records {
			for name, fv := range rec {
				note(in.Field(name), fv)
			}
		}
	}
	var all []*rules.Input // inputs and records' fields
	sm.path = map[*rules.Input]string{}
	for _, in := range l.Rules.Inputs {
		all = append(all, in)
		sm.path[in] = in.Name
		for _, f := range in.Fields {
			all = append(all, f)
			sm.path[f] = in.Name + "." + f.Name
		}
	}
	for _, in := range all {
		for _, b := range []*rules.Bound{in.Min, in.Max, in.Above, in.Below} {
			if b != nil {
				add(in, b.Value)
			}
		}
		note(in, in.Default)
	}
	for _, ex := range l.Rules.Examples {
		for name, v := range ex.Input {
			note(l.Rules.Input(name), v)
		}
	}
	for _, t := range l.Rules.Tables {
		for _, v := range t.Rows.Values {
			note(l.Rules.Input(t.Rows.Input), v)
		}
	}
	// The numbers the expressions and grids write are notable for every
	// number input: a rule that changes at 10.005 is tried there.
	literals := notableNumbers(l)
	for _, in := range all {
		if in.Type == rules.Decimal || in.Type == rules.Whole || in.Type == rules.List {
			for _, v := range literals {
				add(in, v)
			}
		}
	}
	sm.places = map[*rules.Input]int32{}
	sm.ints = map[*rules.Input]intDomain{}
	for _, in := range all {
		sm.lo[in], sm.hi[in] = sm.domain(in)
		sm.places[in] = sm.placesOf(in)
		if d, ok := newIntDomain(sm.lo[in], sm.hi[in], sm.places[in]); ok {
			sm.ints[in] = d
		}
	}
	sm.texts = notableTexts(l)
	return sm
}

// literalRE finds the text literals of an expression.
var literalRE = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'`)

// notableTexts collects the texts a price list gives or compares with.
func notableTexts(l *engine.PriceList) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if !seen[t] && len(out) < maxNotable {
			seen[t] = true
			out = append(out, t)
		}
	}
	var value func(v *rules.Value)
	value = func(v *rules.Value) {
		if v == nil {
			return
		}
		if v.Text != "" {
			add(v.Text)
		}
		for _, rec := range v.Records {
			for _, fv := range rec {
				value(fv)
			}
		}
	}
	for _, in := range l.Rules.Inputs {
		value(in.Default)
	}
	for _, ex := range l.Rules.Examples {
		for _, v := range ex.Input {
			value(v)
		}
	}
	exprs := []*rules.Expr{}
	for _, v := range l.Rules.Values {
		exprs = append(exprs, v.Expr)
	}
	for _, in := range l.Rules.Inputs {
		for _, v := range in.RecordValues {
			exprs = append(exprs, v.Expr)
		}
	}
	for _, r := range l.Rules.Rates {
		exprs = append(exprs, r.When, r.Amount)
	}
	for _, e := range exprs {
		if e == nil {
			continue
		}
		for _, m := range literalRE.FindAllStringSubmatch(e.Text, -1) {
			add(m[1] + m[2])
		}
	}
	for _, g := range l.Rules.Grids { // a text key's exact values and prefixes
		for _, r := range g.Rows {
			for _, c := range r.Keys {
				if c.Text != "*" {
					add(strings.TrimSuffix(c.Text, "*"))
				}
			}
		}
	}
	return out
}

// text draws a valid text for the input: a notable text, one extended by
// random digits (a prefix a rule compares with, made a whole value), or
// random digits and letters; the input's default when none is valid.
func (sm *sampler) text(in *rules.Input) string {
	const chars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	random := func(n int, set string) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = set[sm.rng.IntN(len(set))]
		}
		return string(b)
	}
	for try := 0; try < 40; try++ {
		var t string
		switch k := sm.rng.IntN(5); {
		case k == 4 && in.Pattern != nil:
			t = fromPattern(sm.rng, in.Pattern.String())
		case k == 0 && len(sm.texts) > 0:
			t = sm.texts[sm.rng.IntN(len(sm.texts))]
		case k == 1 && len(sm.texts) > 0:
			t = sm.texts[sm.rng.IntN(len(sm.texts))] + random(sm.rng.IntN(12), chars[:10])
		case k == 2:
			t = random(1+sm.rng.IntN(15), chars[:10])
		default:
			t = random(sm.rng.IntN(12), chars)
		}
		if sm.l.CheckValue(sm.path[in], &rules.Value{Text: t}) == nil {
			return t
		}
	}
	if in.Default != nil {
		return in.Default.Text
	}
	return ""
}

// request draws one request with every input given.
//
// The request and its values are the sampler's, made again by the next
// request: what must outlive a sample is written out (Request strings)
// or copied (quotes).
func (sm *sampler) request() sample {
	sm.serial++
	inputs := sm.l.Rules.Inputs
	if len(sm.values) < len(inputs) {
		sm.values = make([]rules.Value, len(inputs))
	}
	req := sm.req[:0]
	for i, in := range inputs {
		v := &sm.values[i]
		*v = rules.Value{}
		switch in.Type {
		case rules.OneOf:
			v.Word = in.Values[sm.rng.IntN(len(in.Values))]
		case rules.Boolean:
			v.Bool = sm.rng.IntN(2) == 1
		case rules.List:
			n := sm.rng.IntN(4)
			if in.MaxItems > 0 {
				n = min(n, in.MaxItems)
			}
			v.List = make([]decimal.Decimal, n)
			for i := range v.List {
				v.List[i] = sm.number(in)
			}
		case rules.Records:
			n := sm.rng.IntN(4)
			if in.MaxItems > 0 {
				n = min(n, in.MaxItems)
			}
			v.Records = make([]map[string]*rules.Value, n)
			for i := range v.Records {
				rec := map[string]*rules.Value{}
				for _, f := range in.Fields {
					rec[f.Name] = sm.value(f)
				}
				v.Records[i] = rec
			}
		default:
			sm.fill(in, v)
		}
		req = append(req, setting{in, v})
	}
	sm.req = req
	return req
}

// value draws a value of a number, word, text or boolean input (or field).
func (sm *sampler) value(in *rules.Input) *rules.Value {
	v := &rules.Value{}
	sm.fill(in, v)
	return v
}

// fill sets v to a drawn value of a number, word, text or boolean input.
func (sm *sampler) fill(in *rules.Input, v *rules.Value) {
	v.Type = in.Type
	switch in.Type {
	case rules.OneOf:
		v.Word = in.Values[sm.rng.IntN(len(in.Values))]
	case rules.Boolean:
		v.Bool = sm.rng.IntN(2) == 1
	case rules.Text:
		v.Text = sm.text(in)
	default:
		v.Num = sm.number(in)
	}
}

// domain returns an input's bounds: the declared ones, or 0 and a top
// large enough to pass every value the price list mentions.
func (sm *sampler) domain(in *rules.Input) (lo, hi decimal.Decimal) {
	lo, hi = decimal.Zero, decimal.NewFromInt(1000)
	for _, v := range sm.notable[in] {
		if t := v.Mul(decimal.NewFromInt(10)); t.GreaterThan(hi) {
			hi = t
		}
	}
	if in.Min != nil {
		lo = in.Min.Value
	} else if in.Above != nil {
		lo = in.Above.Value
	}
	if in.Max != nil {
		hi = in.Max.Value
	} else if in.Below != nil {
		hi = in.Below.Value
	}
	return lo, hi
}

// number draws a valid number for the input: a notable value (nudged by
// a hundredth either way) a third of the time, else a random one with up to
// two decimal places (none for a whole input).
// spare returns Inputs of the list, reused for the second quote an
// invariant needs (a request with an input raised): one a sample, not one
// a check from the pool.
func (sm *sampler) spare() *engine.Inputs {
	if sm.spareIn == nil {
		sm.spareIn = sm.l.NewInputs()
	}
	return sm.spareIn
}

// quoteFor returns the reused quote of another list (not_above's).
func (sm *sampler) quoteFor(l *engine.PriceList) *engine.Quote {
	if sm.quotes == nil {
		sm.quotes = map[*engine.PriceList]*engine.Quote{}
	}
	if sm.quotes[l] == nil {
		sm.quotes[l] = &engine.Quote{}
	}
	return sm.quotes[l]
}

// spareFor returns reused Inputs of another list (not_above's).
func (sm *sampler) spareFor(l *engine.PriceList) *engine.Inputs {
	if sm.others == nil {
		sm.others = map[*engine.PriceList]*engine.Inputs{}
	}
	if sm.others[l] == nil {
		sm.others[l] = l.NewInputs()
	}
	return sm.others[l]
}

// withinBounds reports whether v is within an input's declared bounds
// (CheckValue decides; this only spares it the values it would refuse).
func withinBounds(in *rules.Input, v decimal.Decimal) bool {
	return (in.Min == nil || !v.LessThan(in.Min.Value)) && (in.Max == nil || !v.GreaterThan(in.Max.Value)) &&
		(in.Above == nil || v.GreaterThan(in.Above.Value)) && (in.Below == nil || v.LessThan(in.Below.Value))
}

func (sm *sampler) number(in *rules.Input) decimal.Decimal {
	lo, hi := sm.lo[in], sm.hi[in]
	places := sm.places[in]
	for try := 0; try < 20; try++ {
		var v decimal.Decimal
		if notable := sm.notable[in]; len(notable) > 0 && sm.rng.IntN(3) == 0 {
			// A notable value, or one unit of the last place either side.
			v = notable[sm.rng.IntN(len(notable))]
			v = v.Add(decimal.New(int64(sm.rng.IntN(3)-1), -places))
			v = v.Round(places)
		} else if d, ok := sm.ints[in]; ok {
			v = d.draw(int64(sm.rng.IntN(10001)))
		} else {
			v = lo.Add(hi.Sub(lo).Mul(decimal.New(int64(sm.rng.IntN(10001)), -4))).Round(places)
		}
		// The bounds first, cheaply: CheckValue words an error for each
		// value it refuses, and many random draws fall outside.
		if withinBounds(in, v) && sm.valid(in, v) {
			return v
		}
	}
	if in.Above != nil {
		return lo.Add(decimal.New(1, -places))
	}
	return lo
}

// valid reports whether the list takes v for the input (for a list
// input, as an item), asking CheckValue with a value of the sampler's.
func (sm *sampler) valid(in *rules.Input, v decimal.Decimal) bool {
	sm.item[0] = v
	sm.probe = rules.Value{Num: v, List: sm.item[:]}
	return sm.l.CheckValue(sm.path[in], &sm.probe) == nil
}

// placesOf is the decimal places of an input's random values: its
// declared places; else as many as the finest value the price list gives
// or compares it with, and at least 2 (a whole input has none), at most 6.
func (sm *sampler) placesOf(in *rules.Input) int32 {
	switch {
	case in.Type == rules.Whole:
		return 0
	case in.Places >= 0:
		return int32(in.Places)
	}
	p := int32(2)
	for _, v := range sm.notable[in] {
		p = max(p, -v.Exponent())
	}
	return min(p, 6)
}

// numberLiterals returns the number literals of an expression: digits,
// with a fraction when a point and digits follow, not part of a name or
// of another number (as the regular expression (?:^|[^\w.])(\d+\.\d+|\d+)
// finds them: TestNumberLiterals; by hand, as check reads every
// expression of every list it samples).
func numberLiterals(text string) []string {
	var out []string
	word := func(c byte) bool {
		return c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	for i := 0; i < len(text); i++ {
		if !digit(text[i]) || i > 0 && word(text[i-1]) {
			continue
		}
		j := i
		for j < len(text) && digit(text[j]) {
			j++
		}
		if j+1 < len(text) && text[j] == '.' && digit(text[j+1]) {
			for j++; j < len(text) && digit(text[j]); j++ {
			}
		}
		out = append(out, text[i:j])
		i = j - 1
	}
	return out
}

// notableNumbers collects the numbers a price list's expressions and grids
// write, each once, at most maxNotable.
func notableNumbers(l *engine.PriceList) []decimal.Decimal {
	seen := map[string]bool{}
	var out []decimal.Decimal
	add := func(text string) {
		d, err := decimal.NewFromString(text)
		if err == nil && !seen[d.String()] && len(out) < maxNotable {
			seen[d.String()] = true
			out = append(out, d)
		}
	}
	var exprs []*rules.Expr
	for _, v := range l.Rules.Values {
		exprs = append(exprs, v.Expr)
	}
	for _, r := range l.Rules.Rates {
		exprs = append(exprs, r.When, r.Amount)
	}
	for _, inv := range l.Rules.Invariants {
		exprs = append(exprs, inv.Holds)
	}
	for _, e := range exprs {
		if e != nil {
			for _, n := range numberLiterals(e.Text) {
				add(n)
			}
		}
	}
	for _, g := range l.Rules.Grids {
		for _, r := range g.Rows {
			for _, c := range r.Keys {
				from, to, _ := strings.Cut(c.Text, "..")
				add(from)
				add(to)
			}
		}
	}
	return out
}

// raise gives a value of the input above v: a greater number, true for
// false, a word later among the input's values (their declared order);
// false when v is the top. The value is written into out.
func (sm *sampler) raise(in *rules.Input, v *rules.Value, out *rules.Value) bool {
	*out = rules.Value{Type: in.Type}
	switch in.Type {
	case rules.Boolean:
		out.Bool = true
		return !v.Bool
	case rules.OneOf:
		i := slices.Index(in.Values, v.Word)
		if i < 0 || i == len(in.Values)-1 {
			return false
		}
		out.Word = in.Values[i+1+sm.rng.IntN(len(in.Values)-i-1)]
		return true
	}
	w, ok := sm.above(in, v.Num)
	out.Num = w
	return ok
}

// above draws a valid value of the input greater than v, or reports
// false.
func (sm *sampler) above(in *rules.Input, v decimal.Decimal) (decimal.Decimal, bool) {
	for try := 0; try < 20; try++ {
		w := sm.number(in)
		if w.GreaterThan(v) {
			return w, true
		}
		step := decimal.New(int64(1+sm.rng.IntN(100)), -int32(sm.rng.IntN(3)))
		if in.Type == rules.Whole {
			step = step.Ceil()
		}
		w = v.Add(step)
		if withinBounds(in, w) && sm.valid(in, w) {
			return w, true
		}
	}
	return decimal.Decimal{}, false
}

package engine

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// Terms are what a quote is priced under besides its inputs: when, for a
// customer since when, and what is left of their allowances. The zero
// Terms price as of now, with no grandfathering and no allowance drawn.
type Terms struct {
	At            time.Time                  // the instant priced; zero: now
	CustomerSince time.Time                  // when the customer signed; zero: not given
	Remaining     map[string]decimal.Decimal // allowance name -> what is left; nil: draw none
}

// Clock gives the instant a quote without Terms.At is priced as of. A
// program that must reproduce a run (a test, a document's examples) fixes
// it before pricing; the command sets it from RATECARD_NOW.
var Clock = time.Now

// span is a stretch of time during which one compiled list prices a name,
// and the older version grandfathered customers keep, if any.
type span struct {
	from, until time.Time
	// lo and hi are from and until in Unix nanoseconds (since ever and no
	// end as the extremes): a quote's lookup compares integers.
	lo, hi     int64
	list       *PriceList
	keep       *PriceList
	keepBefore time.Time
}

func newSpan(from, until time.Time, list *PriceList) span {
	sp := span{from: from, until: until, list: list, lo: math.MinInt64, hi: math.MaxInt64}
	if !from.IsZero() {
		sp.lo = from.UnixNano()
	}
	if !until.IsZero() {
		sp.hi = until.UnixNano()
	}
	return sp
}

func (sp *span) contains(t int64) bool { return t >= sp.lo && t < sp.hi }

// schedule is every name's spans, in order of time.
type schedule map[string][]span

func newSchedule(set *rules.Set, compiled map[*rules.PriceList]*PriceList) schedule {
	out := make(schedule, len(set.Schedule))
	for name, spans := range set.Schedule {
		for _, sp := range spans {
			s := newSpan(sp.From, sp.Until, compiled[sp.List])
			if sp.Keep != nil {
				s.keep, s.keepBefore = compiled[sp.Keep.List], sp.Keep.SinceBefore
			}
			out[name] = append(out[name], s)
		}
	}
	return out
}

// find returns the span of name in force at t, or nil.
func (sc schedule) find(name string, t time.Time) *span { return spanAt(sc[name], unixNano(t)) }

// unixNano is t in Unix nanoseconds, held to the range they cover (the
// years 1678 to 2262) rather than wrapped around.
func unixNano(t time.Time) int64 {
	switch s := t.Unix(); { // cheap, where Year is not
	case s < -9e9:
		return math.MinInt64
	case s > 9e9:
		return math.MaxInt64 - 1
	}
	return t.UnixNano()
}

// spanAt returns the span of spans in force at t (Unix nanoseconds), or
// nil.
func spanAt(spans []span, t int64) *span {
	if len(spans) == 1 { // most lists have one version: no search
		if spans[0].contains(t) {
			return &spans[0]
		}
		return nil
	}
	// The first span that ends after t: a binary search keeps a
	// contract's long history cheap too.
	i := sort.Search(len(spans), func(i int) bool { return t < spans[i].hi })
	if i < len(spans) && spans[i].contains(t) {
		return &spans[i]
	}
	return nil
}

// NotInForceError is returned for a price list that prices nothing at the
// instant asked: before its first version, or between an overlay's end
// and nothing.
type NotInForceError struct {
	Name string
	At   time.Time
	From time.Time // when it first prices, if it ever does after At
}

func (e *NotInForceError) Error() string {
	if !e.From.IsZero() && e.At.Before(e.From) {
		return fmt.Sprintf("price list %s is not in force at %s: it takes effect %s", e.Name, rules.FormatInstant(e.At), rules.FormatInstant(e.From))
	}
	return fmt.Sprintf("price list %s is not in force at %s", e.Name, rules.FormatInstant(e.At))
}

// version finds the compiled list that prices name under terms, and the
// instant its span began (zero: since ever).
func (rs *RuleSet) version(name string, t Terms) (*PriceList, time.Time, error) {
	if name == "" {
		name = rs.defaultName
		if name == "" {
			return nil, time.Time{}, fmt.Errorf("the rules hold %d price lists (%s): name one", len(rs.schedule), strings.Join(rs.names(), ", "))
		}
	}
	spans, known := rs.schedule[name]
	if !known {
		return nil, time.Time{}, &UnknownListError{Name: name, Known: rs.names()}
	}
	at := t.At
	if at.IsZero() {
		at = Clock()
	}
	sp := spanAt(spans, unixNano(at))
	if sp == nil {
		e := &NotInForceError{Name: name, At: at}
		if len(spans) > 0 {
			e.From = spans[0].from
		}
		return nil, time.Time{}, e
	}
	if sp.keep != nil && !t.CustomerSince.IsZero() && t.CustomerSince.Before(sp.keepBefore) {
		return sp.keep, sp.keep.Rules.Effective, nil // the kept version, as it took effect
	}
	return sp.list, sp.from, nil
}

// ListAt finds the version of a price list that prices under terms ("" names
// the default list).
func (rs *RuleSet) ListAt(name string, t Terms) (*PriceList, error) {
	l, _, err := rs.version(name, t)
	return l, err
}

// QuoteTerms prices a request against the named price list under terms:
// as of an instant, grandfathered by when the customer signed, drawing on
// the allowances they have left.
func (rs *RuleSet) QuoteTerms(list string, t Terms, req Request) (*Quote, error) {
	l, from, err := rs.version(list, t)
	if err != nil {
		return nil, err
	}
	q, err := l.Quote(req)
	if err != nil {
		return nil, err
	}
	q.Effective = from
	if t.Remaining != nil {
		if err := l.draw(q, t.Remaining); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// ExplainTerms prices a request under terms and tells how each line was
// computed.
func (rs *RuleSet) ExplainTerms(list string, t Terms, req Request) (*Explanation, error) {
	l, from, err := rs.version(list, t)
	if err != nil {
		return nil, err
	}
	e, err := l.Explain(req)
	if err != nil {
		return nil, err
	}
	e.Quote.Effective = from
	if t.Remaining != nil {
		if err := l.draw(e.Quote, t.Remaining); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Upcoming is a version that will take effect, as /v1/rules lists it.
type Upcoming struct {
	List      string    `json:"list"`
	Version   string    `json:"version,omitempty"`
	Effective time.Time `json:"effective"`
	Extends   string    `json:"extends,omitempty"`
}

// Upcoming lists the changes of price after t, in order of time: each
// instant at which what prices some name changes.
func (rs *RuleSet) Upcoming(t time.Time) []Upcoming {
	var out []Upcoming
	for _, name := range rs.names() {
		for _, sp := range rs.schedule[name] {
			if sp.from.After(t) {
				out = append(out, Upcoming{List: name, Version: sp.list.Rules.Version, Effective: sp.from, Extends: sp.list.Rules.Extends})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Effective.Before(out[j].Effective) })
	return out
}

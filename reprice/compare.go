package reprice

import (
	"container/heap"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"ratecard/engine"
)

// comparer holds what every part of a comparison shares: the lists, how
// the file's columns map to their inputs, and the options.
type comparer struct {
	old, new   *engine.PriceList
	bOld, bNew *binding
	group      int
	carried    []string // columns that name a record among the largest changes
	top        int
}

// Compare prices every record of in under old and new, which must charge
// the same meters. A record that either list cannot price is rejected.
// Memory holds the counts of distinct differences, the top changes and the
// groups, never the records. With opts.Workers above 1, batches of records
// are compared in parallel and merged in file order.
func Compare(in Reader, old, new *engine.PriceList, opts Options, top int) (*Comparison, error) {
	oldMeters, newMeters := meterNames(old), meterNames(new)
	if strings.Join(oldMeters, ",") != strings.Join(newMeters, ",") {
		return nil, fmt.Errorf("the old rules charge meters %v and the new ones %v: diff compares the same meters", oldMeters, newMeters)
	}
	if err := checkColumns(in.Columns(), in.Format() == "csv", opts.ExtraColumns, new, old); err != nil {
		return nil, err
	}
	cp := &comparer{old: old, new: new, bOld: bind(in.Columns(), old), bNew: bind(in.Columns(), new), top: top}
	var err error
	if cp.group, err = groupColumn(cp.bOld, opts.GroupBy); err != nil {
		return nil, err
	}
	for _, col := range in.Columns() {
		if old.Rules.Input(col) == nil && new.Rules.Input(col) == nil {
			cp.carried = append(cp.carried, col)
		}
	}
	c := cp.newPart()
	c.GroupBy = opts.GroupBy
	if opts.Workers > 1 && !opts.Strict {
		c.Read, c.Rejected, err = inParallel(in, opts, cp.newPart, (*Comparison).add,
			func(p *Comparison) error { c.merge(p); return nil })
	} else {
		c.Read, c.Rejected, err = each(in, opts, func(rec *Record) (error, error) { return c.add(rec), nil })
	}
	if err != nil {
		return c, err
	}
	c.finish()
	return c, nil
}

// newPart starts an empty comparison: the whole one, or a batch's part.
func (cp *comparer) newPart() *Comparison {
	c := &Comparison{List: cp.new.Rules.Name, cp: cp, groups: map[string]*GroupDiff{},
		rates: map[[2]string]*RateDiff{}, old: cp.bOld.pricer(), new: cp.bNew.pricer()}
	for _, m := range cp.new.Rules.Meters {
		c.Meters = append(c.Meters, &MeterDiff{Meter: m.Name, Places: m.Places, unitCounts: map[int64]int{}, counts: map[string]int{},
			old: exactSum{places: m.Places}, new: exactSum{places: m.Places}})
	}
	return c
}

// add compares one record; an error rejects it.
func (c *Comparison) add(rec *Record) error {
	cp := c.cp
	qo, err := c.old.quote(rec)
	if err != nil {
		return fmt.Errorf("old rules: %v", err)
	}
	qn, err := c.new.quote(rec)
	if err != nil {
		return fmt.Errorf("new rules: %v", err)
	}
	c.Priced++
	for _, l := range qo.Lines {
		c.rate(l.Rate, l.Meter, l.Amount.Places()).old.add(l.Amount)
	}
	for _, l := range qn.Lines {
		c.rate(l.Rate, l.Meter, l.Amount.Places()).new.add(l.Amount)
	}
	for i, m := range c.Meters {
		c.recordMeter(m, rec, qo.Totals[i].Amount, qn.Totals[i].Amount)
	}
	if cp.group >= 0 {
		c.addGroup(cp.bOld.text(rec, cp.group), qo.Totals, qn.Totals)
	}
	return nil
}

// rate finds (or starts) a rate's totals on a meter; rates keep the order
// they are first seen in.
func (c *Comparison) rate(name, meter string, places int32) *RateDiff {
	k := [2]string{name, meter}
	r := c.rates[k]
	if r == nil {
		r = &RateDiff{Rate: name, Meter: meter, places: places, old: exactSum{places: places}, new: exactSum{places: places}}
		c.rates[k] = r
		c.Rates = append(c.Rates, r)
	}
	return r
}

// merge adds a later part's comparison to this one.
func (c *Comparison) merge(o *Comparison) {
	c.Priced += o.Priced
	for i, m := range c.Meters {
		om := o.Meters[i]
		m.old.merge(om.old)
		m.new.merge(om.new)
		m.More, m.Less, m.Same = m.More+om.More, m.Less+om.Less, m.Same+om.Same
		for k, n := range om.unitCounts {
			m.unitCounts[k] += n
		}
		for k, n := range om.counts {
			m.counts[k] += n
		}
		for _, ch := range om.top {
			m.keep(ch, c.cp.top)
		}
	}
	for _, r := range o.Rates {
		mine := c.rate(r.Rate, r.Meter, r.old.places)
		mine.old.merge(r.old)
		mine.new.merge(r.new)
	}
	for name, og := range o.groups {
		g := c.group(name)
		g.Records += og.Records
		for i := range g.old {
			g.old[i].merge(og.old[i])
			g.new[i].merge(og.new[i])
		}
	}
}

func meterNames(l *engine.PriceList) []string {
	var names []string
	for _, m := range l.Rules.Meters {
		names = append(names, m.Name)
	}
	return names
}

func (c *Comparison) recordMeter(m *MeterDiff, rec *Record, oa, na engine.Amount) {
	m.old.add(oa)
	m.new.add(na)
	var delta decimal.Decimal
	ou, okOld := oa.Units()
	nu, okNew := na.Units()
	d := nu - ou
	overflow := (ou > 0 && d > nu) || (ou < 0 && d < nu)
	if okOld && okNew && !overflow && oa.Places() == m.Places && na.Places() == m.Places {
		// The common case, in int64 units.
		m.unitCounts[d]++
		if !m.changed(d) || !c.mayKeep(m, d, rec.Line) {
			return
		}
		delta = decimal.New(d, -m.Places)
	} else {
		delta = na.Decimal().Sub(oa.Decimal())
		m.counts[delta.String()]++
		top := c.cp.top
		if !m.changed(int64(delta.Sign())) || top <= 0 || (len(m.top) == top && !largerChange(delta, rec.Line, m.top[0])) {
			return
		}
	}
	var desc []string
	for _, col := range c.cp.carried {
		if i := c.cp.bOld.column(col); i >= 0 {
			desc = append(desc, col+"="+c.cp.bOld.text(rec, i))
		}
	}
	m.keep(&Change{Line: rec.Line, Record: strings.Join(desc, " "), Old: oa.Decimal(), New: na.Decimal(), Delta: delta}, c.cp.top)
}

// changed counts a record as paying more, less or the same by the sign of
// its difference, and reports whether it changed.
func (m *MeterDiff) changed(sign int64) bool {
	switch {
	case sign > 0:
		m.More++
	case sign < 0:
		m.Less++
	default:
		m.Same++ // a record with no change is never among the largest
		return false
	}
	return true
}

// mayKeep reports whether a change of d units at line is among the
// largest so far, comparing in units when the smallest kept change fits
// them.
func (c *Comparison) mayKeep(m *MeterDiff, d int64, line int) bool {
	top := c.cp.top
	if top <= 0 {
		return false
	}
	if len(m.top) < top {
		return true
	}
	least := m.top[0]
	lu, ok := units(least.Delta, m.Places)
	if !ok {
		return largerChange(decimal.New(d, -m.Places), line, least)
	}
	a, b := abs64(d), abs64(lu)
	return a > b || (a == b && line < least.Line)
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// keep adds a change to the largest ones, keeping at most top.
func (m *MeterDiff) keep(ch *Change, top int) {
	heap.Push(&m.top, ch)
	if len(m.top) > top {
		heap.Pop(&m.top)
	}
}

// largerChange orders changes: a larger absolute difference first, then
// the earlier line, so that the largest changes do not depend on the
// order records were compared in.
func largerChange(delta decimal.Decimal, line int, than *Change) bool {
	if d := delta.Abs().Cmp(than.Delta.Abs()); d != 0 {
		return d > 0
	}
	return line < than.Line
}

func (c *Comparison) addGroup(name string, old, new []engine.Total) {
	g := c.group(name)
	g.Records++
	for i := range g.old {
		g.old[i].add(old[i].Amount)
		g.new[i].add(new[i].Amount)
	}
}

// group finds (or starts) a group's sums.
func (c *Comparison) group(name string) *GroupDiff {
	g := c.groups[name]
	if g == nil {
		g = &GroupDiff{Group: name, old: make([]exactSum, len(c.Meters)), new: make([]exactSum, len(c.Meters)), places: make([]int32, len(c.Meters))}
		for i, m := range c.Meters {
			g.old[i].places, g.new[i].places, g.places[i] = m.Places, m.Places, m.Places
		}
		c.groups[name] = g
	}
	return g
}

// finish orders the groups, rates and largest changes, and computes the
// percentiles and histogram from the counts.
func (c *Comparison) finish() {
	for _, g := range c.groups {
		g.Old, g.New = make([]decimal.Decimal, len(g.old)), make([]decimal.Decimal, len(g.new))
		for i := range g.old {
			g.Old[i], g.New[i] = g.old[i].value(), g.new[i].value()
		}
		c.Groups = append(c.Groups, g)
	}
	for _, r := range c.Rates {
		r.Old, r.New = r.old.value(), r.new.value()
	}
	sort.Slice(c.Groups, func(i, j int) bool { return c.Groups[i].Group < c.Groups[j].Group })
	for _, m := range c.Meters {
		m.Old, m.New = m.old.value(), m.new.value()
		m.Largest = append([]*Change(nil), m.top...)
		sort.Slice(m.Largest, func(i, j int) bool {
			return largerChange(m.Largest[i].Delta, m.Largest[i].Line, m.Largest[j])
		})
		m.distribution()
	}
}

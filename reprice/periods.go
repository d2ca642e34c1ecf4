package reprice

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"ratecard/engine"
	"ratecard/rules"
)

// PeriodOptions tune Periods.
type PeriodOptions struct {
	List       string // the price list of a record that names none ("": the default)
	AtColumn   string // each record's instant (RFC 3339): it is priced as of it
	ListColumn string // names each record's price list, or a plan of List's (see listFor)
	GroupBy    string // the customer column: a period is one customer's ("" for all records)
	Every      string // day, month or year (in UTC); "" is month
	Options           // Strict, ExtraColumns and OnBad apply
}

// PeriodRow is what one customer's period charged: per meter (in the
// list's order), the records' total, what the allowances that renew each
// period gave, what the period's own rates charged, and what is billed.
type PeriodRow struct {
	Group   string
	Start   time.Time
	Lists   []string // the lists that priced its records (its plan, and any it moved to)
	Records int
	Total   []decimal.Decimal
	Drawn   []decimal.Decimal
	Charges []decimal.Decimal
	Billed  []decimal.Decimal
	// Lines are the period rates' lines, as "rate amount" words.
	Lines []string
}

// PeriodReport is the outcome of Periods: a row per customer and period,
// ordered by group and then time, and the sums of every row.
type PeriodReport struct {
	List     string
	Every    string
	GroupBy  string
	Meters   []string
	Places   []int32
	Read     int
	Priced   int
	Rejected int
	Rows     []*PeriodRow
	Sum      *PeriodRow
}

// periodState accumulates one customer's period in record order.
type periodState struct {
	row  *PeriodRow
	left map[string]decimal.Decimal // what is left of each renewing allowance
	last *engine.PriceList          // the list of its latest record: its period rates apply
}

// Periods reprices a usage file record by record as of each record's
// instant, under its customer's plan when a column names it, and sums
// each customer's periods: the allowances that renew each period (amount
// and per: in the rules) are drawn in record order, then the period's own
// rates (a cap, a minimum commitment, tiers over the period's total) are
// charged over the period's totals, as the list in force at its last
// record declares them.
func Periods(in Reader, rs *engine.RuleSet, opts PeriodOptions) (*PeriodReport, error) {
	if opts.Every == "" {
		opts.Every = "month"
	}
	if !slices.Contains(rules.Periods, opts.Every) {
		return nil, fmt.Errorf("-period must be one of %s, not %q", strings.Join(rules.Periods, ", "), opts.Every)
	}
	base, err := rs.ListAt(opts.List, engine.Terms{})
	if err != nil {
		return nil, err
	}
	if err := checkColumns(in.Columns(), in.Format() == "csv", opts.ExtraColumns, base); err != nil {
		return nil, err
	}
	b := bind(in.Columns(), base)
	atCol, listCol, group := -1, -1, -1
	for _, c := range []struct {
		name, flag string
		at         *int
	}{{opts.AtColumn, "-at-column", &atCol}, {opts.ListColumn, "-list-column", &listCol}, {opts.GroupBy, "-group-by", &group}} {
		if c.name == "" {
			continue
		}
		if *c.at = b.column(c.name); *c.at < 0 {
			return nil, fmt.Errorf("%s %s: the usage file has no such column (it has %v)", c.flag, c.name, b.columns)
		}
	}
	if atCol < 0 {
		return nil, fmt.Errorf("a period view needs -at-column: the column of each record's instant")
	}
	rep := &PeriodReport{List: base.Rules.Name, Every: opts.Every, GroupBy: opts.GroupBy}
	for _, m := range base.Rules.Meters {
		rep.Meters = append(rep.Meters, m.Name)
		rep.Places = append(rep.Places, m.Places)
	}
	pricers := map[*engine.PriceList]*pricer{}
	states := map[string]*periodState{}
	rep.Read, rep.Rejected, err = each(in, opts.Options, func(rec *Record) (error, error) {
		at, err := rules.ParseInstant(strings.TrimSpace(b.text(rec, atCol)))
		if err != nil {
			return fmt.Errorf("%s: %v", opts.AtColumn, err), nil
		}
		name := rep.List
		if listCol >= 0 {
			if name, err = listFor(rs, rep.List, b.text(rec, listCol)); err != nil {
				return err, nil
			}
		}
		l, err := rs.ListAt(name, engine.Terms{At: at})
		if err != nil {
			return err, nil
		}
		if len(l.Rules.Meters) != len(rep.Meters) {
			return fmt.Errorf("%s does not charge the meters of %s", name, rep.List), nil
		}
		p := pricers[l]
		if p == nil {
			p = bind(in.Columns(), l).pricer()
			pricers[l] = p
		}
		q, err := p.quote(rec)
		if err != nil {
			return err, nil
		}
		g := ""
		if group >= 0 {
			g = b.text(rec, group)
		}
		start := periodStart(at, opts.Every)
		key := g + "\x00" + start.Format(time.RFC3339)
		st := states[key]
		if st == nil {
			st = &periodState{row: newPeriodRow(g, start, len(rep.Meters)), left: map[string]decimal.Decimal{}}
			states[key] = st
		}
		st.add(l, q, opts.Every)
		rep.Priced++
		return nil, nil
	})
	if err != nil {
		return rep, err
	}
	rep.Sum = newPeriodRow("", time.Time{}, len(rep.Meters))
	for _, st := range states {
		if err := st.finish(); err != nil {
			return rep, fmt.Errorf("%s, period from %s: %v", st.row.Group, st.row.Start.Format(time.DateOnly), err)
		}
		rep.Rows = append(rep.Rows, st.row)
		rep.Sum.merge(st.row)
	}
	sort.Slice(rep.Rows, func(i, j int) bool {
		a, b := rep.Rows[i], rep.Rows[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		return a.Start.Before(b.Start)
	})
	return rep, nil
}

// listFor names the price list of a record whose list column holds v: a
// list of that name, or, when there is none, the plan of the default list
// called DEFAULT-v (a "pro" column value names video-credits-pro); an empty
// value names the default list.
func listFor(rs *engine.RuleSet, def, v string) (string, error) {
	v = strings.TrimSpace(v)
	names := rs.Names()
	switch {
	case v == "":
		return def, nil
	case slices.Contains(names, v):
		return v, nil
	case slices.Contains(names, def+"-"+v):
		return def + "-" + v, nil
	}
	return "", fmt.Errorf("no price list %s (nor %s)%s", rules.Quote(v), rules.Quote(def+"-"+v), rules.DidYouMean(v, names))
}

// periodStart is the start, in UTC, of the day, month or year holding t.
func periodStart(t time.Time, every string) time.Time {
	t = t.UTC()
	switch every {
	case "day":
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	case "year":
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func newPeriodRow(group string, start time.Time, meters int) *PeriodRow {
	zeros := func() []decimal.Decimal { return make([]decimal.Decimal, meters) }
	return &PeriodRow{Group: group, Start: start, Total: zeros(), Drawn: zeros(), Charges: zeros(), Billed: zeros()}
}

// add counts one record's quote, drawing on the allowances that renew each
// period, in the list's draw order.
func (st *periodState) add(l *engine.PriceList, q *engine.Quote, every string) {
	r := st.row
	r.Records++
	if !slices.Contains(r.Lists, l.Rules.Name) {
		r.Lists = append(r.Lists, l.Rules.Name)
	}
	st.last = l
	for i, t := range q.Totals {
		amount := t.Amount.Decimal()
		r.Total[i] = r.Total[i].Add(amount)
		owed := decimal.Max(amount, decimal.Zero)
		for _, a := range l.Rules.Allowances {
			if a.Meter != t.Meter || a.Amount == nil || a.Per != every || owed.IsZero() {
				continue
			}
			left, seen := st.left[a.Name]
			if !seen {
				left = *a.Amount // renewed at the period's first record
			}
			take := decimal.Min(left, owed)
			st.left[a.Name] = left.Sub(take)
			owed = owed.Sub(take)
			r.Drawn[i] = r.Drawn[i].Add(take)
		}
		r.Billed[i] = r.Billed[i].Add(owed)
	}
}

// finish charges the period's own rates over its totals.
func (st *periodState) finish() error {
	r := st.row
	q, err := st.last.PeriodCharges(r.Total, r.Billed)
	if err != nil || q == nil {
		return err
	}
	for _, ln := range q.Lines {
		r.Lines = append(r.Lines, ln.Rate+" "+ln.Amount.String())
	}
	for i, t := range q.Totals {
		r.Charges[i] = t.Amount.Decimal()
		r.Billed[i] = r.Billed[i].Add(r.Charges[i])
	}
	return nil
}

// merge adds another row's amounts (for the report's sum).
func (r *PeriodRow) merge(o *PeriodRow) {
	r.Records += o.Records
	for i := range r.Total {
		r.Total[i] = r.Total[i].Add(o.Total[i])
		r.Drawn[i] = r.Drawn[i].Add(o.Drawn[i])
		r.Charges[i] = r.Charges[i].Add(o.Charges[i])
		r.Billed[i] = r.Billed[i].Add(o.Billed[i])
	}
}

// PeriodComparison is the same usage summed by period under two rule sets.
type PeriodComparison struct {
	Old, New *PeriodReport
	// Changes pairs each period's rows (either may be nil when a record
	// priced under one rule set only), the largest change of the first
	// meter's bill first.
	Changes []PeriodChange
}

// PeriodChange is one customer period under both rule sets.
type PeriodChange struct {
	Group    string
	Start    time.Time
	Old, New *PeriodRow
}

// Billed returns the change of a meter's bill (new minus old).
func (c PeriodChange) Billed(meter int) decimal.Decimal {
	var o, n decimal.Decimal
	if c.Old != nil {
		o = c.Old.Billed[meter]
	}
	if c.New != nil {
		n = c.New.Billed[meter]
	}
	return n.Sub(o)
}

// ComparePeriods runs Periods over the usage under the old rules and then
// the new (open gives the usage afresh for each run), and pairs their
// periods.
func ComparePeriods(open func() (Reader, error), oldRules, newRules *engine.RuleSet, opts PeriodOptions) (*PeriodComparison, error) {
	out := &PeriodComparison{}
	for _, run := range []struct {
		rules *engine.RuleSet
		dst   **PeriodReport
		side  string
	}{{oldRules, &out.Old, "old rules"}, {newRules, &out.New, "new rules"}} {
		in, err := open()
		if err != nil {
			return nil, err
		}
		if *run.dst, err = Periods(in, run.rules, opts); err != nil {
			return nil, fmt.Errorf("%s: %w", run.side, err)
		}
	}
	if !slices.Equal(out.Old.Meters, out.New.Meters) {
		return nil, fmt.Errorf("the old rules charge %v, the new %v: there is nothing to compare", out.Old.Meters, out.New.Meters)
	}
	byKey := map[string]*PeriodChange{}
	pair := func(r *PeriodRow, old bool) {
		key := r.Group + "\x00" + r.Start.Format(time.RFC3339)
		c := byKey[key]
		if c == nil {
			c = &PeriodChange{Group: r.Group, Start: r.Start}
			byKey[key] = c
		}
		if old {
			c.Old = r
		} else {
			c.New = r
		}
	}
	for _, r := range out.Old.Rows {
		pair(r, true)
	}
	for _, r := range out.New.Rows {
		pair(r, false)
	}
	for _, c := range byKey {
		out.Changes = append(out.Changes, *c)
	}
	sort.Slice(out.Changes, func(i, j int) bool {
		a, b := out.Changes[i].Billed(0).Abs(), out.Changes[j].Billed(0).Abs()
		if !a.Equal(b) {
			return a.GreaterThan(b)
		}
		if out.Changes[i].Group != out.Changes[j].Group {
			return out.Changes[i].Group < out.Changes[j].Group
		}
		return out.Changes[i].Start.Before(out.Changes[j].Start)
	})
	return out, nil
}

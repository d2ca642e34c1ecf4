package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"ratecard/internal/report"
	"ratecard/reprice"
)

// periodFlags are reprice's flags for pricing each record as of its own
// instant and summing customers' periods.
type periodFlags struct {
	atColumn, listColumn, period *string
	top                          *int
}

func (c *command) periodFlags() *periodFlags {
	return &periodFlags{
		atColumn:   c.flags.String("at-column", "", "price each record as of the instant in `COLUMN` (RFC 3339), and sum customers' periods"),
		listColumn: c.flags.String("list-column", "", "price each record under the list (or plan of -list: pro for LIST-pro) named in `COLUMN`"),
		period:     c.flags.String("period", "month", "with -at-column, the `PERIOD` summed per customer (-group-by): day, month or year, in UTC"),
		top:        c.flags.Int("top", 10, "with -at-column, show the `N` customer periods that bill the most"),
	}
}

func (f *periodFlags) on() bool { return *f.atColumn != "" || *f.listColumn != "" }

// runPeriods reprices the usage record by record as of each record's
// instant and prints each customer's periods.
func (c *command) runPeriods(list string, f *periodFlags, what *whatIfFlags, format string) int {
	rs, err := c.load()
	if err != nil {
		return c.fail(err)
	}
	in, opts, err := c.openUsage(what)
	if err != nil {
		return c.fail(err)
	}
	defer in.Close()
	stopProgress := c.progress(in)
	rep, err := reprice.Periods(in, rs, reprice.PeriodOptions{List: list, AtColumn: *f.atColumn, ListColumn: *f.listColumn,
		GroupBy: *what.groupBy, Every: *f.period, Options: opts})
	stopProgress()
	if err != nil {
		return c.fail(usageFileError(*what.usage, err))
	}
	if format == "json" {
		c.writeJSON(rep)
	} else {
		writePeriods(c.stdout, rep, *f.top)
	}
	if rep.Rejected > 0 {
		fmt.Fprintf(c.stderr, "ratecard: %d of %d records rejected\n", rep.Rejected, rep.Read)
		return exitFail
	}
	return exitOK
}

// writePeriods prints the sums of every period and the top customer
// periods by what they bill.
func writePeriods(w io.Writer, rep *reprice.PeriodReport, top int) {
	who := "all records"
	if rep.GroupBy != "" {
		who = "each " + rep.GroupBy
	}
	fmt.Fprintf(w, "%s: %d records read, %d priced, %d rejected; %d periods (a %s of %s, UTC)\n",
		rep.List, rep.Read, rep.Priced, rep.Rejected, len(rep.Rows), rep.Every, who)
	rows := [][]string{{"meter", "total", "drawn", "period charges", "billed"}}
	for i, m := range rep.Meters {
		p := rep.Places[i]
		rows = append(rows, []string{m, rep.Sum.Total[i].StringFixed(p), rep.Sum.Drawn[i].StringFixed(p),
			signed(rep.Sum.Charges[i], p), rep.Sum.Billed[i].StringFixed(p)})
	}
	report.Columns(w, "  ", rows, 1, 2, 3, 4)
	if top <= 0 || len(rep.Rows) == 0 {
		return
	}
	byBilled := append([]*reprice.PeriodRow(nil), rep.Rows...)
	sort.SliceStable(byBilled, func(i, j int) bool { return byBilled[i].Billed[0].GreaterThan(byBilled[j].Billed[0]) })
	if len(byBilled) > top {
		byBilled = byBilled[:top]
	}
	fmt.Fprintf(w, "\nThe %d periods that bill the most %s\n", len(byBilled), rep.Meters[0])
	p := rep.Places[0]
	group := rep.GroupBy
	if group == "" {
		group = "group"
	}
	rows = [][]string{{group, rep.Every, "lists", "records", "total", "drawn", "period charges", "billed"}}
	for _, r := range byBilled {
		rows = append(rows, []string{r.Group, r.Start.Format(periodLayout(rep.Every)), strings.Join(r.Lists, ","), fmt.Sprint(r.Records),
			r.Total[0].StringFixed(p), r.Drawn[0].StringFixed(p), signed(r.Charges[0], p), r.Billed[0].StringFixed(p)})
	}
	report.Columns(w, "  ", rows, 3, 4, 5, 6, 7)
}

func periodLayout(every string) string {
	switch every {
	case "day":
		return time.DateOnly
	case "year":
		return "2006"
	}
	return "2006-01"
}

func signed(d decimal.Decimal, places int32) string {
	if d.IsPositive() {
		return "+" + d.StringFixed(places)
	}
	return d.StringFixed(places)
}

// writePeriodComparison prints what the periods bill under both rule sets
// and the periods whose bill changes most.
func writePeriodComparison(w io.Writer, cmp *reprice.PeriodComparison, top int) {
	o, n := cmp.Old, cmp.New
	fmt.Fprintf(w, "%s: %d records read, %d priced (old), %d priced (new); %d periods\n", n.List, n.Read, o.Priced, n.Priced, len(cmp.Changes))
	rows := [][]string{{"meter", "old billed", "new billed", "change", "%"}}
	for i, m := range n.Meters {
		p := n.Places[i]
		change := n.Sum.Billed[i].Sub(o.Sum.Billed[i])
		pct := "-"
		if !o.Sum.Billed[i].IsZero() {
			pct = signed(change.Mul(decimal.NewFromInt(100)).Div(o.Sum.Billed[i]), 2) + "%"
		}
		rows = append(rows, []string{m, o.Sum.Billed[i].StringFixed(p), n.Sum.Billed[i].StringFixed(p), signed(change, p), pct})
	}
	report.Columns(w, "  ", rows, 1, 2, 3, 4)
	changes := cmp.Changes
	if len(changes) > top {
		changes = changes[:top]
	}
	if len(changes) == 0 {
		return
	}
	p := n.Places[0]
	fmt.Fprintf(w, "\nThe %d periods whose %s bill changes most\n", len(changes), n.Meters[0])
	group := n.GroupBy
	if group == "" {
		group = "group"
	}
	rows = [][]string{{group, n.Every, "old", "new", "change"}}
	for _, ch := range changes {
		old, new := "-", "-"
		if ch.Old != nil {
			old = ch.Old.Billed[0].StringFixed(p)
		}
		if ch.New != nil {
			new = ch.New.Billed[0].StringFixed(p)
		}
		rows = append(rows, []string{ch.Group, ch.Start.Format(periodLayout(n.Every)), old, new, signed(ch.Billed(0), p)})
	}
	report.Columns(w, "  ", rows, 2, 3, 4)
}

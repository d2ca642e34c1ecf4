package reprice

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"ratecard/internal/report"
)

// Report shapes the comparison for people: the totals per meter, the rates
// that changed, the distribution and largest of the per-record changes,
// and the groups; written as text or markdown by its Write.
func (c *Comparison) Report() *report.Report {
	r := &report.Report{}
	r.Heading(fmt.Sprintf("%s: %d records read, %d priced, %d rejected", c.List, c.Read, c.Priced, c.Rejected))
	rows := [][]string{{"meter", "old", "new", "change", "%", "pay more", "pay less", "same"}}
	for _, m := range c.Meters {
		rows = append(rows, []string{m.Meter, m.Old.StringFixed(m.Places), m.New.StringFixed(m.Places),
			Signed(m.New.Sub(m.Old), m.Places), percentText(m.Old, m.New), fmt.Sprint(m.More), fmt.Sprint(m.Less), fmt.Sprint(m.Same)})
	}
	r.Table(rows, 1, 2, 3, 4, 5, 6, 7)

	r.Heading("Which rates changed")
	rows = [][]string{{"rate", "meter", "old", "new", "change"}}
	for _, rd := range c.Rates {
		if rd.Old.Equal(rd.New) {
			continue // what did not change is in the totals above
		}
		rows = append(rows, []string{rd.Rate, rd.Meter, rd.Old.StringFixed(rd.places), rd.New.StringFixed(rd.places), Signed(rd.New.Sub(rd.Old), rd.places)})
	}
	if len(rows) == 1 {
		r.Line("none: every rate charges the same in all")
	} else {
		r.Table(rows, 2, 3, 4)
	}

	for _, m := range c.Meters {
		if m.More == 0 && m.Less == 0 {
			continue
		}
		r.Heading(fmt.Sprintf("Change per record, %s", m.Meter))
		rows = [][]string{{}, {}}
		for _, p := range m.Percentiles {
			name := fmt.Sprintf("p%d", p.P)
			if p.P == 0 {
				name = "min"
			} else if p.P == 100 {
				name = "max"
			}
			rows[0] = append(rows[0], name)
			rows[1] = append(rows[1], Signed(p.Delta, m.Places))
		}
		r.Table(rows, report.Seq(len(rows[0]))...)
		rows = [][]string{{"change from", "to", "records", ""}}
		most := 0
		for _, b := range m.Histogram {
			most = max(most, b.Records)
		}
		for _, b := range m.Histogram {
			bar := strings.Repeat("#", (b.Records*40+most-1)/max(most, 1))
			rows = append(rows, []string{Signed(b.From, m.Places), Signed(b.To, m.Places), fmt.Sprint(b.Records), bar})
		}
		r.Table(rows, 0, 1, 2)
		if len(m.Largest) > 0 {
			r.Line("Largest changes:")
			rows = [][]string{{"line", "record", "old", "new", "change"}}
			for _, ch := range m.Largest {
				rows = append(rows, []string{fmt.Sprint(ch.Line), ch.Record, ch.Old.StringFixed(m.Places), ch.New.StringFixed(m.Places), Signed(ch.Delta, m.Places)})
			}
			r.Table(rows, 0, 2, 3, 4)
		}
	}

	if c.GroupBy != "" {
		r.Heading("By " + c.GroupBy)
		header := []string{c.GroupBy, "records"}
		for _, m := range c.Meters {
			header = append(header, m.Meter+" old", m.Meter+" new", "%")
		}
		rows = [][]string{header}
		for _, g := range c.Groups {
			row := []string{g.Group, fmt.Sprint(g.Records)}
			for i, m := range c.Meters {
				row = append(row, g.Old[i].StringFixed(m.Places), g.New[i].StringFixed(m.Places), percentText(g.Old[i], g.New[i]))
			}
			rows = append(rows, row)
		}
		r.Table(rows, report.Seq(len(header))[1:]...)
	}
	return r
}

// Signed writes an amount with its sign: +2.50, -1.00, 0.00.
func Signed(d decimal.Decimal, places int32) string {
	s := d.StringFixed(places)
	if d.Sign() > 0 {
		return "+" + s
	}
	return s
}

// percentText writes the change of new over old in percent, or "new" when
// old is zero and new is not.
func percentText(old, new decimal.Decimal) string {
	p, ok := Percent(old, new)
	if !ok {
		if new.IsZero() {
			return "0.00%"
		}
		return "new"
	}
	return Signed(p, 2) + "%"
}

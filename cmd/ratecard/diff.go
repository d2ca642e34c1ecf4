package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"ratecard/authoring"
	"ratecard/engine"
	"ratecard/reprice"
)

func runDiff(c *command, args []string) int {
	oldSpec := c.flags.String("old", "", "the old rules: a `DIR`, a file, or git:REV:DIR (required)")
	newSpec := c.flags.String("new", "", "the new rules: a `DIR`, a file, or git:REV:DIR (default: the built-in rules)")
	list := c.listFlag()
	what := c.whatIfFlags("reprice the usage `FILE` under both (else compare the price tables)")
	format := c.formatFlag("text", "output `format`: text, markdown or json", "text", "markdown", "json")
	top := c.flags.Int("top", 10, "show the `N` records with the largest changes")
	plot := c.flags.String("plot", "", "draw the differences into `FILE` (.svg or .png)")
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	if *oldSpec == "" {
		return c.usageError("diff needs -old (a directory, a file or git:REV:DIR)")
	}
	oldRules, err := loadSpec(*oldSpec)
	if err != nil {
		return c.fail(fmt.Errorf("old rules: %w", err))
	}
	newRules, err := loadSpec(*newSpec)
	if err != nil {
		return c.fail(fmt.Errorf("new rules: %w", err))
	}
	if *what.usage == "" {
		if *plot != "" || *what.groupBy != "" {
			return c.usageError("-plot and -group-by need -usage")
		}
		return c.diffTables(oldRules, newRules, *list, *format)
	}
	oldList, err := oldRules.List(*list)
	if err != nil {
		return c.fail(fmt.Errorf("old rules: %w", err))
	}
	newList, err := newRules.List(*list)
	if err != nil {
		return c.fail(fmt.Errorf("new rules: %w", err))
	}
	in, opts, err := c.openUsage(what)
	if err != nil {
		return c.fail(err)
	}
	defer in.Close()
	stopProgress := c.progress(in)
	cmp, err := reprice.Compare(in, oldList, newList, opts, *top)
	stopProgress()
	if err != nil {
		if cmp != nil && cmp.Read > 0 {
			fmt.Fprintf(c.stderr, "%d records read, %d compared, %d rejected before the error\n", cmp.Read, cmp.Priced, cmp.Rejected)
		}
		return c.fail(usageFileError(*what.usage, err))
	}
	if *plot != "" {
		if err := plotComparison(cmp, *plot); err != nil {
			return c.fail(err)
		}
	}
	if *format == "json" {
		if code := c.writeJSON(cmp); code != exitOK {
			return code
		}
	} else {
		comparisonReport(cmp).write(c.stdout, *format == "markdown")
	}
	if cmp.Rejected > 0 {
		fmt.Fprintf(c.stderr, "ratecard: %d of %d records rejected\n", cmp.Rejected, cmp.Read)
		return exitFail
	}
	return exitOK
}

func signed(d decimal.Decimal, places int32) string {
	s := d.StringFixed(places)
	if d.Sign() > 0 {
		return "+" + s
	}
	return s
}

func percent(old, new decimal.Decimal) string {
	p, ok := reprice.Percent(old, new)
	if !ok {
		if new.IsZero() {
			return "0.00%"
		}
		return "new"
	}
	return signed(p, 2) + "%"
}

func comparisonReport(c *reprice.Comparison) *report {
	r := &report{}
	r.heading(fmt.Sprintf("%s: %d records read, %d priced, %d rejected", c.List, c.Read, c.Priced, c.Rejected))
	rows := [][]string{{"meter", "old", "new", "change", "%", "pay more", "pay less", "same"}}
	for _, m := range c.Meters {
		rows = append(rows, []string{m.Meter, m.Old.StringFixed(m.Places), m.New.StringFixed(m.Places),
			signed(m.New.Sub(m.Old), m.Places), percent(m.Old, m.New), fmt.Sprint(m.More), fmt.Sprint(m.Less), fmt.Sprint(m.Same)})
	}
	r.table(rows, 1, 2, 3, 4, 5, 6, 7)

	r.heading("Which rates changed")
	rows = [][]string{{"rate", "meter", "old", "new", "change"}}
	for _, rd := range c.Rates {
		places := placesOf(c, rd.Meter)
		rows = append(rows, []string{rd.Rate, rd.Meter, rd.Old.StringFixed(places), rd.New.StringFixed(places), signed(rd.New.Sub(rd.Old), places)})
	}
	r.table(rows, 2, 3, 4)

	for _, m := range c.Meters {
		if m.More == 0 && m.Less == 0 {
			continue
		}
		r.heading(fmt.Sprintf("Change per record, %s", m.Meter))
		rows = [][]string{{}, {}}
		for _, p := range m.Percentiles {
			name := fmt.Sprintf("p%d", p.P)
			if p.P == 0 {
				name = "min"
			} else if p.P == 100 {
				name = "max"
			}
			rows[0] = append(rows[0], name)
			rows[1] = append(rows[1], signed(p.Delta, m.Places))
		}
		r.table(rows, seq(len(rows[0]))...)
		rows = [][]string{{"change from", "to", "records", ""}}
		most := 0
		for _, b := range m.Histogram {
			most = max(most, b.Records)
		}
		for _, b := range m.Histogram {
			bar := strings.Repeat("#", (b.Records*40+most-1)/max(most, 1))
			rows = append(rows, []string{signed(b.From, m.Places), signed(b.To, m.Places), fmt.Sprint(b.Records), bar})
		}
		r.table(rows, 0, 1, 2)
		if len(m.Largest) > 0 {
			r.line("Largest changes:")
			rows = [][]string{{"line", "record", "old", "new", "change"}}
			for _, ch := range m.Largest {
				rows = append(rows, []string{fmt.Sprint(ch.Line), ch.Record, ch.Old.StringFixed(m.Places), ch.New.StringFixed(m.Places), signed(ch.Delta, m.Places)})
			}
			r.table(rows, 0, 2, 3, 4)
		}
	}

	if c.GroupBy != "" {
		r.heading("By " + c.GroupBy)
		header := []string{c.GroupBy, "records"}
		for _, m := range c.Meters {
			header = append(header, m.Meter+" old", m.Meter+" new", "%")
		}
		rows = [][]string{header}
		for _, g := range c.Groups {
			row := []string{g.Group, fmt.Sprint(g.Records)}
			for i, m := range c.Meters {
				row = append(row, g.Old[i].StringFixed(m.Places), g.New[i].StringFixed(m.Places), percent(g.Old[i], g.New[i]))
			}
			rows = append(rows, row)
		}
		r.table(rows, seq(len(header))[1:]...)
	}
	return r
}

func placesOf(c *reprice.Comparison, meter string) int32 {
	for _, m := range c.Meters {
		if m.Meter == meter {
			return m.Places
		}
	}
	return 2
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// diffTables compares the declared price tables of the price lists both
// rule sets hold, side by side, marking the cells that change.
func (c *command) diffTables(oldRules, newRules *engine.RuleSet, list, format string) int {
	type tableDiff struct {
		List, Title string
		Header      []string
		Rows        [][]string // cells "old → new" where they change
		Changed     int
	}
	var out []tableDiff
	lists := newRules.Lists()
	if list != "" {
		l, err := newRules.List(list)
		if err != nil {
			return c.fail(err)
		}
		lists = []*engine.PriceList{l}
	}
	for _, nl := range lists {
		ol, err := oldRules.List(nl.Rules.Name)
		if err != nil {
			fmt.Fprintf(c.stderr, "ratecard: price list %s is new: no old tables to compare\n", nl.Rules.Name)
			continue
		}
		newGrids, err := authoring.Tables(nl)
		if err != nil {
			return c.fail(err)
		}
		oldGrids, err := authoring.Tables(ol)
		if err != nil {
			return c.fail(err)
		}
		for _, ng := range newGrids {
			td := tableDiff{List: nl.Rules.Name, Title: ng.Title, Header: ng.Header}
			var og *authoring.Grid
			for _, g := range oldGrids {
				if g.Title == ng.Title {
					og = g
				}
			}
			for i, row := range ng.Rows {
				cells := append([]string(nil), row...)
				for j := 1; j < len(row); j++ {
					old := "—"
					if og != nil && i < len(og.Rows) && j < len(og.Rows[i]) {
						old = og.Rows[i][j]
					}
					if old != row[j] {
						cells[j] = old + " → " + row[j] + " *"
						td.Changed++
					}
				}
				td.Rows = append(td.Rows, cells)
			}
			out = append(out, td)
		}
	}
	if format == "json" {
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(c.stdout, string(b))
		return exitOK
	}
	r := &report{}
	for _, td := range out {
		r.heading(fmt.Sprintf("%s: %s (%d %s changed)", td.List, td.Title, td.Changed, plural(td.Changed, "cell", "cells")))
		r.table(append([][]string{td.Header}, td.Rows...), seq(len(td.Header))[1:]...)
	}
	r.write(c.stdout, format == "markdown")
	return exitOK
}

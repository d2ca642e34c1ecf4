package main

import (
	"fmt"
	"io"
	"ratecard/internal/report"
	"strings"

	"ratecard/engine"
	"ratecard/rules"
)

func lineName(rate string, item int) string {
	if item > 0 {
		return fmt.Sprintf("%s #%d", rate, item)
	}
	return rate
}

func writeQuote(w io.Writer, q *engine.Quote) {
	var rows [][]string
	for _, l := range q.Lines {
		rows = append(rows, []string{lineName(l.Rate, l.Item), l.Amount.String(), l.Meter})
	}
	for _, t := range q.Totals {
		rows = append(rows, []string{"total", t.Amount.String(), t.Meter})
	}
	rows = append(rows, allowanceRows(q)...)
	report.Columns(w, "", rows, 1)
	fmt.Fprintf(w, "(%s)\n", ruleIdentity(q))
}

// allowanceRows shows what each allowance gave and what is billed beyond.
func allowanceRows(q *engine.Quote) [][]string {
	var rows [][]string
	for _, d := range q.Drawn {
		rows = append(rows, []string{"drawn from " + d.Allowance, d.Amount.String(), d.Meter, "(" + d.Left.String() + " left)"})
	}
	for _, b := range q.Billed {
		rows = append(rows, []string{"billed", b.Amount.String(), b.Meter})
	}
	return rows
}

func ruleIdentity(q *engine.Quote) string {
	s := "price list " + q.List
	if q.Extends != "" && q.Extends != q.List {
		s += " (extends " + q.Extends + ")"
	}
	if q.Version != "" {
		s += " version " + q.Version
	}
	if !q.Effective.IsZero() {
		s += " effective " + rules.FormatInstant(q.Effective)
	}
	return s + ", rules " + q.Digest
}

func writeExplanation(w io.Writer, e *engine.Explanation) {
	fmt.Fprintln(w, "inputs:")
	var rows [][]string
	for _, b := range e.Inputs {
		note := ""
		if b.Note != "" {
			note = "(" + b.Note + ")"
		}
		rows = append(rows, []string{b.Name, "=", b.Value, note})
	}
	report.Columns(w, "  ", rows)
	if len(e.Values) > 0 {
		fmt.Fprintln(w, "values:")
		rows = nil
		for _, b := range e.Values {
			row := []string{b.Name, "=", b.Expr, "=", b.Value}
			if b.Note != "" {
				row = append(row, "("+b.Note+")")
			}
			rows = append(rows, row)
		}
		report.Columns(w, "  ", rows)
		for _, b := range e.Values {
			if len(b.Tiers) > 0 || len(b.Lookups) > 0 {
				fmt.Fprintf(w, "  %s:\n", b.Name)
				writeTiers(w, b.Tiers)
				writeLookups(w, b.Lookups)
			}
		}
	}
	fmt.Fprintln(w, "lines:")
	for _, l := range e.Lines {
		fmt.Fprintf(w, "  %s  %s %s\n", lineName(l.Rate, l.Item), l.Rounded, l.Meter)
		if l.When != "" {
			fmt.Fprintf(w, "    when    %s\n", l.When)
		}
		fmt.Fprintf(w, "    amount  %s\n", l.Expr)
		writeOrigin(w, l.Origin)
		var uses []string
		for _, u := range l.Uses {
			uses = append(uses, u.Name+" = "+u.Value)
		}
		if len(uses) > 0 {
			fmt.Fprintf(w, "    with    %s\n", strings.Join(uses, ", "))
		}
		writeTiers(w, l.Tiers)
		writeLookups(w, l.Lookups)
		fmt.Fprintf(w, "    exact   %s, rounded %s to %d places: %s\n", l.Raw, l.Rounding, l.Places, l.Rounded)
	}
	if len(e.Skipped) > 0 {
		fmt.Fprintln(w, "not charged (when is false):")
		rows = nil
		for _, s := range e.Skipped {
			rows = append(rows, []string{s.Rate, s.When})
		}
		report.Columns(w, "  ", rows)
	}
	fmt.Fprintln(w, "totals:")
	rows = nil
	for _, t := range e.Quote.Totals {
		row := []string{t.Meter, t.Amount.String(), ""}
		for _, r := range e.RoundedTotals {
			if r.Meter == t.Meter {
				row[2] = fmt.Sprintf("(lines %s, rounded %s once to %d places)", r.Lines, r.Rounding, r.Places)
			}
		}
		rows = append(rows, row)
	}
	report.Columns(w, "  ", rows, 1)
	if e.Quote.Billed != nil {
		report.Columns(w, "  ", allowanceRows(e.Quote), 1)
	}
	fmt.Fprintf(w, "(%s)\n", ruleIdentity(e.Quote))
}

// writeOrigin shows what an overlay did to a rate: replaced it (and what
// it was) or added it.
func writeOrigin(w io.Writer, o *engine.RateOrigin) {
	switch {
	case o == nil:
	case o.Kind == "adjustment":
		fmt.Fprintf(w, "    added   by %s at %s\n", o.List, o.Position)
	default:
		fmt.Fprintf(w, "    was     %s", o.WasExpr)
		if o.WasWhen != "" {
			fmt.Fprintf(w, " when %s", o.WasWhen)
		}
		fmt.Fprintf(w, " (replaced by %s at %s)\n", o.List, o.Position)
	}
}

// writeTiers shows the part each tier of graduated or volume pricing
// charged: "tier 2  (1000, 10000]  9000 × 0.002 + 5 = 23".
func writeTiers(w io.Writer, tiers []engine.TierPart) {
	var rows [][]string
	for _, t := range tiers {
		bounds := "(" + t.From + ", " + t.UpTo + "]"
		if t.UpTo == "" {
			bounds = "above " + t.From
		}
		amount := t.Quantity + " × " + t.UnitPrice
		if t.Flat != "" {
			amount += " + " + t.Flat
		}
		rows = append(rows, []string{fmt.Sprintf("%s tier %d", t.Function, t.Tier), bounds, amount, "=", t.Amount})
	}
	report.Columns(w, "    ", rows, 4)
}

// writeLookups shows each grid lookup: "grid machine(region=ap, size=large)
// .hourly = 0.15 (row rules.d/cloud.yaml:17:9)".
func writeLookups(w io.Writer, lookups []engine.GridLookup) {
	for _, l := range lookups {
		column := ""
		if l.Column != "" {
			column = "." + l.Column
		}
		fmt.Fprintf(w, "    grid    %s(%s)%s = %s (row %s)\n", l.Grid, l.Keys, column, l.Value, l.Row)
	}
}

package main

import (
	"fmt"
	"io"
	"ratecard/internal/report"
	"strings"

	"ratecard/engine"
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
	report.Columns(w, "", rows, 1)
	fmt.Fprintf(w, "(%s)\n", ruleIdentity(q))
}

func ruleIdentity(q *engine.Quote) string {
	s := "price list " + q.List
	if q.Version != "" {
		s += " version " + q.Version
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
			rows = append(rows, []string{b.Name, "=", b.Expr, "=", b.Value})
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
	fmt.Fprintf(w, "(%s)\n", ruleIdentity(e.Quote))
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

package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"ratecard/engine"
)

// writeColumns writes rows as aligned columns; columns marked in right are
// aligned right (amounts).
func writeColumns(w io.Writer, indent string, rows [][]string, right ...int) {
	widths := map[int]int{}
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	isRight := map[int]bool{}
	for _, i := range right {
		isRight[i] = true
	}
	for _, row := range rows {
		var b strings.Builder
		b.WriteString(indent)
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i > 0 {
				b.WriteString("  ")
			}
			if isRight[i] {
				b.WriteString(pad + cell)
			} else if i < len(row)-1 {
				b.WriteString(cell + pad)
			} else {
				b.WriteString(cell)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func lineName(rate string, item int) string {
	if item > 0 {
		return fmt.Sprintf("%s #%d", rate, item)
	}
	return rate
}

func writeQuote(w io.Writer, q *engine.Quote) {
	var rows [][]string
	for _, l := range q.Lines {
		rows = append(rows, []string{lineName(l.Rate, l.Item), l.Amount.StringFixed(l.Places), l.Meter})
	}
	for _, t := range q.Totals {
		rows = append(rows, []string{"total", t.Amount.StringFixed(t.Places), t.Meter})
	}
	writeColumns(w, "", rows, 1)
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
	writeColumns(w, "  ", rows)
	if len(e.Values) > 0 {
		fmt.Fprintln(w, "values:")
		rows = nil
		for _, b := range e.Values {
			rows = append(rows, []string{b.Name, "=", b.Expr, "=", b.Value})
		}
		writeColumns(w, "  ", rows)
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
		fmt.Fprintf(w, "    exact   %s, rounded %s to %d places: %s\n", l.Raw, l.Rounding, l.Places, l.Rounded)
	}
	if len(e.Skipped) > 0 {
		fmt.Fprintln(w, "not charged (when is false):")
		rows = nil
		for _, s := range e.Skipped {
			rows = append(rows, []string{s.Rate, s.When})
		}
		writeColumns(w, "  ", rows)
	}
	fmt.Fprintln(w, "totals:")
	rows = nil
	for _, t := range e.Quote.Totals {
		rows = append(rows, []string{t.Meter, t.Amount.StringFixed(t.Places)})
	}
	writeColumns(w, "  ", rows, 1)
	fmt.Fprintf(w, "(%s)\n", ruleIdentity(e.Quote))
}

// Package report builds documents of headed sections, each with lines of
// text and tables, and writes them as plain text or markdown, so that one
// builder serves a terminal and a pull-request review alike.
package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Report is a document of parts, in order.
type Report struct {
	parts []part
}

type part struct {
	heading string
	text    string
	table   [][]string // header first
	right   []int      // right-aligned columns (numbers)
}

// Heading starts a section.
func (r *Report) Heading(h string) { r.parts = append(r.parts, part{heading: h}) }

// Line adds a line of text.
func (r *Report) Line(format string, args ...any) {
	r.parts = append(r.parts, part{text: fmt.Sprintf(format, args...)})
}

// Table adds a table, header row first; right names the columns aligned
// right (amounts).
func (r *Report) Table(rows [][]string, right ...int) {
	r.parts = append(r.parts, part{table: rows, right: right})
}

// Write writes the report as plain text, or as markdown.
func (r *Report) Write(w io.Writer, markdown bool) {
	for i, p := range r.parts {
		switch {
		case p.heading != "" && markdown: // every part before ends with a blank line
			fmt.Fprintf(w, "### %s\n\n", p.heading)
		case p.heading != "":
			if i > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "%s\n", p.heading)
		case p.text != "" && markdown:
			fmt.Fprintf(w, "%s\n\n", p.text)
		case p.text != "":
			fmt.Fprintf(w, "  %s\n", p.text)
		case markdown:
			fmt.Fprintf(w, "| %s |\n", strings.Join(p.table[0], " | "))
			var sep []string
			for c := range p.table[0] {
				s := "---"
				for _, rc := range p.right {
					if rc == c {
						s = "---:"
					}
				}
				sep = append(sep, s)
			}
			fmt.Fprintf(w, "|%s|\n", strings.Join(sep, "|"))
			for _, row := range p.table[1:] {
				fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
			}
			fmt.Fprintln(w)
		default:
			Columns(w, "  ", p.table, p.right...)
		}
	}
}

// Columns writes rows as aligned columns after indent; columns marked in
// right are aligned right (amounts).
func Columns(w io.Writer, indent string, rows [][]string, right ...int) {
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

// Seq returns 0, 1, ..., n-1: every column of a table of n.
func Seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

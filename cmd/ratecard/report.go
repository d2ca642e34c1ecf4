package main

import (
	"fmt"
	"io"
	"strings"
)

// report is a document of headed sections, each with lines of text and
// tables, written as plain text or markdown, so that one builder serves
// both: a terminal, or a pull-request review.
type report struct {
	parts []reportPart
}

type reportPart struct {
	heading string
	text    string
	table   [][]string // header first
	right   []int      // right-aligned columns (numbers)
}

func (r *report) heading(h string) { r.parts = append(r.parts, reportPart{heading: h}) }
func (r *report) line(format string, args ...any) {
	r.parts = append(r.parts, reportPart{text: fmt.Sprintf(format, args...)})
}
func (r *report) table(rows [][]string, right ...int) {
	r.parts = append(r.parts, reportPart{table: rows, right: right})
}

func (r *report) write(w io.Writer, markdown bool) {
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
			writeColumns(w, "  ", p.table, p.right...)
		}
	}
}

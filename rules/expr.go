package rules

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Expr is an expression as written in a rule file.
type Expr struct {
	Text string
	Pos  Pos // of the expression's first character
	// at[i] is the line and column in the file of the i-th character of
	// Text. The text of a YAML scalar is not a plain slice of the file
	// (quotes, folded lines, block indentation), so it is mapped once at
	// load, 8 bytes a character. Most expressions are one line written
	// as is, where the i-th character is i columns after the first: for
	// those (linear) no map is kept, so a thousand price lists do not
	// hold tens of megabytes of positions.
	at     *[]lineCol // nil when linear, or when no map could be made
	linear bool
}

type lineCol struct{ line, col int32 }

func (e *Expr) pos(lc lineCol) Pos {
	return Pos{File: e.Pos.File, Line: int(lc.line), Col: int(lc.col)}
}

// At returns the position in the file of the character at offset (counted
// in characters) in the expression's text, as expr reports it.
func (e *Expr) At(offset int) Pos {
	if offset < 0 {
		offset = 0
	}
	if e.linear {
		return Pos{File: e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col + offset}
	}
	if e.at == nil {
		return e.Pos
	}
	at := *e.at
	if offset >= len(at) {
		last := e.pos(at[len(at)-1])
		last.Col += offset - len(at) + 1
		return last
	}
	return e.pos(at[offset])
}

// newExpr makes e the expression of the scalar n, mapping every character
// of its value back into src, whose line starts (byte offsets) are lines;
// scratch is reused from call to call.
func newExpr(e *Expr, file string, src []byte, lines []int, scratch *[]lineCol, n *yaml.Node) *Expr {
	*e = Expr{Text: n.Value, Pos: Pos{File: file, Line: n.Line, Col: n.Column}}
	line, col := n.Line, n.Column
	if line < 1 || line > len(lines) {
		return e
	}
	i := lines[line-1] // byte offset in src
	// Walk to the node's column.
	for c := 1; c < col && i < len(src); c++ {
		_, size := utf8.DecodeRune(src[i:])
		i += size
	}
	if verbatim(src, i, n) {
		// Written as is on one line (the most common): the i-th character
		// is i columns after the first, and no map is kept.
		if n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle {
			e.Pos.Col++
		}
		e.linear = n.Value != ""
		return e
	}
	if size := utf8.RuneCountInString(n.Value); cap(*scratch) < size {
		*scratch = make([]lineCol, 0, size)
	}
	at := (*scratch)[:0]
	defer func() { *scratch = nil }() // the expression keeps the map it was built in
	advance := func() {
		r, size := utf8.DecodeRune(src[i:])
		i += size
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		for i < len(src) && src[i] != '\n' { // skip the "|" header line
			advance()
		}
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		advance() // the opening quote
	}
	isSpace := func(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }
	for _, r := range n.Value {
		if r == ' ' || r == '\n' || r == '\t' {
			for i < len(src) && isSpace(src[i]) {
				advance()
			}
			at = append(at, lineCol{int32(line), int32(col)})
			continue
		}
		for i < len(src) && isSpace(src[i]) {
			advance()
		}
		at = append(at, lineCol{int32(line), int32(col)})
		if i >= len(src) {
			continue
		}
		got, _ := utf8.DecodeRune(src[i:])
		advance()
		if got != r && i < len(src) { // an escape such as '' or \": skip its second half
			advance()
		}
	}
	if len(at) > 0 {
		e.at = &at
		e.Pos = e.pos(at[0])
	}
	return e
}

// verbatim reports whether the scalar n, whose node starts at byte i of
// src, is its text written out on one line: plain, or quoted without an
// escape.
func verbatim(src []byte, i int, n *yaml.Node) bool {
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		i++ // the opening quote
	case 0, yaml.TaggedStyle, yaml.FlowStyle:
	default:
		return false // literal and folded blocks start on the next line
	}
	text := n.Value
	if strings.ContainsAny(text, "\n\r\t") || i+len(text) > len(src) || string(src[i:i+len(text)]) != text {
		return false
	}
	switch n.Style { // the quote must close right after: no escape inside
	case yaml.DoubleQuotedStyle:
		return i+len(text) < len(src) && src[i+len(text)] == '"' && !strings.ContainsAny(text, "\\\"")
	case yaml.SingleQuotedStyle:
		return i+len(text) < len(src) && src[i+len(text)] == '\'' && !strings.Contains(text, "'")
	}
	return true
}

// appendLineStarts appends the byte offset of the start of each line of
// src to starts.
func appendLineStarts(starts []int, src []byte) []int {
	starts = append(starts, 0)
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOffset returns the byte offset where line (from 1) starts, or -1.
func lineOffset(src []byte, line int) int {
	if line < 1 {
		return -1
	}
	off := 0
	for l := 1; l < line; l++ {
		j := bytes.IndexByte(src[off:], '\n')
		if j < 0 {
			return -1
		}
		off += j + 1
	}
	return off
}

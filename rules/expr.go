package rules

import (
	"bytes"
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
	// load; 8 bytes a character, as an expression may be a megabyte long.
	at []lineCol
}

type lineCol struct{ line, col int32 }

func (e *Expr) pos(lc lineCol) Pos {
	return Pos{File: e.Pos.File, Line: int(lc.line), Col: int(lc.col)}
}

// At returns the position in the file of the character at offset (counted
// in characters) in the expression's text, as expr reports it.
func (e *Expr) At(offset int) Pos {
	if len(e.at) == 0 {
		return e.Pos
	}
	if offset < 0 {
		offset = 0
	}
	if offset >= len(e.at) {
		last := e.pos(e.at[len(e.at)-1])
		last.Col += offset - len(e.at) + 1
		return last
	}
	return e.pos(e.at[offset])
}

// newExpr maps every character of the scalar n's value back into src.
func newExpr(file string, src []byte, n *yaml.Node) *Expr {
	e := &Expr{Text: n.Value, Pos: Pos{File: file, Line: n.Line, Col: n.Column}}
	e.at = make([]lineCol, 0, utf8.RuneCountInString(n.Value))
	line, col := n.Line, n.Column
	i := lineOffset(src, line) // byte offset in src
	if i < 0 {
		return e
	}
	// Walk to the node's column.
	for c := 1; c < col && i < len(src); c++ {
		_, size := utf8.DecodeRune(src[i:])
		i += size
	}
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
			e.at = append(e.at, lineCol{int32(line), int32(col)})
			continue
		}
		for i < len(src) && isSpace(src[i]) {
			advance()
		}
		e.at = append(e.at, lineCol{int32(line), int32(col)})
		if i >= len(src) {
			continue
		}
		got, _ := utf8.DecodeRune(src[i:])
		advance()
		if got != r && i < len(src) { // an escape such as '' or \": skip its second half
			advance()
		}
	}
	if len(e.at) > 0 {
		e.Pos = e.pos(e.at[0])
	}
	return e
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

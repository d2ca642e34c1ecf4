package engine

import (
	"strconv"
	"unicode/utf8"

	"ratecard/rules"
)

// AppendJSON appends the quote's JSON, as MarshalJSON writes it, to b:
// compact when indent is "", else indented as encoding/json's
// MarshalIndent(q, "", indent) would (a server answers with it, without
// encoding/json's second pass to check and indent a marshaler's output).
func (q *Quote) AppendJSON(b []byte, indent string) []byte {
	w := jsonWriter{b: b, indent: indent}
	w.open('{')
	w.key("list")
	w.str(q.List)
	w.key("totals")
	w.totals(q.Totals)
	w.key("lines")
	w.open('[')
	for _, l := range q.Lines {
		w.elem()
		w.open('{')
		w.key("rate")
		w.str(l.Rate)
		w.key("meter")
		w.str(l.Meter)
		if l.Item != 0 {
			w.key("item")
			w.b = strconv.AppendInt(w.b, int64(l.Item), 10)
		}
		w.key("amount")
		w.amount(l.Amount)
		w.close('}')
	}
	w.close(']')
	if q.Billed != nil {
		if len(q.Drawn) > 0 {
			w.key("drawn")
			w.open('[')
			for _, d := range q.Drawn {
				w.elem()
				w.open('{')
				w.key("allowance")
				w.str(d.Allowance)
				w.key("meter")
				w.str(d.Meter)
				w.key("drawn")
				w.amount(d.Amount)
				w.key("left")
				w.amount(d.Left)
				w.close('}')
			}
			w.close(']')
		}
		if len(q.Billed) > 0 {
			w.key("billed")
			w.totals(q.Billed)
		}
	}
	w.key("ruleset")
	w.open('{')
	w.key("digest")
	w.str(q.Digest)
	for _, kv := range [...][2]string{{"version", q.Version}, {"effective", effective(q)}, {"extends", q.Extends}} {
		if kv[1] != "" {
			w.key(kv[0])
			w.str(kv[1])
		}
	}
	w.close('}')
	w.close('}')
	return w.b
}

func effective(q *Quote) string {
	if q.Effective.IsZero() {
		return ""
	}
	return rules.FormatInstant(q.Effective)
}

// jsonWriter writes JSON as encoding/json does, indented or not.
type jsonWriter struct {
	b      []byte
	indent string
	depth  int
	empty  []bool // by depth: nothing written in the object or array yet
}

func (w *jsonWriter) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.empty = append(w.empty, true)
}

func (w *jsonWriter) close(c byte) {
	w.depth--
	empty := w.empty[len(w.empty)-1]
	w.empty = w.empty[:len(w.empty)-1]
	if !empty && w.indent != "" {
		w.newline()
	}
	w.b = append(w.b, c)
}

// elem starts an element of an object or array.
func (w *jsonWriter) elem() {
	if !w.empty[len(w.empty)-1] {
		w.b = append(w.b, ',')
	}
	w.empty[len(w.empty)-1] = false
	if w.indent != "" {
		w.newline()
	}
}

func (w *jsonWriter) newline() {
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, w.indent...)
	}
}

func (w *jsonWriter) key(k string) {
	w.elem()
	w.str(k)
	w.b = append(w.b, ':')
	if w.indent != "" {
		w.b = append(w.b, ' ')
	}
}

func (w *jsonWriter) totals(ts []Total) {
	w.open('{')
	for _, t := range ts {
		w.key(t.Meter)
		w.amount(t.Amount)
	}
	w.close('}')
}

func (w *jsonWriter) amount(a Amount) {
	w.b = append(w.b, '"')
	w.b = a.Append(w.b)
	w.b = append(w.b, '"')
}

const hex = "0123456789abcdef"

// str appends s as a JSON string, escaped as encoding/json escapes it
// (HTML characters, U+2028 and U+2029 included; invalid UTF-8 as U+FFFD).
func (w *jsonWriter) str(s string) {
	b := append(w.b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	w.b = append(b, '"')
}

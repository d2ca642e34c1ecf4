package reprice

import (
	"bufio"
	"io"
	"unicode/utf8"

	"ratecard/engine"
)

// ResultWriter writes one result per priced record: the record's carried
// columns, then each meter's amount, as CSV or JSON lines.
type ResultWriter struct {
	w      *bufio.Writer
	format string
	f      *formatter
	buf    []byte
}

// NewResultWriter returns a writer of format "csv" or "jsonl".
func NewResultWriter(w io.Writer, format string) *ResultWriter {
	return &ResultWriter{w: bufio.NewWriterSize(w, 1<<16), format: format}
}

// begin writes the CSV header.
func (r *ResultWriter) begin(b *binding) error {
	r.f = newFormatter(b, r.format)
	_, err := r.w.Write(r.f.header())
	return err
}

func (r *ResultWriter) write(rec *Record, q *engine.Quote) error {
	r.buf = r.f.row(r.buf[:0], rec, q)
	_, err := r.w.Write(r.buf)
	return err
}

func (r *ResultWriter) flush() error { return r.w.Flush() }

// formatter formats result rows; each worker of a parallel run has its own.
type formatter struct {
	b        *binding
	jsonl    bool
	carried  []string // result names of the carried columns
	meters   []string
	jsonKeys [][]byte // quoted carried names, then meter names
}

func newFormatter(b *binding, format string) *formatter {
	f := &formatter{b: b, jsonl: format == "jsonl"}
	f.carried, f.meters = b.resultColumns()
	for _, name := range append(append([]string{}, f.carried...), f.meters...) {
		f.jsonKeys = append(f.jsonKeys, appendJSONString(nil, name))
	}
	return f
}

func (f *formatter) header() []byte {
	if f.jsonl {
		return nil
	}
	var buf []byte
	for i, name := range append(append([]string{}, f.carried...), f.meters...) {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendCSVField(buf, name)
	}
	return append(buf, '\n')
}

func (f *formatter) row(buf []byte, rec *Record, q *engine.Quote) []byte {
	if f.jsonl {
		return f.jsonRow(buf, rec, q)
	}
	for k, i := range f.b.carried {
		if k > 0 {
			buf = append(buf, ',')
		}
		buf = appendCSVField(buf, f.b.text(rec, i))
	}
	for i, t := range q.Totals {
		if i > 0 || len(f.b.carried) > 0 {
			buf = append(buf, ',')
		}
		buf = t.Amount.Append(buf)
	}
	return append(buf, '\n')
}

func (f *formatter) jsonRow(buf []byte, rec *Record, q *engine.Quote) []byte {
	start := len(buf)
	buf = append(buf, '{')
	if rec.Keys != nil { // JSON in: every key that is not an input, as written
		for i, k := range rec.Keys {
			if f.b.list.Rules.Input(k) != nil {
				continue
			}
			if len(buf) > start+1 {
				buf = append(buf, ',')
			}
			buf = append(appendJSONString(buf, f.b.renamed(k)), ':')
			buf = append(buf, rec.Raw[i]...)
		}
	} else {
		for k, i := range f.b.carried {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = append(append(buf, f.jsonKeys[k]...), ':')
			buf = appendJSONString(buf, rec.Fields[i])
		}
	}
	for i, t := range q.Totals {
		if len(buf) > start+1 {
			buf = append(buf, ',')
		}
		buf = append(append(buf, f.jsonKeys[len(f.b.carried)+i]...), ':')
		buf = append(t.Amount.Append(append(buf, '"')), '"')
	}
	return append(buf, '}', '\n')
}

// appendCSVField appends s as a CSV field, quoted when it must be.
func appendCSVField(buf []byte, s string) []byte {
	if !needsQuotes(s) {
		return append(buf, s...)
	}
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			buf = append(buf, '"')
		}
		buf = append(buf, s[i])
	}
	return append(buf, '"')
}

// needsQuotes reports whether a CSV field must be quoted: it holds a comma,
// a quote or a line break, or starts with a space. One pass over the
// bytes: the fields are short, and strings.ContainsAny builds its set of
// characters anew on every call.
func needsQuotes(s string) bool {
	if s != "" && (s[0] == ' ' || s[0] == '\t') {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

// appendJSONString appends s as a JSON string.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for _, r := range s { // invalid UTF-8 comes out as U+FFFD
		switch {
		case r == '"' || r == '\\':
			buf = append(buf, '\\', byte(r))
		case r < 0x20:
			buf = append(buf, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
		default:
			buf = utf8.AppendRune(buf, r)
		}
	}
	return append(buf, '"')
}

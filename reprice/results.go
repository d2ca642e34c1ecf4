package reprice

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf8"

	"ratecard/engine"
)

// ResultWriter writes one result per priced record: the record's carried
// columns, then each meter's amount.
type ResultWriter interface {
	Begin(b *binding, l *engine.PriceList) error
	Write(rec *Record, q *engine.Quote) error
	Flush() error
}

// NewResultWriter returns a writer of format "csv" or "jsonl".
func NewResultWriter(w io.Writer, format string) ResultWriter {
	if format == "jsonl" {
		return &jsonResults{w: bufio.NewWriterSize(w, 1<<16)}
	}
	return &csvResults{w: csv.NewWriter(w)}
}

type csvResults struct {
	w   *csv.Writer
	b   *binding
	row []string
}

func (c *csvResults) Begin(b *binding, l *engine.PriceList) error {
	c.b = b
	carried, meters := b.resultColumns(l)
	c.row = make([]string, 0, len(carried)+len(meters))
	return c.w.Write(append(append([]string{}, carried...), meters...))
}

func (c *csvResults) Write(rec *Record, q *engine.Quote) error {
	c.row = c.row[:0]
	for _, i := range c.b.carried {
		c.row = append(c.row, c.b.text(rec, i))
	}
	for _, t := range q.Totals {
		c.row = append(c.row, t.Amount.StringFixed(t.Places))
	}
	return c.w.Write(c.row)
}

func (c *csvResults) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

type jsonResults struct {
	w    *bufio.Writer
	b    *binding
	keys [][]byte // quoted names of the carried columns then the meters
	buf  []byte
}

func (j *jsonResults) Begin(b *binding, l *engine.PriceList) error {
	j.b = b
	carried, meters := b.resultColumns(l)
	for _, name := range append(carried, meters...) {
		k, _ := json.Marshal(name)
		j.keys = append(j.keys, k)
	}
	return nil
}

func (j *jsonResults) Write(rec *Record, q *engine.Quote) error {
	buf := append(j.buf[:0], '{')
	if rec.Keys != nil { // JSON in: every key that is not an input, as written
		for i, k := range rec.Keys {
			if j.b.list.Rules.Input(k) != nil {
				continue
			}
			if len(buf) > 1 {
				buf = append(buf, ',')
			}
			buf = append(appendJSONString(buf, j.b.renamed(k)), ':')
			buf = append(buf, rec.Raw[i]...)
		}
	} else {
		for k, i := range j.b.carried {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = append(append(buf, j.keys[k]...), ':')
			buf = appendJSONString(buf, rec.Fields[i])
		}
	}
	for i, t := range q.Totals {
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = append(append(buf, j.keys[len(j.b.carried)+i]...), ':')
		buf = strconv.AppendQuote(buf, t.Amount.StringFixed(t.Places))
	}
	buf = append(buf, '}', '\n')
	j.buf = buf
	_, err := j.w.Write(buf)
	return err
}

func (j *jsonResults) Flush() error { return j.w.Flush() }

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

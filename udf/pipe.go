// Package udf prices rows where warehouse data already lives: the
// streaming row protocol of executable user-defined functions (ClickHouse's
// executable and executable_pool functions in TabSeparated and JSONEachRow,
// with or without chunk headers; Spark SQL TRANSFORM, RDD.pipe and Hive
// read and write the same TabSeparated rows). Exactly one result row
// answers each input row, in order; a bad row is answered with NULL and
// its reason goes to the log, so that it never stops the stream nor
// shifts the rows after it.
package udf

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"ratecard/engine"
	"ratecard/internal/jsonscan"
	"ratecard/internal/lines"
	"ratecard/rules"
)

// Formats are the row formats Pipe reads and writes.
const (
	TabSeparated = "TabSeparated"
	JSONEachRow  = "JSONEachRow"
)

// Outputs a pipe can answer besides a meter's total.
const (
	OutputQuote  = "quote"  // the whole quote, as JSON text
	OutputDigest = "digest" // the digest of the rules that priced the row
)

// MaxRow caps one row: a longer one is a bad row, read to its end.
const MaxRow = 1 << 20

// Options tune Pipe.
type Options struct {
	List   string // the price list ("": the default one)
	Format string // TabSeparated or JSONEachRow
	// Columns names, in order, what a TabSeparated row's fields are: the
	// list's inputs, and AtColumn. JSONEachRow rows name their own.
	Columns []string
	// AtColumn names the field holding the instant a row is priced as of
	// (RFC 3339, or ClickHouse's "2006-01-02 15:04:05" in UTC); "" for now.
	AtColumn string
	// ChunkHeader: each chunk of rows comes after a line with its row
	// count (ClickHouse's send_chunk_header).
	ChunkHeader bool
	// Outputs are the values each result row holds, in order: meter
	// names, OutputQuote, OutputDigest. Default: the list's first meter.
	Outputs []string
	// Names are the JSONEachRow keys of the outputs; default "result" for
	// one output (ClickHouse's return_name), the outputs' own otherwise.
	Names []string
	// Pass names fields carried through to the result row, before the
	// outputs, as they came (a key to join on: Spark's and Hive's
	// TRANSFORM give back only what the program writes). A bad row keeps
	// them too.
	Pass []string
	// Log receives one line per bad row: its number and why.
	Log io.Writer
}

// Stats count what a pipe did.
type Stats struct {
	Rows, Bad, Chunks int
}

// Pipe reads rows from r until it ends and writes one result row per row
// to w, flushing after each chunk (or, without chunk headers, whenever
// no more input is waiting). It returns an error only when the stream
// itself cannot go on: a chunk header that is not a count, or a write or
// read that fails.
func Pipe(rs *engine.RuleSet, r io.Reader, w io.Writer, opts Options) (Stats, error) {
	p, err := newPiper(rs, opts)
	if err != nil {
		return Stats{}, err
	}
	in := bufio.NewReaderSize(r, 64<<10)
	out := bufio.NewWriterSize(w, 64<<10)
	var st Stats
	for {
		n := -1 // rows in this chunk; -1: until the input ends
		if opts.ChunkHeader {
			line, err := lines.Read(in, MaxRow)
			if err == io.EOF {
				return st, out.Flush()
			}
			if err != nil {
				return st, err
			}
			if n, err = strconv.Atoi(strings.TrimSpace(string(line))); err != nil || n < 0 {
				return st, fmt.Errorf("chunk %d: %q is not a row count: the rows can no longer be told apart", st.Chunks+1, line)
			}
			st.Chunks++
		}
		for i := 0; n < 0 || i < n; i++ {
			line, err := lines.Read(in, MaxRow)
			if err == io.EOF {
				if n >= 0 {
					return st, fmt.Errorf("chunk %d: the input ended after %d of its %d rows", st.Chunks, i, n)
				}
				return st, out.Flush()
			}
			st.Rows++
			result, bad := p.row(line, err)
			if bad != nil {
				st.Bad++
				if opts.Log != nil {
					fmt.Fprintf(opts.Log, "ratecard pipe: row %d: %v\n", st.Rows, bad)
				}
			}
			if _, err := out.Write(result); err != nil {
				return st, err
			}
			if n < 0 && in.Buffered() == 0 {
				if err := out.Flush(); err != nil { // the caller may be waiting for this row
					return st, err
				}
			}
		}
		if err := out.Flush(); err != nil {
			return st, err
		}
	}
}

// piper prices rows under one rule set.
type piper struct {
	rs      *engine.RuleSet
	opts    Options
	inputs  map[*engine.PriceList]*engine.Inputs // reused, one per version met
	q       engine.Quote
	meters  []string // the meters of the outputs ("" for another output)
	passed  []string // this row's pass-through fields, as written (TSV) or as JSON
	scratch []byte
	keys    []string          // a JSON row's keys...
	raws    []json.RawMessage // ...and values
	known   map[string]string // keys met, quoted -> unquoted
}

func newPiper(rs *engine.RuleSet, opts Options) (*piper, error) {
	l, err := rs.List(opts.List)
	if err != nil {
		return nil, err
	}
	switch opts.Format {
	case TabSeparated:
		if len(opts.Columns) == 0 {
			return nil, fmt.Errorf("a TabSeparated pipe needs its columns, in order (the inputs of %s: %s)", l.Rules.Name, strings.Join(l.Rules.InputNames(), ", "))
		}
		for _, c := range opts.Columns {
			if c != opts.AtColumn && !slices.Contains(opts.Pass, c) && l.Rules.Input(c) == nil {
				return nil, fmt.Errorf("column %s is not an input of %s%s", rules.Quote(c), l.Rules.Name, rules.DidYouMean(c, l.Rules.InputNames()))
			}
		}
	case JSONEachRow:
	default:
		return nil, fmt.Errorf("the format is %s or %s, not %q", TabSeparated, JSONEachRow, opts.Format)
	}
	if len(opts.Outputs) == 0 {
		opts.Outputs = []string{l.Rules.Meters[0].Name}
	}
	p := &piper{rs: rs, opts: opts, inputs: map[*engine.PriceList]*engine.Inputs{}, known: map[string]string{}}
	for _, o := range opts.Outputs {
		switch {
		case o == OutputQuote || o == OutputDigest:
			p.meters = append(p.meters, "")
		case l.Rules.Meter(o) != nil:
			p.meters = append(p.meters, o)
		default:
			known := []string{OutputQuote, OutputDigest}
			for _, m := range l.Rules.Meters {
				known = append(known, m.Name)
			}
			return nil, fmt.Errorf("output %s is not a meter of %s, %s or %s%s", rules.Quote(o), l.Rules.Name, OutputQuote, OutputDigest, rules.DidYouMean(o, known))
		}
	}
	if len(p.opts.Names) == 0 {
		p.opts.Names = opts.Outputs
		if len(opts.Outputs) == 1 {
			p.opts.Names = []string{"result"}
		}
	}
	if len(p.opts.Names) != len(opts.Outputs) {
		return nil, fmt.Errorf("%d names for %d outputs", len(p.opts.Names), len(opts.Outputs))
	}
	for _, c := range opts.Pass {
		if opts.Format == TabSeparated && !slices.Contains(opts.Columns, c) {
			return nil, fmt.Errorf("pass-through column %s is not one of the columns (%s)", rules.Quote(c), strings.Join(opts.Columns, ", "))
		}
	}
	return p, nil
}

// row prices one row and returns its result row, or the NULL row and why.
func (p *piper) row(line []byte, readErr error) ([]byte, error) {
	p.passed = p.passed[:0]
	var q *engine.Quote
	err := readErr
	if err == nil {
		q, err = p.quote(line)
	}
	if err != nil {
		q = nil // its pass-through fields, and NULL
	}
	p.scratch = p.write(p.scratch[:0], q)
	return p.scratch, err
}

// quote sets a row's inputs and prices it.
func (p *piper) quote(line []byte) (*engine.Quote, error) {
	var at time.Time
	var set func(in *engine.Inputs) error
	switch p.opts.Format {
	case TabSeparated:
		fields := strings.Split(string(line), "\t")
		for _, c := range p.opts.Pass {
			if i := slices.Index(p.opts.Columns, c); i < len(fields) {
				p.passed = append(p.passed, fields[i])
			}
		}
		if len(fields) != len(p.opts.Columns) {
			return nil, fmt.Errorf("%d fields, for %d columns (%s)", len(fields), len(p.opts.Columns), strings.Join(p.opts.Columns, ", "))
		}
		for i, name := range p.opts.Columns {
			if name != p.opts.AtColumn || fields[i] == `\N` {
				continue
			}
			t, err := parseInstant(unescapeTSV(fields[i]))
			if err != nil {
				return nil, fmt.Errorf("%s: %v", name, err)
			}
			at = t
		}
		set = func(in *engine.Inputs) error {
			for i, name := range p.opts.Columns {
				if name == p.opts.AtColumn || fields[i] == `\N` || slices.Contains(p.opts.Pass, name) {
					continue // NULL: the input's default
				}
				if err := in.SetText(name, tsvValue(unescapeTSV(fields[i]))); err != nil {
					return err
				}
			}
			return nil
		}
	default:
		keys, raws, err := p.object(line)
		for _, c := range p.opts.Pass {
			raw := "null"
			if i := slices.Index(keys, c); i >= 0 {
				raw = string(raws[i])
			}
			p.passed = append(p.passed, raw)
		}
		if err != nil {
			return nil, err
		}
		if i := slices.Index(keys, p.opts.AtColumn); i >= 0 && p.opts.AtColumn != "" && string(raws[i]) != "null" {
			s, err := jsonscan.Unquote(raws[i])
			if raws[i][0] != '"' || err != nil {
				return nil, fmt.Errorf("%s must be an instant in a string", p.opts.AtColumn)
			}
			if at, err = parseInstant(s); err != nil {
				return nil, fmt.Errorf("%s: %v", p.opts.AtColumn, err)
			}
		}
		set = func(in *engine.Inputs) error {
			for i, name := range keys {
				if name == p.opts.AtColumn || slices.Contains(p.opts.Pass, name) {
					continue
				}
				if err := in.SetJSON(name, raws[i]); err != nil {
					return err
				}
			}
			return nil
		}
	}
	l, err := p.rs.ListAt(p.opts.List, engine.Terms{At: at})
	if err != nil {
		return nil, err
	}
	in := p.inputs[l]
	if in == nil {
		in = l.NewInputs()
		p.inputs[l] = in
	}
	in.Reset()
	if err := set(in); err != nil {
		return nil, err
	}
	if err := in.QuoteInto(&p.q); err != nil {
		return nil, err
	}
	return &p.q, nil
}

// object splits a JSON object into its keys and raw values, without
// decoding them, reusing its slices: a row is read once, straight into
// the inputs. A key given twice is an error.
func (p *piper) object(line []byte) ([]string, []json.RawMessage, error) {
	p.keys, p.raws = p.keys[:0], p.raws[:0]
	if !json.Valid(line) {
		return nil, nil, errors.New("not a JSON object: not valid JSON")
	}
	i := jsonscan.SkipSpace(line, 0)
	if line[i] != '{' {
		return nil, nil, errors.New("not a JSON object {...}")
	}
	for i = jsonscan.SkipSpace(line, i+1); line[i] != '}'; {
		end := jsonscan.StringEnd(line, i)
		key, err := p.key(line[i:end])
		if err != nil {
			return nil, nil, err
		}
		if slices.Contains(p.keys, key) {
			return nil, nil, fmt.Errorf("key %s twice", rules.Quote(key))
		}
		i = jsonscan.SkipSpace(line, jsonscan.SkipSpace(line, end)+1) // past the colon
		end = jsonscan.ValueEnd(line, i)
		p.keys, p.raws = append(p.keys, key), append(p.raws, json.RawMessage(line[i:end]))
		if i = jsonscan.SkipSpace(line, end); line[i] == ',' {
			i = jsonscan.SkipSpace(line, i+1)
		}
	}
	return p.keys, p.raws, nil
}

// key returns an object key, unquoted, as the same string each time.
func (p *piper) key(quoted []byte) (string, error) {
	if k, ok := p.known[string(quoted)]; ok {
		return k, nil
	}
	k, err := jsonscan.Unquote(quoted)
	if err != nil {
		return "", err
	}
	if len(p.known) < 1000 { // bounded: keys are the inputs' names, mostly
		p.known[string(quoted)] = k
	}
	return k, nil
}

// write appends the result row of q (all NULL for a nil q).
func (p *piper) write(b []byte, q *engine.Quote) []byte {
	json1 := p.opts.Format == JSONEachRow
	if json1 {
		b = append(b, '{')
	}
	for i, c := range p.opts.Pass {
		switch {
		case i > 0 && json1:
			b = append(b, ',')
		case i > 0:
			b = append(b, '\t')
		}
		v := `\N`
		if json1 {
			v = "null"
		}
		if i < len(p.passed) {
			v = p.passed[i]
		}
		if json1 {
			b = strconv.AppendQuote(b, c)
			b = append(b, ':')
		}
		b = append(b, v...)
	}
	for i, o := range p.opts.Outputs {
		switch {
		case (i > 0 || len(p.opts.Pass) > 0) && json1:
			b = append(b, ',')
		case i > 0 || len(p.opts.Pass) > 0:
			b = append(b, '\t')
		}
		if json1 {
			b = strconv.AppendQuote(b, p.opts.Names[i])
			b = append(b, ':')
		}
		switch {
		case q == nil && json1:
			b = append(b, "null"...)
		case q == nil:
			b = append(b, `\N`...)
		case p.meters[i] != "": // an exact decimal: a JSON number, or TSV text
			b = q.Totals[slices.IndexFunc(q.Totals, func(t engine.Total) bool { return t.Meter == p.meters[i] })].Amount.Append(b)
		case o == OutputDigest:
			b = p.text(b, p.rs.Digest, json1)
		default:
			data, _ := json.Marshal(q)
			b = p.text(b, string(data), json1)
		}
	}
	if json1 {
		b = append(b, '}')
	}
	return append(b, '\n')
}

func (p *piper) text(b []byte, s string, json1 bool) []byte {
	if json1 {
		data, _ := json.Marshal(s)
		return append(b, data...)
	}
	return appendTSV(b, s)
}

// parseInstant reads an instant as RFC 3339, or as ClickHouse writes a
// DateTime ("2006-01-02 15:04:05"), taken as UTC.
func parseInstant(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateTime, s); err == nil {
		return t, nil
	}
	return rules.ParseInstant(s)
}

// tsvValue turns ClickHouse's text of an array ([5,5] or ['a','b']) into
// the comma-separated words a list input reads; anything else is as is.
func tsvValue(s string) string {
	if len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' {
		return strings.ReplaceAll(s[1:len(s)-1], "'", "")
	}
	return s
}

// unescapeTSV undoes TabSeparated's escapes: \t \n \r \\ \0 \b \f \' and
// a backslash before any other character standing for it.
func unescapeTSV(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// appendTSV appends s with TabSeparated's escapes.
func appendTSV(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\t':
			b = append(b, `\t`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\\':
			b = append(b, `\\`...)
		case 0:
			b = append(b, `\0`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

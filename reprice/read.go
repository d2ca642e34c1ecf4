package reprice

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// MaxLine caps one JSON line; a longer one is a bad record, not an
// unbounded allocation.
const MaxLine = 1 << 20

// Record is one usage record: its values by column, as text for CSV or as
// JSON values for JSON lines.
type Record struct {
	Line   int      // where the record starts in the file, from 1
	Fields []string // CSV: values in the order of Reader.Columns
	// JSON lines: the object's keys and raw values, in the record's order.
	// Each record may have keys of its own.
	Keys []string
	Raw  []json.RawMessage
}

// value returns the raw JSON value of a key, or nil.
func (r *Record) value(key string) json.RawMessage {
	for i, k := range r.Keys {
		if k == key {
			return r.Raw[i]
		}
	}
	return nil
}

// Reader reads usage records.
type Reader interface {
	// Columns names the columns: the CSV header, or the keys of the first
	// JSON line (sorted).
	Columns() []string
	// Next returns the next record, io.EOF after the last, or a *BadRecord
	// for a record that cannot be read (reading can go on after it).
	Next() (*Record, error)
	// Format is "csv" or "jsonl".
	Format() string
}

// BadRecord is a record that could not be read or priced.
type BadRecord struct {
	Line int
	Err  error
}

func (e *BadRecord) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Input is an opened usage file.
type Input struct {
	Reader
	io.Closer
	counter *countingReader
	Size    int64 // bytes on disk, or 0 when unknown (standard input)
}

// BytesRead tells how much of the file (as stored, compressed or not) has
// been read, for progress.
func (in *Input) BytesRead() int64 { return in.counter.n.Load() }

// Open opens a usage file: "-" is standard input; a name ending in .gz is
// gunzipped; .jsonl, .ndjson and .json (before any .gz) are JSON lines,
// anything else CSV.
func Open(name string, stdin io.Reader) (*Input, error) {
	var raw io.Reader = stdin
	var closer io.Closer = io.NopCloser(nil)
	var size int64
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		if info, err := f.Stat(); err == nil {
			size = info.Size()
		}
		raw, closer = f, f
	}
	counter := &countingReader{r: raw}
	var r io.Reader = bufio.NewReaderSize(counter, 1<<16)
	base := name
	if strings.HasSuffix(base, ".gz") {
		gz, err := gzip.NewReader(r)
		if err != nil {
			closer.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		r = gz
		base = strings.TrimSuffix(base, ".gz")
	}
	var reader Reader
	var err error
	switch {
	case strings.HasSuffix(base, ".jsonl"), strings.HasSuffix(base, ".ndjson"), strings.HasSuffix(base, ".json"):
		reader, err = newJSONReader(r)
	default:
		reader, err = newCSVReader(r)
	}
	if err != nil {
		closer.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &Input{Reader: reader, Closer: closer, counter: counter, Size: size}, nil
}

type csvReader struct {
	r       *csv.Reader
	columns []string
}

func newCSVReader(r io.Reader) (*csvReader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked here, so that a short line is a bad record, not the end
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty: a CSV usage file starts with a header row")
	}
	if err != nil {
		return nil, err
	}
	header = append([]string(nil), header...)
	header[0] = strings.TrimPrefix(header[0], "\ufeff") // a byte-order mark
	seen := map[string]bool{}
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
		if header[i] == "" {
			return nil, fmt.Errorf("header column %d has no name", i+1)
		}
		if seen[header[i]] {
			return nil, fmt.Errorf("header names column %q twice", header[i])
		}
		seen[header[i]] = true
	}
	return &csvReader{r: cr, columns: header}, nil
}

func (c *csvReader) Columns() []string { return c.columns }
func (c *csvReader) Format() string    { return "csv" }

func (c *csvReader) Next() (*Record, error) {
	fields, err := c.r.Read()
	line, _ := c.r.FieldPos(0)
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &BadRecord{Line: pe.StartLine, Err: pe.Err}
		}
		return nil, err
	}
	if len(fields) != len(c.columns) {
		return nil, &BadRecord{Line: line, Err: fmt.Errorf("%d fields, but the header has %d columns", len(fields), len(c.columns))}
	}
	return &Record{Line: line, Fields: fields}, nil
}

type jsonReader struct {
	lines   jsonLine
	s       *bufio.Scanner
	line    int
	columns []string
	first   *Record // read ahead to learn the columns
}

func newJSONReader(r io.Reader) (*jsonReader, error) {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 0, 64<<10), MaxLine)
	j := &jsonReader{s: s}
	// The columns (for CSV results) are the keys of the first record.
	rec, err := j.read()
	if err == io.EOF {
		return nil, errors.New("the file holds no JSON record")
	}
	if err != nil {
		return nil, err
	}
	j.first, j.columns = rec, rec.Keys
	return j, nil
}

func (j *jsonReader) Columns() []string { return j.columns }
func (j *jsonReader) Format() string    { return "jsonl" }

func (j *jsonReader) Next() (*Record, error) {
	if j.first != nil {
		rec := j.first
		j.first = nil
		return rec, nil
	}
	return j.read()
}

// read reads the next non-blank line as one JSON object, keeping its keys'
// order.
func (j *jsonReader) read() (*Record, error) {
	for j.s.Scan() {
		j.line++
		text := bytes.TrimSpace(j.s.Bytes())
		if j.line == 1 {
			text = bytes.TrimPrefix(text, []byte("\ufeff"))
		}
		if len(text) == 0 {
			continue
		}
		rec, err := j.lines.parse(text)
		if err != nil {
			return nil, &BadRecord{Line: j.line, Err: fmt.Errorf("not a JSON object: %v", err)}
		}
		rec.Line = j.line
		return rec, nil
	}
	if err := j.s.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: longer than %d bytes", j.line+1, MaxLine)
		}
		return nil, err
	}
	return nil, io.EOF
}

package reprice

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

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

type jsonReader struct {
	parser  jsonLine
	lines   *lineReader
	columns []string
	ahead   []readResult // read ahead to learn the columns
}

type readResult struct {
	rec *Record
	err error
}

func newJSONReader(r io.Reader) (*jsonReader, error) {
	j := &jsonReader{lines: newLineReader(r)}
	// The columns (for CSV results) are the keys of the first good
	// record; bad records before it are kept, to be reported in turn.
	for {
		rec, err := j.read()
		var bad *BadRecord
		switch {
		case err == io.EOF && len(j.ahead) == 0:
			return nil, errors.New("the file holds no JSON record")
		case err == io.EOF:
			return j, nil
		case errors.As(err, &bad):
			j.ahead = append(j.ahead, readResult{err: err})
			continue
		case err != nil:
			return nil, err
		}
		j.ahead = append(j.ahead, readResult{rec: rec})
		j.columns = rec.Keys
		return j, nil
	}
}

func (j *jsonReader) Columns() []string { return j.columns }
func (j *jsonReader) Format() string    { return "jsonl" }

func (j *jsonReader) Next() (*Record, error) {
	if len(j.ahead) > 0 {
		r := j.ahead[0]
		j.ahead = j.ahead[1:]
		return r.rec, r.err
	}
	return j.read()
}

// read reads the next non-blank line as one JSON object, keeping its keys'
// order.
func (j *jsonReader) read() (*Record, error) {
	for {
		line, err := j.lines.next()
		if err != nil {
			return nil, err
		}
		text := bytes.TrimSpace(line)
		if j.lines.n == 1 {
			text = bytes.TrimPrefix(text, []byte("\ufeff"))
		}
		if len(text) == 0 {
			continue
		}
		rec, err := j.parser.parse(text)
		if err != nil {
			return nil, &BadRecord{Line: j.lines.n, Err: fmt.Errorf("not a JSON object: %v", err)}
		}
		rec.Line = j.lines.n
		return rec, nil
	}
}

// ReadText reads usage held in memory (a file uploaded to the studio):
// JSON lines when jsonLines, else CSV with a header row.
func ReadText(text string, jsonLines bool) (Reader, error) {
	r := strings.NewReader(text)
	if jsonLines {
		return newJSONReader(r)
	}
	return newCSVReader(r)
}

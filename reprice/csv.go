package reprice

import (
	"errors"
	"fmt"
	"io"
	"ratecard/rules"
	"strings"
)

// csvReader reads CSV usage records, one record a line. A field may be
// quoted ("a, b", with "" for a quote inside) but may not hold a line
// break: usage records have none, and a stray quote must never swallow the
// lines after it (encoding/csv read on to the next quote, merging or
// losing records). A malformed line is a bad record with its line number,
// and reading goes on at the next line.
type csvReader struct {
	lines   *lineReader
	columns []string
	fields  []string // reused from record to record
}

func newCSVReader(r io.Reader) (*csvReader, error) {
	c := &csvReader{lines: newLineReader(r)}
	var line []byte
	var err error
	for len(line) == 0 { // blank lines before the header are skipped
		if line, err = c.lines.next(); err != nil {
			var bad *BadRecord
			switch {
			case err == io.EOF:
				return nil, errors.New("the file is empty: a CSV usage file starts with a header row")
			case errors.As(err, &bad):
				return nil, fmt.Errorf("line %d: the header row is longer than %d bytes: is this a CSV file?", bad.Line, MaxLine)
			}
			return nil, err
		}
	}
	line = []byte(strings.TrimPrefix(string(line), "\ufeff")) // a byte-order mark
	header, err := splitCSV(line, nil)
	if err != nil {
		return nil, fmt.Errorf("line %d: the header row: %v", c.lines.n, err)
	}
	seen := map[string]bool{}
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
		if header[i] == "" {
			return nil, fmt.Errorf("header column %d has no name", i+1)
		}
		if seen[header[i]] {
			return nil, fmt.Errorf("header names column %s twice", rules.Quote(header[i]))
		}
		seen[header[i]] = true
	}
	c.columns = header
	return c, nil
}

func (c *csvReader) Columns() []string { return c.columns }
func (c *csvReader) Format() string    { return "csv" }

// Next returns the next record. Its Fields are reused by the next call.
func (c *csvReader) Next() (*Record, error) {
	for {
		line, err := c.lines.next()
		if err != nil {
			return nil, err
		}
		if len(line) == 0 {
			continue // a blank line, as encoding/csv skips them
		}
		fields, err := splitCSV(line, c.fields[:0])
		if err != nil {
			return nil, &BadRecord{Line: c.lines.n, Err: err}
		}
		c.fields = fields
		if len(fields) != len(c.columns) {
			return nil, &BadRecord{Line: c.lines.n, Err: fmt.Errorf("%d fields, but the header has %d columns", len(fields), len(c.columns))}
		}
		return &Record{Line: c.lines.n, Fields: fields}, nil
	}
}

// splitCSV splits one line into its fields, appended to fields, following
// RFC 4180 within the line. The fields are slices of one string made of
// the line: one allocation a record, but for fields with "" inside.
func splitCSV(line []byte, fields []string) ([]string, error) {
	s := string(line)
	for i := 0; ; {
		if i < len(s) && s[i] == '"' {
			field, end, err := quotedField(s, i)
			if err != nil {
				return nil, fmt.Errorf("field %d: %v", len(fields)+1, err)
			}
			fields = append(fields, field)
			if end == len(s) {
				return fields, nil
			}
			i = end + 1 // past the comma
			continue
		}
		end := strings.IndexByte(s[i:], ',')
		if end < 0 {
			end = len(s)
		} else {
			end += i
		}
		if strings.IndexByte(s[i:end], '"') >= 0 {
			return nil, fmt.Errorf(`field %d: a quote (") inside a field that does not start with one: quote the whole field and double the quote ("a ""b"" c")`, len(fields)+1)
		}
		fields = append(fields, s[i:end])
		if end == len(s) {
			return fields, nil
		}
		i = end + 1
	}
}

// quotedField reads the quoted field starting at s[start] (a quote) and
// returns its value and the offset just past its closing quote, which must
// be the end of the line or a comma.
func quotedField(s string, start int) (field string, end int, err error) {
	var b strings.Builder // only for a field with "" inside
	from := start + 1
	for j := from; ; {
		k := strings.IndexByte(s[j:], '"')
		if k < 0 {
			return "", 0, errors.New("a quoted field is not closed on its line (a field may not hold a line break)")
		}
		j += k
		if j+1 < len(s) && s[j+1] == '"' { // "" is one quote
			b.WriteString(s[from : j+1])
			j += 2
			from = j
			continue
		}
		if j+1 < len(s) && s[j+1] != ',' {
			return "", 0, errors.New(`text after the closing quote of a quoted field: double a quote inside a field ("")`)
		}
		if b.Len() == 0 {
			return s[from:j], j + 1, nil
		}
		b.WriteString(s[from:j])
		return b.String(), j + 1, nil
	}
}

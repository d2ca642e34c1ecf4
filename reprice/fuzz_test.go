package reprice

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// FuzzCSVLine requires the line splitter to agree with encoding/csv on any
// one line: the same fields, or both an error. (encoding/csv reads on past
// a line end inside quotes; the splitter never does, so lines with line
// ends are left out.)
func FuzzCSVLine(f *testing.F) {
	for _, seed := range []string{
		`a,b,c`, `"a,b",c`, `"say ""hi""",x`, `"",`, `,,`, `""""`, ` a , b `, `"a`, `a,b"c`, `"a"b`,
		`x,"a""`, `"r1,create,90,library`, `r"1,create`, `"r1"x,create`, "\"tab\there\",\x00", `é,"ü"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if line == "" || strings.ContainsAny(line, "\r\n") {
			return
		}
		got, gotErr := splitCSV([]byte(line), nil)
		r := csv.NewReader(strings.NewReader(line))
		r.FieldsPerRecord = -1
		want, wantErr := r.Read()
		if wantErr == io.EOF {
			return // encoding/csv skips a line it takes for empty
		}
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q: split %q (%v), encoding/csv %q (%v)", line, got, gotErr, want, wantErr)
		}
		if gotErr == nil && !slices.Equal(got, want) {
			t.Fatalf("%q: split %q, encoding/csv %q", line, got, want)
		}
	})
}

// FuzzUsageFile reads and prices any bytes as a usage file, CSV and JSON
// lines, plain and gzipped: no panic, no record lost or counted twice
// (read = priced + rejected, each bad record once, in order, at a line of
// the file), whatever the file holds.
func FuzzUsageFile(f *testing.F) {
	for _, seed := range []string{
		"id,action,duration,actor\nr1,create,90,library\n",
		"id,action,duration,actor\n\"r1,create,90,library\nr2,create,90,library\n",
		"\"id\",action\n",
		"id,action,duration,actor\r\nr1,create,90,library\r\n\r\nr2,edit,,\r\n",
		"\ufeffid,actors\nr1,library\n",
		"id,x\n" + strings.Repeat("a", 300) + ",1\n",
		`{"duration": 1, "duration": 900}` + "\n" + `{"duration": 90}` + "\n",
		`{"action": "create", "duration": 90, "clips": [1, "2"]}`,
		"not json\n{}\n[1]\n",
		"\x00\x00\x00",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	l := shippedList(f)
	f.Fuzz(func(t *testing.T, data []byte, jsonLines bool) {
		var reader Reader
		var err error
		if jsonLines {
			reader, err = newJSONReader(bytes.NewReader(data))
		} else {
			reader, err = newCSVReader(bytes.NewReader(data))
		}
		if err != nil {
			return // a file with no header or record is refused whole
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		var bad []int
		s, err := Run(reader, l, Options{ExtraColumns: true, OnBad: func(b *BadRecord) { bad = append(bad, b.Line) }})
		if err != nil {
			var br *BadRecord
			if errors.As(err, &br) {
				t.Fatalf("a bad record stopped the run: %v", err)
			}
			return // a header naming no input, a misspelt column: refused whole
		}
		if s.Read != s.Priced+s.Rejected || s.Rejected != len(bad) {
			t.Fatalf("read %d, priced %d, rejected %d, %d reported", s.Read, s.Priced, s.Rejected, len(bad))
		}
		if !slices.IsSorted(bad) || (len(bad) > 0 && (bad[0] < 1 || bad[len(bad)-1] > lines)) {
			t.Fatalf("bad records at lines %v of a %d-line file", bad, lines)
		}
		if s.Read > lines {
			t.Fatalf("%d records read from %d lines", s.Read, lines)
		}
	})
}

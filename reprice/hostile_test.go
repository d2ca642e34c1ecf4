package reprice

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// gzipped compresses data, failing the test on error.
func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeFile writes data to name in a new temporary directory and opens it
// as a usage file.
func openBytes(t *testing.T, name string, data []byte) (*Input, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := Open(path, nil)
	if err == nil {
		t.Cleanup(func() { in.Close() })
	}
	return in, err
}

// TestStrayQuotes puts a quote where it does not belong, in every field
// and as the first character of a line. encoding/csv panicked on a quote in
// the first field, and read on to the next quote in the file, losing the
// records between: each such line must be one bad record with its line
// number, every other line priced, in turn and in parallel alike.
func TestStrayQuotes(t *testing.T) {
	l := shippedList(t)
	var text strings.Builder
	text.WriteString("id,action,duration,actor\n")
	var wantBad []int
	for i := 2; i <= 2001; i++ {
		switch i % 7 {
		case 0:
			fmt.Fprintf(&text, "\"r%d,create,90,library\n", i) // opens a quote never closed
			wantBad = append(wantBad, i)
		case 3:
			fmt.Fprintf(&text, "r\"%d,create,90,library\n", i) // a quote inside a field
			wantBad = append(wantBad, i)
		case 5:
			fmt.Fprintf(&text, "\"r%d\"x,create,90,library\n", i) // text after a closing quote
			wantBad = append(wantBad, i)
		default:
			fmt.Fprintf(&text, "\"r%d\",create,\"90\",library\n", i) // quoted, well formed
		}
	}
	for _, workers := range []int{1, 2} {
		for run := 0; run < 10; run++ {
			in, err := openBytes(t, "u.csv", []byte(text.String()))
			if err != nil {
				t.Fatal(err)
			}
			var bad []int
			s, err := Run(in, l, Options{Workers: workers, OnBad: func(b *BadRecord) { bad = append(bad, b.Line) }})
			if err != nil {
				t.Fatal(err)
			}
			if s.Read != 2000 || s.Rejected != len(wantBad) || s.Priced != 2000-len(wantBad) || !slices.Equal(bad, wantBad) {
				t.Fatalf("%d workers: read %d, priced %d, rejected %d at %v; want 2000 read, %d rejected at %v",
					workers, s.Read, s.Priced, s.Rejected, bad[:min(len(bad), 5)], len(wantBad), wantBad[:5])
			}
			if want := fmt.Sprintf("%d.00", 45*s.Priced); s.Total.Meters[0].StringFixed(2) != want {
				t.Fatalf("credits %s, want %s", s.Total.Meters[0], want)
			}
		}
	}
}

// TestSplitCSV pins the reading of one line against RFC 4180's rules.
func TestSplitCSV(t *testing.T) {
	for line, want := range map[string]string{
		`a,b,c`:              `[a b c]`,
		`"a,b",c`:            `[a,b c]`,
		`"say ""hi""",x`:     `[say "hi" x]`,
		`"",`:                `[ ]`,
		`,,`:                 `[  ]`,
		`""""`:               `["]`,
		`a,"b"`:              `[a b]`,
		` a , b `:            `[ a   b ]`,
		`"a`:                 `field 1: a quoted field is not closed on its line (a field may not hold a line break)`,
		`a,b"c`:              `field 2: a quote (") inside a field that does not start with one: quote the whole field and double the quote ("a ""b"" c")`,
		`"a"b`:               `field 1: text after the closing quote of a quoted field: double a quote inside a field ("")`,
		`x,"a""`:             `field 2: a quoted field is not closed on its line (a field may not hold a line break)`,
		"\"tab\there\",\x00": "[tab\there \x00]",
	} {
		fields, err := splitCSV([]byte(line), nil)
		got := fmt.Sprint(fields)
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("%q: got %s, want %s", line, got, want)
		}
	}
}

// TestLongLines: a line over 1 MiB is a bad record and the lines after it
// are read; a header that long is an error at once, after reading no more
// than about a line. A 1 GiB gzip bomb of zero bytes was read as a 1 GiB
// header in 5.7 GB of memory; a 100 MB field was echoed whole.
func TestLongLines(t *testing.T) {
	l := shippedList(t)
	huge := strings.Repeat("x", 3<<20)
	csvText := "id,action,duration,actor\nr1,create,90,library\n" +
		"r2,create,90," + huge + "\n" + // an input over the cap
		"r3,create,90,library\n" +
		"r4,create,90," + huge[:MaxLine-30] + "\n" + // under the cap: priced, and refused by value
		"r5,create,90,library\n"
	jsonText := `{"id": "r1", "duration": 90}` + "\n" + `{"id": "` + huge + `"}` + "\n" + `{"id": "r3", "duration": 90}` + "\n"
	for name, text := range map[string]string{"u.csv": csvText, "u.jsonl": jsonText, "u.csv.gz": csvText} {
		data := []byte(text)
		if strings.HasSuffix(name, ".gz") {
			data = gzipped(t, data)
		}
		in, err := openBytes(t, name, data)
		if err != nil {
			t.Fatal(err)
		}
		var bad []*BadRecord
		s, err := Run(in, l, Options{OnBad: func(b *BadRecord) { bad = append(bad, b) }})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wantLine := 3
		if name == "u.jsonl" {
			wantLine = 2
		}
		if bad[0].Line != wantLine || !strings.Contains(bad[0].Error(), "longer than 1048576 bytes") {
			t.Errorf("%s: first bad record %v", name, bad[0])
		}
		if s.Priced != s.Read-len(bad) || s.Priced < 2 {
			t.Errorf("%s: read %d, priced %d, %d bad", name, s.Read, s.Priced, len(bad))
		}
		for _, b := range bad {
			if len(b.Error()) > 300 {
				t.Errorf("%s: a message of %d bytes echoes the value: %.100s…", name, len(b.Error()), b.Error())
			}
		}
	}

	// A gzip bomb: 256 MiB of zero bytes, with no line end.
	bomb := gzipped(t, make([]byte, 256<<20))
	var err error
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = openBytes(t, "bomb.csv.gz", bomb)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "line 1: the header row is longer than 1048576 bytes") {
		t.Errorf("gzip bomb: %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("opening the gzip bomb allocated %d MB", grew>>20)
	}
}

// TestHeaderNamesNoInput: a CSV file none of whose columns is an input
// (another product's file, a header misspelt whole) is refused, not priced
// at the defaults.
func TestHeaderNamesNoInput(t *testing.T) {
	in, err := openBytes(t, "u.csv", []byte("when,who,what\n1,2,3\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(in, shippedList(t), Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "no column of the header is an input of video-credits (its inputs are action, media, duration, actor, images, clips)") {
		t.Errorf("got %v", err)
	}
}

// TestMisspeltColumns: a column one slip away from an input, or the same
// but for case, priced every record at the default without a word (30.00
// instead of 45.00). It is an error naming the input, unless ExtraColumns
// says such columns are meant; the summary counts the records that gave
// each input.
func TestMisspeltColumns(t *testing.T) {
	l := shippedList(t)
	for _, header := range []string{"id,duration,actors", "id,duration,Actor", "id,duraton,actor"} {
		for _, name := range []string{"u.csv", "u.jsonl"} {
			data := header + "\nr1,90,library\n"
			if name == "u.jsonl" {
				cols := strings.Split(header, ",")
				data = fmt.Sprintf(`{"%s": "r1", "%s": 90, "%s": "library"}`+"\n", cols[0], cols[1], cols[2])
			}
			in, err := openBytes(t, name, []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Run(in, l, Options{})
			if err == nil || !strings.Contains(err.Error(), "is not an input: did you mean") || !strings.Contains(err.Error(), "-extra-columns") {
				t.Errorf("%s %s: got %v", name, header, err)
			}
		}
	}
	in, err := openBytes(t, "u.csv", []byte("id,duration,actors\nr1,90,library\nr2,,library\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Run(in, l, Options{ExtraColumns: true})
	if err != nil || s.Total.Meters[0].StringFixed(2) != "30.00" || s.Rejected != 1 { // no actor; r2 has no duration
		t.Fatalf("ExtraColumns: %v, credits %v", err, s)
	}
	want := []InputUse{{"action", "", 0}, {"media", "", 0}, {"duration", "duration", 1}, {"actor", "", 0}, {"images", "", 0}, {"clips", "", 0}}
	if !slices.Equal(s.Inputs, want) {
		t.Errorf("inputs %v, want %v", s.Inputs, want)
	}
}

// TestFirstJSONLineBad: a bad first line (a key twice) stopped the whole
// run, as the columns are read from it. It is a bad record like any other,
// and the columns come from the first good one.
func TestFirstJSONLineBad(t *testing.T) {
	text := `{"duration": 1, "duration": 900}` + "\n" + "not json\n" + `{"id": "r3", "duration": 90, "actor": "library"}` + "\n"
	in, err := openBytes(t, "u.jsonl", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var bad []*BadRecord
	s, err := Run(in, shippedList(t), Options{OnBad: func(b *BadRecord) { bad = append(bad, b) }})
	if err != nil {
		t.Fatal(err)
	}
	if s.Read != 3 || s.Priced != 1 || len(bad) != 2 || bad[0].Line != 1 || bad[1].Line != 2 ||
		!strings.Contains(bad[0].Error(), `key "duration" twice`) || s.Total.Meters[0].StringFixed(2) != "45.00" {
		t.Errorf("read %d, priced %d, bad %v, credits %s", s.Read, s.Priced, bad, s.Total.Meters[0])
	}
	if !slices.Equal(in.Columns(), []string{"id", "duration", "actor"}) {
		t.Errorf("columns %v", in.Columns())
	}
}

// TestGzipCutShort: a .gz file cut short said "unexpected EOF" and no
// more. The error names the line reached, and the counts so far are kept.
func TestGzipCutShort(t *testing.T) {
	var text strings.Builder
	text.WriteString("id,action,duration,actor\n")
	for i := range 20000 {
		fmt.Fprintf(&text, "r%d,create,%d,library\n", i, 30+i%97)
	}
	data := gzipped(t, []byte(text.String()))
	for _, workers := range []int{1, 2} {
		in, err := openBytes(t, "u.csv.gz", data[:len(data)*2/3])
		if err != nil {
			t.Fatal(err)
		}
		s, err := Run(in, shippedList(t), Options{Workers: workers})
		if err == nil || !strings.HasPrefix(err.Error(), "line ") || !strings.Contains(err.Error(), "the file ends in the middle of its data (was it cut short?): unexpected EOF") {
			t.Fatalf("%d workers: got %v", workers, err)
		}
		var line int
		fmt.Sscanf(err.Error(), "line %d:", &line)
		if s == nil || s.Read == 0 || s.Read != s.Priced || line != s.Read+2 {
			t.Errorf("%d workers: error at line %d after %+v", workers, line, s)
		}
	}
}

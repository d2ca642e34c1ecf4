package reprice

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"ratecard/engine"
)

// openFile opens a usage file for the test, failing it on error.
func openFile(t testing.TB, path string) *Input {
	t.Helper()
	in, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}

// mustRun reprices in under l, failing the test on error.
func mustRun(t testing.TB, in Reader, l *engine.PriceList) *Summary {
	t.Helper()
	s, err := Run(in, l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openText(t *testing.T, name, text string) *Input {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	data := []byte(text)
	if strings.HasSuffix(name, ".gz") {
		data = gzipped(t, data)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}

// TestRunSample reprices the sample and checks the totals against quoting
// every record one by one.
func TestRunSample(t *testing.T) {
	l := shippedList(t)
	in, err := Open(sample, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	s, err := Run(in, l, Options{GroupBy: "plan"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Read != 3000 || s.Priced != 3000 || s.Rejected != 0 {
		t.Fatalf("read %d priced %d rejected %d", s.Read, s.Priced, s.Rejected)
	}
	// The same sums, the slow way.
	in2 := openFile(t, sample)
	columns := in2.Columns()
	credits := decimal.Zero
	groupRecords := 0
	for {
		rec, err := in2.Next()
		if err == io.EOF {
			break
		}
		req := engine.Request{}
		for i, c := range columns {
			if l.Rules.Input(c) != nil && rec.Fields[i] != "" {
				req[c] = rec.Fields[i]
			}
		}
		q, err := l.Quote(req)
		if err != nil {
			t.Fatal(err)
		}
		credits = credits.Add(q.Total("credits"))
	}
	if !s.Total.Meters[0].Equal(credits) {
		t.Errorf("credits %s, one by one %s", s.Total.Meters[0], credits)
	}
	groupSum := decimal.Zero
	for _, g := range s.Groups {
		groupSum = groupSum.Add(g.Meters[0])
		groupRecords += g.Records
	}
	if !groupSum.Equal(credits) || groupRecords != 3000 || len(s.Groups) != 3 {
		t.Errorf("groups sum to %s over %d records in %d groups", groupSum, groupRecords, len(s.Groups))
	}
}

// TestBadRecords: every way a record can be bad is reported with its line,
// the run goes on, and read = priced + rejected.
func TestBadRecords(t *testing.T) {
	l := shippedList(t)
	csvText := "\ufeffid,action,duration,actor,images,clips\r\n" + // BOM and CRLF
		"a,create,90,library,,\r\n" + // 45
		"\r\n" + // a blank line is skipped, not a record
		"b,create,ninety,none,,\r\n" + // bad number
		"c,create,30,robot,,\r\n" + // not one of the values
		"d,create,,none,,\r\n" + // duration required for create
		"e,edit,,,1.5,\r\n" + // not a whole number
		"f,edit,,,2,5\r\n" + // 0.4 + 1.67
		"g,create,30\r\n" + // too few fields
		"h,edit,,,1,\"3" // truncated last line: an open quote
	wantLines := []int{4, 5, 6, 7, 9, 10}
	for _, name := range []string{"u.csv", "u.csv.gz"} {
		var bad []*BadRecord
		s, err := Run(openText(t, name, csvText), l, Options{OnBad: func(b *BadRecord) { bad = append(bad, b) }})
		if err != nil {
			t.Fatal(err)
		}
		if s.Read != 8 || s.Priced != 2 || s.Rejected != 6 || len(bad) != 6 {
			t.Fatalf("%s: read %d priced %d rejected %d, %d reported", name, s.Read, s.Priced, s.Rejected, len(bad))
		}
		for i, b := range bad {
			if b.Line != wantLines[i] {
				t.Errorf("%s: bad record %d at line %d, want %d (%v)", name, i, b.Line, wantLines[i], b)
			}
		}
		if got := s.Total.Meters[0].String(); got != "47.07" {
			t.Errorf("%s: credits %s, want 47.07", name, got)
		}
		for i, want := range []string{`"ninety" is not a decimal number`, `actor must be one of none, library, clone, not "robot"`,
			"input duration is required when", "images must be a whole number", "3 fields, but the header has 6", "field 6: a quoted field is not closed on its line"} {
			if !strings.Contains(bad[i].Error(), want) {
				t.Errorf("%s: bad record %d: %v; want %q", name, i, bad[i], want)
			}
		}
	}
	// -strict stops at the first.
	s, err := Run(openText(t, "u.csv", csvText), l, Options{Strict: true})
	var bad *BadRecord
	if !errors.As(err, &bad) || bad.Line != 4 || s.Priced != 1 {
		t.Errorf("strict: %v after %d priced", err, s.Priced)
	}
}

func TestJSONLines(t *testing.T) {
	l := shippedList(t)
	text := `{"id": "a", "action": "create", "duration": 90, "actor": "library", "note": {"x": 1}}
{"id": "b", "action": "edit", "images": 2, "clips": [5, "3"], "note": null}

{"id": "c", "action": "create", "duration": 1e999}
{"id": "d", "action": "create", "duration": 30.5, "colour": "red"}
{"id": "e", "duration": 1.5`
	var out bytes.Buffer
	var bad []*BadRecord
	s, err := Run(openText(t, "u.jsonl", text), l, Options{
		Results: NewResultWriter(&out, "jsonl"), OnBad: func(b *BadRecord) { bad = append(bad, b) }})
	if err != nil {
		t.Fatal(err)
	}
	if s.Read != 5 || s.Priced != 3 || len(bad) != 2 || bad[0].Line != 4 || bad[1].Line != 6 {
		t.Fatalf("read %d priced %d bad %v", s.Read, s.Priced, bad)
	}
	want := `{"id":"a","note":{"x": 1},"credits":"45.00","video_minutes":"0.00"}
{"id":"b","note":null,"credits":"3.07","video_minutes":"0.00"}
{"id":"d","colour":"red","credits":"10.33","video_minutes":"0.00"}
`
	if out.String() != want {
		t.Errorf("results:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestResultsCSV(t *testing.T) {
	l := shippedList(t)
	var out bytes.Buffer
	// A carried column named like a meter is renamed; CSV quoting survives.
	text := "id,credits,action,duration\nx,\"old, 3\",create,45\n"
	if _, err := Run(openText(t, "u.csv", text), l, Options{Results: NewResultWriter(&out, "csv")}); err != nil {
		t.Fatal(err)
	}
	want := "id,credits.input,credits,video_minutes\nx,\"old, 3\",15.00,0.00\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	out.Reset()
	if _, err := Run(openText(t, "u.csv", "id,action,duration\n\"q\"\"\x01\",create,45\n"), l, Options{Results: NewResultWriter(&out, "jsonl")}); err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"q\"\u0001","credits":"15.00","video_minutes":"0.00"}` + "\n"; out.String() != want {
		t.Errorf("got %s want %s", out.String(), want)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"empty.csv": "", "dup.csv": "a,a\n1,2\n", "nothing.jsonl": "\n\n"} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(text), 0o644)
		if _, err := Open(path, nil); err == nil {
			t.Errorf("%s opened", name)
		}
	}
	if _, err := Open(filepath.Join(dir, "missing.csv"), nil); err == nil {
		t.Error("a missing file opened")
	}
	in, err := Open("-", strings.NewReader("action,duration\ncreate,60\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Run(in, shippedList(t), Options{})
	if err != nil || s.Total.Meters[0].String() != "20" {
		t.Errorf("standard input: %v %v", s, err)
	}
}

// TestParallelSameAsInTurn: with several workers the results, the bad
// records (in line order) and the sums are exactly those of a run in turn,
// over many batches.
func TestParallelSameAsInTurn(t *testing.T) {
	l := shippedList(t)
	var text strings.Builder
	text.WriteString("id,customer,action,duration,actor,images,clips\n")
	for i := 0; i < 5000; i++ {
		switch i % 7 {
		case 3:
			fmt.Fprintf(&text, "r%d,c%d,create,x%d,none,,\n", i, i%13, i) // bad number
		case 5:
			fmt.Fprintf(&text, "r%d,c%d,edit,,,%d,\"%d,2.5\"\n", i, i%13, i%4, i%9+1)
		default:
			fmt.Fprintf(&text, "r%d,c%d,create,%d.%d,%s,,\n", i, i%13, i%700, i%10, []string{"none", "library", "clone"}[i%3])
		}
	}
	run := func(workers int, format string) (string, []string, *Summary) {
		var out bytes.Buffer
		var bad []string
		s, err := Run(openText(t, "u.csv", text.String()), l, Options{Workers: workers, GroupBy: "customer",
			Results: NewResultWriter(&out, format), OnBad: func(b *BadRecord) { bad = append(bad, b.Error()) }})
		if err != nil {
			t.Fatal(err)
		}
		return out.String(), bad, s
	}
	for _, format := range []string{"csv", "jsonl"} {
		out1, bad1, s1 := run(1, format)
		out2, bad2, s2 := run(4, format)
		if out1 != out2 {
			t.Errorf("%s: parallel results differ from those in turn", format)
		}
		if strings.Join(bad1, "\n") != strings.Join(bad2, "\n") || len(bad1) != 714 {
			t.Errorf("%s: bad records differ: %d in turn, %d parallel", format, len(bad1), len(bad2))
		}
		if s1.Read != s2.Read || s1.Priced != s2.Priced || s1.Rejected != s2.Rejected || s1.Read != 5000 ||
			!s1.Total.Meters[0].Equal(s2.Total.Meters[0]) || len(s1.Groups) != len(s2.Groups) {
			t.Errorf("%s: summaries differ: %+v vs %+v", format, s1, s2)
		}
		for name, g := range s1.Groups {
			if g2 := s2.Groups[name]; g2 == nil || g2.Records != g.Records || !g2.Meters[0].Equal(g.Meters[0]) {
				t.Errorf("%s: group %s differs", format, name)
			}
		}
	}
}

// TestCSVFieldRoundTrip: a carried field written by appendCSVField reads
// back unchanged through encoding/csv, whatever it holds.
func TestCSVFieldRoundTrip(t *testing.T) {
	fields := []string{"", "plain", "a,b", `say "hi"`, " leading", "\tтаб", "line\nbreak", "cr\rlf", `"`, "trailing "}
	var row []byte
	for i, f := range fields {
		if i > 0 {
			row = append(row, ',')
		}
		row = appendCSVField(row, f)
	}
	got, err := csv.NewReader(bytes.NewReader(append(row, '\n'))).Read()
	if err != nil {
		t.Fatalf("%q: %v", row, err)
	}
	if !slices.Equal(got, fields) {
		t.Errorf("wrote %q, read back %q", fields, got)
	}
	if string(appendCSVField(nil, "c0153")) != "c0153" {
		t.Error("a plain field was quoted")
	}
}

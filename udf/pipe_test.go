package udf

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"ratecard/engine"
	"ratecard/internal/testclock"
)

func TestMain(m *testing.M) { testclock.Main(m) }

func shipped(t testing.TB) *engine.RuleSet {
	t.Helper()
	rs, err := engine.LoadDir("../rules.d")
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// pipe runs Pipe over input and returns its output and log.
func pipe(t *testing.T, opts Options, input string) (string, string, Stats, error) {
	t.Helper()
	var out, log bytes.Buffer
	opts.Log = &log
	st, err := Pipe(shipped(t), strings.NewReader(input), &out, opts)
	return out.String(), log.String(), st, err
}

// TestTabSeparated checks the TabSeparated protocol byte for byte: NULL
// as \N (the input's default in, a bad row's result out), escapes, arrays
// as ClickHouse writes them, a bad row that shifts nothing, and an
// instant column.
func TestTabSeparated(t *testing.T) {
	in := "create\tgenerative\t90\tlibrary\t\\N\t[]\t\\N\n" + // 45 credits
		"edit\t\\N\t\\N\t\\N\t3\t[5,5]\t\\N\n" + // 3.94 credits
		"create\tgenerative\t90\tlibary\t0\t[]\t\\N\n" + // a bad row: NULL, the next row in its place
		"create\tstock\t60\tnone\t0\t[]\t\\N\n" + // 0 credits (video minutes only)
		"create\tgenerative\t60\tnone\t0\t[]\t2027-01-01 00:00:00\n" + // as of the change: 25
		"create\tgenerative\t60\n" // too few fields
	cols := []string{"action", "media", "duration", "actor", "images", "clips", "ts"}
	out, log, st, err := pipe(t, Options{Format: TabSeparated, Columns: cols, AtColumn: "ts"}, in)
	if err != nil {
		t.Fatal(err)
	}
	want := "45.00\n3.94\n\\N\n0.00\n25.00\n\\N\n"
	if out != want {
		t.Errorf("output %q, want %q", out, want)
	}
	wantLog := "ratecard pipe: row 3: actor must be one of none, library, clone, not \"libary\" (did you mean \"library\"?)\n" +
		"ratecard pipe: row 6: 3 fields, for 7 columns (action, media, duration, actor, images, clips, ts)\n"
	if log != wantLog || st.Rows != 6 || st.Bad != 2 {
		t.Errorf("log %q, %+v; want %q", log, st, wantLog)
	}

	// Several outputs, a text one escaped.
	out, _, _, err = pipe(t, Options{Format: TabSeparated, Columns: []string{"duration"}, Outputs: []string{"credits", "video_minutes", OutputDigest}}, "90\n")
	if err != nil || !strings.HasPrefix(out, "30.00\t0.00\tsha256:") || strings.Count(out, "\t") != 2 {
		t.Errorf("outputs: %q %v", out, err)
	}
	if got := string(appendTSV(nil, "a\tb\nc\\d")); got != `a\tb\nc\\d` || unescapeTSV(got) != "a\tb\nc\\d" {
		t.Errorf("escapes: %q", got)
	}
}

// TestChunkHeaders answers each chunk whole, flushed after it; a header
// that is no count ends the stream (its rows can no longer be told apart).
func TestChunkHeaders(t *testing.T) {
	in := "2\n90\n60\n1\n30\n0\n"
	out, _, st, err := pipe(t, Options{Format: TabSeparated, Columns: []string{"duration"}, ChunkHeader: true}, in)
	if err != nil || out != "30.00\n20.00\n10.00\n" || st.Chunks != 3 {
		t.Errorf("%q %v %+v", out, err, st)
	}
	_, _, _, err = pipe(t, Options{Format: TabSeparated, Columns: []string{"duration"}, ChunkHeader: true}, "1\n90\nx\n")
	if err == nil || !strings.Contains(err.Error(), `chunk 2: "x" is not a row count`) {
		t.Errorf("bad header: %v", err)
	}
	_, _, _, err = pipe(t, Options{Format: TabSeparated, Columns: []string{"duration"}, ChunkHeader: true}, "3\n90\n")
	if err == nil || !strings.Contains(err.Error(), "the input ended after 1 of its 3 rows") {
		t.Errorf("short chunk: %v", err)
	}
}

// TestJSONEachRow checks the JSONEachRow protocol: named arguments, the
// types ClickHouse writes (64-bit integers quoted, arrays, null), the
// result as an exact number under its return name, and bad rows as null.
func TestJSONEachRow(t *testing.T) {
	in := `{"action":"create","duration":90,"actor":"library","clips":[]}` + "\n" +
		`{"action":"edit","images":"3","clips":[5,5],"duration":null}` + "\n" +
		`{"action":"create","duration":90,"actr":"library"}` + "\n" +
		`not json` + "\n" +
		`{"duration":60,"ts":"2027-01-01T00:00:00Z"}` + "\n"
	out, log, st, err := pipe(t, Options{Format: JSONEachRow, AtColumn: "ts"}, in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"result":45.00}` + "\n" + `{"result":3.94}` + "\n" + `{"result":null}` + "\n" + `{"result":null}` + "\n" + `{"result":25.00}` + "\n"
	if out != want || st.Bad != 2 {
		t.Errorf("output %q, want %q (%+v)", out, want, st)
	}
	if !strings.Contains(log, `row 3: unknown input "actr" (did you mean "actor"?)`) || !strings.Contains(log, "row 4: not a JSON object") {
		t.Errorf("log %q", log)
	}
	out, _, _, err = pipe(t, Options{Format: JSONEachRow, Outputs: []string{"credits", OutputQuote}}, `{"duration":90}`+"\n")
	if err != nil || !strings.HasPrefix(out, `{"credits":30.00,"quote":"{\"list\":\"video-credits\"`) {
		t.Errorf("quote output: %q %v", out, err)
	}
}

// TestLongRow answers a row over MaxRow with NULL and goes on.
func TestLongRow(t *testing.T) {
	in := "90\n" + strings.Repeat("9", MaxRow+10) + "\n60\n"
	out, log, _, err := pipe(t, Options{Format: TabSeparated, Columns: []string{"duration"}}, in)
	if err != nil || out != "30.00\n\\N\n20.00\n" || !strings.Contains(log, "row 2: the line is longer than") {
		t.Errorf("%q %q %v", out, log, err)
	}
}

// TestFlushesEachRow: without chunk headers, a row's answer is written as
// soon as no more input waits, so a caller that sends one row and waits
// gets it.
func TestFlushesEachRow(t *testing.T) {
	rs := shipped(t)
	pr, pw := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := Pipe(rs, pr, outW, Options{Format: TabSeparated, Columns: []string{"duration"}})
		outW.Close()
		done <- err
	}()
	answers := make(chan string)
	go func() {
		buf := make([]byte, 64)
		for {
			n, err := outR.Read(buf)
			if err != nil {
				close(answers)
				return
			}
			answers <- string(buf[:n])
		}
	}()
	for _, c := range []struct{ row, want string }{{"90\n", "30.00\n"}, {"60\n", "20.00\n"}} {
		if _, err := pw.Write([]byte(c.row)); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-answers:
			if got != c.want {
				t.Errorf("answer %q, want %q", got, c.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no answer to %q while the input stays open", c.row)
		}
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Error(err)
	}
}

// FuzzPipe feeds any bytes to a pipe in both formats: it never panics,
// and without chunk headers answers exactly one row per input row.
func FuzzPipe(f *testing.F) {
	f.Add([]byte("create\tgenerative\t90\n\\N\t\\N\t\\N\n"), false)
	f.Add([]byte(`{"duration":90,"actor":"library"}`+"\n{}\n"), true)
	f.Add([]byte("a\\tb\\\\\t[1,2]\t9e99999\n"), false)
	rs, err := engine.LoadDir("../rules.d")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, jsonRows bool) {
		opts := Options{Format: TabSeparated, Columns: []string{"action", "media", "duration"}}
		if jsonRows {
			opts = Options{Format: JSONEachRow}
		}
		var out bytes.Buffer
		st, err := Pipe(rs, bytes.NewReader(data), &out, opts)
		if err != nil {
			t.Fatalf("the stream stopped: %v", err)
		}
		rows := bytes.Count(data, []byte("\n"))
		if len(data) > 0 && data[len(data)-1] != '\n' {
			rows++
		}
		if got := bytes.Count(out.Bytes(), []byte("\n")); got != rows || st.Rows != rows {
			t.Fatalf("%d result rows (%d counted) for %d rows", got, st.Rows, rows)
		}
	})
}

// TestPassThrough carries key fields through, bad rows included.
func TestPassThrough(t *testing.T) {
	out, _, _, err := pipe(t, Options{Format: TabSeparated, Columns: []string{"id", "duration"}, Pass: []string{"id"}}, "r1\t90\nr2\tx\n")
	if err != nil || out != "r1\t30.00\nr2\t\\N\n" {
		t.Errorf("TabSeparated: %q %v", out, err)
	}
	out, _, _, err = pipe(t, Options{Format: JSONEachRow, Pass: []string{"id"}}, `{"id":"r1","duration":90}`+"\n"+`{"id":7,"duration":"x"}`+"\n")
	if err != nil || out != `{"id":"r1","result":30.00}`+"\n"+`{"id":7,"result":null}`+"\n" {
		t.Errorf("JSONEachRow: %q %v", out, err)
	}
}

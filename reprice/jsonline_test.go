package reprice

import (
	"bytes"
	"fmt"
	"testing"

	"ratecard/engine"
)

var jsonLineCases = []string{
	`{"id": "a", "action": "create", "duration": 90, "actor": "library", "note": {"x": 1}}`,
	`{"id":"b","action":"edit","images":2,"clips":[5,"3"],"note":null}`,
	`{}`,
	` { "a" : [ 1 , [2, {"b": "]}"}] ] , "c":true,"d":false } `,
	`{"k\"ey": "v\\al\"ue", "\u00e9": "caf\u00e9", "tab\t": "x"}`,
	`{"n": -1.5e+10, "m": 0, "o": 1E-3}`,
	`{"a": 1, "a": 2}`,
	`{"a": "x", "\u0061": "y"}`,
	`[1, 2]`,
	`"text"`,
	`{"a": 1} {"b": 2}`,
	`{"a": 1`,
	`{"a": }`,
	`{"a": 01}`,
	`{'a': 1}`,
	`{"a": "line
break"}`,
	"{\"a\": \"\xff\xfe\"}",
	`{"emoji": "🙂", "s": "a,b}"}`,
}

// sameRecord checks that the fast JSON line splitter and encoding/json's
// decoder agree on a line: the same keys and raw values, or both an error.
func sameRecord(t *testing.T, line string) {
	t.Helper()
	var p jsonLine
	got, gotErr := p.parse([]byte(line))
	want, wantErr := decodeObject([]byte(line))
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("%q: split %v (%v), decoder %v (%v)", line, got, gotErr, want, wantErr)
	}
	if gotErr != nil {
		return
	}
	if fmt.Sprint(got.Keys) != fmt.Sprint(want.Keys) || len(got.Raw) != len(want.Raw) {
		t.Fatalf("%q: keys %q, decoder %q", line, got.Keys, want.Keys)
	}
	for i := range got.Raw {
		if !bytes.Equal(got.Raw[i], want.Raw[i]) {
			t.Fatalf("%q: value %d is %q, decoder %q", line, i, got.Raw[i], want.Raw[i])
		}
	}
}

func TestJSONLineSplit(t *testing.T) {
	for _, line := range jsonLineCases {
		sameRecord(t, line)
	}
	// A record keeps its values after the line's buffer is reused.
	var p jsonLine
	buf := []byte(`{"id": "r1"}`)
	rec, err := p.parse(buf)
	if err != nil {
		t.Fatal(err)
	}
	copy(buf, `{"id": "XX"}`)
	if string(rec.Raw[0]) != `"r1"` {
		t.Errorf("the record's value changed with the buffer: %s", rec.Raw[0])
	}
}

// FuzzJSONLine: on any line, the fast splitter and the decoder agree.
func FuzzJSONLine(f *testing.F) {
	for _, line := range jsonLineCases {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		sameRecord(t, line)
	})
}

// TestJSONValuesAsRequest: each form a JSON value can take sets an input
// to what a Request with the decoded value gives: the same quote, or the
// same error.
func TestJSONValuesAsRequest(t *testing.T) {
	l := shippedList(t)
	lines := []string{
		`{"action": "create", "duration": 90, "actor": "library"}`,
		`{"action": "create", "duration": -1.5e1}`,
		`{"action": "create", "duration": 1e999}`,
		`{"action": "create", "duration": 3.25E+1, "media": "stock"}`,
		`{"action": "create", "duration": "90"}`,
		`{"action": "create", "duration": true}`,
		`{"action": "create", "duration": [90]}`,
		`{"action": "cr\u0065ate", "duration": 45, "actor": " clone"}`,
		`{"action": "create", "duration": 45, "actor": 5}`,
		`{"action": "create", "duration": 45, "actor": "robot"}`,
		`{"action": "edit", "images": 3, "clips": [5, 5]}`,
		`{"action": "edit", "images": 2.5}`,
		`{"action": "edit", "clips": []}`,
		`{"action": "edit", "clips": [5, 0]}`,
		`{"action": "edit", "clips": [5, "3"]}`,
		`{"action": "edit", "clips": [1e400]}`,
		`{"action": "edit", "clips": [true]}`,
		`{"action": "edit", "clips": 5}`,
		`{"action": "edit", "clips": [5, -]}`,
		`{"action": "edit", "images": null, "clips": [ 0.105 ]}`,
	}
	for _, line := range lines {
		sameAsRequest(t, l, line)
	}
}

// sameAsRequest sets a JSON line's inputs as reprice does and checks the
// quote (or error) against a Request made of the decoded values.
func sameAsRequest(t *testing.T, l *engine.PriceList, line string) {
	t.Helper()
	describe := func(q *engine.Quote, err error) string {
		if err != nil {
			return "error: " + err.Error()
		}
		return fmt.Sprint(q.Total("credits"), " ", q.Total("video_minutes"), " ", len(q.Lines))
	}
	var p jsonLine
	rec, err := p.parse([]byte(line))
	if err != nil {
		return // TestJSONLineSplit and FuzzJSONLine check the split
	}
	in, q := l.NewInputs(), &engine.Quote{}
	setErr := bind(nil, l).set(rec, in, make([]int, len(l.Rules.Inputs)))
	if setErr == nil {
		setErr = in.QuoteInto(q)
	}
	got := describe(q, setErr)
	req := engine.Request{}
	var want string
	for i, k := range rec.Keys {
		v, err := jsonValue(rec.Raw[i])
		if err != nil {
			want = "error: " + fmt.Sprintf("%s: %v", k, err)
			break
		}
		if v != nil {
			req[k] = v
		}
	}
	if want == "" {
		want = describe(l.Quote(req))
	}
	if got != want {
		t.Errorf("%s:\n set %s\n want %s", line, got, want)
	}
}

// FuzzJSONValue: any JSON value given to any input sets it as a Request
// with the decoded value does.
func FuzzJSONValue(f *testing.F) {
	for _, v := range []string{`90`, `-1.5e1`, `"90"`, `[5, 5]`, `[]`, `"cr\u0065ate"`, `true`, `null`, `{"a": 1}`, `[5, "3"]`, `1e400`} {
		f.Add(v, uint8(0))
	}
	l := shippedList(f)
	names := []string{"action", "media", "duration", "actor", "images", "clips"}
	f.Fuzz(func(t *testing.T, value string, which uint8) {
		name := names[int(which)%len(names)]
		sameAsRequest(t, l, fmt.Sprintf(`{"action": "edit", %q: %s}`, name, value))
		sameAsRequest(t, l, fmt.Sprintf(`{"duration": 61, %q: %s}`, name, value))
	})
}

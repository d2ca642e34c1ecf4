package reprice

import (
	"bytes"
	"fmt"
	"testing"
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

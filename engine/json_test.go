package engine

import (
	"encoding/json"
	"fmt"
	"testing"
)

func shippedList(t testing.TB) *PriceList {
	t.Helper()
	l, err := shipped(t).List("video-credits")
	if err != nil {
		t.Fatal(err)
	}
	return l
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

// sameAsRequest sets a JSON line's inputs with SetJSON and checks the
// quote (or error) against a Request made of the decoded values.
func sameAsRequest(t *testing.T, l *PriceList, line string) {
	t.Helper()
	describe := func(q *Quote, err error) string {
		if err != nil {
			return "error: " + err.Error()
		}
		return fmt.Sprint(q.Total("credits"), " ", q.Total("video_minutes"), " ", len(q.Lines))
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		return
	}
	in, q := l.NewInputs(), &Quote{}
	var setErr error
	for _, name := range l.Rules.InputNames() { // in the order a Request sets them
		if raw, ok := rec[name]; ok && setErr == nil {
			setErr = in.SetJSON(name, raw)
		}
	}
	if setErr == nil {
		setErr = in.QuoteInto(q)
	}
	got := describe(q, setErr)
	req := Request{}
	var want string
	for _, name := range l.Rules.InputNames() {
		raw, ok := rec[name]
		if !ok {
			continue
		}
		v, err := jsonValue(raw)
		if err != nil {
			want = "error: " + fmt.Sprintf("%s: %v", name, err)
			break
		}
		if v != nil {
			req[name] = v
		}
	}
	if want == "" {
		want = describe(l.Quote(req))
	}
	if got != want {
		t.Errorf("%s:\n set %s\n want %s", line, got, want)
	}
}

// FuzzJSONValue: any JSON value given to any input with SetJSON sets it
// as a Request with the decoded value does.
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

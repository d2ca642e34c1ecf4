package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"ratecard/engine"
	"ratecard/rules"
)

var bodySeeds = []string{
	`{"input": {"duration": 90, "actor": "library"}}`,
	`{"list": "video-credits", "input": {"action": "edit", "images": 3, "clips": [5, "5"]}}`,
	`{"input": {"duration": 1, "duration": 900}}`,
	`{"input": {"duration": 1}, "input": {"actor": "clone"}}`,
	`{"Input": {"duration": 1}}`, `{"LIST": "x"}`, `{"input": null}`, `null`, `[]`, `{"input": {"duration": 1}} {}`,
	`{"input": {"duration": "1e40"}}`, `{"input": {"clips": [[1]]}}`, `{"input": {"actor": {"a": 1}}}`,
	`{"input": {"duration": 1e400}}`, `{"input": {"duration": -0}}`, `{"input": {"images": 1.0}}`,
	`{"at": "2027-01-01T00:00:00Z", "input": {"duration": 60}}`, `{"at": "2027-01-01", "input": {}}`,
	`{"list": "video-credits-team", "remaining": {"included": "20", "top_up": 100}, "input": {"duration": 90}}`,
	`{"customer_since": "2026-01-01T00:00:00Z", "at": "2027-02-01T00:00:00+01:00", "input": {"duration": 60}}`,
	`{"remaining": {"top_up": "x"}}`, `{"remaining": {"top_up": -1}}`, `{"at": 5}`, `{"list": "video-credits-holiday", "at": "1999-01-01T00:00:00Z"}`,
	`{"requests": [{"input": {"duration": 90}}, {"list": "x"}]}`,
	`{"requestId": "1", "userDefinedContext": {"output": "quote"}, "calls": [[{"duration": 90}], ["{\"actor\": \"clone\"}"]]}`,
	`{"data": [[0, 90, "library"], [1, null, null], [2]]}`,
	`{"file": "video-credits.yaml", "text": "name: video-credits\nmeters: {credits: {places: 2}}\nrates: [{name: r, meter: credits, amount: durr}]\n"}`,
	`{"file": "new.yaml", "text": "name: new\nmeters: {credits: {places: 2}}\nrates: [{name: r, meter: credits, amount: 1}]\n", "usage": "a,b\n1,2\n"}`,
}

// FuzzDecodeQuoteRequest requires the strict decoder to accept only valid
// JSON, and whatever it accepts (exact keys, none twice) to read exactly
// as encoding/json reads it.
func FuzzDecodeQuoteRequest(f *testing.F) {
	for _, seed := range bodySeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodeQuoteRequest(body)
		if err != nil {
			return
		}
		if !json.Valid(body) {
			t.Fatalf("%q is not valid JSON, yet decoded", body)
		}
		var want struct {
			List  string
			Input map[string]any
		}
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("%q decoded strictly but not by encoding/json: %v", body, err)
		}
		if want.Input == nil {
			want.Input = map[string]any{}
		}
		// The common form's values stay raw JSON for the engine: read
		// them as encoding/json does to compare.
		got := map[string]any{}
		for name, v := range req.Input {
			if raw, ok := v.(json.RawMessage); ok {
				d := json.NewDecoder(bytes.NewReader(raw))
				d.UseNumber()
				if err := d.Decode(&v); err != nil {
					t.Fatalf("%q: input %s is not JSON: %v", body, name, err)
				}
			}
			got[name] = v
		}
		if req.List != want.List || !reflect.DeepEqual(got, want.Input) {
			t.Fatalf("%q: strict %q %v, encoding/json %q %v", body, req.List, got, want.List, want.Input)
		}
		// Raw or decoded, the values price alike: the same quote, or the
		// same error.
		q1, err1 := shippedRules.Quote(req.List, req.Input)
		q2, err2 := shippedRules.Quote(req.List, engine.Request(got))
		if fmt.Sprint(err1) != fmt.Sprint(err2) || (err1 == nil && fmt.Sprint(q1.Totals, q1.Lines) != fmt.Sprint(q2.Totals, q2.Lines)) {
			t.Fatalf("%q: raw values %v %v, decoded %v %v", body, q1, err1, q2, err2)
		}
	})
}

var shippedRules = func() *engine.RuleSet {
	rs, err := engine.LoadDir("../rules.d")
	if err != nil {
		panic(err)
	}
	return rs
}()

// FuzzQuoteEndpoint posts any body to /v1/quote and /v1/explain over the
// shipped rules: the answer is JSON, and never a 500.
func FuzzQuoteEndpoint(f *testing.F) {
	for _, seed := range bodySeeds {
		f.Add([]byte(seed))
	}
	live, err := engine.NewLive("../rules.d", engine.LiveOptions{})
	if err != nil {
		f.Fatal(err)
	}
	api, err := New(live, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, path := range []string{"/v1/quote", "/v1/explain", "/v1/quotes", "/v1/bigquery", "/v1/snowflake?columns=duration,actor", "/v1/check", "/v1/diff"} {
			w := httptest.NewRecorder()
			api.ServeHTTP(w, httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body))))
			if w.Code >= 500 || !json.Valid(w.Body.Bytes()) {
				t.Fatalf("%s %q: %d %s", path, body, w.Code, w.Body)
			}
		}
	})
}

// FuzzStudioRecords: the studio's page reads a records input's rows from
// its URL (a JSON array of objects, or anything else a person pastes):
// whatever the text, a row per record with a cell per field, or none.
func FuzzStudioRecords(f *testing.F) {
	for _, s := range []string{`[{"model": "gpt-4o-mini", "input_tokens": "1000000"}]`, `[{"batch": true}, {}]`, `{}`, `null`, `[[1]]`,
		`[{"model": {"a": [1, 2]}}]`, `[` + strings.Repeat(`{"n": 1},`, 50) + `{}]`, `"text"`, ``} {
		f.Add(s)
	}
	in := &rules.Input{Name: "usage", Type: rules.Records, Fields: []*rules.Input{
		{Name: "model", Type: rules.OneOf, Values: []string{"gpt-4o", "gpt-4o-mini"}},
		{Name: "batch", Type: rules.Boolean},
		{Name: "n", Type: rules.Whole},
	}}
	f.Fuzz(func(t *testing.T, value string) {
		blank, rows := recordRows(in, value)
		if blank == nil || len(blank.Cells) != len(in.Fields) {
			t.Fatalf("the blank row: %+v", blank)
		}
		var records []map[string]any
		if json.Unmarshal([]byte(value), &records) != nil && rows != nil {
			t.Fatalf("rows from what is no array of records: %q", value)
		}
		for _, r := range rows {
			if len(r.Cells) != len(in.Fields) {
				t.Fatalf("a row of %d cells for %d fields", len(r.Cells), len(in.Fields))
			}
		}
	})
}

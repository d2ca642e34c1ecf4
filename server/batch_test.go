package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestBatchQuotes prices a batch under one rule set: each request its
// own quote or its own error, in order, with the status its own call
// would have had.
func TestBatchQuotes(t *testing.T) {
	base, _, _ := start(t, Options{})
	body := `{"requests": [
		{"input": {"calls": 10}},
		{"input": {"calls": -1}},
		{"list": "nosuch", "input": {}},
		{"input": {"calls": 3, "per": 2}}
	]}`
	code, got := call(t, "POST", base+"/v1/quotes", body)
	if code != 200 {
		t.Fatalf("%d %s", code, got)
	}
	var out struct {
		Digest  string
		Results []struct {
			Quote  *struct{ Totals map[string]string }
			Error  string
			Status int
			Input  string
			List   string
		}
	}
	if err := json.Unmarshal([]byte(got), &out); err != nil {
		t.Fatal(err)
	}
	r := out.Results
	if !strings.HasPrefix(out.Digest, "sha256:") || len(r) != 4 ||
		r[0].Quote == nil || r[0].Quote.Totals["usd"] != "20.00" ||
		r[1].Status != 400 || r[1].Input != "calls" || !strings.Contains(r[1].Error, "calls must be at least 0") ||
		r[2].Status != 404 || r[2].List != "nosuch" ||
		r[3].Quote == nil || r[3].Quote.Totals["usd"] != "3.00" {
		t.Errorf("results: %s", got)
	}
	for _, c := range []struct {
		body string
		code int
		want string
	}{
		{`{"requests": {}}`, 400, "requests must be a list"},
		{`{"requests": [{"input": {"calls": 1, "calls": 2}}]}`, 400, `request 1: key \"calls\" is given twice`},
		{`{"reqests": []}`, 400, `unknown field \"reqests\"`},
		{`{}`, 400, `no \"requests\"`},
		{`{"requests": []} []`, 400, "more than one JSON value"},
	} {
		code, got := call(t, "POST", base+"/v1/quotes", c.body)
		if code != c.code || !strings.Contains(got, c.want) {
			t.Errorf("%s: %d %s, want %d %s", c.body, code, got, c.code, c.want)
		}
	}
	var big bytes.Buffer
	big.WriteString(`{"requests": [`)
	for i := 0; i <= MaxBatch; i++ {
		if i > 0 {
			big.WriteString(",")
		}
		fmt.Fprintf(&big, `{"input": {"calls": %d}}`, i)
	}
	big.WriteString("]}")
	if code, got := call(t, "POST", base+"/v1/quotes", big.String()); code != 400 || !strings.Contains(got, "more than 10000 requests") {
		t.Errorf("a batch over the cap: %d %.200s", code, got)
	}
}

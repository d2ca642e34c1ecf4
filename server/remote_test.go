package server

import (
	"strings"
	"testing"
)

// TestBigQuery sends the request body BigQuery documents for a remote
// function, with calls of one JSON object argument, of a JSON string, and
// of named columns; a bad row answers null, or with strict fails the
// call with 400 (which BigQuery does not retry).
func TestBigQuery(t *testing.T) {
	base, _, _ := start(t, Options{})
	for _, c := range []struct {
		body string
		code int
		want string
	}{
		{`{"requestId": "124ab1c", "caller": "//bigquery.googleapis.com/projects/myproject/jobs/myproject:US.bquxjob_5b4c112c_17961fafeaf",
		   "sessionUser": "test-user@test-company.com", "userDefinedContext": {},
		   "calls": [[{"calls": 10}], ["{\"calls\": 3, \"per\": 2}"], [{"calls": -1}], [{"calls": 1}, 2]]}`,
			200, `{"replies":["20.00","3.00",null,null]}`},
		{`{"requestId": "1", "userDefinedContext": {"columns": "calls,per", "output": "usd"}, "calls": [[10, 4], [5, null]]}`,
			200, `{"replies":["5.00","10.00"]}`},
		{`{"requestId": "1", "userDefinedContext": {"strict": "true"}, "calls": [[{"calls": 10}], [{"calls": -1}]]}`,
			400, `"errorMessage": "call 2: calls must be at least 0, not -1"`},
		{`{"requestId": "1", "userDefinedContext": {"output": "digest"}, "calls": [[{}]]}`, 200, `{"replies":["sha256:`},
		{`{"requestId": "1", "calls": [[{}]], "extra": 1}`, 400, `"errorMessage": "malformed body: json: unknown field \"extra\""`},
	} {
		code, got := call(t, "POST", base+"/v1/bigquery", c.body)
		if code != c.code || !strings.Contains(got, c.want) {
			t.Errorf("%.80s: %d %s, want %d %s", c.body, code, got, c.code, c.want)
		}
	}
}

// TestSnowflake sends the body Snowflake documents for an external
// function: rows numbered, answered by number.
func TestSnowflake(t *testing.T) {
	base, _, _ := start(t, Options{})
	for _, c := range []struct {
		query, body string
		code        int
		want        string
	}{
		{"", `{"data": [[0, {"calls": 10}], [1, "{\"calls\": 2}"], [2, {"calls": "x"}]]}`, 200, `{"data":[[0,"20.00"],[1,"4.00"],[2,null]]}`},
		{"?columns=calls,per&output=usd", `{"data": [[0, 10, 4], [1, 3, null]]}`, 200, `{"data":[[0,"5.00"],[1,"6.00"]]}`},
		{"?strict=true", `{"data": [[7, {"calls": "x"}]]}`, 400, `row 7: calls`},
		{"?strict=maybe", `{"data": []}`, 400, `strict is true or false`},
		{"", `{"rows": []}`, 400, `malformed body`},
	} {
		code, got := call(t, "POST", base+"/v1/snowflake"+c.query, c.body)
		if code != c.code || !strings.Contains(got, c.want) {
			t.Errorf("%s %.60s: %d %s, want %d %s", c.query, c.body, code, got, c.code, c.want)
		}
	}
}

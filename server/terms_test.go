package server

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"ratecard/engine"
)

// The list of the tests at price 2, with a version at price 3 from an
// instant, and a plan with an allowance.
const versionedAPI = `---
name: api
extends: api
version: "3"
effective: 2027-01-01T00:00:00Z
rates:
  - {name: calls, amount: calls * 3 / per}
examples:
  - {name: ten calls, input: {calls: 10}, totals: {usd: 30}}
---
name: api-plan
extends: api
allowances:
  included: {meter: usd, amount: 5, per: month}
`

// TestTerms prices through the API as of an instant, with allowances, and
// reads the versions in force and upcoming from /v1/rules.
func TestTerms(t *testing.T) {
	defer func(c func() time.Time) { engine.Clock = c }(engine.Clock)
	engine.Clock = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
	base, dir, live := start(t, Options{})
	writeRules(t, dir, "api.yaml", apiFile(2)+versionedAPI)
	if err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ body, want string }{
		{`{"input": {"calls": 10}}`, `"totals":{"usd":"20.00"}`},
		{`{"at": "2027-01-01T00:00:00Z", "input": {"calls": 10}}`, `"totals":{"usd":"30.00"}`},
		{`{"at": "2027-01-01T00:00:00Z", "input": {"calls": 10}}`, `"effective":"2027-01-01T00:00:00Z"`},
		{`{"list": "api-plan", "remaining": {"included": "4"}, "input": {"calls": 10}}`,
			`"drawn":[{"allowance":"included","meter":"usd","drawn":"4.00","left":"0.00"}],"billed":{"usd":"16.00"}`},
	} {
		code, body := call(t, "POST", base+"/v1/quote", c.body)
		var compact bytes.Buffer
		_ = json.Compact(&compact, []byte(body))
		if body = compact.String(); code != 200 || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %s, want %s", c.body, code, body, c.want)
		}
	}
	for _, c := range []struct {
		body string
		code int
		want string
	}{
		{`{"at": "2027-01-01", "input": {}}`, 400, `at: \"2027-01-01\" is a date, not an instant`},
		{`{"list": "api-plan", "remaining": {"includd": 1}}`, 400, `unknown allowance \"includd\" in remaining (did you mean \"included\"?)`},
		{`{"remaining": {"included": "x"}}`, 400, `remaining included must be a decimal number`},
	} {
		code, body := call(t, "POST", base+"/v1/quote", c.body)
		if code != c.code || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %s, want %d %s", c.body, code, body, c.code, c.want)
		}
	}
	_, body := call(t, "GET", base+"/v1/rules", "")
	var st struct {
		InForce  []map[string]string `json:"in_force"`
		Upcoming []map[string]string `json:"upcoming"`
	}
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.InForce) != 2 || st.InForce[0]["version"] != "2" || len(st.Upcoming) != 2 ||
		st.Upcoming[0]["list"] != "api" || st.Upcoming[0]["version"] != "3" || st.Upcoming[0]["effective"] != "2027-01-01T00:00:00Z" {
		t.Errorf("/v1/rules: %s", body)
	}
}

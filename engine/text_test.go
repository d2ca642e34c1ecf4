package engine

import (
	"encoding/json"
	"strings"
	"testing"
)

const textList = `name: t
meters: {m: {places: 2}}
inputs:
  sku: {type: text, max_length: 8, pattern: "[A-Z]{2}-[0-9]+", default: "AA-1"}
  note: {type: text, default: ""}
  plan: {type: one_of, values: [free, pro], default: free}
values:
  big: sku startsWith "ZZ" or sku in ["XX-1", "XX-2"]
rates:
  - {name: big, meter: m, when: big, amount: 100}
  - {name: ends, meter: m, when: sku endsWith "-9", amount: 9}
  - {name: holds, meter: m, when: 'note contains "gift" or note matches "^[0-9]{3}$"', amount: 1}
  - {name: shout, meter: m, when: 'upper(note) == "HELLO" and lower(plan) == "pro"', amount: 2}
  - {name: length, meter: m, amount: len(note)}
  - {name: same, meter: m, when: 'note == sku or (plan == "free" ? "a" : "b") == note', amount: 0.5}
`

// TestTextInputs: a text input's values are checked (length, pattern) and
// compared, tested and transformed by the text operators and functions.
func TestTextInputs(t *testing.T) {
	rs := mustCompile(t, textList)
	for _, c := range []struct {
		req  Request
		want string
	}{
		{Request{}, "0.00"},
		{Request{"sku": "ZZ-5"}, "100.00"},
		{Request{"sku": "XX-2"}, "100.00"},
		{Request{"sku": "AB-9"}, "9.00"},
		{Request{"note": "a gift"}, "7.00"},               // 1 + len 6
		{Request{"note": "123"}, "4.00"},                  // 1 + len 3
		{Request{"note": "hello", "plan": "pro"}, "7.00"}, // 2 + len 5
		{Request{"note": "AB-1", "sku": "AB-1"}, "4.50"},  // same, len 4
		{Request{"note": "a"}, "1.50"},                    // "a" when free, len 1
		{Request{"note": "émile"}, "5.00"},                // characters, not bytes
	} {
		q, err := rs.Quote("", c.req)
		if err != nil || q.Totals[0].Amount.String() != c.want {
			t.Errorf("%v: %v %v, want %s", c.req, q, err, c.want)
		}
	}
	for _, c := range []struct {
		req  Request
		want string
	}{
		{Request{"sku": "ab-1"}, `sku must match the pattern "[A-Z]{2}-[0-9]+", not "ab-1"`},
		{Request{"sku": "AB-1234567"}, "sku has 10 characters; at most 8 are allowed"},
		{Request{"note": strings.Repeat("x", 1001)}, "note has 1001 characters; at most 1000 are allowed"},
		{Request{"note": 5}, "note must be text, not 5"},
		{Request{"note": true}, "note must be text, not true/false"},
	} {
		if _, err := rs.Quote("", c.req); err == nil || err.Error() != c.want {
			t.Errorf("%v: %v, want %s", c.req, err, c.want)
		}
	}
	// JSON: a string, or a number written as text (a phone number column).
	l := rs.lists[0]
	in := l.NewInputs()
	if err := in.SetJSON("note", json.RawMessage(`18005550100`)); err != nil {
		t.Fatal(err)
	}
	if err := in.SetJSON("sku", json.RawMessage(`"AB-\u0039"`)); err != nil {
		t.Fatal(err)
	}
	q, err := in.Quote()
	if err != nil || q.Totals[0].Amount.String() != "20.00" { // ends 9, len 11
		t.Errorf("JSON: %v %v", q, err)
	}
	e, err := rs.Explain("", Request{"note": "gift"})
	if err != nil || e.Inputs[1].Value != "gift" || e.Inputs[0].Value != "AA-1" {
		t.Errorf("explain: %+v %v", e.Inputs, err)
	}
}

// TestTextLoadErrors: each mistake with text at its position.
func TestTextLoadErrors(t *testing.T) {
	for amount, want := range map[string]string{
		`dur matches "a"`:                       "t.yaml:15:14: matches works on text, but this is a number",
		`flag ? 1 : (plan matches "(") ? 2 : 3`: "t.yaml:15:39: the pattern of matches is not a regular expression: missing closing ): `(`",
		`upper(dur)`:                            "t.yaml:15:20: upper needs text, but this is a number",
		`plan in ["pro", 1] ? 1 : 0`:            "t.yaml:15:30: plan is compared with words",
		`(plan == upper(plan)) ? 1 : 0`:         "",
		`plan matches upper("x") ? 1 : 0`:       "t.yaml:15:27: the pattern of matches must be written out",
		`len(dur)`:                              "t.yaml:15:18: len needs text or a list, but this is a number",
	} {
		_, err := compileText(t, strings.Replace(exprList, "AMOUNT", amount, 1))
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", amount, err)
		case want != "" && (err == nil || !strings.HasPrefix(err.Error(), want)):
			t.Errorf("%s: got %v, want %s", amount, err, want)
		}
	}
}

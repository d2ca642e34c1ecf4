package engine

import (
	"encoding/json"
	"strings"
	"testing"
)

const telecom = `name: tel
meters:
  usd: {places: 2}
inputs:
  calls:
    type: records
    default: []
    max_items: 3
    fields:
      seconds: {type: whole, min: 0, default: 0}
      dialed: {type: text, pattern: "[0-9]{3,15}", required: true}
      kind: {type: one_of, values: [voice, video], default: voice}
    computed:
      minutes: ceil(seconds / 60)
      toll_free: dialed startsWith "1800"
values:
  billable: "sum(calls, .toll_free ? 0 : .minutes)"
  free_calls: count(calls, .toll_free)
  longest: "count(calls) > 0 ? max(calls.seconds) : 0"
rates:
  - name: call
    meter: usd
    for_each: calls
    as: call
    when: not call.toll_free
    amount: "call.minutes * (call.kind == \"video\" ? 0.05 : 0.02)"
  - {name: longest, meter: usd, when: count(calls) > 0, amount: longest / 1000}
  - {name: free, meter: usd, amount: free_calls * 0.001}
examples:
  - name: two calls
    input:
      calls:
        - {seconds: 61, dialed: "14155550100"}
        - {seconds: 300, dialed: "18005550100", kind: video}
    totals: {usd: 0.34}
`

// TestRecords: a records input's fields and computed values, per record
// in a for_each rate (its when per record), and over all records in sum,
// count and a field's list.
func TestRecords(t *testing.T) {
	rs := mustCompile(t, telecom)
	if res := rs.RunExamples(); !res[0].Passed() {
		t.Fatalf("example: %+v %v", res[0], res[0].Err)
	}
	calls := []any{
		map[string]any{"seconds": 61, "dialed": "14155550100"},
		map[string]any{"seconds": json.Number("300"), "dialed": "18005550100"},
		map[string]any{"seconds": "10", "dialed": "442079460000", "kind": "video"},
	}
	q, err := rs.Quote("", Request{"calls": calls})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range q.Lines {
		lines = append(lines, describeLine(l))
	}
	if got := strings.Join(lines, " "); got != "call#1=0.04 call#3=0.05 longest=0.30 free=0.00" || q.Totals[0].Amount.String() != "0.39" {
		t.Errorf("lines %s, total %s", got, q.Totals[0].Amount)
	}
	// The same as text (a command line, a CSV field) and as JSON.
	text := `[{"seconds": 61, "dialed": "14155550100"}, {"seconds": 300, "dialed": "18005550100"}, {"seconds": 10, "dialed": "442079460000", "kind": "video"}]`
	q2, err := rs.Quote("", Request{"calls": text})
	if err != nil || q2.Totals[0].Amount.String() != q.Totals[0].Amount.String() {
		t.Errorf("as text: %v %v", q2, err)
	}
	in := rs.lists[0].NewInputs()
	if err := in.SetJSON("calls", json.RawMessage(text)); err != nil {
		t.Fatal(err)
	}
	if q3, err := in.Quote(); err != nil || q3.Totals[0].Amount.String() != q.Totals[0].Amount.String() {
		t.Errorf("as JSON: %v %v", q3, err)
	}
	e, err := rs.Explain("", Request{"calls": text})
	if err != nil {
		t.Fatal(err)
	}
	if v := e.Values; v[0].Value != "3" || v[1].Value != "1" || v[2].Value != "300" {
		t.Errorf("values %+v", v)
	}
	if u := e.Lines[1].Uses; len(u) < 2 || u[0].Name != "call" || u[0].Value != "record 3 of calls" {
		t.Errorf("uses of call #3: %+v", u)
	}
	if q, err := rs.Quote("", Request{}); err != nil || q.Totals[0].Amount.String() != "0.00" || len(q.Lines) != 1 {
		t.Errorf("no calls: %v %v", q, err)
	}
}

func describeLine(l Line) string {
	name := l.Rate
	if l.Item > 0 {
		name += "#" + string(rune('0'+l.Item))
	}
	return name + "=" + l.Amount.String()
}

// TestRecordErrors: each mistake in a request's records or a rule file's
// records, with the record and field it is in.
func TestRecordErrors(t *testing.T) {
	rs := mustCompile(t, telecom)
	for calls, want := range map[string]string{
		`[{"seconds": -1, "dialed": "123"}]`:                      "calls item 1: seconds must be at least 0, not -1",
		`[{"dialed": "123"}, {"seconds": 5}]`:                     "calls item 2: dialed is required",
		`[{"second": 5, "dialed": "123"}]`:                        `calls item 1 has no field "second" (did you mean "seconds"?); its fields are seconds, dialed, kind`,
		`[{"dialed": "12"}]`:                                      `calls item 1: dialed must match the pattern "[0-9]{3,15}", not "12"`,
		`[{"dialed": "123", "kind": "audio"}]`:                    `calls item 1: kind must be one of voice, video, not "audio"`,
		`[5]`:                                                     "calls item 1 must be a record {\"field\": value, ...}, not 5",
		`{"dialed": "123"}`:                                       `calls is a list of records, written as JSON`,
		`[{"dialed": "1"}, {"dialed": "1"}, {"dialed": "1"}, {}]`: "calls has 4 records; at most 3 are allowed",
	} {
		if _, err := rs.Quote("", Request{"calls": calls}); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v\nwant %s", calls, err, want)
		}
	}
	for name, c := range map[string]struct{ edit, want string }{
		"no such field":       {"call.minutes", "call.minuts"},
		"field in a sum":      {"sum(calls, .toll_free ? 0 : .minutes)", "sum(calls, .toll_fre ? 0 : .minutes)"},
		"records summed bare": {"sum(calls, .toll_free ? 0 : .minutes)", "sum(calls)"},
		"list of text":        {"max(calls.seconds) : 0", "max(calls.dialed) : 0"},
		"record field list":   {"max(calls.seconds) : 0", "max(calls.kind) : 0"},
	} {
		_, err := compileText(t, strings.Replace(telecom, c.edit, c.want, 1))
		if err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	_, err := compileText(t, strings.Replace(telecom, "call.minutes * (", "call.minuts * (", 1))
	if err == nil || !strings.Contains(err.Error(), `calls has no field "minuts" (did you mean "minutes"?); its fields are seconds, dialed, kind, minutes, toll_free`) {
		t.Errorf("a misspelt field: %v", err)
	}
	_, err = compileText(t, strings.Replace(telecom, "{seconds: 61, dialed: \"14155550100\"}", "{seconds: 61, dialled: \"14155550100\"}", 1))
	if err == nil || !strings.Contains(err.Error(), `a record of calls has no field "dialled" (did you mean "dialed"?)`) {
		t.Errorf("an example's misspelt field: %v", err)
	}
}

// FuzzRecordsJSON: any JSON given to a records input with SetJSON (read
// without decoding, where it can be) sets it as a Request with the decoded
// records does: the same lines and totals, or the same error.
func FuzzRecordsJSON(f *testing.F) {
	for _, v := range []string{
		`[{"seconds": 61, "dialed": "14155550100"}, {"seconds": 300, "dialed": "18005550100", "kind": "video"}]`,
		`[{"dialed": 14155550100, "seconds": "61"}]`, `[{"dialed": "1\u0034155550100"}]`, `[{"dial\u0065d": "123"}]`,
		`[{"dialed": "123", "seconds": null, "kind": null}]`, `[{"dialed": "123", "dialed": "456"}]`, `[]`, ` [ ] `,
		`[{"seconds": 5}]`, `[{"dialed": "12"}]`, `[{"dialed": "123", "minutes": 5}]`, `[5]`, `[[]]`, `{}`, `"[]"`,
		`[{"dialed": "123"}, {"dialed": "123"}, {"dialed": "123"}, {"dialed": "123"}]`, `[{"dialed": "123", "seconds": 1e3}]`,
		`[{"dialed": "123", "kind": "vid\u0065o", "seconds": true}]`, `[{"dialed": "\xff123"}]`,
	} {
		f.Add(v)
	}
	l := mustCompile(f, telecom).lists[0]
	f.Fuzz(func(t *testing.T, value string) {
		if len(value) > 10000 {
			return
		}
		sameAsRequest(t, l, `{"calls": `+value+`}`)
	})
}

package server

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"ratecard/engine"
)

// TestCheckDraft checks drafts of a rule file beside the live ones: a
// typo at its line and column with the suggestion, a failing example at
// its line, and the live file itself ok; nothing is written.
func TestCheckDraft(t *testing.T) {
	base, dir, _ := start(t, Options{})
	before, _ := os.ReadFile(filepath.Join(dir, "api.yaml"))
	check := func(text string) draftAnswer {
		t.Helper()
		code, body := call(t, "POST", base+"/v1/check", `{"file": "api.yaml", "text": `+strconv.Quote(text)+`}`)
		if code != 200 {
			t.Fatalf("%d %s", code, body)
		}
		var a draftAnswer
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := check(strings.Replace(apiFile(2), "amount: calls * 2 / per", "amount: calls * 2 / perr", 1))
	if a.OK || len(a.Errors) != 1 || a.Errors[0].Line != 11 || a.Errors[0].Column != 25 ||
		!strings.Contains(a.Errors[0].Message, `unknown name "perr" (did you mean "per"?)`) {
		t.Errorf("typo: %+v", a)
	}
	a = check(strings.Replace(apiFile(2), "totals: {usd: 20}", "totals: {usd: 21}", 1))
	if a.OK || len(a.Lists) != 1 || len(a.Lists[0].Failing) != 1 || a.Lists[0].Failing[0].Line != 13 ||
		a.Lists[0].Failing[0].Message != `example "ten calls" fails: usd: want 21.00, got 20.00` {
		t.Errorf("failing example: %+v", a)
	}
	if c := a.Lists[0].Cases; len(c) != 1 || c[0].Passed || c[0].Name != "ten calls" || c[0].Line != 13 || c[0].Request != "calls=10" ||
		len(c[0].Totals) != 1 || c[0].Totals[0] != (draftMismatch{Meter: "usd", Want: "21.00", Got: "20.00"}) {
		t.Errorf("the failing example's case: %+v", c)
	}
	// The live file loads and its example passes, but check's sampling
	// finds what the tests' list allows: per = 0 divides by zero. The
	// message names the file as the rule directory has it, no more.
	a = check(apiFile(2))
	if a.OK || len(a.Errors) != 0 || a.Lists[0].Examples != 1 || len(a.Lists[0].Failing) != 0 || len(a.Lists[0].Violations) != 1 ||
		!strings.Contains(a.Lists[0].Violations[0], "api.yaml:11:23: rate calls: division by zero") || strings.Contains(a.Lists[0].Violations[0], dir) {
		t.Errorf("the live file: %+v", a)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "api.yaml")); string(after) != string(before) {
		t.Error("a draft was written to the rule directory")
	}
}

// TestCheckDraftTestFile: a draft is priced against the cases of the
// test files for its lists too, each with how it differs.
func TestCheckDraftTestFile(t *testing.T) {
	base, dir, _ := start(t, Options{})
	writeRules(t, dir, "api_test.yaml", "list: api\ncases:\n  - name: four calls\n    input: {calls: 4}\n    totals: {usd: 8}\n    lines: [{rate: calls, amount: 8}]\n")
	code, body := call(t, "POST", base+"/v1/check", `{"file": "api.yaml", "text": `+strconv.Quote(apiFile(3))+`}`)
	var a draftAnswer
	if err := json.Unmarshal([]byte(body), &a); code != 200 || err != nil {
		t.Fatalf("%d %s", code, body)
	}
	if a.OK || len(a.Lists) != 1 || len(a.Lists[0].Cases) != 2 {
		t.Fatalf("%s", body)
	}
	example, test := a.Lists[0].Cases[0], a.Lists[0].Cases[1]
	if !example.Passed || example.File != "" {
		t.Errorf("the draft's own example: %+v", example)
	}
	if test.Passed || test.File != "api_test.yaml" || test.Line != 3 || len(test.Totals) != 1 || test.Totals[0].Want != "8.00" || test.Totals[0].Got != "12.00" ||
		strings.Join(test.LineDiff, "|") != "- calls 8|+ calls 12" {
		t.Errorf("the test file's case: %+v", test)
	}
}

// TestDiffDraft: a draft raising the price shows in the table it declares
// and in usage repriced under both.
func TestDiffDraft(t *testing.T) {
	base, dir, live := start(t, Options{})
	writeRules(t, dir, "api.yaml", apiFile(2)+"tables:\n  - {title: calls, rows: {input: calls, values: [1, 10]}, columns: [{title: usd, meter: usd}]}\n")
	if err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	draft := apiFile(3) + "tables:\n  - {title: calls, rows: {input: calls, values: [1, 10]}, columns: [{title: usd, meter: usd}]}\n"
	code, body := call(t, "POST", base+"/v1/diff", `{"file": "api.yaml", "text": `+strconv.Quote(draft)+`, "usage": "calls,per\n10,1\n4,2\n"}`)
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var a struct {
		OK     bool
		Tables []struct {
			Rows    [][]string
			Changed int
		}
		Usage []struct {
			Meters []struct{ Old, New string }
		}
	}
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	if !a.OK || len(a.Tables) != 1 || a.Tables[0].Changed != 2 || a.Tables[0].Rows[1][1] != "20 → 30 *" ||
		len(a.Usage) != 1 || a.Usage[0].Meters[0].Old != "24.00" || a.Usage[0].Meters[0].New != "36.00" {
		t.Errorf("%s", body)
	}
}

// TestDiffSample reprices one of the server's samples, named by its base
// name, grouped and with the plots; an unknown sample, or a sample with
// usage besides, is the request's error.
func TestDiffSample(t *testing.T) {
	sample := filepath.Join(t.TempDir(), "calls.csv")
	if err := os.WriteFile(sample, []byte("calls,per,team\n10,1,a\n4,2,b\n6,1,a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base, dir, live := start(t, Options{Samples: []string{sample}})
	writeRules(t, dir, "api.yaml", apiFile(2))
	if err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	draft := strconv.Quote(apiFile(3))
	code, body := call(t, "POST", base+"/v1/diff", `{"file": "api.yaml", "text": `+draft+`, "sample": "calls.csv", "group_by": "team", "plot": true}`)
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var a struct {
		Usage []struct {
			Meters []struct{ Old, New, Change string }
			Groups []struct {
				Group  string
				Change []string
			}
			PlotSVG string `json:"plot_svg"`
		}
	}
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	// usd: calls * price / per: (10/1 + 4/2 + 6/1) * 2 = 36 live, * 3 = 54
	// in the draft; team a's 16 calls are 16 more.
	if len(a.Usage) != 1 || a.Usage[0].Meters[0].Old != "36.00" || a.Usage[0].Meters[0].Change != "18.00" ||
		len(a.Usage[0].Groups) != 2 || a.Usage[0].Groups[0].Group != "a" || a.Usage[0].Groups[0].Change[0] != "16.00" ||
		!strings.Contains(a.Usage[0].PlotSVG, "<svg") {
		t.Errorf("%.2000s", body)
	}
	for _, bad := range []struct{ body, want string }{
		{`{"file": "api.yaml", "text": ` + draft + `, "sample": "other.csv"}`, `other.csv\": the samples are [calls.csv]`},
		{`{"file": "api.yaml", "text": ` + draft + `, "sample": "calls.csv", "usage": "calls\n1\n"}`, "give usage or a sample, not both"},
	} {
		if code, body := call(t, "POST", base+"/v1/diff", bad.body); code != 400 || !strings.Contains(body, bad.want) {
			t.Errorf("%s: %d %s", bad.body, code, body)
		}
	}
}

// TestDraftsCompileTheDraft: a draft check reuses what the last one read
// and built: over a directory of many lists, the second keystroke's check
// compiles the draft's list alone, and a draft of another file compiles
// that one and the first file again (now as it is on disk); the answers
// are those of a cold load.
func TestDraftsCompileTheDraft(t *testing.T) {
	dir := t.TempDir()
	const n = 30
	for i := range n {
		writeRules(t, dir, fmt.Sprintf("l%02d.yaml", i), strings.Replace(apiFile(2), "name: api", fmt.Sprintf("name: l%02d", i), 1))
	}
	live, err := engine.NewLive(dir, engine.LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(live, Options{})
	if err != nil {
		t.Fatal(err)
	}
	draft := func(file string, price int) *engine.RuleSet {
		t.Helper()
		text := strings.Replace(apiFile(price), "name: api", "name: "+strings.TrimSuffix(file, ".yaml"), 1)
		rs, _, problems, err := s.draftRules(file, text)
		if err != nil || len(problems) != 0 {
			t.Fatalf("%s: %v %v", file, err, problems)
		}
		return rs
	}
	for _, c := range []struct {
		file     string
		price    int
		compiled int
	}{
		{"l05.yaml", 3, n}, // the first: cold
		{"l05.yaml", 4, 1}, // a keystroke later
		{"l07.yaml", 5, 2}, // another file: it, and l05 as on disk
		{"new.yaml", 6, 2}, // a new file beside them: it, and l07 as on disk
	} {
		rs := draft(c.file, c.price)
		if st := s.drafts.cache.Stats(); st.Compiled != c.compiled {
			t.Errorf("a draft of %s at %d compiled %d lists, want %d", c.file, c.price, st.Compiled, c.compiled)
		}
		name := strings.TrimSuffix(c.file, ".yaml")
		q, err := rs.Quote(name, engine.Request{"calls": "10"})
		if err != nil || q.Total("usd").String() != strconv.Itoa(10*c.price) {
			t.Errorf("%s at %d: %v %v", c.file, c.price, q, err)
		}
		if q, err := rs.Quote("l05", engine.Request{"calls": "10"}); c.file != "l05.yaml" && (err != nil || q.Total("usd").String() != "20") {
			t.Errorf("l05 beside a draft of %s: %v %v, want it as on disk (20)", c.file, q, err)
		}
	}
}

package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
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

package engine

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// allocatedBy returns the bytes f allocates.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDeepNestingIsAnError loads 1 MiB rule files of one expression nested
// as deeply as the file allows. expr's parser recurses once a level, and
// counted none of these against its node limit: 524,000 parentheses took
// 1.1 GB and ended the process with a stack overflow. Each must be a load
// error at the place the limit is passed, using little memory.
func TestDeepNestingIsAnError(t *testing.T) {
	const header = "name: t\nmeters: {m: {places: 2}}\nrates:\n  - name: r\n    meter: m\n    amount: \""
	room := 1<<20 - len(header) - 2 // for the closing quote and newline
	cases := map[string]struct{ amount, want string }{
		"parentheses":     {strings.Repeat("(", room/2) + "1" + strings.Repeat(")", room/2-1), "t.yaml:6:114: expression is nested too deeply"},
		"brackets":        {"max(" + strings.Repeat("[", room/2-4) + strings.Repeat("]", room/2-4) + ")", "t.yaml:6:117: expression is nested too deeply"},
		"signs":           {strings.Repeat("-", room-1) + "1", "t.yaml:6:114: expression is nested too deeply"},
		"spaced signs":    {strings.Repeat("- ", room/2-1) + "1", "t.yaml:6:214: expression is nested too deeply"},
		"nots":            {strings.Repeat("not ", room/4-3) + "true ? 1 : 0", "t.yaml:6:414: expression is nested too deeply"},
		"conditionals":    {strings.Repeat("1 > 0 ? 1 : ", room/12-1) + "0", "t.yaml:6:1220: expression is nested too deeply"},
		"signed brackets": {strings.Repeat("-(", room/4) + "1" + strings.Repeat(")", room/4), "t.yaml:6:114: expression is nested too deeply"},
		"long flat sum":   {strings.Repeat("1+", room/2-1) + "1", "t.yaml:6:2014: expression is too long (at most 500 parts)"},
		"right-assoc":     {strings.Repeat("1**", room/3-1) + "1", "t.yaml:6:3014: expression is too long (at most 500 parts)"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			text := header + c.amount + "\"\n"
			if len(text) > 1<<20 {
				t.Fatalf("test file is %d bytes, over the 1 MiB cap", len(text))
			}
			var err error
			bytes := allocatedBy(func() { _, err = compileText(t, text) })
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("got error %v, want %q", err, c.want)
			}
			if bytes > 64<<20 {
				t.Errorf("loading allocated %d MB, want at most 64", bytes>>20)
			}
		})
	}
}

// TestNestingWithinTheLimitLoads keeps the limit from refusing what a
// price list may really hold: MaxDepth levels of each kind.
func TestNestingWithinTheLimitLoads(t *testing.T) {
	for _, amount := range []string{
		strings.Repeat("(", MaxDepth-1) + "dur" + strings.Repeat(")", MaxDepth-1),
		strings.Repeat("-", MaxDepth) + "dur",
		strings.Repeat("dur > 1 ? 1 : ", MaxDepth-1) + "0",
		strings.Repeat("max(1, ", MaxDepth-1) + "dur" + strings.Repeat(")", MaxDepth-1),
	} {
		mustCompile(t, strings.Replace(exprList, "AMOUNT", amount, 1))
	}
}

// TestGrowingNumbersAreBounded squares a value 30 times. Exact numbers
// never round, so each squaring doubled the digits: 20 squarings took 43 s
// and 304 MB to load, 30 never ended, and every later reload waited. A
// number past about 1,000 digits now ends the quote with an error naming
// the value (or rate) that passed it, wherever it is computed.
func TestGrowingNumbersAreBounded(t *testing.T) {
	list := func(squarings int, amount string) string {
		var values strings.Builder
		values.WriteString("  v0: dur + 1.5\n")
		for i := 1; i <= squarings; i++ {
			fmt.Fprintf(&values, "  v%d: v%d * v%d\n", i, i-1, i-1)
		}
		return "name: t\nmeters: {m: {places: 2}}\ninputs:\n  dur: {type: decimal, default: 2}\nvalues:\n" +
			values.String() + "rates:\n  - name: r\n    meter: m\n    amount: " + amount + "\n"
	}
	withExample := list(30, "v30") + "examples:\n  - name: e\n    input: {dur: 3}\n    totals: {m: 1}\n"
	var results []*ExampleResult
	bytes := allocatedBy(func() { results = mustCompile(t, withExample).RunExamples() })
	want := "t.yaml:17:8: value v11: a number in this calculation grew past 1,000 digits"
	if len(results) != 1 || results[0].Err == nil || results[0].Err.Error() != want {
		t.Fatalf("the example gave %+v, want the error %s", results[0], want)
	}
	if bytes > 64<<20 {
		t.Errorf("running the example allocated %d MB, want at most 64", bytes>>20)
	}

	rs := mustCompile(t, list(10, "v10 * v10 * v10 * v10"))
	_, err := rs.Quote("", Request{"dur": "1"})
	if want := "t.yaml:20:13: rate r: a number in this calculation grew past 1,000 digits"; err == nil || err.Error() != want {
		t.Errorf("quote: got %v, want %s", err, want)
	}
	if _, err := rs.Explain("", Request{"dur": "1"}); err == nil {
		t.Error("explain priced a number past the limit")
	}
	in := rs.lists[0].NewInputs()
	if _, err := in.Quote(); err == nil || !strings.Contains(err.Error(), "rate r: a number") {
		t.Errorf("Inputs quote: got %v", err)
	}
	q, err := rs.Quote("", Request{"dur": "-1.5"}) // v0 = 0: every value is 0
	if err != nil || q.Total("m").String() != "0" {
		t.Errorf("a request that keeps the numbers small: %v %v", q, err)
	}
}

// TestGrowingConstantsAreBounded folds a long product of big literals at
// load: an error at the expression, not a hang or a panic.
func TestGrowingConstantsAreBounded(t *testing.T) {
	amount := strings.Repeat("1e40 * ", 40) + "dur"
	_, err := compileText(t, strings.Replace(exprList, "AMOUNT", amount, 1))
	if err == nil || !strings.Contains(err.Error(), "t.yaml:15:14: a number in this calculation grew past 1,000 digits") {
		t.Fatalf("got %v", err)
	}
}

// TestLongWholeLiterals: whole literals of 20 to 40 digits were refused in
// expressions ("invalid integer literal": expr parses them as int64),
// though rule files and requests allow 40 digits. They are exact now, and
// 41 digits get the same message as anywhere else.
func TestLongWholeLiterals(t *testing.T) {
	for _, lit := range []string{"9223372036854775807", "9223372036854775808", "12345678901234567890123", strings.Repeat("9", 40), "1_000_000_000_000_000_000_000"} {
		rs := mustCompile(t, strings.Replace(exprList, "AMOUNT", lit+" * 1 + dur", 1))
		q, err := rs.Quote("", Request{"dur": "0.5"})
		want := strings.ReplaceAll(lit, "_", "") + ".5000"
		if err != nil || q.Total("m").StringFixed(4) != want {
			t.Errorf("%s: %v %v, want %s", lit, q.Total("m"), err, want)
		}
	}
	_, err := compileText(t, strings.Replace(exprList, "AMOUNT", "dur + "+strings.Repeat("9", 41), 1))
	if want := "t.yaml:15:20: \"" + strings.Repeat("9", 40); err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "is out of range: a number has at most 40 digits") {
		t.Errorf("41 digits: %v", err)
	}
}

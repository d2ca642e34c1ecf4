package engine

import (
	"strings"
	"testing"
)

// FuzzExpression compiles arbitrary amount expressions and quotes them:
// whatever the text, loading returns rules or errors and quoting returns a
// quote or an error; nothing panics. go test runs the seeds; go test
// -fuzz FuzzExpression ./engine explores further.
func FuzzExpression(f *testing.F) {
	for _, seed := range []string{
		"billed * 20 / 60", "max(ceil(dur), 30)", "graduated(n, [100, 0.1], [0.05])",
		`plan in ["pro"] ? 1 : 2`, "100 / n", "round(dur / 3, 2, \"half_even\")", "min(items)",
		"-(-(dur))", "1e40 * 1e40 * 1e40", "n % 0.3", "clamp(dur, n, 5)", "blocks(dur, n)",
		"0.1 + 0.2 == 0.3 ? 1 : 0", "sum(items) / count(items)", "volume(dur, [n, 2], [1])",
	} {
		f.Add(seed, "7", "0.5,2")
	}
	f.Fuzz(func(t *testing.T, amount, n, items string) {
		if strings.ContainsAny(amount, "'\n\r") {
			return // the YAML quoting of the test's rule file, not the engine
		}
		rs, err := compileText(t, strings.Replace(exprList, "AMOUNT", amount, 1))
		if err != nil {
			return
		}
		for _, req := range []Request{nil, {"n": n, "dur": n, "items": items}, {"n": "0", "plan": "pro", "flag": "true"}} {
			if q, err := rs.Quote("", req); err == nil && len(q.Lines) != 1 {
				t.Fatalf("%q: %d lines, want 1", amount, len(q.Lines))
			}
			_, _ = rs.Explain("", req)
		}
	})
}

package engine

import (
	"fmt"
	"strings"
	"testing"
)

// FuzzExpression compiles arbitrary amount expressions and quotes them:
// whatever the text, loading returns rules or errors and quoting returns a
// quote or an error; nothing panics; and the explanation of a quote
// agrees with the quote. go test runs the seeds; go test -fuzz
// FuzzExpression ./engine explores further (and with the tag
// ratecard_slowpath, on the exact slow path).
func FuzzExpression(f *testing.F) {
	for _, seed := range []string{
		"billed * 20 / 60", "max(ceil(dur), 30)", "graduated(n, [100, 0.1], [0.05])",
		`plan in ["pro"] ? 1 : 2`, "100 / n", "round(dur / 3, 2, \"half_even\")", "min(items)",
		"-(-(dur))", "1e40 * 1e40 * 1e40", "n % 0.3", "clamp(dur, n, 5)", "blocks(dur, n)",
		"0.1 + 0.2 == 0.3 ? 1 : 0", "sum(items) / count(items)", "volume(dur, [n, 2], [1])",
		strings.Repeat("(", 120) + "dur" + strings.Repeat(")", 120), strings.Repeat("-", 120) + "n",
		strings.Repeat("n > 1 ? 1 : ", 120) + "0", "12345678901234567890123 * n", strings.Repeat("1e40 * ", 30) + "dur",
		"dur * dur * dur * dur * dur * dur * dur * dur * dur * dur * dur * dur * dur * dur * dur * dur",
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
			q, err := rs.Quote("", req)
			if err == nil && len(q.Lines) != 1 {
				t.Fatalf("%q: %d lines, want 1", amount, len(q.Lines))
			}
			e, errExplain := rs.Explain("", req)
			if fmt.Sprint(err) != fmt.Sprint(errExplain) {
				t.Fatalf("%q with %v: quote %v, explain %v", amount, req, err, errExplain)
			}
			if err == nil && (fmt.Sprint(describeQuote(e.Quote)) != fmt.Sprint(describeQuote(q)) || e.Lines[0].Rounded != q.Lines[0].Amount.String()) {
				t.Fatalf("%q with %v: quote %v, explained %v", amount, req, describeQuote(q), describeQuote(e.Quote))
			}
		}
	})
}

// FuzzQuote quotes arbitrary requests against the shipped rules: each
// gives a quote or an error, never a panic, and an Inputs set with the
// same text (reused from one request to the next) gives the very same
// quote or error as the Request.
func FuzzQuote(f *testing.F) {
	f.Add("create", "generative", "90", "library", "0", "5,5")
	f.Add("edit", "stock", "-1", "robot", "1.5", "0")
	f.Add("create", "", "1e40", "", "99999999999999999999", "")
	f.Add("", "", "0.0000000000000000001", "clone", "", ",,")
	rs := shipped(f)
	l, _ := rs.List("video-credits")
	in, reused := l.NewInputs(), &Quote{}
	f.Fuzz(func(t *testing.T, action, media, duration, actor, images, clips string) {
		req := Request{}
		in.Reset()
		for _, kv := range [][2]string{{"action", action}, {"media", media}, {"duration", duration}, {"actor", actor}, {"images", images}, {"clips", clips}} {
			if kv[1] != "" {
				req[kv[0]] = kv[1]
				in.SetText(kv[0], kv[1])
			}
		}
		q, err := rs.Quote("", req)
		if err == nil {
			for _, l := range q.Lines {
				if l.Amount.IsNegative() {
					t.Fatalf("%v: negative line %+v", req, l)
				}
			}
		}
		inErr := in.QuoteInto(reused)
		switch {
		case (err == nil) != (inErr == nil):
			t.Fatalf("%v: a Request gives %v, Inputs %v", req, err, inErr)
		case err != nil && err.Error() != inErr.Error():
			t.Fatalf("%v: a Request fails with %q, Inputs with %q", req, err, inErr)
		case err == nil && fmt.Sprint(describeQuote(q)) != fmt.Sprint(describeQuote(reused)):
			t.Fatalf("%v: a Request gives %v, Inputs %v", req, describeQuote(q), describeQuote(reused))
		}
		_, _ = rs.Explain("", req)
	})
}

package main

import (
	"fmt"
	"io"

	"ratecard/authoring"
	"ratecard/engine"
)

func runCheck(c *command, args []string) int {
	samples := c.flags.Int("samples", 1000, "try the invariants on `N` sampled requests per price list")
	seed := c.flags.Uint64("seed", 1, "the random `seed` of the samples: the same seed tries the same requests")
	strict := c.flags.Bool("strict", false, "fail (exit 1) on warnings too")
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	rs, err := c.load()
	if err != nil {
		return c.fail(err)
	}
	failed, warned := 0, 0
	for _, l := range rs.Lists() {
		r := l.Rules
		rep := authoring.Check(l, *samples, *seed)
		status := "ok  "
		if len(rep.Violations) > 0 {
			status = "FAIL"
			failed++
		}
		fmt.Fprintf(c.stdout, "%s %s: %d %s, %d %s, %d %s (%s)\n", status, r.Name,
			len(r.Inputs), plural(len(r.Inputs), "input", "inputs"),
			len(r.Rates), plural(len(r.Rates), "rate", "rates"),
			len(r.Examples), plural(len(r.Examples), "example", "examples"), r.File)
		if rep.Invariants > 0 {
			fmt.Fprintf(c.stdout, "     %d of %d invariants hold over %d sampled requests (seed %d)\n",
				rep.Invariants-countInvariantViolations(rep), rep.Invariants, rep.Samples, *seed)
		}
		if rep.Samples < rep.Asked {
			fmt.Fprintf(c.stdout, "     stopped after %d of %d samples: the check's budget of %d priced items ran out (long lists)\n",
				rep.Samples, rep.Asked, authoring.CheckWork)
		}
		for _, v := range rep.Violations {
			writeViolation(c.stdout, v)
		}
		for _, w := range rep.Warnings {
			warned++
			fmt.Fprintf(c.stderr, "%s: warning: %s\n", w.Pos, w.Msg)
		}
	}
	fmt.Fprintf(c.stdout, "rules %s\n", rs.Digest)
	if failed > 0 || (*strict && warned > 0) {
		return exitFail
	}
	return exitOK
}

func countInvariantViolations(rep *authoring.CheckReport) int {
	n := 0
	for _, v := range rep.Violations {
		if v.Invariant != nil {
			n++
		}
	}
	return n
}

// writeViolation prints a counterexample: the request, and the quotes
// that break the property.
func writeViolation(w io.Writer, v *authoring.Violation) {
	if v.Invariant == nil {
		fmt.Fprintf(w, "     %s\n       request: %s\n", v.Msg, v.Request)
		return
	}
	fmt.Fprintf(w, "     invariant %q does not hold (%s)\n", v.Invariant.Name, v.Invariant.Pos)
	fmt.Fprintf(w, "       %s\n", v.Msg)
	fmt.Fprintf(w, "       request: %s\n", v.Request)
	if v.Quote != nil {
		fmt.Fprintf(w, "       quote:   %s\n", quoteSummary(v.Quote))
	}
	if v.Other != "" {
		fmt.Fprintf(w, "       request: %s\n", v.Other)
	}
	if v.OtherQuote != nil {
		fmt.Fprintf(w, "       quote:   %s\n", quoteSummary(v.OtherQuote))
	}
}

func quoteSummary(q *engine.Quote) string {
	s := ""
	for i, t := range q.Totals {
		if i > 0 {
			s += ", "
		}
		s += t.Meter + " " + t.Amount.StringFixed(t.Places)
	}
	for _, l := range q.Lines {
		s += fmt.Sprintf("; %s %s", lineName(l.Rate, l.Item), l.Amount.StringFixed(l.Places))
	}
	return s
}

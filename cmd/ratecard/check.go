package main

import (
	"errors"
	"fmt"
	"io"

	"ratecard/authoring"
	"ratecard/engine"
	"ratecard/rules"
)

func runCheck(c *command, args []string) int {
	samples := c.flags.Int("samples", 1000, "try the invariants on `N` sampled requests per price list")
	seed := c.flags.Uint64("seed", 1, "the random `seed` of the samples: the same seed tries the same requests")
	strict := c.flags.Bool("strict", false, "fail (exit 1) on warnings too")
	format := c.formatFlag("text", "output `format`: text, or json for editors and CI (errors and warnings as data)", "text", "json")
	change := c.changeFlags()
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	changed, err := change.changed()
	if err != nil {
		return c.usageError("%v", err)
	}
	rs, err := c.load()
	if *format == "json" {
		return c.checkJSON(rs, err, *samples, *seed, *strict, changed)
	}
	if err != nil {
		return c.fail(err)
	}
	failed, warned := 0, 0
	lists := selectLists(rs, changed)
	if changed != nil {
		fmt.Fprintf(c.stdout, "%d of %d lists are built by the changed files\n", len(lists), len(rs.Lists()))
	}
	for _, lc := range authoring.CheckLists(rs, lists, *samples, *seed) {
		l, rep, failing := lc.List, lc.Report, lc.Failing
		r := l.Rules
		status := "ok  "
		if len(rep.Violations) > 0 || len(failing) > 0 {
			status = "FAIL"
			failed++
		}
		fmt.Fprintf(c.stdout, "%s %s: %d %s, %d %s, %d %s (%s)\n", status, versionLabel(r),
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
		for _, e := range failing {
			fmt.Fprintf(c.stdout, "     %s (%s)\n", e.Msg, e.Pos)
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

// checkReport is `check -format json`: every load error, and for rules
// that load, each list's invariants and warnings, as data.
type checkReport struct {
	OK     bool         `json:"ok"`
	Rules  string       `json:"rules,omitempty"` // the digest, when the rules load
	Errors []problem    `json:"errors"`
	Lists  []listReport `json:"lists"`
}

// problem is an error or warning at a place in a rule file.
type problem struct {
	File       string `json:"file,omitempty"`
	Line       int    `json:"line,omitempty"`
	Column     int    `json:"column,omitempty"`
	Code       string `json:"code"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion,omitempty"`
}

type listReport struct {
	List       string      `json:"list"`
	File       string      `json:"file"`
	Samples    int         `json:"samples"`
	Asked      int         `json:"asked"`
	Invariants int         `json:"invariants"`
	Violations []violation `json:"violations"`
	// Examples counts the list's examples; FailingExamples are those
	// that price otherwise than they say.
	Examples        int       `json:"examples"`
	FailingExamples []problem `json:"failing_examples"`
	Warnings        []problem `json:"warnings"`
}

type violation struct {
	Invariant string `json:"invariant,omitempty"` // "" for a sampled request that does not price
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
	Message   string `json:"message"`
	Request   string `json:"request"`
	Other     string `json:"other_request,omitempty"`
}

func (c *command) checkJSON(rs *engine.RuleSet, loadErr error, samples int, seed uint64, strict bool, changed map[string]bool) int {
	rep := checkReport{Errors: []problem{}, Lists: []listReport{}}
	if loadErr != nil {
		var list rules.ErrorList
		if !errors.As(loadErr, &list) {
			list = rules.ErrorList{{Msg: loadErr.Error(), Code: rules.CodeFile}}
		}
		for _, e := range list {
			rep.Errors = append(rep.Errors, problem{File: e.Pos.File, Line: e.Pos.Line, Column: e.Pos.Col,
				Code: e.Code, Message: e.Msg, Suggestion: e.Suggestion()})
		}
		c.writeJSON(rep)
		return exitFail
	}
	rep.OK, rep.Rules = true, rs.Digest
	for _, lc := range authoring.CheckLists(rs, selectLists(rs, changed), samples, seed) {
		l, cr := lc.List, lc.Report
		lr := listReport{List: l.Rules.Name, File: l.Rules.File, Samples: cr.Samples, Asked: cr.Asked,
			Invariants: cr.Invariants, Violations: []violation{}, Warnings: []problem{},
			Examples: len(l.Rules.Examples), FailingExamples: []problem{}}
		for _, e := range lc.Failing {
			lr.FailingExamples = append(lr.FailingExamples, problem{File: e.Pos.File, Line: e.Pos.Line, Column: e.Pos.Col, Code: e.Code, Message: e.Msg})
			rep.OK = false
		}
		for _, v := range cr.Violations {
			out := violation{Message: v.Msg, Request: v.Request, Other: v.Other}
			if v.Invariant != nil {
				out.Invariant, out.File, out.Line, out.Column = v.Invariant.Name, v.Invariant.Pos.File, v.Invariant.Pos.Line, v.Invariant.Pos.Col
			}
			lr.Violations = append(lr.Violations, out)
			rep.OK = false
		}
		for _, w := range cr.Warnings {
			lr.Warnings = append(lr.Warnings, problem{File: w.Pos.File, Line: w.Pos.Line, Column: w.Pos.Col, Code: "warning", Message: w.Msg})
			if strict {
				rep.OK = false
			}
		}
		rep.Lists = append(rep.Lists, lr)
	}
	c.writeJSON(rep)
	if !rep.OK {
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
		s += t.Meter + " " + t.Amount.String()
	}
	for _, l := range q.Lines {
		s += fmt.Sprintf("; %s %s", lineName(l.Rate, l.Item), l.Amount.String())
	}
	return s
}

// versionLabel names a price list, and for one with several versions (or
// an overlay over a list that has them) when this one prices.
func versionLabel(l *rules.PriceList) string {
	s := l.Name
	if len(l.Spans) > 0 && (!l.Spans[0].From.IsZero() || !l.Spans[0].Until.IsZero()) {
		sp := l.Spans[0]
		if !sp.From.IsZero() {
			s += " from " + rules.FormatInstant(sp.From)
		}
		if !sp.Until.IsZero() {
			s += " until " + rules.FormatInstant(sp.Until)
		}
	}
	return s
}

package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"ratecard/engine"
)

// caseResult is one example or test case's outcome, as -format json writes it.
type caseResult struct {
	List     string   `json:"list"`
	Name     string   `json:"name"`
	Pos      string   `json:"pos"`
	Request  string   `json:"request"`
	Passed   bool     `json:"passed"`
	Failures []string `json:"failures,omitempty"`
}

func runTest(c *command, args []string) int {
	verbose := c.flags.Bool("v", false, "list every case, not only the failing ones")
	run := c.flags.String("run", "", "run only the cases whose \"list/name\" matches `REGEXP`")
	format := c.formatFlag("text", "output `format`: text or json", "text", "json")
	junit := c.flags.String("junit", "", "also write a JUnit XML report to `FILE`, for CI systems")
	change := c.changeFlags()
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	changed, err := change.changed()
	if err != nil {
		return c.usageError("%v", err)
	}
	filter, err := regexp.Compile(*run)
	if err != nil {
		return c.usageError("-run: %v", err)
	}
	rs, err := c.load()
	if err != nil {
		return c.fail(err)
	}
	var results []caseResult
	for _, res := range rs.RunExamples() {
		if !filter.MatchString(res.List + "/" + res.Example.Name) {
			continue
		}
		if changed != nil && !caseTouched(res, changed) {
			continue
		}
		results = append(results, describeResult(res))
	}
	passed, failed := 0, 0
	for _, r := range results {
		if r.Passed {
			passed++
		} else {
			failed++
		}
	}
	if *junit != "" {
		if err := writeJUnit(*junit, results); err != nil {
			return c.fail(err)
		}
	}
	if *format == "json" {
		if code := c.writeJSON(struct {
			Cases  []caseResult `json:"cases"`
			Passed int          `json:"passed"`
			Failed int          `json:"failed"`
		}{results, passed, failed}); code != exitOK {
			return code
		}
	} else {
		for _, r := range results {
			if r.Passed {
				if *verbose {
					fmt.Fprintf(c.stdout, "ok    %s: %s\n", r.List, r.Name)
				}
				continue
			}
			fmt.Fprintf(c.stdout, "FAIL  %s: %s\n", r.List, r.Name)
			fmt.Fprintf(c.stdout, "      %s\n", r.Pos)
			fmt.Fprintf(c.stdout, "      request: %s\n", r.Request)
			for _, f := range r.Failures {
				fmt.Fprintf(c.stdout, "      %s\n", f)
			}
		}
		fmt.Fprintf(c.stdout, "%d passed, %d failed\n", passed, failed)
	}
	if failed > 0 {
		return exitFail
	}
	return exitOK
}

func describeResult(res *engine.ExampleResult) caseResult {
	r := caseResult{List: res.List, Name: res.Example.Name, Pos: res.Example.Pos.String(), Request: res.Request(), Passed: res.Passed()}
	if res.Err != nil {
		r.Failures = append(r.Failures, "error: "+res.Err.Error())
	}
	for _, m := range res.Wrong {
		r.Failures = append(r.Failures, m.String())
	}
	if len(res.LineDiff) > 0 {
		r.Failures = append(r.Failures, "lines (- want, + got):")
		for _, d := range res.LineDiff {
			r.Failures = append(r.Failures, "  "+d)
		}
	}
	return r
}

// writeJUnit writes the results as JUnit XML: a test suite per price list.
func writeJUnit(name string, results []caseResult) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		File      string   `xml:"file,attr"`
		Failure   *failure `xml:"failure,omitempty"`
	}
	type suite struct {
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	var suites []*suite
	byList := map[string]*suite{}
	for _, r := range results {
		s := byList[r.List]
		if s == nil {
			s = &suite{Name: r.List}
			byList[r.List] = s
			suites = append(suites, s)
		}
		tc := testcase{Name: r.Name, Classname: r.List, File: r.Pos}
		if !r.Passed {
			s.Failures++
			text := r.Pos + "\nrequest: " + r.Request
			for _, f := range r.Failures {
				text += "\n" + f
			}
			tc.Failure = &failure{Message: r.Failures[0], Text: text}
		}
		s.Tests++
		s.Cases = append(s.Cases, tc)
	}
	out, err := xml.MarshalIndent(struct {
		XMLName xml.Name `xml:"testsuites"`
		Suites  []*suite `xml:"testsuite"`
	}{Suites: suites}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, append([]byte(xml.Header), append(out, '\n')...), 0o644)
}

// caseTouched reports whether a change touches a case: it builds the list
// that priced it, or it is the file the case is written in.
func caseTouched(res *engine.ExampleResult, changed map[string]bool) bool {
	if abs, err := filepath.Abs(res.Example.Pos.File); err == nil && changed[abs] {
		return true
	}
	return res.Priced == nil || touched(res.Priced.Rules, changed)
}

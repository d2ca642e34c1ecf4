package main

import (
	"os"
	"path/filepath"
	"testing"

	"ratecard/authoring"
	"ratecard/engine"
)

// TestExamplePriceLists loads each price list of examples/, runs its
// examples (the publishers' worked examples among them), and checks its
// invariants on sampled requests, with no warning: they are written the
// natural way, and must stay right as the language grows.
func TestExamplePriceLists(t *testing.T) {
	dirs, err := filepath.Glob("../../examples/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, dir := range dirs {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			rs, err := engine.LoadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, res := range rs.RunExamples() {
				if !res.Passed() {
					t.Errorf("example %q: %v %v %v", res.Example.Name, res.Err, res.Wrong, res.LineDiff)
				}
			}
			for _, l := range rs.Lists() {
				rep := authoring.Check(rs, l, 1000, 1)
				for _, v := range rep.Violations {
					t.Errorf("%s: %s (%s)", l.Rules.Name, v.Msg, v.Request)
				}
				for _, w := range rep.Warnings {
					t.Errorf("%s: warning %s", l.Rules.Name, w)
				}
			}
		})
	}
	if n < 4 {
		t.Fatalf("%d example price lists, want at least 4", n)
	}
}

package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"ratecard/internal/golden"
)

// TestMain lets the test binary act as the ratecard command, so that the
// scripts below run the real command line, flags and exit codes included.
//
// Every test prices as of one fixed instant (RATECARD_NOW), so that the
// shipped rules' scheduled change cannot change their output the day it
// takes effect.
func TestMain(m *testing.M) {
	if os.Getenv(clockVar) == "" { // a script may set its own
		os.Setenv(clockVar, testNow)
	}
	testscript.Main(m, map[string]func(){
		"ratecard": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// testNow is the instant the tests price as of.
const testNow = "2026-12-01T00:00:00Z"

func fixClock(env *testscript.Env) error {
	env.Setenv(clockVar, testNow)
	return nil
}

// TestScripts runs testdata/script/*.txtar; go test ./... -update rewrites
// the expected outputs in them.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", UpdateScripts: *golden.Update, Setup: fixClock})
}

// TestTables renders the shipped price list's declared tables as markdown
// and compares them with the golden file, which holds the documented
// tables row for row: the help-center tables can never drift from what is
// charged.
func TestTables(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"table", "-format", "markdown"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	golden.Check(t, "../../testdata/golden/video-credits.tables.md", stdout.String())
}

// TestDocs renders the shipped price list's page and compares it with the
// golden file; the page's price tables must be the documented tables,
// byte for byte (the golden file of TestTables).
func TestDocs(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"docs"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	golden.Check(t, "../../testdata/golden/video-credits.md", stdout.String())
	tables, err := os.ReadFile("../../testdata/golden/video-credits.tables.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(stdout.Bytes(), tables) {
		t.Error("the page's price tables are not the documented tables")
	}
}

// Command ratecard quotes, explains, checks and tests price lists written as
// rule files, and prints their price tables.
//
// It is a thin layer over package engine: flags, input and output only.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"ratecard/engine"
	"ratecard/rules"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `ratecard prices requests with the rules in rule files (YAML).

Usage:
  ratecard quote   [-rules DIR] [-list NAME] [-format text|json] NAME=VALUE...
  ratecard explain [-rules DIR] [-list NAME] [-format text|json] NAME=VALUE...
  ratecard check   [-rules DIR] [-samples N] [-seed S] [-strict]
  ratecard test    [-rules DIR] [-v] [-run REGEXP] [-format text|json] [-junit FILE]
  ratecard table   [-rules DIR] [-list NAME] [-format text|markdown|csv] [-title TEXT]
                   [-rows INPUT=V1,V2... [-columns INPUT=V1,V2...] [-show METER|rate:NAME]] [NAME=VALUE...]
  ratecard reprice [-rules DIR] [-list NAME] -usage FILE [-o FILE] [-format csv|jsonl] [-summary]
                   [-group-by COLUMN] [-strict]
  ratecard diff    -old DIR|git:REV:DIR [-new DIR] [-list NAME] [-usage FILE [-group-by COLUMN]
                   [-top N] [-plot FILE.svg|.png]] [-format text|markdown|json]
  ratecard generate -from SAMPLE.csv [-n N] [-seed S] [-o FILE]
  ratecard docs    [-rules DIR] [-list NAME] [-o DIR]
  ratecard schema  (the JSON Schema of rule files, for editors)
  ratecard serve   [-rules DIR] [-addr 127.0.0.1:8080] [-debounce 50ms] [-poll INTERVAL]

Without -rules, ratecard uses the rules built into it (the shipped rules.d);
serve watches a directory, ./rules.d by default, and reloads it as it changes.
Run "ratecard COMMAND -h" for a command's flags.
`

// Exit codes: 0 success, 1 a bad request, rules that do not load or a
// failing example, 2 a command line ratecard does not understand.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

type command struct {
	name           string
	formats        *choice // -format, when the command has one
	stdin          io.Reader
	stdout, stderr io.Writer
	flags          *flag.FlagSet
	rulesDir       *string
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	commands := map[string]func(*command, []string) int{
		"quote":    runQuote,
		"explain":  runExplain,
		"check":    runCheck,
		"test":     runTest,
		"table":    runTable,
		"serve":    runServe,
		"reprice":  runReprice,
		"diff":     runDiff,
		"generate": runGenerate,
		"schema":   runSchema,
		"docs":     runDocs,
	}
	f, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "ratecard: unknown command %q%s\n\n%s", args[0],
			rules.DidYouMean(args[0], []string{"quote", "explain", "check", "test", "table", "serve", "reprice", "diff", "generate", "schema", "docs"}), usage)
		return exitUsage
	}
	c := &command{name: args[0], stdin: stdin, stdout: stdout, stderr: stderr, flags: flag.NewFlagSet("ratecard "+args[0], flag.ContinueOnError)}
	c.flags.SetOutput(stderr)
	c.rulesDir = c.flags.String("rules", "", "read the rule files of `DIR` instead of the built-in ones")
	return f(c, args[1:])
}

// parse parses the command's flags; ok is false when the command must stop
// with code.
func (c *command) parse(args []string) (code int, ok bool) {
	if err := c.flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	if f := c.formats; f != nil && f.value != f.def && !slices.Contains(f.allowed, f.value) {
		words := strings.Join(f.allowed[:len(f.allowed)-1], ", ") + " or " + f.allowed[len(f.allowed)-1]
		return c.usageError("-format must be %s, not %q", words, f.value), false
	}
	return 0, true
}

// choice is a flag value that must be one of a few words.
type choice struct {
	value, def string
	allowed    []string
}

// formatFlag declares -format, one of allowed; parse refuses other values.
// def is the default ("" when the default depends on the input).
func (c *command) formatFlag(def, usage string, allowed ...string) *string {
	c.formats = &choice{def: def, allowed: allowed}
	c.flags.StringVar(&c.formats.value, "format", def, usage)
	return &c.formats.value
}

// listFlag declares -list, which names a price list.
func (c *command) listFlag() *string {
	return c.flags.String("list", "", "the price list `NAME` (may be left out when the rules hold one)")
}

// parseNoArgs parses the flags of a command that takes no other arguments.
func (c *command) parseNoArgs(args []string) (code int, ok bool) {
	if code, ok := c.parse(args); !ok {
		return code, false
	}
	if c.flags.NArg() > 0 {
		return c.usageError("%s takes no arguments; use -rules DIR", c.name), false
	}
	return 0, true
}

// load compiles the rules of -rules, or the built-in ones.
func (c *command) load() (*engine.RuleSet, error) {
	return loadSpec(*c.rulesDir)
}

// loadList loads the rules and finds the price list named by -list.
func (c *command) loadList(name string) (*engine.PriceList, error) {
	rs, err := c.load()
	if err != nil {
		return nil, err
	}
	return rs.List(name)
}

// fail reports err and returns exitFail.
func (c *command) fail(err error) int {
	var list rules.ErrorList
	if errors.As(err, &list) {
		fmt.Fprintln(c.stderr, list.Error())
		fmt.Fprintf(c.stderr, "ratecard: the rules do not load (%d %s)\n", len(list), plural(len(list), "error", "errors"))
		return exitFail
	}
	fmt.Fprintf(c.stderr, "ratecard: %v\n", err)
	return exitFail
}

func (c *command) usageError(format string, args ...any) int {
	fmt.Fprintf(c.stderr, "ratecard: "+format+"\n", args...)
	return exitUsage
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// parseRequest reads NAME=VALUE words.
func parseRequest(words []string) (engine.Request, error) {
	req := engine.Request{}
	for _, w := range words {
		name, value, ok := strings.Cut(w, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("expected NAME=VALUE, not %q", w)
		}
		if _, dup := req[name]; dup {
			return nil, fmt.Errorf("input %s is given twice", name)
		}
		req[name] = value
	}
	return req, nil
}

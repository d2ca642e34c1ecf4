// Command ratecard quotes, explains, checks and tests price lists written as
// rule files, prints and publishes their price tables, reprices usage files
// under changed rules, and serves the live rules over HTTP.
//
// It holds the command line: flags, reading files, writing text, and the
// process around `serve` (listener, signals, shutdown). What a program
// embedding ratecard could reuse lives in the packages: engine, authoring,
// reprice and server.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"ratecard/engine"
	"ratecard/rules"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

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
	if t, err := now(); err == nil && os.Getenv(clockVar) != "" {
		engine.Clock = func() time.Time { return t } // serve too prices as of it
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText())
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, usageText())
		return exitOK
	case "-version", "--version":
		args[0] = "version"
	case "help":
		if len(args) == 1 {
			fmt.Fprint(stdout, usageText())
			return exitOK
		}
		if spec := findCommand(args[1]); spec != nil {
			c := newCommand(spec, stdin, stdout, stderr)
			c.flags.SetOutput(stdout) // asked for: the help is the output
			return spec.run(c, []string{"-h"})
		}
		args = args[1:]
	}
	spec := findCommand(args[0])
	if spec == nil {
		fmt.Fprintf(stderr, "ratecard: unknown command %q%s\n\n%s", args[0], rules.DidYouMean(args[0], commandNames()), usageText())
		return exitUsage
	}
	c := newCommand(spec, stdin, stdout, stderr)
	return spec.run(c, args[1:])
}

// newCommand sets up a command's flag set: its -h shows the command's
// purpose and synopsis, then its flags; -rules is declared for the
// commands that read rules.
func newCommand(spec *commandSpec, stdin io.Reader, stdout, stderr io.Writer) *command {
	c := &command{name: spec.name, stdin: stdin, stdout: stdout, stderr: stderr, flags: flag.NewFlagSet("ratecard "+spec.name, flag.ContinueOnError)}
	c.flags.SetOutput(stderr)
	c.flags.Usage = func() {
		out := c.flags.Output()
		spec.commandHelp(out)
		fmt.Fprintln(out, "\nFlags:")
		c.flags.PrintDefaults()
	}
	empty := ""
	c.rulesDir = &empty
	if spec.rules != "" {
		c.rulesDir = c.flags.String("rules", "", spec.rules)
	}
	return c
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
	return c.flags.String("list", "", "the price list `NAME` (default: the one written whole, which the others extend)")
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
	at, err := now()
	if err != nil {
		return nil, err
	}
	return rs.ListAt(name, engine.Terms{At: at})
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

// parseWords reads NAME=VALUE words; a name given twice is an error.
func parseWords(words []string) (map[string]string, error) {
	out := map[string]string{}
	for _, w := range words {
		name, value, ok := strings.Cut(w, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("expected NAME=VALUE, not %q", w)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("input %s is given twice", name)
		}
		out[name] = value
	}
	return out, nil
}

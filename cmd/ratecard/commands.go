package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// commandSpec describes a command once: the usage text, each command's -h
// and the README's command reference are all made from it.
type commandSpec struct {
	name     string
	purpose  string   // one line, shown first by -h
	synopsis []string // what follows "ratecard NAME", one line each
	// rules is the help of the command's -rules flag, or "" for a command
	// that reads no rules.
	rules string
	run   func(*command, []string) int
}

const builtInRules = "read the rule files of `DIR` (or one file) instead of the rules built into ratecard"

var commandSpecs = []commandSpec{
	{"quote", "price a request given as NAME=VALUE words", []string{
		"[-rules DIR] [-list NAME] [-at INSTANT] [-since INSTANT] [-remaining NAME=AMOUNT,...] [-format text|json] NAME=VALUE...",
		"-batch FILE.jsonl [-rules DIR] [-at INSTANT]",
	}, builtInRules, runQuote},
	{"explain", "price a request and show the working: inputs, values, each line's expression and exact amount", []string{
		"[-rules DIR] [-list NAME] [-at INSTANT] [-since INSTANT] [-remaining NAME=AMOUNT,...] [-format text|json] NAME=VALUE...",
	}, builtInRules, runExplain},
	{"check", "load the rules, report every error with its position, try the invariants and warn of likely mistakes", []string{
		"[-rules DIR] [-samples N] [-seed S] [-strict] [-format text|json] [-changed-since REV | -changed FILE,...]",
	}, builtInRules, runCheck},
	{"test", "run the examples of the price lists and the cases of their test files", []string{
		"[-rules DIR] [-v] [-run REGEXP] [-format text|json] [-junit FILE] [-changed-since REV | -changed FILE,...]",
	}, builtInRules, runTest},
	{"table", "print the price tables the rules declare, or a grid of any inputs", []string{
		"[-rules DIR] [-list NAME] [-format text|markdown|csv] [-title TEXT] [-places]",
		"[-rows INPUT=V1,V2... [-columns INPUT=V1,V2...] [-show METER|rate:NAME]] [NAME=VALUE...]",
	}, builtInRules, runTable},
	{"reprice", "price every record of a usage file (CSV or JSON lines) and total them", []string{
		"[-rules DIR] [-list NAME] -usage FILE [-o FILE] [-format csv|jsonl] [-summary]",
		"[-group-by COLUMN] [-strict] [-extra-columns]",
		"[-at-column COLUMN [-list-column COLUMN] [-period day|month|year] [-top N]]",
	}, builtInRules, runReprice},
	{"pipe", "price rows on standard input, one result row each, as warehouse functions call programs (ClickHouse, Spark, Hive)", []string{
		"[-rules DIR] [-list NAME] [-format TabSeparated|JSONEachRow] [-columns NAMES] [-at-column NAME]",
		"[-chunk-header] [-output OUTPUTS] [-names NAMES] [-pass NAMES]",
	}, builtInRules, runPipe},
	{"diff", "compare two rule sets: their price tables, or what they charge for the same usage", []string{
		"-old DIR|FILE|git:REV:DIR|-old-at INSTANT [-new DIR|FILE|git:REV:DIR] [-at INSTANT] [-list NAME]",
		"[-usage FILE [-group-by COLUMN] [-top N] [-plot FILE.svg|.png] [-strict] [-extra-columns]",
		" [-at-column COLUMN [-list-column COLUMN] [-period day|month|year]]]",
		"[-format text|markdown|json]",
	}, "", runDiff},
	{"generate", "write a large usage file drawn at random from a sample, for measuring", []string{
		"-from SAMPLE.csv [-n N] [-seed S] [-o FILE]",
	}, "", runGenerate},
	{"docs", "write a markdown page per price list, for the help center", []string{
		"[-rules DIR] [-list NAME] [-o DIR]",
	}, builtInRules, runDocs},
	{"schema", "print the JSON Schema of rule files, for editors", nil, "", runSchema},
	{"serve", "serve the live rules of a directory over HTTP, reloading them as they change", []string{
		"[-rules DIR] [-addr 127.0.0.1:8080] [-debounce 50ms] [-poll INTERVAL]",
		"[-admin-token FILE | -no-admin] [-max-conns N] [-studio=false] [-sample FILE]...",
	}, "watch and serve the rule files of `DIR` (default ./rules.d; serve never uses the built-in rules)", runServe},
	{"openapi", "print the OpenAPI 3.1 document of serve's HTTP API (also served at /openapi.json)", nil, "", runOpenAPI},
	{"version", "print ratecard's version, the revision it was built from, and the Go version", nil, "", runVersion},
}

func findCommand(name string) *commandSpec {
	for i := range commandSpecs {
		if commandSpecs[i].name == name {
			return &commandSpecs[i]
		}
	}
	return nil
}

func commandNames() []string {
	names := make([]string, len(commandSpecs))
	for i, c := range commandSpecs {
		names[i] = c.name
	}
	return names
}

// synopsisLines is a command's synopsis as the usage text shows it.
func (c *commandSpec) synopsisLines() []string {
	head := fmt.Sprintf("ratecard %-7s ", c.name)
	if len(c.synopsis) == 0 {
		return []string{strings.TrimSpace(head)}
	}
	lines := []string{head + c.synopsis[0]}
	for _, more := range c.synopsis[1:] {
		lines = append(lines, strings.Repeat(" ", len(head))+more)
	}
	return lines
}

// commandReference is every command's synopsis, as in the README.
func commandReference() string {
	var b strings.Builder
	for i := range commandSpecs {
		for _, line := range commandSpecs[i].synopsisLines() {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func usageText() string {
	var b strings.Builder
	b.WriteString("ratecard prices requests with the rules in rule files (YAML).\n\nCommands:\n")
	for _, c := range commandSpecs {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.purpose)
	}
	b.WriteString("\nUsage:\n")
	for _, line := range strings.Split(strings.TrimSuffix(commandReference(), "\n"), "\n") {
		b.WriteString("  " + line + "\n")
	}
	b.WriteString(`
Without -rules, ratecard uses the rules built into it (the shipped rules.d);
serve watches a directory, ./rules.d by default, and reloads it as it changes.
Run "ratecard help COMMAND" (or "ratecard COMMAND -h") for a command's flags.
`)
	return b.String()
}

// commandHelp is what -h prints before the flags.
func (c *commandSpec) commandHelp(w io.Writer) {
	fmt.Fprintf(w, "ratecard %s: %s.\n\nUsage:\n", c.name, c.purpose)
	for _, line := range c.synopsisLines() {
		fmt.Fprintln(w, "  "+line)
	}
}

func runVersion(c *command, args []string) int {
	if code, ok := c.parse(args); !ok {
		return code
	}
	fmt.Fprintln(c.stdout, versionText())
	return exitOK
}

// versionText names the build: the module version (or "(devel)" for a
// build from a checkout), the VCS revision and whether the tree had
// changes, and the Go version.
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "ratecard (no build information)"
	}
	text := "ratecard " + info.Main.Version
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		text += " revision " + rev
		if settings["vcs.modified"] == "true" {
			text += " (with uncommitted changes)"
		}
		if when := settings["vcs.time"]; when != "" {
			text += " of " + when
		}
	}
	return text + ", " + info.GoVersion
}

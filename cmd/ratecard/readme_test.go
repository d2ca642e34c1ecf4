package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"ratecard/authoring"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"ratecard/engine"
)

// readmeBlocks returns the bodies of the README's fenced blocks of a
// language.
func readmeBlocks(t *testing.T, lang string) []string {
	t.Helper()
	return markdownBlocks(t, "../../README.md", lang)
}

// markdownBlocks returns the bodies of a markdown file's fenced blocks of
// a language.
func markdownBlocks(t *testing.T, path, lang string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A block may be indented, inside a list item: its lines lose the
	// fence's indentation.
	re := regexp.MustCompile("(?ms)^( *)```" + lang + "\n(.*?)^ *```\n")
	var out []string
	for _, m := range re.FindAllStringSubmatch(string(data), -1) {
		indent, body := m[1], m[2]
		lines := strings.SplitAfter(body, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, indent)
		}
		out = append(out, strings.Join(lines, ""))
	}
	return out
}

// TestReadmeExamples runs every "$ ratecard ..." example of the console
// blocks of the README and of examples/README.md with the real command,
// in a folder holding a copy of rules.d/, testdata/ and examples/, and
// compares what it prints (standard output and error, as a
// terminal shows them; the pipe through sed hides the exit code) with the
// README. Rule-set digests are compared as
// "sha256:…", so that an edit to the shipped rules does not touch the
// README.
func TestReadmeExamples(t *testing.T) {
	dir := t.TempDir()
	var script strings.Builder
	var files strings.Builder
	n := 0
	blocks := append(readmeBlocks(t, "console"), markdownBlocks(t, "../../examples/README.md", "console")...)
	for _, block := range blocks {
		for _, ex := range strings.Split(block, "$ ")[1:] {
			command, want, _ := strings.Cut(ex, "\n")
			if !strings.HasPrefix(command, "ratecard ") {
				t.Fatalf("README example %q does not run ratecard", command)
			}
			n++
			quoted := strings.ReplaceAll(command, "'", "''") // testscript's quoting: '' is a quote
			fmt.Fprintf(&script, "# README: %s\nexec sh -c '%s 2>&1 | sed -E \"s/sha256:[0-9a-f]{64}/sha256:…/\"'\ncmp stdout want%d\n\n", command, quoted, n)
			fmt.Fprintf(&files, "-- want%d --\n%s", n, want)
		}
	}
	if n < 5 {
		t.Fatalf("found %d README examples; the parser must be broken", n)
	}
	if err := os.WriteFile(filepath.Join(dir, "readme.txtar"), []byte(script.String()+files.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: dir,
		Setup: func(env *testscript.Env) error {
			fixClock(env)
			for _, d := range []string{"rules.d", "examples"} {
				if err := os.CopyFS(filepath.Join(env.WorkDir, d), os.DirFS("../../"+d)); err != nil {
					return err
				}
			}
			return os.CopyFS(filepath.Join(env.WorkDir, "testdata"), os.DirFS("../../testdata"))
		},
	})
}

// TestReadmeRuleFiles loads every YAML block of the README and checks it:
// a price list must load and pass its examples; a test file (its first line
// names one) must pass against the shipped rules; an invariants: block,
// added to the shipped price list, must hold.
func TestReadmeRuleFiles(t *testing.T) {
	blocks := readmeBlocks(t, "yaml")
	if len(blocks) < 3 {
		t.Fatalf("%d yaml blocks in the README", len(blocks))
	}
	shipped, err := os.ReadFile("../../rules.d/video-credits.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i, block := range blocks {
		dir := t.TempDir()
		write := func(name, text string) {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		switch {
		case strings.HasPrefix(block, "# rules.d/") && strings.Contains(strings.SplitN(block, "\n", 2)[0], "_test.yaml"):
			write("video-credits.yaml", string(shipped))
			write("video-credits_test.yaml", block)
		case strings.HasPrefix(block, "invariants:"):
			text := strings.Replace(string(shipped), "\ninvariants:\n", "\nold_invariants_removed:\n", 1)
			text = text[:strings.Index(text, "\nold_invariants_removed:\n")] + "\n" + block +
				text[strings.Index(text, "\nexamples:\n"):]
			write("video-credits.yaml", text)
		default:
			write("readme.yaml", block)
		}
		rs, err := engine.LoadDir(dir)
		if err != nil {
			t.Fatalf("README yaml block %d does not load:\n%v", i+1, err)
		}
		for _, res := range rs.RunExamples() {
			if !res.Passed() {
				t.Errorf("README yaml block %d, example %q: %v %v %v", i+1, res.Example.Name, res.Err, res.Wrong, res.LineDiff)
			}
		}
		for _, l := range rs.Lists() {
			for _, v := range authoring.Check(rs, l, 500, 1).Violations {
				t.Errorf("README yaml block %d: %s", i+1, v.Msg)
			}
		}
	}
}

// TestCommandReferenceAgrees keeps the README's command reference equal to
// the one the usage text shows, and each command's synopsis naming every
// flag the command declares and no other: they drifted apart before.
func TestCommandReferenceAgrees(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, found := strings.Cut(string(data), "## Command reference\n\n```\n")
	block, _, _ = strings.Cut(block, "```")
	if !found {
		t.Fatal("no command reference block in the README")
	}
	if block != commandReference() {
		t.Errorf("the README's command reference differs from the usage text's:\n%s\nwant\n%s", block, commandReference())
	}
	for i := range commandSpecs {
		spec := &commandSpecs[i]
		text := strings.Join(spec.synopsisLines(), " ") + " "
		c := newCommand(spec, strings.NewReader(""), io.Discard, io.Discard)
		c.flags.SetOutput(io.Discard)
		if code := spec.run(c, []string{"-h"}); code != exitOK {
			t.Errorf("%s -h: exit %d", spec.name, code)
		}
		declared := map[string]bool{}
		c.flags.VisitAll(func(f *flag.Flag) {
			declared[f.Name] = true
			if !regexp.MustCompile(`[\[ |]-` + regexp.QuoteMeta(f.Name) + `[ \]|=]`).MatchString(text) {
				t.Errorf("%s declares -%s, which its synopsis does not show: %s", spec.name, f.Name, text)
			}
		})
		for _, m := range regexp.MustCompile(`[\[ |]-([a-z-]+)`).FindAllStringSubmatch(text, -1) {
			if !declared[m[1]] {
				t.Errorf("%s's synopsis shows -%s, which it does not declare", spec.name, m[1])
			}
		}
	}
}

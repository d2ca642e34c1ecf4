package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"ratecard"
	"ratecard/internal/golden"
)

// TestShippedRulesRead dumps what the loader read from the shipped rule
// file, so that a reviewer of a YAML change sees how it was understood.
func TestShippedRulesRead(t *testing.T) {
	set, err := LoadFS(ratecard.ShippedRules, ratecard.ShippedRulesDir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, l := range set.Lists {
		fmt.Fprintf(&b, "price list %s (version %s) from %s\n", l.Name, l.Version, l.Pos)
		for _, m := range l.Meters {
			fmt.Fprintf(&b, "  meter %s: unit %s, %d places, %s\n", m.Name, m.Unit, m.Places, m.Mode)
		}
		for _, in := range l.Inputs {
			fmt.Fprintf(&b, "  input %s: %s", in.Name, in.Type)
			if in.Values != nil {
				fmt.Fprintf(&b, " %v", in.Values)
			}
			if in.Default != nil {
				fmt.Fprintf(&b, ", default %q", in.Default.String(in.Type))
			}
			if in.Required {
				b.WriteString(", required")
			}
			if in.RequiredWhen != nil {
				fmt.Fprintf(&b, ", required when %s", in.RequiredWhen.Text)
			}
			for _, bound := range in.Bounds() {
				fmt.Fprintf(&b, ", %s %s", bound.Op, bound.Value)
			}
			b.WriteString("\n")
		}
		for _, v := range l.Values {
			fmt.Fprintf(&b, "  value %s = %s (at %s)\n", v.Name, v.Expr.Text, v.Expr.Pos)
		}
		for _, r := range l.Rates {
			fmt.Fprintf(&b, "  rate %s on %s", r.Name, r.Meter)
			if r.ForEach != "" {
				fmt.Fprintf(&b, ", for each %s as %s", r.ForEach, r.As)
			}
			if r.When != nil {
				fmt.Fprintf(&b, ", when %s", r.When.Text)
			}
			fmt.Fprintf(&b, ": %s (at %s)\n", r.Amount.Text, r.Amount.Pos)
		}
		fmt.Fprintf(&b, "  %d examples, %d tables, %d invariants\n", len(l.Examples), len(l.Tables), len(l.Invariants))
	}
	golden.Check(t, "../testdata/golden/video-credits.rules.txt", b.String())
}

// TestExprPositions maps characters of expressions written in each YAML
// scalar style back to their line and column in the file.
func TestExprPositions(t *testing.T) {
	src := `name: p
meters: {m: {places: 0}}
inputs: {x: {type: decimal, default: 0}}
values:
  plain: x + y1
  single: 'x + y2'
  double: "x + y3"
  literal: |
    x
      + y4
  folded: >-
    x +
    y5
  multi: x +
    y6
rates: [{name: r, meter: m, amount: x}]
`
	set, err := Parse([]File{{Path: "p.yaml", Data: []byte(src)}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // where the y of each expression is
		"plain": "p.yaml:5:14", "single": "p.yaml:6:16", "double": "p.yaml:7:16",
		"literal": "p.yaml:10:9", "folded": "p.yaml:13:5", "multi": "p.yaml:15:5",
	}
	for _, v := range set.Lists[0].Values {
		off := strings.IndexRune(v.Expr.Text, 'y')
		got := v.Expr.At(len([]rune(v.Expr.Text[:off]))).String()
		if got != want[v.Name] {
			t.Errorf("%s (%q): y at %s, want %s", v.Name, v.Expr.Text, got, want[v.Name])
		}
	}
}

func TestDuplicateListNames(t *testing.T) {
	one := "name: same\nmeters: {m: {places: 0}}\nrates: [{name: r, meter: m, amount: 1}]\n"
	fsys := fstest.MapFS{
		"d/a.yaml":      {Data: []byte(one)},
		"d/b.yml":       {Data: []byte(one)},
		"d/.a.yaml.swp": {Data: []byte("not yaml {")},
		"d/a.yaml~":     {Data: []byte("not yaml {")},
		"d/notes.txt":   {Data: []byte("not yaml {")},
	}
	_, err := LoadFS(fsys, "d")
	if err == nil || err.Error() != `d/b.yml:1:7: price list "same" is already declared at d/a.yaml:1:7; a second version needs effective: INSTANT` {
		t.Errorf("got %v", err)
	}
}

func TestLoadDirErrors(t *testing.T) {
	if _, err := LoadDir(filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing directory: %v", err)
	}
	if _, err := LoadDir(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no rule files") {
		t.Errorf("empty directory: %v", err)
	}
	dir := t.TempDir()
	big := strings.Repeat("# padding\n", MaxFileSize/10+1)
	if err := os.WriteFile(filepath.Join(dir, "big.yaml"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "big.yaml: file is over 1048576 bytes") {
		t.Errorf("oversized file: %v", err)
	}
	many := t.TempDir()
	for i := 0; i <= MaxFiles; i++ {
		if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("l%d.yaml", i)), []byte("name: x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := LoadDir(many); err == nil || !strings.Contains(err.Error(), "more than 10000 rule files") {
		t.Errorf("too many files: %v", err)
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"duration", "dur", "actor", "images", "clips"}
	for in, want := range map[string]string{
		"durr": "dur", "duraton": "duration", "acotr": "actor", "image": "images", "zzz": "", "x": "",
		"clipz": "clips", "imag": "images",
	} {
		if got := Suggest(in, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]string{"12": "12", "-0.5": "-0.5", "1.5e3": "1500", "1_000": "1000", "+2": "2"} {
		got, err := ParseNumber(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", ".inf", "NaN", "0x10", "1e41", strings.Repeat("9", 41), "1e-41"} {
		if _, err := ParseNumber(in); err == nil {
			t.Errorf("ParseNumber(%q) accepted", in)
		}
	}
}

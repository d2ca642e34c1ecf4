package engine

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ratecard/internal/golden"
	"ratecard/rules"
)

// TestBadRuleFiles loads each broken rule file of testdata/bad and compares
// the errors with the golden NAME.err beside it. Every error must carry a
// file:line:col position; none may panic.
func TestBadRuleFiles(t *testing.T) {
	cases, err := filepath.Glob("../testdata/bad/*.yaml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases in ../testdata/bad: %v", err)
	}
	for _, path := range cases {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			shown := "testdata/bad/" + filepath.Base(path)
			_, err = CompileFiles([]rules.File{{Path: shown, Data: data}})
			if err == nil {
				t.Fatal("the broken file loaded without error")
			}
			positioned := regexp.MustCompile(`^` + regexp.QuoteMeta(shown) + `:\d+:\d+: \S`)
			for _, line := range strings.Split(err.Error(), "\n") {
				if !positioned.MatchString(line) {
					t.Errorf("error without a file:line:col position: %q", line)
				}
			}
			golden.Check(t, strings.TrimSuffix(path, ".yaml")+".err", err.Error()+"\n")
			var list rules.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("not an error list: %T", err)
			}
			for _, e := range list {
				if e.Code == rules.CodeOther || e.Code == "" {
					t.Errorf("no code of its kind for %q", e.Msg)
				}
			}
		})
	}
}

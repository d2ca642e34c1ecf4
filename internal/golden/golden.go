// Package golden compares test output with golden files under testdata/,
// and rewrites them when the tests run with -update:
//
//	go test ./... -update
//
// A reviewer then reads the change to the golden files in the diff.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Update is set by -update. Every test package of the module imports this
// package, so that the flag exists wherever `go test ./... -update` runs.
var Update = flag.Bool("update", false, "rewrite golden files with the output of the tests")

// Check compares got with the file at path, or writes got there with -update.
func Check(t testing.TB, path string, got string) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./... -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the output (-want +got); if the change is right, run go test ./... -update:\n%s", path, diff)
	}
}

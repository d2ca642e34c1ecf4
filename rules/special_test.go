//go:build unix

package rules

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFilesAreRefused puts a named pipe, a link to /dev/zero and a
// link to a directory where rule files go. A pipe blocked every reload for
// ever, and /dev/zero was read until the process ran out of memory: only
// regular files are read, and none past the size cap.
func TestSpecialFilesAreRefused(t *testing.T) {
	const good = "name: x\nmeters: {m: {places: 0}}\nrates: [{name: r, meter: m, amount: 1}]\n"
	for name, create := range map[string]func(path string) error{
		"named pipe": func(path string) error { return syscall.Mkfifo(path, 0o644) },
		"/dev/zero":  func(path string) error { return os.Symlink("/dev/zero", path) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "good.yaml"), []byte(good), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := create(filepath.Join(dir, "odd.yaml")); err != nil {
				t.Skipf("cannot make a %s here: %v", name, err)
			}
			done := make(chan error, 1)
			go func() { _, err := LoadDir(dir); done <- err }()
			select {
			case err := <-done:
				want := filepath.Join(dir, "odd.yaml") + ": not a regular file"
				if err == nil || !strings.HasPrefix(err.Error(), want) {
					t.Errorf("got %v, want %s...", err, want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("loading the directory did not return in 10 s")
			}
			// Named on its own, as `ratecard check -rules FILE` does.
			if _, err := LoadDir(filepath.Join(dir, "odd.yaml")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("the file alone: %v", err)
			}
		})
	}
	t.Run("link to a directory", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "good.yaml"), []byte(good), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(t.TempDir(), filepath.Join(dir, "sub.yaml")); err != nil {
			t.Fatal(err)
		}
		if set, err := LoadDir(dir); err != nil || len(set.Lists) != 1 {
			t.Errorf("a linked directory is not a rule file, and is passed over: %v", err)
		}
	})
}

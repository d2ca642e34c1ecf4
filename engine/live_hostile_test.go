package engine

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"ratecard/internal/wait"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// TestLiveDirectoryReplaced replaces the rule directory itself, as
// releases are deployed. The watch was on the old directory, so edits were
// never seen again: it must follow the name to the new directory.
func TestLiveDirectoryReplaced(t *testing.T) {
	t.Run("removed and made again", func(t *testing.T) {
		l, dir := liveDir(t, LiveOptions{})
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "t.yaml"), priceFile("t", 20))
		wait.Until(t, "price 20", pricedAt(t, l, "t", "20"))
		writeFile(t, filepath.Join(dir, "t.yaml"), priceFile("t", 30))
		wait.Until(t, "an edit in the new directory", pricedAt(t, l, "t", "30"))
	})
	t.Run("swapped by rename", func(t *testing.T) {
		base := t.TempDir()
		dir := filepath.Join(base, "rules.d")
		for name, price := range map[string]int{"rules.d": 10, "next": 20} {
			if err := os.Mkdir(filepath.Join(base, name), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(base, name, "t.yaml"), priceFile("t", price))
		}
		l := startLive(t, dir, LiveOptions{})
		if err := os.Rename(dir, filepath.Join(base, "previous")); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(base, "next"), dir); err != nil {
			t.Fatal(err)
		}
		wait.Until(t, "the new release", pricedAt(t, l, "t", "20"))
		writeFile(t, filepath.Join(dir, "t.yaml"), priceFile("t", 30))
		wait.Until(t, "an edit in the new release", pricedAt(t, l, "t", "30"))
	})
	t.Run("link switched", func(t *testing.T) {
		base := t.TempDir()
		for release, price := range map[string]int{"1": 10, "2": 20} {
			if err := os.MkdirAll(filepath.Join(base, "releases", release), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(base, "releases", release, "t.yaml"), priceFile("t", price))
		}
		current := filepath.Join(base, "current")
		if err := os.Symlink("releases/1", current); err != nil {
			t.Fatal(err)
		}
		l := startLive(t, current, LiveOptions{})
		// ln -sfn: a new link renamed over the old one.
		if err := os.Symlink("releases/2", current+".new"); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(current+".new", current); err != nil {
			t.Fatal(err)
		}
		wait.Until(t, "release 2", pricedAt(t, l, "t", "20"))
		writeFile(t, filepath.Join(base, "releases", "2", "t.yaml"), priceFile("t", 30))
		wait.Until(t, "an edit in release 2", pricedAt(t, l, "t", "30"))
	})
}

// TestLiveErrorClearsWhenFilesAreGoodAgain: restoring the good file (whose
// digest is live already) loads nothing, but the status must say healthy
// again; it kept the error for ever, and the alert never resolved.
func TestLiveErrorClearsWhenFilesAreGoodAgain(t *testing.T) {
	l, dir := liveDir(t, LiveOptions{})
	path := filepath.Join(dir, "t.yaml")
	saveByRename(t, path, brokenFile)
	wait.Until(t, "the error", func() bool { return l.Status().LastError != "" })
	saveByRename(t, path, priceFile("t", 10))
	wait.Until(t, "the error cleared", func() bool { return l.Status().LastError == "" })
	if s := l.Status(); s.Reloads != 0 || s.Failures != 1 {
		t.Errorf("status %+v: want no reload (the content was live) and one failure", s)
	}
	attempt := l.Status().LastAttempt
	if err := l.Reload(); err != nil {
		t.Fatal(err)
	}
	if !l.Status().LastAttempt.After(attempt) {
		t.Error("a reload of unchanged files left last_attempt as it was")
	}
}

// TestLiveRetriesAFailedReload: a reload that failed is tried once more
// about a second later, with no new event. Here the rule file links to a
// file outside the watched directory, fixed there: no event comes.
func TestLiveRetriesAFailedReload(t *testing.T) {
	l, dir := liveDir(t, LiveOptions{})
	outside := filepath.Join(t.TempDir(), "u.yaml")
	writeFile(t, outside, strings.Replace(brokenFile, "name: t", "name: u", 1))
	if err := os.Symlink(outside, filepath.Join(dir, "u.yaml")); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, "the reload error", func() bool { return l.Status().LastError != "" })
	writeFile(t, outside, priceFile("u", 40))
	wait.Until(t, "the retry", pricedAt(t, l, "u", "40"))
}

// TestLiveWriteStorm writes the file every 5 ms for 3 s: the debounce
// (10 ms here) is never quiet, and waited for ever. A burst is loaded
// after at most a second.
func TestLiveWriteStorm(t *testing.T) {
	l, dir := liveDir(t, LiveOptions{})
	path := filepath.Join(dir, "t.yaml")
	stop := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
			select {
			case <-stop:
				return
			default:
			}
			saveByRename(t, path, priceFile("t", 50))
		}
	}()
	defer func() { close(stop); <-stopped }()
	start := time.Now()
	wait.Until(t, "a reload during the storm", pricedAt(t, l, "t", "50"))
	if took := time.Since(start); took > 2500*time.Millisecond {
		t.Errorf("the reload came %v into the storm", took)
	}
}

// TestLiveDroppedListIsLogged: deleting one of several rule files drops
// its price list with a successful reload. That stands (removing a list is
// a change like any other), but it is logged as a warning.
func TestLiveDroppedListIsLogged(t *testing.T) {
	var logs syncLog
	l, dir := liveDir(t, LiveOptions{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	writeFile(t, filepath.Join(dir, "u.yaml"), priceFile("u", 5))
	wait.Until(t, "list u", pricedAt(t, l, "u", "5"))
	if err := os.Remove(filepath.Join(dir, "u.yaml")); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, "list u gone", func() bool { _, err := l.RuleSet().List("u"); return err != nil })
	wait.Until(t, "the warning", func() bool {
		return strings.Contains(logs.String(), `"level":"WARN","msg":"a reload removed a price list; its quotes now fail as unknown"`) &&
			strings.Contains(logs.String(), `"list":"u"`)
	})
}

// TestLiveCountsWatchErrors sends the watcher an error (a kernel queue
// overflow cannot be caused on demand): it is counted in the status, and
// the files are reloaded to be safe.
func TestLiveCountsWatchErrors(t *testing.T) {
	watchers := make(chan *fsnotify.Watcher, 1)
	newFileWatcher = func() (*fsnotify.Watcher, error) {
		w, err := fsnotify.NewWatcher()
		watchers <- w
		return w, err
	}
	defer func() { newFileWatcher = fsnotify.NewWatcher }()
	l, dir := liveDir(t, LiveOptions{Poll: 0})
	w := <-watchers
	// Change the file while the watch is blind to it, then report the
	// overflow that hid the event.
	if err := w.Remove(dir); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "t.yaml"), priceFile("t", 80))
	w.Errors <- fsnotify.ErrEventOverflow
	wait.Until(t, "the error counted", func() bool { return l.Status().WatchErrors == 1 })
	wait.Until(t, "the reload after the error", pricedAt(t, l, "t", "80"))
}

// TestLiveFixingOnlyATestFile: a reload refused for a failing test case
// was never retried when only the test file was fixed, as the skip compared
// the price lists' digest alone.
func TestLiveFixingOnlyATestFile(t *testing.T) {
	l, dir := liveDir(t, LiveOptions{})
	testCase := func(total int) string {
		return fmt.Sprintf("cases:\n  - name: one unit\n    input: {units: 1}\n    totals: {usd: %d}\n", total)
	}
	writeFile(t, filepath.Join(dir, "t_test.yaml"), testCase(10))
	wait.Until(t, "the test file", func() bool { return l.Status().Reloads == 1 })
	saveByRename(t, filepath.Join(dir, "t.yaml"), priceFile("t", 20))
	wait.Until(t, "the failing case", func() bool {
		return strings.Contains(l.Status().LastError, `example "one unit" fails: usd: want 10.00, got 20.00`)
	})
	saveByRename(t, filepath.Join(dir, "t_test.yaml"), testCase(20))
	wait.Until(t, "the new price, once its test is fixed", pricedAt(t, l, "t", "20"))
}

// syncLog is a log destination safe for the watch goroutine.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncLog) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncLog) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

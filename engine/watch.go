package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/fsnotify/fsnotify"
)

const (
	// maxDebounceWait bounds how long a burst of changes can put a reload
	// off: a file written every few milliseconds would otherwise keep the
	// debounce waiting for ever. The state at that moment is loaded.
	maxDebounceWait = time.Second
	// retryAfterFailure is when an automatic reload that failed (a file
	// read half-written) is tried once more, even with no new event.
	retryAfterFailure = time.Second
	// rewatchEvery is how often a rule directory that went away (removed,
	// or switched under the watch) is looked for; meanwhile the files are
	// polled at the same pace.
	rewatchEvery = 250 * time.Millisecond
)

// newFileWatcher makes the watcher of watchEvents; a test replaces it to
// reach the watcher's error channel (a kernel queue overflow cannot be
// caused on demand).
var newFileWatcher = fsnotify.NewWatcher

// watcher is the state of one Watch over the rule directory.
type watcher struct {
	l       *Live
	w       *fsnotify.Watcher
	dir     string      // l.dir, cleaned, as fsnotify names it
	watched os.FileInfo // the directory the watch is on, or nil when it is on none
	stale   bool        // an event on the directory's own name: put the watch again
}

// watchEvents reloads after each burst of change events in the rule
// directory, once the directory has been quiet for the debounce period (or
// a burst has lasted maxDebounceWait). Every kind of event counts (write,
// create, remove, rename, chmod): the digest check of reload skips those
// that change no rule file.
//
// The directory's parent is watched too, for the directory itself being
// removed, recreated, renamed over (a release directory switched with mv)
// or switched as a link (ln -sfn): the watch then moves to whatever the
// name now leads to, retried until it exists, with the files polled
// meanwhile.
func (l *Live) watchEvents(ctx context.Context) error {
	fw, err := newFileWatcher()
	if err != nil {
		return fmt.Errorf("watching rule files: %w", err)
	}
	defer fw.Close()
	w := &watcher{l: l, w: fw, dir: filepath.Clean(l.dir)}
	if err := w.watch(); err != nil {
		return fmt.Errorf("watching %s: %w", l.dir, err)
	}
	if err := fw.Add(filepath.Dir(w.dir)); err != nil {
		l.warn("cannot watch the rule directory's parent; a directory switched whole is seen only by its files", err)
	}
	// A change made after the rules were loaded but before the watch began
	// sent no event: look once now (unchanged files cost a digest).
	_, _ = l.reload("watch", false)

	quiet, retry, rewatch := stoppedTimer(), stoppedTimer(), stoppedTimer()
	defer quiet.Stop()
	defer retry.Stop()
	defer rewatch.Stop()
	var burstStart time.Time
	// What the burst's events named, when each named an entry of the
	// directory (and no event was lost or named the directory itself):
	// then only those files are asked about.
	named, trusted := map[string]bool{}, true
	changed := func() {
		if burstStart.IsZero() {
			burstStart = time.Now()
		}
		quiet.Reset(max(0, min(l.opts.Debounce, maxDebounceWait-time.Since(burstStart))))
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-fw.Events:
			if !ok {
				return errors.New("the file watcher stopped")
			}
			switch {
			case ev.Name == w.dir:
				// The directory itself was removed, renamed or replaced:
				// a new one may even reuse its inode number, so the watch
				// is put again whatever its identity says.
				w.stale, trusted = true, false
			case filepath.Dir(ev.Name) == filepath.Dir(w.dir):
				continue // another entry of the parent directory
			case filepath.Dir(ev.Name) == w.dir:
				named[filepath.Base(ev.Name)] = true
			default:
				trusted = false
			}
			changed()
		case err, ok := <-fw.Errors:
			if !ok {
				return errors.New("the file watcher stopped")
			}
			l.statusMu.Lock()
			l.status.WatchErrors++
			l.statusMu.Unlock()
			l.warn("file watcher error; reloading to be safe", err)
			trusted = false // events may have been lost
			changed()
		case <-quiet.C:
			burstStart = time.Time{}
			watched := w.watched
			if !w.follow() {
				rewatch.Reset(rewatchEvery)
			}
			reload := func() (bool, error) { return l.reload("watch", false) }
			if trusted && w.watched != nil && w.watched == watched {
				names := slices.Collect(maps.Keys(named))
				reload = func() (bool, error) { return l.reloadNamed("watch", names) }
			}
			clear(named)
			trusted = true
			if changed, err := reload(); changed && err != nil {
				retry.Reset(retryAfterFailure)
			}
		case <-retry.C:
			_, _ = l.reload("retry", true)
		case <-rewatch.C:
			if !w.follow() {
				rewatch.Reset(rewatchEvery)
			}
			_, _ = l.reload("poll", false)
		}
	}
}

// watch puts the watch on the directory the rule directory's name leads to
// now, and remembers which one it is.
func (w *watcher) watch() error {
	info, err := os.Stat(w.dir)
	if err != nil {
		return err
	}
	if err := w.w.Add(w.dir); err != nil {
		return err
	}
	w.watched = info
	return nil
}

// follow checks that the watch is on the directory the name leads to, and
// moves it there if not; it reports whether the watch is in place.
func (w *watcher) follow() bool {
	info, err := os.Stat(w.dir)
	if err == nil && w.watched != nil && !w.stale && os.SameFile(info, w.watched) {
		return true
	}
	w.stale = false
	if w.watched != nil {
		_ = w.w.Remove(w.dir) // on the old directory, if the kernel has not dropped it
		w.watched = nil
	}
	if err := w.watch(); err != nil {
		return false
	}
	if w.l.opts.Logger != nil {
		w.l.opts.Logger.Info("the rule directory was replaced; watching the new one", "dir", w.l.dir)
	}
	return true
}

func (l *Live) warn(msg string, err error) {
	if l.opts.Logger != nil {
		l.opts.Logger.Warn(msg, "dir", l.dir, "error", err)
	}
}

func stoppedTimer() *time.Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}

package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watchEvents reloads after each burst of change events in the rule
// directory, once the directory has been quiet for the debounce period.
// Every kind of event counts (write, create, remove, rename, chmod): the
// digest check of reload skips those that change no rule file.
func (l *Live) watchEvents(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watching rule files: %w", err)
	}
	defer w.Close()
	if err := w.Add(l.dir); err != nil {
		return fmt.Errorf("watching %s: %w", l.dir, err)
	}
	// A change made after the rules were loaded but before the watch began
	// sent no event: look once now (unchanged files cost a digest).
	_, _ = l.reload("watch", false)
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	defer quiet.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, ok := <-w.Events:
			if !ok {
				return errors.New("the file watcher stopped")
			}
			quiet.Reset(l.opts.Debounce)
		case err, ok := <-w.Errors:
			if !ok {
				return errors.New("the file watcher stopped")
			}
			if l.opts.Logger != nil {
				l.opts.Logger.Warn("file watcher error; reloading to be safe", "dir", l.dir, "error", err)
			}
			quiet.Reset(l.opts.Debounce)
		case <-quiet.C:
			_, _ = l.reload("watch", false)
		}
	}
}

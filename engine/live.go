package engine

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"ratecard/rules"
)

// Live holds the rule set a service quotes from, and replaces it when the
// rule files change: all or nothing. A reload reads the files, compiles
// them and runs their examples aside; only when everything passes is the new
// rule set swapped in, with one atomic pointer store. Otherwise the last good
// rule set keeps serving and the error is kept for Status and the log.
//
// Quotes take the current rule set once (Live.RuleSet, or Live.Quote which
// does so) and use it from start to end, so a quote never mixes two sets.
type Live struct {
	dir      string
	opts     LiveOptions
	current  atomic.Pointer[RuleSet]
	reloadMu sync.Mutex // one reload at a time

	statusMu sync.Mutex
	status   Status
	failed   string // the digest of the files of the last failed reload
}

// LiveOptions tune a Live rule set. The zero value is the default.
type LiveOptions struct {
	// Debounce is how long the files must stay quiet after a change before
	// they are reloaded, so that an editor's burst of writes loads once.
	// Default 50ms.
	Debounce time.Duration
	// Poll, when above zero, checks the files' digest at this interval
	// instead of waiting for change events, for file systems that send
	// none (some network and FUSE mounts).
	Poll time.Duration
	// Logger receives a structured record of every reload. Default: none.
	Logger *slog.Logger
	// OnReload is called after every reload attempt that found new
	// content, with its result (for metrics).
	OnReload func(ReloadResult)
}

// DefaultDebounce is the quiet period after a change before a reload.
const DefaultDebounce = 50 * time.Millisecond

// ReloadResult is the outcome of one reload attempt.
type ReloadResult struct {
	Digest   string        // of the files read
	Err      error         // nil when the new rule set went live
	Duration time.Duration // reading, compiling and checking
	Trigger  string        // "start", "watch", "poll", "signal", "api", ...
}

// Status describes the live rule set and the last reload attempt.
type Status struct {
	Digest      string            `json:"digest"`
	Versions    map[string]string `json:"versions"` // price list -> version
	LoadedAt    time.Time         `json:"loaded_at"`
	LastAttempt time.Time         `json:"last_attempt"`
	LastError   string            `json:"last_error,omitempty"`
	Reloads     int               `json:"reloads"` // successful swaps since start
	Failures    int               `json:"failures"`
}

// NewLive loads the rules of dir. It fails when they do not load or an
// example fails: a service never starts from an empty or broken price list.
func NewLive(dir string, opts LiveOptions) (*Live, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	l := &Live{dir: dir, opts: opts}
	if _, err := l.reload("start", true); err != nil {
		return nil, err
	}
	return l, nil
}

// RuleSet returns the rule set now live. Keep it for the whole of a
// request's work.
func (l *Live) RuleSet() *RuleSet { return l.current.Load() }

// Quote prices a request with the rule set now live; the quote's Digest
// names it.
func (l *Live) Quote(list string, req Request) (*Quote, error) {
	return l.RuleSet().Quote(list, req)
}

// Explain explains a quote with the rule set now live.
func (l *Live) Explain(list string, req Request) (*Explanation, error) {
	return l.RuleSet().Explain(list, req)
}

// Status returns the live rule set's identity and the last reload attempt.
func (l *Live) Status() Status {
	l.statusMu.Lock()
	defer l.statusMu.Unlock()
	s := l.status
	s.Versions = make(map[string]string, len(l.status.Versions))
	for k, v := range l.status.Versions {
		s.Versions[k] = v
	}
	return s
}

// Reload reloads the rules now and returns the real result: nil when the
// files' rule set is live (a new one, or the same content already live),
// else why the last good one stays.
func (l *Live) Reload() error {
	_, err := l.reload("api", true)
	return err
}

// ReloadFrom is Reload with the trigger named in logs and metrics (such as
// "signal" for SIGHUP).
func (l *Live) ReloadFrom(trigger string) error {
	_, err := l.reload(trigger, true)
	return err
}

// reload is the one reload path of file watching, polling, signals and
// explicit calls. With force false (automatic triggers), files whose digest
// already failed are not tried again until they change.
func (l *Live) reload(trigger string, force bool) (changed bool, err error) {
	l.reloadMu.Lock()
	defer l.reloadMu.Unlock()
	start := time.Now()
	files, err := rules.ReadDir(l.dir)
	digest := ""
	if err == nil {
		digest = rules.Digest(files)
		if cur := l.current.Load(); cur != nil && cur.Digest == digest {
			return false, nil // unchanged content: nothing to do
		}
		l.statusMu.Lock()
		seenFailing := l.failed == digest
		l.statusMu.Unlock()
		if seenFailing && !force {
			return false, nil
		}
	}
	var rs *RuleSet
	if err == nil {
		rs, err = compileLoaded(rules.Parse(files))
	}
	if err == nil {
		err = rs.CheckExamples()
	}
	res := ReloadResult{Digest: digest, Err: err, Duration: time.Since(start), Trigger: trigger}
	// Log and tell OnReload first, so that whoever sees the new status or
	// rules also finds the reload in the log and the metrics.
	l.log(res)
	if l.opts.OnReload != nil {
		l.opts.OnReload(res)
	}
	l.statusMu.Lock()
	l.status.LastAttempt = start
	if err != nil {
		l.status.LastError = err.Error()
		l.status.Failures++
		l.failed = digest
	} else {
		l.current.Store(rs)
		l.status.LastError = ""
		l.status.Digest = rs.Digest
		l.status.LoadedAt = time.Now()
		l.status.Versions = map[string]string{}
		for _, pl := range rs.Lists() {
			l.status.Versions[pl.Rules.Name] = pl.Rules.Version
		}
		if trigger != "start" {
			l.status.Reloads++
		}
		l.failed = ""
	}
	l.statusMu.Unlock()
	return true, err
}

func (l *Live) log(res ReloadResult) {
	if l.opts.Logger == nil {
		return
	}
	attrs := []any{"dir", l.dir, "trigger", res.Trigger, "digest", res.Digest, "duration", res.Duration}
	if res.Err != nil {
		l.opts.Logger.Error("rules reload failed; the last good rules keep serving", append(attrs, "error", res.Err.Error())...)
		return
	}
	l.opts.Logger.Info("rules reloaded", attrs...)
}

// CheckExamples runs every example of the rule set and returns an error
// listing the failing ones, each at its position, or nil.
func (rs *RuleSet) CheckExamples() error {
	var errs rules.ErrorList
	for _, res := range rs.RunExamples() {
		if res.Passed() {
			continue
		}
		var why []string
		if res.Err != nil {
			why = append(why, res.Err.Error())
		}
		for _, m := range res.Wrong {
			why = append(why, m.String())
		}
		errs.Add(res.Example.Pos, "example %q fails: %s", res.Example.Name, strings.Join(why, "; "))
	}
	return errs.Err()
}

// Watch reloads the rules whenever the rule directory changes, until ctx
// ends; it returns ctx's error then, or the error that stopped watching.
// It watches the directory, not the files, so that files replaced by
// rename (editors) or a ConfigMap's ..data symlink swap are seen. With
// LiveOptions.Poll set it polls the files' digest instead.
func (l *Live) Watch(ctx context.Context) error {
	if l.opts.Poll > 0 {
		return l.poll(ctx)
	}
	return l.watchEvents(ctx)
}

func (l *Live) poll(ctx context.Context) error {
	t := time.NewTicker(l.opts.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			_, _ = l.reload("poll", false)
		}
	}
}

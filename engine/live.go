package engine

import (
	"context"
	"fmt"
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
	cache    *Cache     // what the last good load built, by content
	reader   *rules.DirReader

	statusMu    sync.Mutex
	status      Status
	liveContent string // the content digest (rules and tests) of the live rules
	failed      string // the content digest of the last failed reload
	subscribers []func(ReloadResult)
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
	// content, with its result (for metrics). Subscribe adds more.
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
	// Cache tells what the reload had to parse, decode and compile: what
	// changed, and the lists built on it.
	Cache CacheStats
}

// Status describes the live rule set and the last reload attempt. It is
// the one account of reloads: an HTTP API and its metrics both read it.
type Status struct {
	Digest      string            `json:"digest"`
	Versions    map[string]string `json:"versions"` // price list -> version
	LoadedAt    time.Time         `json:"loaded_at"`
	LastAttempt time.Time         `json:"last_attempt"` // any look at the files, changed or not
	// LastError is why the files on disk are not live, or "" when they
	// are (restoring good files clears it).
	LastError   string `json:"last_error,omitempty"`
	Reloads     int    `json:"reloads"`  // new rule sets swapped in since start
	Failures    int    `json:"failures"` // reloads refused since start
	WatchErrors int    `json:"watch_errors"`
}

// NewLive loads the rules of dir. It fails when they do not load or an
// example fails: a service never starts from an empty or broken price list.
func NewLive(dir string, opts LiveOptions) (*Live, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	l := &Live{dir: dir, opts: opts, cache: NewCache(), reader: rules.NewDirReader(dir)}
	if _, err := l.reload("start", true); err != nil {
		return nil, err
	}
	return l, nil
}

// Dir is the rule directory (or file) the rules are read from.
func (l *Live) Dir() string { return l.dir }

// Subscribe calls f after every reload attempt that found new content, as
// LiveOptions.OnReload is, for a caller that comes after NewLive (an HTTP
// API's metrics).
func (l *Live) Subscribe(f func(ReloadResult)) {
	l.statusMu.Lock()
	defer l.statusMu.Unlock()
	l.subscribers = append(l.subscribers, f)
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
// explicit calls. With force false (automatic triggers), files whose
// content already failed are not tried again until they change. What
// decides a reload is the content of the rules and their test files: a
// test case fixed alone is seen.
func (l *Live) reload(trigger string, force bool) (changed bool, err error) {
	// An automatic reload trusts the files' stats (one changed file of a
	// thousand is the one read); one asked for reads every file.
	read := l.reader.Read
	if force {
		read = l.reader.ReadAll
	}
	return l.reloadRead(trigger, force, read)
}

// reloadNamed is the watch's reload after a burst of events that named
// only entries of the directory: of the files, only those named are
// asked about (rules.DirReader.ReadNamed).
func (l *Live) reloadNamed(trigger string, names []string) (changed bool, err error) {
	return l.reloadRead(trigger, false, func() ([]rules.File, error) { return l.reader.ReadNamed(names) })
}

func (l *Live) reloadRead(trigger string, force bool, read func() ([]rules.File, error)) (changed bool, err error) {
	l.reloadMu.Lock()
	defer l.reloadMu.Unlock()
	start := time.Now()
	files, err := read()
	// A directory that cannot be read (gone while it is switched) fails
	// the same way until it changes: its "content" is the error.
	content := "unreadable: " + fmt.Sprint(err)
	if err == nil {
		content = rules.ContentDigest(files)
	}
	if !l.worthLoading(content, start, force) {
		return false, nil
	}
	var rs *RuleSet
	if err == nil {
		rs, err = l.cache.Compile(files) // examples checked too
	}
	digest := "" // of the price-list files read, as a rule set built of them has
	if files != nil {
		digest = rules.Digest(files)
	}
	res := ReloadResult{Digest: digest, Err: err, Duration: time.Since(start), Trigger: trigger, Cache: l.cache.Stats()}
	old := l.current.Load()
	l.statusMu.Lock()
	l.status.LastAttempt = start
	if err != nil {
		l.status.LastError = err.Error()
		l.status.Failures++
		l.failed = content
	} else {
		l.current.Store(rs)
		l.liveContent = content
		l.status.LastError = ""
		l.status.Digest = rs.Digest
		l.status.LoadedAt = time.Now()
		l.status.Versions = make(map[string]string, len(l.status.Versions))
		for _, pl := range rs.Lists() {
			l.status.Versions[pl.Rules.Name] = pl.Rules.Version
		}
		if trigger != "start" {
			l.status.Reloads++
		}
		l.failed = ""
	}
	subscribers := append([]func(ReloadResult){l.opts.OnReload}, l.subscribers...)
	l.statusMu.Unlock()
	l.log(res)
	if err == nil && old != nil {
		l.logDropped(old, rs)
	}
	for _, f := range subscribers {
		if f != nil {
			f(res)
		}
	}
	return true, err
}

// worthLoading notes an attempt at start and tells whether content is new:
// neither live already nor, unless force, known to fail. Content that is
// live already clears the last error: the files on disk match the live
// rules again (a bad edit undone).
func (l *Live) worthLoading(content string, start time.Time, force bool) bool {
	l.statusMu.Lock()
	defer l.statusMu.Unlock()
	l.status.LastAttempt = start
	if content == l.liveContent {
		if l.status.LastError != "" {
			l.status.LastError, l.failed = "", ""
			l.logRecovered()
		}
		return false
	}
	return force || content != l.failed
}

// logRecovered notes that the files on disk are the live rules again.
func (l *Live) logRecovered() {
	if l.opts.Logger != nil {
		l.opts.Logger.Info("rule files match the live rules again; the last reload error is cleared", "dir", l.dir)
	}
}

// logDropped warns of price lists a reload removed (a rule file deleted):
// their quotes now fail as unknown lists. Removing a file is a legitimate
// change, so the reload stands; the warning and the price-list metric are
// what an operator alerts on.
func (l *Live) logDropped(old, now *RuleSet) {
	if l.opts.Logger == nil {
		return
	}
	for _, pl := range old.Lists() {
		if _, err := now.List(pl.Rules.Name); err != nil {
			l.opts.Logger.Warn("a reload removed a price list; its quotes now fail as unknown", "dir", l.dir, "list", pl.Rules.Name)
		}
	}
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
	l.opts.Logger.Info("rules reloaded", append(attrs, "lists", res.Cache.Lists, "compiled", res.Cache.Compiled, "files_parsed", res.Cache.Parsed)...)
}

// CheckExamples runs every example of the rule set and returns an error
// listing the failing ones, each at its position, or nil.
func (rs *RuleSet) CheckExamples() error {
	return Failures(rs.RunExamples()).Err()
}

// checkNewExamples is CheckExamples for a rule set built through a cache:
// the examples of the lists it compiled, and every case of the test files
// (a list from the cache passed its examples when it was compiled, and its
// examples are part of its content).
func (rs *RuleSet) checkNewExamples() error {
	var results []*ExampleResult
	for _, l := range rs.fresh {
		results = append(results, l.RunExamples()...)
	}
	return Failures(append(results, rs.RunTests()...)).Err()
}

// Failures lists the examples of results that did not pass, each at its
// position, with why.
func Failures(results []*ExampleResult) rules.ErrorList {
	var errs rules.ErrorList
	for _, res := range results {
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
		why = append(why, res.LineDiff...)
		errs.Add(res.Example.Pos, "example %q fails: %s", res.Example.Name, strings.Join(why, "; "))
	}
	return errs
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

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"ratecard/engine"
	"ratecard/server"
)

// serveConfig is what `ratecard serve` runs with.
type serveConfig struct {
	rulesDir   string
	debounce   time.Duration
	poll       time.Duration
	adminToken string // "" for none
	noAdmin    bool
	maxConns   int
	noStudio   bool
	samples    []string
}

// fileList is a flag given once per file.
type fileList []string

func (l *fileList) String() string     { return strings.Join(*l, ",") }
func (l *fileList) Set(s string) error { *l = append(*l, s); return nil }

// idleTimeout closes a keep-alive connection left idle this long, so that
// idle clients cannot hold connections (and the -max-conns slots) for ever.
const idleTimeout = 30 * time.Second

func runServe(c *command, args []string) int {
	addr := c.flags.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	debounce := c.flags.Duration("debounce", engine.DefaultDebounce, "quiet `period` after a file change before reloading")
	poll := c.flags.Duration("poll", 0, "check the files every `interval` instead of watching for changes (for file systems without change events)")
	tokenFile := c.flags.String("admin-token", "", "require the bearer token in `FILE` for admin endpoints (POST /-/reload)")
	noAdmin := c.flags.Bool("no-admin", false, "serve no admin endpoints (POST /-/reload answers 404; SIGHUP still reloads)")
	maxConns := c.flags.Int("max-conns", 1000, "serve at most `N` connections at once; more wait to be accepted")
	studio := c.flags.Bool("studio", true, "serve the studio, the page for pricing staff, at /")
	var samples fileList
	c.flags.Var(&samples, "sample", "offer the usage `FILE` (CSV, or JSON lines) to the studio's what-if; repeat for more")
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	cfg := serveConfig{rulesDir: *c.rulesDir, debounce: *debounce, poll: *poll, noAdmin: *noAdmin, maxConns: *maxConns, noStudio: !*studio, samples: samples}
	if cfg.rulesDir == "" {
		cfg.rulesDir = "rules.d"
	}
	if info, err := os.Stat(cfg.rulesDir); err != nil || !info.IsDir() {
		return c.fail(fmt.Errorf("serve watches a rule directory, and %s is none: give -rules DIR", cfg.rulesDir))
	}
	if *tokenFile != "" {
		data, err := os.ReadFile(*tokenFile)
		if err != nil {
			return c.fail(fmt.Errorf("-admin-token: %w", err))
		}
		if cfg.adminToken = strings.TrimSpace(string(data)); cfg.adminToken == "" {
			return c.fail(fmt.Errorf("-admin-token: %s is empty", *tokenFile))
		}
	}
	for _, f := range cfg.samples {
		if info, err := os.Stat(f); err != nil || !info.Mode().IsRegular() {
			return c.fail(fmt.Errorf("-sample %s: not a readable file", f))
		}
	}
	if cfg.maxConns < 1 {
		return c.usageError("-max-conns must be at least 1")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return c.fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := serve(ctx, cfg, ln, c.stderr); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// serve answers HTTP requests on ln with the live rules of cfg.rulesDir
// until ctx ends, then lets in-flight requests finish. SIGHUP reloads.
func serve(ctx context.Context, cfg serveConfig, ln net.Listener, logOut interface{ Write([]byte) (int, error) }) error {
	logger := slog.New(slog.NewJSONHandler(logOut, nil))
	live, err := engine.NewLive(cfg.rulesDir, engine.LiveOptions{Debounce: cfg.debounce, Poll: cfg.poll, Logger: logger})
	if err != nil {
		ln.Close()
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	api, err := server.New(live, server.Options{Logger: logger, Registerer: reg, Gatherer: reg, AdminToken: cfg.adminToken, NoAdmin: cfg.noAdmin, NoStudio: cfg.noStudio, Samples: cfg.samples})
	if err != nil {
		ln.Close()
		return err
	}
	if !cfg.noAdmin && cfg.adminToken == "" && !isLoopback(ln.Addr()) {
		logger.Warn("listening beyond this machine with an unprotected admin endpoint: anyone who reaches the port can POST /-/reload; use -admin-token FILE or -no-admin",
			"addr", ln.Addr().String())
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	watchDone := make(chan error, 1)
	go func() { watchDone <- live.Watch(ctx) }()

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				_ = live.ReloadFrom("signal")
			}
		}
	}()

	if cfg.maxConns == 0 {
		cfg.maxConns = 1000
	}
	srv := &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       idleTimeout,
	}
	serveDone := make(chan error, 1)
	go func() { serveDone <- srv.Serve(limitListener(ln, cfg.maxConns)) }()
	logger.Info("serving", "addr", ln.Addr().String(), "rules", cfg.rulesDir, "digest", live.Status().Digest)

	select {
	case err := <-serveDone:
		return err
	case err := <-watchDone:
		if ctx.Err() == nil {
			srv.Close()
			return fmt.Errorf("watching the rules: %w", err)
		}
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight")
	shutdownCtx, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-serveDone; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// isLoopback reports whether a listening address is reachable from this
// machine only.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

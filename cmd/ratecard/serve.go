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
	"syscall"
	"time"

	"ratecard/engine"
)

// serveConfig is what `ratecard serve` runs with.
type serveConfig struct {
	rulesDir string
	debounce time.Duration
	poll     time.Duration
}

func runServe(c *command, args []string) int {
	addr := c.flags.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	debounce := c.flags.Duration("debounce", engine.DefaultDebounce, "quiet `period` after a file change before reloading")
	poll := c.flags.Duration("poll", 0, "check the files every `interval` instead of watching for changes (for file systems without change events)")
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	cfg := serveConfig{rulesDir: *c.rulesDir, debounce: *debounce, poll: *poll}
	if cfg.rulesDir == "" {
		cfg.rulesDir = "rules.d"
	}
	if info, err := os.Stat(cfg.rulesDir); err != nil || !info.IsDir() {
		return c.fail(fmt.Errorf("serve watches a rule directory, and %s is none: give -rules DIR", cfg.rulesDir))
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
	m := newMetrics()
	live, err := engine.NewLive(cfg.rulesDir, engine.LiveOptions{
		Debounce: cfg.debounce, Poll: cfg.poll, Logger: logger, OnReload: m.reloaded,
	})
	if err != nil {
		ln.Close()
		return err
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

	srv := &http.Server{
		Handler:           newServer(live, m, logger),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
	}
	serveDone := make(chan error, 1)
	go func() { serveDone <- srv.Serve(ln) }()
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

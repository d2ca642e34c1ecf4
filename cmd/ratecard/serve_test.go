package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"ratecard/internal/wait"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ratecard/engine"
)

// apiFile is a price list for the serve tests, charging price per call.
func apiFile(price int) string {
	return fmt.Sprintf(`name: api
version: "%d"
meters:
  usd: {places: 2}
inputs:
  calls: {type: whole, min: 0, default: 0}
  per: {type: whole, min: 0, default: 1}
rates:
  - name: calls
    meter: usd
    amount: calls * %d / per
examples:
  - name: ten calls
    input: {calls: 10}
    totals: {usd: %d}
`, price, price, price*10)
}

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `ratecard serve` in-process on a loopback port.
func startServe(t testing.TB, dir string) (base string, logs *syncBuffer) {
	return startServeWith(t, serveConfig{rulesDir: dir, debounce: 10 * time.Millisecond})
}

func startServeWith(t testing.TB, cfg serveConfig) (base string, logs *syncBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, ln, logs) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	base = "http://" + ln.Addr().String()
	wait.Until(t, "the server answers", func() bool {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		default:
		}
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	return base, logs
}

func call(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func usd(t *testing.T, base string) string {
	t.Helper()
	code, body := call(t, "POST", base+"/v1/quote", `{"input": {"calls": 10}}`)
	if code != 200 {
		t.Fatalf("quote: %d %s", code, body)
	}
	var q struct {
		Totals map[string]string `json:"totals"`
	}
	if err := json.Unmarshal([]byte(body), &q); err != nil {
		t.Fatal(err)
	}
	return q.Totals["usd"]
}

// TestServeSIGHUP: with polling too slow to notice, only SIGHUP can load
// the edited file, through the same reload path.
func TestServeSIGHUP(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "api.yaml")
	if err := os.WriteFile(path, []byte(apiFile(2)), 0o644); err != nil {
		t.Fatal(err)
	}
	base, logs := startServeWith(t, serveConfig{rulesDir: dir, poll: time.Hour})
	if err := os.WriteFile(path, []byte(apiFile(6)), 0o644); err != nil {
		t.Fatal(err)
	}
	// Polling hourly, nothing but the signal can load the edit.
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, "SIGHUP reloads", func() bool { return usd(t, base) == "60.00" })
	if !strings.Contains(logs.String(), `"trigger":"signal"`) {
		t.Errorf("the log does not name the signal:\n%s", logs)
	}
}

// BenchmarkServe prices the same request through the HTTP API on loopback
// and through the engine directly, in the same run: the difference is what
// HTTP and JSON add per quote. http-parallel shows the throughput of both
// cores.
func BenchmarkServe(b *testing.B) {
	base, _ := startServe(b, "../../rules.d")
	const body = `{"list": "video-credits", "input": {"action": "create", "duration": "90", "actor": "library"}}`
	postTo := func(client *http.Client, url, body string) {
		resp, err := client.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	post := func(client *http.Client) { postTo(client, base+"/v1/quote", body) }
	b.Run("engine", func(b *testing.B) {
		rs, err := engine.LoadDir("../../rules.d")
		if err != nil {
			b.Fatal(err)
		}
		req := engine.Request{"action": "create", "duration": "90", "actor": "library"}
		for b.Loop() {
			if _, err := rs.Quote("video-credits", req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("http", func(b *testing.B) {
		client := &http.Client{}
		for b.Loop() {
			post(client)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "quotes/s")
	})
	// A batch of 100 of the same request in one call (POST /v1/quotes):
	// its quotes/s beside http's is what batching buys over loopback.
	batch := `{"requests": [` + strings.TrimSuffix(strings.Repeat(body+",", 100), ",") + `]}`
	b.Run("http-batch-100", func(b *testing.B) {
		client := &http.Client{}
		for b.Loop() {
			postTo(client, base+"/v1/quotes", batch)
		}
		b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "quotes/s")
	})
	// A bare net/http handler answering a fixed quote-sized JSON body, over
	// the same loopback with the same client: the limit of net/http that
	// ratecard's http-parallel is measured against.
	b.Run("bare-parallel", func(b *testing.B) {
		answer := []byte(`{"list":"video-credits","totals":{"credits":"45.00","video_minutes":"0.00"},"lines":[{"rate":"generative","meter":"credits","amount":"30.00"},{"rate":"actor","meter":"credits","amount":"15.00"}],"ruleset":{"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","version":"2026-11-25"}}`)
		bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(answer)
		}))
		defer bare.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				postTo(client, bare.URL, body)
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "quotes/s")
	})
	b.Run("http-parallel", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				post(client)
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "quotes/s")
	})
}

// TestReadmeCurlExamples sends each "$ curl" example of the README to a
// server of the shipped rules and compares the JSON answer with the one
// the README shows (digests compared as "sha256:…").
func TestReadmeCurlExamples(t *testing.T) {
	base, _ := startServe(t, "../../rules.d")
	n := 0
	for _, block := range readmeBlocks(t, "sh") {
		for _, ex := range strings.Split(block, "$ ")[1:] {
			command, want, _ := strings.Cut(ex, "\n")
			if !strings.HasPrefix(command, "curl ") {
				continue
			}
			n++
			method, url, body := parseCurl(t, command)
			code, got := call(t, method, strings.Replace(url, "localhost:8080", strings.TrimPrefix(base, "http://"), 1), body)
			if code >= 500 {
				t.Errorf("%s: status %d", command, code)
			}
			// Exactly as printed, but for the digest.
			got = regexp.MustCompile(`sha256:[0-9a-f]{64}`).ReplaceAllString(got, "sha256:…")
			if strings.TrimSpace(got) != strings.TrimSpace(want) {
				t.Errorf("%s:\n got %s\nwant %s", command, got, want)
			}
		}
	}
	if n < 2 {
		t.Fatalf("found %d curl examples in the README", n)
	}
}

// parseCurl reads the few curl options the README uses: -s, -X METHOD,
// -d 'BODY' and the URL.
func parseCurl(t *testing.T, command string) (method, url, body string) {
	method = "GET"
	rest := strings.TrimPrefix(command, "curl ")
	for rest != "" {
		rest = strings.TrimSpace(rest)
		var word string
		if strings.HasPrefix(rest, "'") {
			end := strings.Index(rest[1:], "'")
			word, rest = rest[1:end+1], rest[end+2:]
		} else {
			word, rest, _ = strings.Cut(rest, " ")
		}
		switch {
		case word == "-s":
		case word == "-X":
			method, rest, _ = strings.Cut(strings.TrimSpace(rest), " ")
		case word == "-d":
			rest = strings.TrimSpace(rest)
			end := strings.Index(rest[1:], "'")
			body, rest = rest[1:end+1], rest[end+2:]
			if method == "GET" {
				method = "POST"
			}
		case strings.HasPrefix(word, "localhost"):
			url = "http://" + word
		default:
			t.Fatalf("curl option %q is not understood by the README test", word)
		}
	}
	return method, url, body
}

// TestServeMaxConns: idle connections held a goroutine each, without
// bound. With -max-conns 2, two idle connections leave a third client
// waiting until one closes.
func TestServeMaxConns(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "api.yaml"), []byte(apiFile(2)), 0o644); err != nil {
		t.Fatal(err)
	}
	base, _ := startServeWith(t, serveConfig{rulesDir: dir, maxConns: 2})
	addr := strings.TrimPrefix(base, "http://")
	var idle []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		idle = append(idle, c)
	}
	// startServeWith's health check may still hold a slot for a moment.
	client := &http.Client{Timeout: 300 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	wait.Until(t, "both slots held by the idle connections", func() bool {
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err != nil
	})
	idle[0].Close()
	client.Timeout = 5 * time.Second
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatalf("a slot freed, yet: %v", err)
	}
	resp.Body.Close()
}

// TestServeWarnsOfAnOpenAdminEndpoint: listening beyond loopback with
// /-/reload unprotected is logged as a warning.
func TestServeWarnsOfAnOpenAdminEndpoint(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "api.yaml"), []byte(apiFile(2)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cfg  serveConfig
		warn bool
	}{
		{serveConfig{rulesDir: dir}, true},
		{serveConfig{rulesDir: dir, adminToken: "t"}, false},
		{serveConfig{rulesDir: dir, noAdmin: true}, false},
	} {
		ln, err := net.Listen("tcp", "0.0.0.0:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		logs := &syncBuffer{}
		done := make(chan error, 1)
		go func() { done <- serve(ctx, c.cfg, ln, logs) }()
		wait.Until(t, "serving", func() bool { return strings.Contains(logs.String(), `"msg":"serving"`) })
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(logs.String(), "unprotected admin endpoint"); got != c.warn {
			t.Errorf("%+v: warned %v:\n%s", c.cfg, got, logs)
		}
	}
}

// TestServeGracefulShutdown: a request in flight when the server is told
// to stop (as by SIGTERM) still gets its answer.
func TestServeGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "api.yaml"), []byte(apiFile(2)), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, serveConfig{rulesDir: dir}, ln, io.Discard) }()
	base := "http://" + ln.Addr().String()
	wait.Until(t, "the server answers", func() bool {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})

	body, writer := io.Pipe()
	answer := make(chan string, 1)
	go func() {
		resp, err := http.Post(base+"/v1/quote", "application/json", body)
		if err != nil {
			answer <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answer <- fmt.Sprint(resp.StatusCode, " ", string(b))
	}()
	fmt.Fprint(writer, `{"input": {"calls": `) // half a request is in flight
	time.Sleep(50 * time.Millisecond)
	cancel()
	time.Sleep(50 * time.Millisecond)
	fmt.Fprint(writer, `10}}`)
	writer.Close()
	if got := <-answer; !strings.HasPrefix(got, "200 ") || !strings.Contains(got, `"usd": "20.00"`) {
		t.Errorf("the request in flight got %s", got)
	}
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
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
	waitUntil(t, "the server answers", func() bool {
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

func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
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

// TestServeEndToEnd quotes over HTTP, edits the rule file and sees the new
// price, breaks it and sees the old price with the error in /v1/rules and
// /metrics, fixes it and sees it recover.
func TestServeEndToEnd(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "api.yaml")
	write := func(text string) { // whole, by rename, so that no half-written state is seen
		tmp := filepath.Join(dir, ".api.yaml.tmp")
		if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	write(apiFile(2))
	base, logs := startServe(t, dir)

	if got := usd(t, base); got != "20.00" {
		t.Fatalf("10 calls at 2 = %s", got)
	}
	write(apiFile(3))
	waitUntil(t, "the new price is live", func() bool { return usd(t, base) == "30.00" })

	write(strings.Replace(apiFile(4), "calls * 4", "callz * 4", 1))
	waitUntil(t, "the broken file's error shows", func() bool {
		_, body := call(t, "GET", base+"/v1/rules", "")
		return strings.Contains(body, `unknown name \"callz\"`)
	})
	if got := usd(t, base); got != "30.00" {
		t.Errorf("broken rules served: %s, want the last good 30.00", got)
	}
	_, rules := call(t, "GET", base+"/v1/rules", "")
	for _, want := range []string{`"api": "3"`, `"lists": [`, filepath.Join(dir, "api.yaml") + `:11:13`} {
		if !strings.Contains(rules, want) {
			t.Errorf("/v1/rules lacks %s:\n%s", want, rules)
		}
	}
	// Metrics are updated just after the status: wait for them too.
	var metrics string
	waitUntil(t, "the metrics count the failure", func() bool {
		_, metrics = call(t, "GET", base+"/metrics", "")
		return strings.Contains(metrics, "ratecard_last_reload_successful 0")
	})
	for _, want := range []string{
		"ratecard_last_reload_successful 0", `ratecard_reloads_total{result="failure"} 1`,
		`ratecard_reloads_total{result="success"} 2`, `ratecard_quotes_total{list="api",result="ok"}`,
		"ratecard_quote_duration_seconds_bucket", "ratecard_last_reload_success_timestamp_seconds", `ratecard_rules_info{digest="sha256:`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	code, body := call(t, "POST", base+"/-/reload", "")
	if code != 422 || !strings.Contains(body, "callz") {
		t.Errorf("reload of broken rules: %d %s", code, body)
	}

	write(apiFile(5))
	waitUntil(t, "recovery", func() bool { return usd(t, base) == "50.00" })
	waitUntil(t, "the metrics show the recovery", func() bool {
		_, metrics = call(t, "GET", base+"/metrics", "")
		return strings.Contains(metrics, "ratecard_last_reload_successful 1")
	})
	code, body = call(t, "POST", base+"/-/reload", "")
	if code != 200 || !strings.Contains(body, `"api": "5"`) {
		t.Errorf("reload of good rules: %d %s", code, body)
	}
	if l := logs.String(); !strings.Contains(l, `"msg":"rules reloaded"`) || !strings.Contains(l, `"msg":"rules reload failed; the last good rules keep serving"`) {
		t.Errorf("logs lack the reloads:\n%s", l)
	}
}

func TestServeBadRequests(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "api.yaml"), []byte(apiFile(2)), 0o644); err != nil {
		t.Fatal(err)
	}
	base, _ := startServe(t, dir)
	tests := []struct {
		method, path, body string
		code               int
		want               string
	}{
		{"POST", "/v1/quote", `{"input": {"calls": 10}`, 400, "malformed JSON body"},
		{"POST", "/v1/quote", `{"input": {"calls": 10}, "extra": 1}`, 400, `unknown field \"extra\"`},
		{"POST", "/v1/quote", `{"list": "apx", "input": {}}`, 404, `"list": "apx"`},
		{"POST", "/v1/quote", `{"input": {"cals": 10}}`, 400, `"input": "cals"`},
		{"POST", "/v1/quote", `{"input": {"calls": "ten"}}`, 400, `"input": "calls"`},
		{"POST", "/v1/quote", `{"input": {"calls": 1.5}}`, 400, "calls must be a whole number"},
		{"POST", "/v1/quote", `{"input": {"calls": -1}}`, 400, "calls must be at least 0"},
		{"POST", "/v1/quote", `{"input": {"calls": null}}`, 400, "calls must be a number, not null"},
		{"POST", "/v1/quote", `{"input": {"per": 0}}`, 422, "rate calls: division by zero"},
		{"POST", "/v1/quote", `{"input": {"calls": "` + strings.Repeat("1", 2<<20) + `"}}`, 413, "over 1 MiB"},
		{"POST", "/v1/quote", `{"list": "api", "input": {"calls": 10.0}}`, 200, `"usd": "20.00"`},
		{"POST", "/v1/explain", `{"input": {"calls": 3}}`, 200, `"expr": "calls * 2 / per"`},
		{"GET", "/v1/quote", ``, 405, ""},
		{"GET", "/healthz", ``, 200, `"ok"`},
		{"GET", "/readyz", ``, 200, `"ready"`},
	}
	for _, tt := range tests {
		code, body := call(t, tt.method, base+tt.path, tt.body)
		if code != tt.code || !strings.Contains(body, tt.want) {
			short := tt.body
			if len(short) > 60 {
				short = short[:60] + "..."
			}
			t.Errorf("%s %s %s: %d %s; want %d with %s", tt.method, tt.path, short, code, body, tt.code, tt.want)
		}
	}
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
	time.Sleep(50 * time.Millisecond)
	if got := usd(t, base); got != "20.00" {
		t.Fatalf("reloaded without a signal: %s", got)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "SIGHUP reloads", func() bool { return usd(t, base) == "60.00" })
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
	post := func(client *http.Client) {
		resp, err := client.Post(base+"/v1/quote", "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
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
			if g, w := normalJSON(t, got), normalJSON(t, want); g != w {
				t.Errorf("%s:\n got %s\nwant %s", command, g, w)
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

func normalJSON(t *testing.T, text string) string {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, text)
	}
	var walk func(any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				v[k] = walk(x)
			}
		case []any:
			for i, x := range v {
				v[i] = walk(x)
			}
		case string:
			if strings.HasPrefix(v, "sha256:") {
				return "sha256:…"
			}
		}
		return v
	}
	b, _ := json.Marshal(walk(v))
	return string(b)
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
	waitUntil(t, "the server answers", func() bool {
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

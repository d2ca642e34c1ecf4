package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"ratecard/internal/wait"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"ratecard/engine"
)

// apiFile is a price list for the tests, charging price per call.
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

// writeRules saves a rule file whole, by rename, so that no half-written
// state is seen.
func writeRules(t *testing.T, dir, name, text string) {
	t.Helper()
	tmp := filepath.Join(dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

// start serves the live rules of a new directory holding api.yaml at
// price 2, watched until the test ends, through httptest.
func start(t *testing.T, opts Options) (base, dir string, live *engine.Live) {
	t.Helper()
	dir = t.TempDir()
	writeRules(t, dir, "api.yaml", apiFile(2))
	live, err := engine.NewLive(dir, engine.LiveOptions{Debounce: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- live.Watch(ctx) }()
	api, err := New(live, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	t.Cleanup(func() {
		srv.Close()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Watch: %v", err)
		}
	})
	return srv.URL, dir, live
}

func call(t *testing.T, method, url, body string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
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

// status reads /v1/rules.
func status(t *testing.T, base string) (st struct {
	engine.Status
	Lists []string `json:"lists"`
}) {
	t.Helper()
	_, body := call(t, "GET", base+"/v1/rules", "")
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return st
}

func scrape(t *testing.T, base string) string {
	t.Helper()
	_, body := call(t, "GET", base+"/metrics", "")
	return body
}

// TestEndToEnd quotes over HTTP, edits the rule file and sees the new
// price, breaks it and sees the old price with the error in /v1/rules and
// /metrics, fixes it and sees it recover. /v1/rules and the metrics read
// the same status: they said 0 and 1 reloads at start.
func TestEndToEnd(t *testing.T) {
	base, dir, _ := start(t, Options{})
	if got := usd(t, base); got != "20.00" {
		t.Fatalf("10 calls at 2 = %s", got)
	}
	if st, m := status(t, base), scrape(t, base); st.Reloads != 0 || !strings.Contains(m, `ratecard_reloads_total{result="success"} 0`) {
		t.Errorf("at start: /v1/rules says %d reloads; metrics:\n%s", st.Reloads, grep(m, "ratecard_reloads_total"))
	}
	writeRules(t, dir, "api.yaml", apiFile(3))
	wait.Until(t, "the new price is live", func() bool { return usd(t, base) == "30.00" })

	writeRules(t, dir, "api.yaml", strings.Replace(apiFile(4), "calls * 4", "callz * 4", 1))
	wait.Until(t, "the broken file's error shows", func() bool { return status(t, base).LastError != "" })
	if got := usd(t, base); got != "30.00" {
		t.Errorf("broken rules served: %s, want the last good 30.00", got)
	}
	st := status(t, base)
	if st.LastError != `api.yaml:11:13: unknown name "callz" (did you mean "calls"?)` || st.Versions["api"] != "3" || len(st.Lists) != 1 {
		t.Errorf("/v1/rules: %+v", st)
	}
	m := scrape(t, base)
	for _, want := range []string{
		"ratecard_last_reload_successful 0", `ratecard_reloads_total{result="failure"} 1`,
		`ratecard_reloads_total{result="success"} 1`, `ratecard_quotes_total{list="api",result="ok"}`,
		"ratecard_quote_duration_seconds_bucket", "ratecard_last_reload_success_timestamp_seconds", `ratecard_rules_info{digest="sha256:`,
		`ratecard_price_lists{list="api",version="3"} 1`, "ratecard_watch_errors_total 0", "ratecard_reload_duration_seconds_count 2",
		"go_goroutines",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	code, body := call(t, "POST", base+"/-/reload", "")
	if code != 422 || !strings.Contains(body, "callz") || strings.Contains(body, dir) {
		t.Errorf("reload of broken rules: %d %s", code, body)
	}

	writeRules(t, dir, "api.yaml", apiFile(5))
	wait.Until(t, "recovery", func() bool { return usd(t, base) == "50.00" })
	if m := scrape(t, base); !strings.Contains(m, "ratecard_last_reload_successful 1") || !strings.Contains(m, `ratecard_reloads_total{result="success"} 2`) {
		t.Errorf("metrics after recovery:\n%s", grep(m, "ratecard_"))
	}
	code, body = call(t, "POST", base+"/-/reload", "")
	if code != 200 || !strings.Contains(body, `"api": "5"`) {
		t.Errorf("reload of good rules: %d %s", code, body)
	}

	// A second list, then its file deleted: the list leaves the metrics.
	writeRules(t, dir, "other.yaml", strings.Replace(apiFile(1), "name: api", "name: other", 1))
	wait.Until(t, "the second list", func() bool {
		return strings.Contains(scrape(t, base), `ratecard_price_lists{list="other",version="1"} 1`)
	})
	if err := os.Remove(filepath.Join(dir, "other.yaml")); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, "the list gone from the metrics", func() bool { return !strings.Contains(scrape(t, base), `list="other"`) })
}

// grep returns the lines of text holding word.
func grep(text, word string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, word) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func TestBadRequests(t *testing.T) {
	base, _, _ := start(t, Options{})
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
		{"POST", "/v1/quote", `{"input": {"calls": 1}} {}`, 400, "more than one JSON value"},
		{"POST", "/v1/quote", `[1]`, 400, `\"[\" where an object {...} belongs`},
		{"POST", "/v1/quote", `{"input": null}`, 200, `"usd": "0.00"`},
		{"POST", "/v1/explain", `{"input": {"calls": 3}}`, 200, `"expr": "calls * 2 / per"`},
		// A key given twice was merged, the last one winning; field names
		// matched in any case.
		{"POST", "/v1/quote", `{"input": {"calls": 1, "calls": 900}}`, 400, `key \"calls\" is given twice`},
		{"POST", "/v1/quote", `{"input": {"calls": 1}, "input": {"per": 2}}`, 400, `key \"input\" is given twice`},
		{"POST", "/v1/quote", `{"Input": {"calls": 1}}`, 400, `unknown field \"Input\"`},
		{"POST", "/v1/quote", `{"LIST": "api"}`, 400, `unknown field \"LIST\"`},
		// Every error is JSON, the router's too.
		{"GET", "/v1/quote", ``, 405, `"error": "/v1/quote takes POST, not GET"`},
		{"GET", "/nowhere", ``, 404, `"error": "no such endpoint: /nowhere"`},
		{"GET", "/healthz", ``, 200, `"ok"`},
		{"GET", "/readyz", ``, 200, `"ready"`},
	}
	for _, tt := range tests {
		code, body := call(t, tt.method, base+tt.path, tt.body)
		if code != tt.code || !strings.Contains(body, tt.want) || !json.Valid([]byte(body)) {
			short := tt.body
			if len(short) > 60 {
				short = short[:60] + "..."
			}
			t.Errorf("%s %s %s: %d %s; want %d with %s", tt.method, tt.path, short, code, body, tt.code, tt.want)
		}
	}
}

// TestAdmin: /-/reload needed no credentials, and errors put whole files
// into /v1/rules with their absolute paths (a passwd.yaml linking to
// /etc/passwd showed its contents to anyone who could reach the port).
func TestAdmin(t *testing.T) {
	base, dir, _ := start(t, Options{AdminToken: "s3cret"})
	if code, body := call(t, "POST", base+"/-/reload", ""); code != 401 || !strings.Contains(body, "Authorization: Bearer") {
		t.Errorf("no token: %d %s", code, body)
	}
	if code, _ := call(t, "POST", base+"/-/reload", "", "Authorization", "Bearer wrong"); code != 401 {
		t.Errorf("a wrong token: %d", code)
	}
	if code, body := call(t, "POST", base+"/-/reload", "", "Authorization", "Bearer s3cret"); code != 200 {
		t.Errorf("the token: %d %s", code, body)
	}

	secret := filepath.Join(t.TempDir(), "passwd")
	lines := strings.Repeat("root:x:0:0:root:/root:/bin/bash with a long line of secrets that goes on and on\n", 500)
	if err := os.WriteFile(secret, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "passwd.yaml")); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, "the error", func() bool { return status(t, base).LastError != "" })
	st := status(t, base)
	if strings.Contains(st.LastError, dir) || !strings.HasPrefix(st.LastError, "passwd.yaml:") || len(st.LastError) > 4*maxErrorLine {
		t.Errorf("last error shows too much (%d bytes): %.300s", len(st.LastError), st.LastError)
	}

	base, _, _ = start(t, Options{NoAdmin: true})
	if code, _ := call(t, "POST", base+"/-/reload", ""); code != 404 {
		t.Errorf("admin off: /-/reload answered %d", code)
	}
}

// TestEmbedded mounts the API under a prefix of a service's own mux, with
// the metrics on the service's registry; registering twice is an error,
// not a panic.
func TestEmbedded(t *testing.T) {
	dir := t.TempDir()
	writeRules(t, dir, "api.yaml", apiFile(2))
	live, err := engine.NewLive(dir, engine.LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	api, err := New(live, Options{Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/pricing/", http.StripPrefix("/pricing", api))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	if got := usd(t, srv.URL+"/pricing"); got != "20.00" {
		t.Errorf("quote under /pricing: %s", got)
	}
	if code, _ := call(t, "GET", srv.URL+"/pricing/metrics", ""); code != 404 {
		t.Errorf("/metrics served without a Gatherer: %d", code)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range families {
		found = found || f.GetName() == "ratecard_quotes_total"
	}
	if !found {
		t.Error("the quote counter is not on the caller's registry")
	}
	if _, err := New(live, Options{Registerer: reg}); err == nil {
		t.Error("registering the metrics twice did not fail")
	}
}

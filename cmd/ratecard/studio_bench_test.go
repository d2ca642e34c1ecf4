package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// BenchmarkStudio measures what the studio waits for, through `serve`
// over loopback: the form's quote (POST /v1/explain, each keystroke once
// debounced), a check of a draft of the shipped video-credits file (POST
// /v1/check: load beside the other files, the examples and test cases,
// the invariants over 200 sampled requests), and the what-if of the
// generative rate at 25 credits a minute over the 3,000-record sample
// (POST /v1/diff with the plots).
func BenchmarkStudio(b *testing.B) {
	base, _ := startServeWith(b, serveConfig{rulesDir: "../../rules.d", debounce: 10 * time.Millisecond,
		samples: []string{"../../testdata/usage/video-credits-sample.csv"}})
	live, err := os.ReadFile("../../rules.d/video-credits.yaml")
	if err != nil {
		b.Fatal(err)
	}
	draft := strings.Replace(string(live), "amount: billed * 20 / 60", "amount: billed * 25 / 60", 1)
	text, _ := json.Marshal(draft)
	client := &http.Client{}
	post := func(b *testing.B, path, body, want string) {
		resp, err := client.Post(base+path, "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(got), want) {
			b.Fatalf("%s: %d %.300s", path, resp.StatusCode, got)
		}
	}
	b.Run("explain", func(b *testing.B) {
		for b.Loop() {
			post(b, "/v1/explain", `{"list": "video-credits", "input": {"action": "create", "duration": "90", "actor": "library"}}`, `"credits": "45.00"`)
		}
	})
	b.Run("check-draft", func(b *testing.B) {
		body := `{"file": "video-credits.yaml", "text": ` + string(text) + `}`
		for b.Loop() {
			post(b, "/v1/check", body, `"passed": false`)
		}
	})
	b.Run("what-if-sample", func(b *testing.B) {
		body := `{"file": "video-credits.yaml", "text": ` + string(text) + `, "sample": "video-credits-sample.csv", "group_by": "plan", "plot": true}`
		for b.Loop() {
			post(b, "/v1/diff", body, `"change": "14575.20"`)
		}
	})
}

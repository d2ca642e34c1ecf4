package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ratecard/internal/genlists"
)

// BenchmarkStudio measures what the studio waits for, through `serve`
// over loopback: the form's quote (POST /v1/explain, each keystroke once
// debounced), a check of a draft of the shipped video-credits file (POST
// /v1/check: load beside the other files, the examples and test cases,
// the invariants over 200 sampled requests), and the what-if of the
// generative rate at 25 credits a minute over the 3,000-record sample
// (POST /v1/diff with the plots); and a check of a draft of one list in
// a directory of 1,000 (generated copies of 50 rates), a keystroke after
// the last.
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
		// Each check a keystroke later: the draft's text, and so its
		// digest, differs from the last one's.
		for i := 0; b.Loop(); i++ {
			text, _ := json.Marshal(draft + fmt.Sprintf("# keystroke %d\n", i))
			post(b, "/v1/check", `{"file": "video-credits.yaml", "text": `+string(text)+`}`, `"passed": false`)
		}
	})
	b.Run("check-draft-of-1000-lists", func(b *testing.B) {
		// Written an hour ago, as a served directory is: a file modified
		// within the reader's racy window is read again at every look.
		dir, old := b.TempDir(), time.Now().Add(-time.Hour)
		for _, f := range genlists.Lists(live, 1000, 50) {
			path := filepath.Join(dir, f.Path)
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				b.Fatal(err)
			}
			if err := os.Chtimes(path, old, old); err != nil {
				b.Fatal(err)
			}
		}
		many, _ := startServeWith(b, serveConfig{rulesDir: dir, debounce: 10 * time.Millisecond})
		list, err := os.ReadFile(filepath.Join(dir, "list-0500.yaml"))
		if err != nil {
			b.Fatal(err)
		}
		check := func(i int) {
			text, _ := json.Marshal(strings.Replace(string(list), "amount: billed * 20 / 60", "amount: billed * 25 / 60", 1) + fmt.Sprintf("# keystroke %d\n", i))
			resp, err := client.Post(many+"/v1/check", "application/json", strings.NewReader(`{"file": "list-0500.yaml", "text": `+string(text)+`}`))
			if err != nil {
				b.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(got), `"list-0500"`) {
				b.Fatalf("%d %.300s", resp.StatusCode, got)
			}
		}
		check(-1) // the first draft check loads the directory
		for i := 0; b.Loop(); i++ {
			check(i)
		}
	})
	b.Run("what-if-sample", func(b *testing.B) {
		body := `{"file": "video-credits.yaml", "text": ` + string(text) + `, "sample": "video-credits-sample.csv", "group_by": "plan", "plot": true}`
		for b.Loop() {
			post(b, "/v1/diff", body, `"change": "14575.20"`)
		}
	})
}

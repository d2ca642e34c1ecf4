// Package studio drives the pricing studio in a real headless Chromium
// (chromedp): a person's steps on the page, and what they see. It is a
// module of its own, as it needs a Chromium (.ci/run installs Debian's
// when it is missing); `go test ./...` at the root never needs one.
package studio

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"ratecard/engine"
	"ratecard/server"
)

func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Fatal("no Chromium on PATH: install Debian's chromium (as .ci/run does)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// serve serves the shipped rules' API and studio.
func serve(t *testing.T) string {
	t.Helper()
	engine.Clock = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
	live, err := engine.NewLive("../../rules.d", engine.LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	api, err := server.New(live, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return srv.URL
}

// run does steps, and fails the test at the first that fails.
func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// get runs an action that reads the page.
func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestPriceFromTheForm fills the form as a person would and sees the
// documented quote: 90 seconds with an actor is 45 credits, 30 of
// generative media and 15 of actor; the URL then holds the request, and
// the test case to copy says the same.
func TestPriceFromTheForm(t *testing.T) {
	base := serve(t)
	ctx := browser(t)
	run(t, ctx,
		chromedp.Navigate(base+"/?list=video-credits"),
		chromedp.WaitVisible(`#in-duration`),
		chromedp.SendKeys(`#in-duration`, "90"),
		chromedp.SetValue(`#in-actor`, "library"),
	)
	get(t, ctx, chromedp.Evaluate[bool](`document.getElementById("in-actor").dispatchEvent(new Event("change", {bubbles: true}))`))
	get(t, ctx, chromedp.Poll[bool](`(document.querySelector("#total-credits td.amount") || {}).textContent === "45.00" && location.search.includes("actor=library")`))
	total := get(t, ctx, chromedp.TextContent(`#total-credits td.amount`))
	lines := get(t, ctx, chromedp.TextContent(`#lines tbody`))
	identity := get(t, ctx, chromedp.TextContent(`#identity`))
	testcase := get(t, ctx, chromedp.Value(`#testcase`))
	url := get(t, ctx, chromedp.Location())
	for _, want := range []string{"generative", "30.00", "actor", "15.00", "blocks(billed, 30) * 5"} {
		if !strings.Contains(lines, want) {
			t.Errorf("the lines lack %q: %s", want, lines)
		}
	}
	if total != "45.00" || !strings.Contains(url, "duration=90") || !strings.Contains(testcase, "totals: {credits: 45.00, video_minutes: 0.00}") ||
		!strings.Contains(identity, "price list video-credits version 2026-11-25") {
		t.Errorf("total %q, url %q, test case %q, identity %q", total, url, testcase, identity)
	}

	// A shared URL opens on the same request and answer.
	run(t, ctx, chromedp.Navigate(url))
	get(t, ctx, chromedp.Poll[bool](`(document.querySelector("#total-credits td.amount") || {}).textContent === "45.00"`))
	if again := get(t, ctx, chromedp.Value(`#in-duration`)); again != "90" {
		t.Errorf("the shared URL's duration: %q", again)
	}
}

// TestErrorBesideTheField types a value out of bounds and sees the API's
// message beside that field, not elsewhere.
func TestErrorBesideTheField(t *testing.T) {
	base := serve(t)
	ctx := browser(t)
	run(t, ctx,
		chromedp.Navigate(base+"/?list=video-credits-free"),
		chromedp.WaitVisible(`#in-duration`),
		chromedp.SendKeys(`#in-duration`, "900"),
	)
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("error-duration").textContent.includes("900")`))
	beside := get(t, ctx, chromedp.TextContent(`#error-duration`))
	general := get(t, ctx, chromedp.TextContent(`#error`))
	if beside != "duration must be at most 300, not 900" || general != "" {
		t.Errorf("beside the field %q, elsewhere %q", beside, general)
	}
}

// TestDraftEditor opens the list's rule file in the editor, sees it check
// clean, then makes a typo and sees the error at its line, marked in the
// gutter, with the suggestion; the rule file on disk is untouched.
func TestDraftEditor(t *testing.T) {
	base := serve(t)
	ctx := browser(t)
	run(t, ctx, chromedp.Navigate(base+"/?list=video-credits"), chromedp.WaitVisible(`#draft-text`))
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("draft-status").textContent.startsWith("ok:")`))
	status := get(t, ctx, chromedp.TextContent(`#draft-status`))
	if !strings.HasPrefix(status, "ok: it loads, its 23 examples pass") {
		t.Errorf("the live file: %q", status)
	}
	line := get(t, ctx, chromedp.Evaluate[int](`(function () {
		const d = document.getElementById("draft-text");
		const lines = d.value.split("\n");
		const i = lines.findIndex(function (l) { return l.includes("amount: billed * 20 / 60"); });
		lines[i] = lines[i].replace("billed * 20", "billd * 20");
		d.value = lines.join("\n");
		d.dispatchEvent(new Event("input", {bubbles: true}));
		return i + 1;
	})()`))
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("draft-problems").textContent.includes("billd")`))
	problems := get(t, ctx, chromedp.TextContent(`#draft-problems`))
	marked := get(t, ctx, chromedp.TextContent(`#gutter mark`))
	if want := `unknown name "billd" (did you mean "billed"?)`; !strings.Contains(problems, want) || !strings.Contains(problems, "line "+strconv.Itoa(line)+":") {
		t.Errorf("problems %q, want %s at line %d", problems, want, line)
	}
	if marked != strconv.Itoa(line) {
		t.Errorf("the gutter marks line %q, want %d", marked, line)
	}
	data, err := os.ReadFile("../../rules.d/video-credits.yaml")
	if err != nil || strings.Contains(string(data), "billd") {
		t.Errorf("the rule file on disk changed: %v", err)
	}
}

// TestDraftWhatIf raises a price in the draft and sees the price table's
// cells change, live -> draft, then reprices pasted usage under both.
func TestDraftWhatIf(t *testing.T) {
	base := serve(t)
	ctx := browser(t)
	run(t, ctx, chromedp.Navigate(base+"/?list=video-credits"), chromedp.WaitVisible(`#draft-text`))
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("draft-tables").textContent.includes("Generative media")`))
	get(t, ctx, chromedp.Evaluate[bool](`(function () {
		const d = document.getElementById("draft-text");
		d.value = d.value.replace("amount: billed * 20 / 60", "amount: billed * 25 / 60");
		return d.dispatchEvent(new Event("input", {bubbles: true}));
	})()`))
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("draft-tables").textContent.includes("20 → 25 *")`))
	run(t, ctx,
		chromedp.SendKeys(`#usage`, "action,duration,actor\ncreate,60,none\ncreate,90,library\n"),
		chromedp.Click(`#reprice`),
	)
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("whatif").textContent.includes("2 records read")`))
	whatif := get(t, ctx, chromedp.TextContent(`#whatif`))
	for _, want := range []string{"65.00", "77.50 *"} { // 20 + 45 credits live; 25 + 52.50 in the draft
		if !strings.Contains(whatif, want) {
			t.Errorf("the what-if lacks %q: %s", want, whatif)
		}
	}
}

// TestGridOfTwo picks two inputs and sees their grid: duration by actor.
func TestGridOfTwo(t *testing.T) {
	base := serve(t)
	ctx := browser(t)
	run(t, ctx,
		chromedp.Navigate(base+"/?list=video-credits"),
		chromedp.WaitVisible(`#grid-rows`),
		chromedp.SendKeys(`#grid-rows`, "duration=30,90"),
		chromedp.SendKeys(`#grid-columns`, "actor=none,library"),
		chromedp.Click(`#grid-form button`),
	)
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("grid-table") !== null`))
	grid := get(t, ctx, chromedp.TextContent(`#grid-table`))
	for _, want := range []string{"actor=none", "actor=library", "10.00", "15.00", "30.00", "45.00"} {
		if !strings.Contains(grid, want) {
			t.Errorf("the grid lacks %q: %s", want, grid)
		}
	}
}

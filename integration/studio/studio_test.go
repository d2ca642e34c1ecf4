// Package studio drives the pricing studio in a real headless Chromium
// (chromedp): a person's steps on the page, and what they see. It is a
// module of its own, as it needs a Chromium (.ci/run installs Debian's
// when it is missing); `go test ./...` at the root never needs one.
package studio

import (
	"bytes"
	"context"
	"flag"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
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
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1280, 1000))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// serve serves the shipped rules' API and studio, with the shipped
// sample usage to reprice.
func serve(t *testing.T) string {
	return serveDir(t, "../../rules.d", server.Options{Samples: []string{"../../testdata/usage/video-credits-sample.csv"}})
}

// serveDir serves a rule directory's API and studio.
func serveDir(t *testing.T, dir string, opts server.Options) string {
	t.Helper()
	engine.Clock = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
	live, err := engine.NewLive(dir, engine.LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	api, err := server.New(live, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return srv.URL
}

var update = flag.Bool("update", false, "rewrite the README's screenshots in testdata/screenshots")

// textOf reads the text of the element sel, in one step in the page: a
// query that resolves the element first and reads it after can find it
// gone, when the page has drawn the same answer again in between.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return get(t, ctx, chromedp.Evaluate[string](`(document.querySelector(`+strconv.Quote(sel)+`) || {textContent: `+strconv.Quote("(no "+sel+")")+`}).textContent`))
}

// valueOf reads the value of the form field sel, as textOf reads text.
func valueOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return get(t, ctx, chromedp.Evaluate[string](`(document.querySelector(`+strconv.Quote(sel)+`) || {value: `+strconv.Quote("(no "+sel+")")+`}).value`))
}

// screenshot saves a PNG of the element sel (or of the window, for ""),
// as the README shows it: into testdata/screenshots with -update,
// otherwise into a temporary directory, so that taking it is tested.
func screenshot(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	dir := filepath.Join("testdata", "screenshots")
	if !*update {
		dir = t.TempDir()
	}
	var png []byte
	if sel == "" {
		png = get(t, ctx, chromedp.CaptureScreenshot())
	} else {
		png = get(t, ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("the screenshot %s is no PNG", name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
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
		chromedp.WaitVisible(chromedp.CSS(`#in-duration`)),
		chromedp.SendKeys(chromedp.CSS(`#in-duration`), "90"),
		chromedp.SetValue(chromedp.CSS(`#in-actor`), "library"),
	)
	get(t, ctx, chromedp.Evaluate[bool](`document.getElementById("in-actor").dispatchEvent(new Event("change", {bubbles: true}))`))
	get(t, ctx, chromedp.Poll[bool](`(document.querySelector("#total-credits td.amount") || {}).textContent === "45.00" && location.search.includes("actor=library")`))
	total := textOf(t, ctx, `#total-credits td.amount`)
	lines := textOf(t, ctx, `#lines tbody`)
	identity := textOf(t, ctx, `#identity`)
	testcase := valueOf(t, ctx, `#testcase`)
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

	passes(t, testcase)
	screenshot(t, ctx, "", "quote.png")

	// A shared URL opens on the same request and answer.
	run(t, ctx, chromedp.Navigate(url))
	get(t, ctx, chromedp.Poll[bool](`(document.querySelector("#total-credits td.amount") || {}).textContent === "45.00"`))
	if again := valueOf(t, ctx, `#in-duration`); again != "90" {
		t.Errorf("the shared URL's duration: %q", again)
	}
}

// passes checks that a test case copied from the page loads as a case of
// a test file beside the shipped rules, and passes.
func passes(t *testing.T, testcase string) {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"video-credits.yaml", "plans.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../rules.d", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := "list: video-credits\nat: 2026-12-01T00:00:00Z\ncases:\n" + testcase
	if err := os.WriteFile(filepath.Join(dir, "copied_test.yaml"), []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := engine.LoadDir(dir)
	if err != nil {
		t.Fatalf("the copied test case does not load: %v\n%s", err, file)
	}
	results := rs.RunTests()
	if len(results) != 1 || !results[0].Passed() {
		t.Errorf("the copied test case does not pass: %+v\n%s", results, file)
	}
}

// TestErrorBesideTheField types a value out of bounds and sees the API's
// message beside that field, not elsewhere.
func TestErrorBesideTheField(t *testing.T) {
	base := serve(t)
	ctx := browser(t)
	run(t, ctx,
		chromedp.Navigate(base+"/?list=video-credits-free"),
		chromedp.WaitVisible(chromedp.CSS(`#in-duration`)),
		chromedp.SendKeys(chromedp.CSS(`#in-duration`), "900"),
	)
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("error-duration").textContent.includes("900")`))
	beside := textOf(t, ctx, `#error-duration`)
	general := textOf(t, ctx, `#error`)
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
	run(t, ctx, chromedp.Navigate(base+"/?list=video-credits"), chromedp.WaitVisible(chromedp.CSS(`#draft-text`)))
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("draft-status").textContent.startsWith("ok:")`))
	status := textOf(t, ctx, `#draft-status`)
	if !strings.HasPrefix(status, "ok: it loads, its 23 examples and 11 test cases pass") {
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
	problems := textOf(t, ctx, `#draft-problems`)
	marked := textOf(t, ctx, `#gutter mark`)
	if want := `unknown name "billd" (did you mean "billed"?)`; !strings.Contains(problems, want) || !strings.Contains(problems, "line "+strconv.Itoa(line)+":") {
		t.Errorf("problems %q, want %s at line %d", problems, want, line)
	}
	if marked != strconv.Itoa(line) {
		t.Errorf("the gutter marks line %q, want %d", marked, line)
	}
	// A click on the problem puts the cursor at its line, in view.
	run(t, ctx, chromedp.Click(chromedp.CSS(`#draft-problems li.at`)))
	at := get(t, ctx, chromedp.Evaluate[[]int](`(function () {
		const d = document.getElementById("draft-text");
		const before = d.value.slice(0, d.selectionStart).split("\n");
		return [before.length, before[before.length - 1].length + 1, d.scrollTop];
	})()`))
	if at[0] != line || !strings.HasPrefix(get(t, ctx, chromedp.Evaluate[string](`document.getElementById("draft-text").value.split("\n")[`+strconv.Itoa(line-1)+`].slice(`+strconv.Itoa(at[1]-1)+`)`)), "billd") || at[2] == 0 {
		t.Errorf("the cursor is at line %d column %d, scrolled %dpx; want line %d, at billd", at[0], at[1], at[2], line)
	}
	get(t, ctx, chromedp.Evaluate[bool](`document.getElementById("draft").scrollIntoView() === undefined`))
	screenshot(t, ctx, "", "draft-error.png")
	data, err := os.ReadFile("../../rules.d/video-credits.yaml")
	if err != nil || strings.Contains(string(data), "billd") {
		t.Errorf("the rule file on disk changed: %v", err)
	}
}

// TestDraftWhatIf raises a price in the draft and sees the price table's
// cells change, live -> draft, then reprices pasted usage under both.
func TestDraftWhatIf(t *testing.T) {
	ctx := raisedDraft(t)
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("draft-tables").textContent.includes("20 → 25 *")`))
	run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#usage`), "action,duration,actor\ncreate,60,none\ncreate,90,library\n"),
		chromedp.Click(chromedp.CSS(`#reprice`)),
	)
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("whatif").textContent.includes("2 records read")`))
	whatif := textOf(t, ctx, `#whatif`)
	for _, want := range []string{"65.0077.50+12.50"} { // 20 + 45 credits live; 25 + 52.50 in the draft
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
		chromedp.WaitVisible(chromedp.CSS(`#grid-rows`)),
		chromedp.SendKeys(chromedp.CSS(`#grid-rows`), "duration=30,90"),
		chromedp.SendKeys(chromedp.CSS(`#grid-columns`), "actor=none,library"),
		chromedp.Click(chromedp.CSS(`#grid-form button`)),
	)
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("grid-table") !== null`))
	grid := textOf(t, ctx, `#grid-table`)
	for _, want := range []string{"actor=none", "actor=library", "10.00", "15.00", "30.00", "45.00"} {
		if !strings.Contains(grid, want) {
			t.Errorf("the grid lacks %q: %s", want, grid)
		}
	}
}

// edit replaces old with new in the draft, as typing would.
func edit(t *testing.T, ctx context.Context, old, new string) {
	t.Helper()
	ok := get(t, ctx, chromedp.Evaluate[bool](`(function () {
		const d = document.getElementById("draft-text");
		if (!d.value.includes(`+strconv.Quote(old)+`)) return false;
		d.value = d.value.replace(`+strconv.Quote(old)+`, `+strconv.Quote(new)+`);
		return d.dispatchEvent(new Event("input", {bubbles: true}));
	})()`))
	if !ok {
		t.Fatalf("the draft lacks %q", old)
	}
}

// raisedDraft opens the video-credits list's rule file in the editor,
// sees it check clean, and raises generative media to 25 credits a
// minute in the draft.
func raisedDraft(t *testing.T) context.Context {
	t.Helper()
	base := serve(t)
	ctx := browser(t)
	run(t, ctx, chromedp.Navigate(base+"/?list=video-credits"), chromedp.WaitVisible(chromedp.CSS(`#draft-text`)))
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("draft-status").textContent.startsWith("ok:")`))
	edit(t, ctx, "amount: billed * 20 / 60", "amount: billed * 25 / 60")
	return ctx
}

// TestExamplesTurnGreen raises a price in the draft, sees the examples
// and test cases it breaks, each with how it differs, then puts the price
// back and sees them all pass.
func TestExamplesTurnGreen(t *testing.T) {
	ctx := raisedDraft(t)
	get(t, ctx, chromedp.Poll[bool](`document.querySelectorAll("#draft-cases li.fail").length > 0`))
	failing := textOf(t, ctx, `#draft-cases`)
	status := textOf(t, ctx, `#draft-status`)
	open := get(t, ctx, chromedp.Evaluate[bool](`document.getElementById("draft-cases-box").open`))
	// 90 seconds with an actor: 30 credits of generative media become 37.50.
	for _, want := range []string{"✗ a library actor for 90 seconds (video-credits_test.yaml:", "credits: want 45.00, got 52.50", "- generative 30", "+ generative 37.5", "✓ "} {
		if !strings.Contains(failing, want) {
			t.Errorf("the cases lack %q: %s", want, failing)
		}
	}
	if status != "it loads, but see below" || !open {
		t.Errorf("status %q, the cases shown: %v", status, open)
	}
	screenshot(t, ctx, "#draft-cases-box", "draft-failing.png")

	edit(t, ctx, "amount: billed * 25 / 60", "amount: billed * 20 / 60")
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("draft-status").textContent.startsWith("ok:")`))
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#draft-cases li.fail").length`)); n != 0 {
		t.Errorf("%d cases still fail", n)
	}
}

// TestWhatIfOnTheSample raises the generative rate to 25 credits a
// minute in the draft and reprices the shipped sample: +14,575.20 credits,
// all of it the generative rate, with the histogram, its plot and the
// largest changes.
func TestWhatIfOnTheSample(t *testing.T) {
	ctx := raisedDraft(t)
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("draft-tables").textContent.includes("20 → 25 *")`))
	run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#group-by`), "plan"),
		chromedp.Click(chromedp.CSS(`button[data-sample="video-credits-sample.csv"]`)),
	)
	get(t, ctx, chromedp.Poll[bool](`document.getElementById("whatif-totals") !== null`))
	totals := textOf(t, ctx, `#whatif-totals`)
	rates := textOf(t, ctx, `#whatif-rates`)
	groups := textOf(t, ctx, `#whatif-groups`)
	largest := textOf(t, ctx, `#whatif-largest-credits`)
	for _, c := range []struct{ where, text, want string }{
		{"totals", totals, "71248.5185823.71+14575.20+20.46%21410859"},
		{"rates", rates, "generativecredits58301.4072876.60+14575.20"},
		{"groups", groups, "By plan"},
		{"largest changes", largest, "id=r00153 customer=c0074 plan=free299.67349.58+49.91"},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("the what-if's %s lack %q: %s", c.where, c.want, c.text)
		}
	}
	// The plot is an image the browser could draw.
	get(t, ctx, chromedp.Poll[bool](`(document.querySelector("#whatif img.plot") || {}).naturalWidth > 0`))
	if bins := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#whatif .histogram .bar").length`)); bins != 10 {
		t.Errorf("the histogram has %d bars, want 10", bins)
	}
	screenshot(t, ctx, "#whatif", "what-if.png")
}

// TestRowsOfAList prices a list input given as rows: two clips of 5
// seconds are 1.67 credits each; removing one leaves one line.
func TestRowsOfAList(t *testing.T) {
	base := serve(t)
	ctx := browser(t)
	run(t, ctx, chromedp.Navigate(base+"/?list=video-credits&action=edit"), chromedp.WaitVisible(chromedp.CSS(`#in-clips .add-row`)))
	for i := 0; i < 2; i++ {
		run(t, ctx, chromedp.Click(chromedp.CSS(`#in-clips .add-row`)), chromedp.SendKeys(chromedp.CSS(`#in-clips .row:last-of-type input`), "5"))
	}
	get(t, ctx, chromedp.Poll[bool](`(document.querySelector("#total-credits td.amount") || {}).textContent === "3.34" && location.search.includes("clips=5%2C5")`))
	testcase := valueOf(t, ctx, `#testcase`)
	if !strings.Contains(testcase, "input: {action: edit, media: generative, actor: none, clips: [5, 5]}") {
		t.Errorf("the test case: %s", testcase)
	}
	passes(t, testcase)
	run(t, ctx, chromedp.Click(chromedp.CSS(`#in-clips .row .remove-row`)))
	get(t, ctx, chromedp.Poll[bool](`(document.querySelector("#total-credits td.amount") || {}).textContent === "1.67"`))
}

// TestRowsOfRecords prices a records input given as rows, a cell a field:
// a record of the tokens example, then a shared URL opens on its rows.
func TestRowsOfRecords(t *testing.T) {
	base := serveDir(t, "../../examples/tokens", server.Options{})
	ctx := browser(t)
	run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`#in-usage .add-row`)),
		chromedp.Click(chromedp.CSS(`#in-usage .add-row`)),
		chromedp.SetValue(chromedp.CSS(`#in-usage .row select[data-field="model"]`), "gpt-4o-mini"),
		chromedp.SendKeys(chromedp.CSS(`#in-usage .row input[data-field="input_tokens"]`), "1000000"),
	)
	get(t, ctx, chromedp.Poll[bool](`location.search.includes("gpt-4o-mini") && document.querySelector("#lines tbody").textContent.includes("input_tokens = 1000000")`))
	lines := textOf(t, ctx, `#lines tbody`)
	url := get(t, ctx, chromedp.Location())
	run(t, ctx, chromedp.Navigate(url))
	get(t, ctx, chromedp.Poll[bool](`document.querySelector("#lines tbody").textContent !== ""`))
	if again := textOf(t, ctx, `#lines tbody`); again != lines {
		t.Errorf("the shared URL prices %q, not %q", again, lines)
	}
	if model := valueOf(t, ctx, `#in-usage .row select[data-field="model"]`); model != "gpt-4o-mini" {
		t.Errorf("the shared URL's record has model %q", model)
	}
}

// TestRulesTextIsText serves rules whose descriptions hold markup: the
// page shows it as text, and no script of theirs runs.
func TestRulesTextIsText(t *testing.T) {
	dir := t.TempDir()
	rule := `name: hostile
description: "<script>window.pwned = 1</script>"
meters:
  usd: {places: 2}
inputs:
  calls: {type: whole, min: 0, default: 0, description: "<img src=x onerror='window.pwned = 2'>"}
rates:
  - name: calls
    meter: usd
    amount: calls * 2
`
	if err := os.WriteFile(filepath.Join(dir, "hostile.yaml"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	base := serveDir(t, dir, server.Options{})
	ctx := browser(t)
	run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`#in-calls`)), chromedp.SendKeys(chromedp.CSS(`#in-calls`), "3"))
	get(t, ctx, chromedp.Poll[bool](`(document.querySelector("#total-usd td.amount") || {}).textContent === "6.00"`))
	shown := textOf(t, ctx, `#request`)
	pwned := get(t, ctx, chromedp.Evaluate[bool](`window.pwned !== undefined`))
	images := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#request img, #request script").length`))
	if !strings.Contains(shown, "<script>window.pwned = 1</script>") || !strings.Contains(shown, "<img src=x onerror='window.pwned = 2'>") || pwned || images != 0 {
		t.Errorf("shown %q, a script ran: %v, elements made of the text: %d", shown, pwned, images)
	}
}

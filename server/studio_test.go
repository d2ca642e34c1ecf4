package server

import (
	"net/http/httptest"
	"strings"
	"testing"

	"ratecard/engine"
)

// TestStudioEscapes renders a list whose texts hold markup: the page shows
// them as text, never as markup.
func TestStudioEscapes(t *testing.T) {
	base, dir, live := start(t, Options{})
	writeRules(t, dir, "api.yaml", strings.Replace(apiFile(2), "version: \"2\"", "version: \"2\"\ndescription: \"<script>alert('list')</script>\"", 1)+
		"tables:\n  - title: \"<img src=x onerror=alert(1)>\"\n    rows: {input: calls, values: [1]}\n    columns: [{title: \"<b>usd</b>\", meter: usd}]\n")
	if err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	code, page := call(t, "GET", base+"/?list=api&calls=%3Cscript%3E", "")
	if code != 200 {
		t.Fatalf("%d %s", code, page)
	}
	for _, raw := range []string{"<script>alert", "<img src=x", "<b>usd</b>", `value="<script>`} {
		if strings.Contains(page, raw) {
			t.Errorf("the page holds %q unescaped", raw)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(&#39;list&#39;)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", `name="calls" value="&lt;script&gt;"`, `<script src="/studio/studio.js"></script>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestStudioOff: -studio=false serves no page.
func TestStudioOff(t *testing.T) {
	live, err := engine.NewLive("../rules.d", engine.LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	api, err := New(live, Options{NoStudio: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/studio/studio.js"} {
		w := httptest.NewRecorder()
		api.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != 404 {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
}

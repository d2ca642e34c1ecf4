package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"ratecard/engine"
)

// openAPIDoc is the document as the validator reads it, with its paths.
func openAPIDoc(t *testing.T) (*jsonschema.Compiler, map[string]map[string]struct {
	Responses map[string]struct {
		Content map[string]any
	}
}) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(OpenAPI))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	var spec struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]any
			}
		}
	}
	if err := json.Unmarshal(OpenAPI, &spec); err != nil || spec.OpenAPI != "3.1.0" {
		t.Fatalf("the document: %v, openapi %q", err, spec.OpenAPI)
	}
	return c, spec.Paths
}

// TestOpenAPI sends every endpoint requests that answer each status the
// document lists, and validates each answer's body against the schema the
// document gives for it: the document cannot drift from the handlers.
// Every route is documented, and every documented answer is exercised.
func TestOpenAPI(t *testing.T) {
	defer func(c func() time.Time) { engine.Clock = c }(engine.Clock)
	engine.Clock = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
	compiler, paths := openAPIDoc(t)
	base, dir, live := start(t, Options{})
	// A list in force only from 2027: quoting it now is a 422.
	writeRules(t, dir, "later.yaml", "name: later\neffective: 2027-01-01T00:00:00Z\nmeters: {usd: {places: 2}}\nrates: [{name: r, meter: usd, amount: 1}]\n")
	if err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	guarded, err := New(live, Options{AdminToken: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	type call struct {
		method, path, body string
		status             int
		server             http.Handler // nil: the one at base
	}
	huge := `{"input": {"calls": "` + strings.Repeat("9", 1<<20) + `"}}`
	calls := []call{
		{"POST", "/v1/quote", `{"list": "api", "input": {"calls": 10}}`, 200, nil},
		{"POST", "/v1/quote", `{"list": "api", "input": {"calls": -1}}`, 400, nil},
		{"POST", "/v1/quote", `{"list": "nosuch"}`, 404, nil},
		{"POST", "/v1/quote", huge, 413, nil},
		{"POST", "/v1/quote", `{"list": "later"}`, 422, nil},
		{"POST", "/v1/explain", `{"list": "api", "input": {"calls": 10}}`, 200, nil},
		{"POST", "/v1/explain", `{"list": "api", "input": {"calls": "x"}}`, 400, nil},
		{"POST", "/v1/explain", `{"list": "nosuch"}`, 404, nil},
		{"POST", "/v1/explain", huge, 413, nil},
		{"POST", "/v1/explain", `{"list": "later"}`, 422, nil},
		{"POST", "/v1/quotes", `{"requests": [{"list": "api", "input": {"calls": 10}}, {"list": "api", "input": {"calls": -1}}, {"list": "later"}]}`, 200, nil},
		{"POST", "/v1/quotes", `{"requests": 1}`, 400, nil},
		{"POST", "/v1/quotes", `{"requests": [` + strings.Repeat(`{"input": {"calls": 1}},`, 400_000) + `{}]}`, 413, nil},
		{"GET", "/v1/rules", "", 200, nil},
		{"GET", "/v1/grid?list=api&rows=calls=1,10&columns=per=1,2", "", 200, nil},
		{"GET", "/v1/grid?list=api&rows=calls", "", 400, nil},
		{"GET", "/v1/grid?list=nosuch&rows=calls=1", "", 404, nil},
		{"POST", "/v1/bigquery", `{"requestId": "1", "userDefinedContext": {"list": "api"}, "calls": [[{"calls": 1}], [{"calls": -1}]]}`, 200, nil},
		{"POST", "/v1/bigquery", `{"calls": 1}`, 400, nil},
		{"POST", "/v1/snowflake?list=api", `{"data": [[0, {"calls": 1}], [1, {"calls": -1}]]}`, 200, nil},
		{"POST", "/v1/snowflake", `{"data": 1}`, 400, nil},
		{"POST", "/-/reload", "", 200, nil},
		{"POST", "/-/reload", "", 401, guarded},
		{"GET", "/healthz", "", 200, nil},
		{"GET", "/readyz", "", 200, nil},
		{"GET", "/metrics", "", 200, nil},
		{"GET", "/openapi.json", "", 200, nil},
		{"POST", "/v1/check", `{"file": "api.yaml", "text": "name: api\nmeters: {usd: {places: 2}}\nrates: [{name: r, meter: usd, amount: durr}]\n"}`, 200, nil},
		{"POST", "/v1/check", `{"file": "api.yaml", "text": ` + strings.Replace(strconv.Quote(apiFile(3)), "totals: {usd: 30}", "totals: {usd: 31}", 1) + `}`, 200, nil},
		{"POST", "/v1/check", `{"file": "../api.yaml", "text": ""}`, 400, nil},
		{"POST", "/v1/diff", `{"file": "api.yaml", "text": ` + strconv.Quote(apiFile(3)) + `, "usage": "calls,per\n10,1\n4,2\n"}`, 200, nil},
		{"POST", "/v1/diff", `{"file": "api.yaml", "text": ` + strconv.Quote(apiFile(3)) + `, "usage": "calls,per,kind\n10,1,a\n4,2,b\n", "group_by": "kind", "plot": true}`, 200, nil},
		{"POST", "/v1/diff", `{"file": "api.yaml", "text": "", "sample": "none.csv"}`, 400, nil},
		{"POST", "/v1/diff", `{"file": "api.yaml"`, 400, nil},
		{"POST", "/v1/diff", `{"file": "api.yaml", "text": "` + strings.Repeat("#", 9<<20) + `"}`, 413, nil},
		{"POST", "/v1/check", `{"file": "api.yaml", "text": "` + strings.Repeat("#", 1<<20+2000) + `"}`, 413, nil},
		{"GET", "/", "", 200, nil},
		{"GET", "/studio/studio.js", "", 200, nil},
		{"GET", "/studio/whatif.js", "", 200, nil},
		{"GET", "/studio/studio.css", "", 200, nil},
	}
	// Last: a broken file makes /-/reload answer 422.
	calls = append(calls, call{"POST", "/-/reload", "broken", 422, nil})
	covered := map[string]bool{}
	for _, c := range calls {
		if c.body == "broken" {
			writeRules(t, dir, "broken.yaml", "name: broken\nmeters: {usd: {places: 2}}\nrates: [{name: r, meter: usd, amount: nosuch}]\n")
			c.body = ""
		}
		var code int
		var body, contentType string
		if c.server != nil {
			w := httptest.NewRecorder()
			c.server.ServeHTTP(w, httptest.NewRequest(c.method, c.path, strings.NewReader(c.body)))
			code, body, contentType = w.Code, w.Body.String(), w.Header().Get("Content-Type")
		} else {
			req, _ := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			_, _ = b.ReadFrom(resp.Body)
			resp.Body.Close()
			code, body, contentType = resp.StatusCode, b.String(), resp.Header.Get("Content-Type")
		}
		what := fmt.Sprintf("%s %s -> %d", c.method, c.path, code)
		c.path, _, _ = strings.Cut(c.path, "?") // the document's path, without the query
		if code != c.status {
			t.Errorf("%s, want %d: %.300s", what, c.status, body)
			continue
		}
		op, ok := paths[c.path][strings.ToLower(c.method)]
		if !ok {
			t.Errorf("%s: not in the document", what)
			continue
		}
		answer, ok := op.Responses[fmt.Sprint(code)]
		if !ok {
			t.Errorf("%s: the document lists no such answer", what)
			continue
		}
		covered[c.path+" "+strings.ToLower(c.method)+" "+fmt.Sprint(code)] = true
		if _, isJSON := answer.Content["application/json"]; !isJSON {
			for documented := range answer.Content {
				if !strings.HasPrefix(contentType, documented) {
					t.Errorf("%s: content type %q, the document says %s", what, contentType, documented)
				}
			}
			continue
		}
		pointer := "openapi.json#/paths/" + strings.ReplaceAll(strings.ReplaceAll(c.path, "~", "~0"), "/", "~1") +
			"/" + strings.ToLower(c.method) + "/responses/" + fmt.Sprint(code) + "/content/application~1json/schema"
		schema, err := compiler.Compile(pointer)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
		if err != nil {
			t.Errorf("%s: the body is not JSON: %.200s", what, body)
			continue
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("%s: the body does not match the document: %v\n%.500s", what, err, body)
		}
	}
	os.Remove(filepath.Join(dir, "broken.yaml"))

	// Every documented answer was exercised, but one no request can
	// cause: /readyz before any rules load (a Live never exists so).
	notCausable := map[string]bool{"/readyz get 503": true}
	for path, ops := range paths {
		for method, op := range ops {
			for status := range op.Responses {
				key := path + " " + method + " " + status
				if !covered[key] && !notCausable[key] {
					t.Errorf("the document lists %s, which no request here answers", key)
				}
			}
		}
	}
	// Every route is documented.
	s, err := New(live, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for path, methods := range s.routes {
		for method := range methods {
			if _, ok := paths[path][strings.ToLower(method)]; !ok {
				t.Errorf("%s %s is served but not documented", method, path)
			}
		}
	}
	if len(paths) != len(s.routes) || !slices.Equal(sortedKeys(paths), sortedKeys(s.routes)) {
		t.Errorf("documented paths %v, served %v", sortedKeys(paths), sortedKeys(s.routes))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

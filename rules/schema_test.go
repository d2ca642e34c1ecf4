package rules

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

// yamlAsJSON reads a YAML file as the JSON value an editor validates.
func yamlAsJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSchemaAcceptsShippedRules: the shipped rule and test files, and the
// what-if file, are valid; a file with an unknown key is not.
func TestSchemaAcceptsShippedRules(t *testing.T) {
	s := compileSchema(t)
	files, _ := filepath.Glob("../rules.d/*.yaml")
	examples, _ := filepath.Glob("../examples/*/*.yaml")
	files = append(files, examples...)
	files = append(files, "../testdata/whatif/generative-25.yaml")
	if len(files) < 7 {
		t.Fatalf("files: %v", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(yamlAsJSON(t, data)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, bad := range []string{"unknown-key", "wrong-type-places", "missing-keys"} {
		data, err := os.ReadFile("../testdata/bad/" + bad + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(yamlAsJSON(t, data)); err == nil {
			t.Errorf("%s: the schema accepts it", bad)
		}
	}
}

// TestSchemaKnowsTheLoadersKeys compares, for every section of a rule
// file, the keys the loader accepts (read from its "unknown key" error)
// with the keys the schema declares, so that the two cannot drift.
func TestSchemaKnowsTheLoadersKeys(t *testing.T) {
	var schema struct {
		Definitions map[string]json.RawMessage `json:"definitions"`
	}
	if err := json.Unmarshal(Schema, &schema); err != nil {
		t.Fatal(err)
	}
	props := func(path ...string) []string {
		var node any
		_ = json.Unmarshal(schema.Definitions[path[0]], &node)
		for _, p := range path[1:] {
			node = node.(map[string]any)[p]
		}
		var keys []string
		for k := range node.(map[string]any)["properties"].(map[string]any) {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return keys
	}
	const base = "name: p\nmeters:\n  m: {places: 0}\ninputs:\n  x: {type: decimal, default: 0}\nrates:\n  - {name: r, meter: m, amount: 1}\n"
	sections := []struct {
		yaml string
		path []string
	}{
		{base + "zzz: 1\n", []string{"priceList"}},
		{strings.Replace(base, "{places: 0}", "{places: 0, zzz: 1}", 1), []string{"meter"}},
		{strings.Replace(base, "default: 0}", "default: 0, zzz: 1}", 1), []string{"input"}},
		{strings.Replace(base, "amount: 1}", "amount: 1, zzz: 1}", 1), []string{"rate"}},
		{base + "examples: [{name: e, totals: {}, zzz: 1}]\n", []string{"example"}},
		{base + "examples: [{name: e, totals: {}, lines: [{rate: r, amount: 1, zzz: 1}]}]\n", []string{"example", "properties", "lines", "items"}},
		{base + "tables: [{title: t, rows: {input: x, values: [1]}, columns: [{title: c, meter: m}], zzz: 1}]\n", []string{"table"}},
		{base + "tables: [{title: t, rows: {input: x, values: [1], zzz: 1}, columns: [{title: c, meter: m}]}]\n", []string{"table", "properties", "rows"}},
		{base + "tables: [{title: t, rows: {input: x, values: [1]}, columns: [{title: c, meter: m, zzz: 1}]}]\n", []string{"table", "properties", "columns", "items"}},
		{base + "invariants: [{name: i, no_negative: true, zzz: 1}]\n", []string{"invariant"}},
		{base + "---\nname: o\nextends: p\nzzz: 1\n", []string{"overlay"}},
		{base + "period: {every: month, rates: [], zzz: 1}\n", []string{"period"}},
		{base + "allowances: {a: {meter: m, zzz: 1}}\n", []string{"allowances", "additionalProperties"}},
	}
	knownRE := regexp.MustCompile(`unknown key "zzz" in .*; known keys: (.*)$`)
	check := func(files []File, path []string) {
		_, err := Parse(files)
		m := knownRE.FindStringSubmatch(strings.Split(errString(err), "\n")[0])
		if m == nil {
			t.Errorf("%v: no unknown-key error: %v", path, err)
			return
		}
		known := strings.Split(m[1], ", ")
		sort.Strings(known)
		if diff := cmp.Diff(known, props(path...)); diff != "" {
			t.Errorf("%v: the loader's keys (-) and the schema's (+) differ:\n%s", path, diff)
		}
	}
	for _, s := range sections {
		check([]File{{Path: "p.yaml", Data: []byte(s.yaml)}}, s.path)
	}
	check([]File{{Path: "p.yaml", Data: []byte(base)}, {Path: "p_test.yaml", Data: []byte("cases: []\nzzz: 1\n")}}, []string{"testFile"})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

package rules

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// yamlV3 reads data's documents with yaml.v3, as parseYAML does without
// the fast path.
func yamlV3(data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, &doc)
	}
}

// sameNodes describes the first difference between two node trees in
// what the decoder reads (kind, tag, style, value, line, column, content),
// or returns "".
func sameNodes(fast, v3 *yaml.Node, path string) string {
	if fast.Kind != v3.Kind || fast.Tag != v3.Tag || fast.Style != v3.Style || fast.Value != v3.Value || fast.Anchor != v3.Anchor ||
		fast.Line != v3.Line || fast.Column != v3.Column || len(fast.Content) != len(v3.Content) ||
		(fast.Alias == nil) != (v3.Alias == nil) || fast.Alias != nil && (fast.Alias.Line != v3.Alias.Line || fast.Alias.Column != v3.Alias.Column) {
		return fmt.Sprintf("%s: fast {kind %d tag %s style %d value %q at %d:%d, %d children}, yaml.v3 {kind %d tag %s style %d value %q at %d:%d, %d children}",
			path, fast.Kind, fast.Tag, fast.Style, fast.Value, fast.Line, fast.Column, len(fast.Content),
			v3.Kind, v3.Tag, v3.Style, v3.Value, v3.Line, v3.Column, len(v3.Content))
	}
	for i := range fast.Content {
		if d := sameNodes(fast.Content[i], v3.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// compareFast checks that when the fast path reads data, yaml.v3 reads
// it too, to the same nodes; it reports whether the fast path read it.
func compareFast(t *testing.T, name string, data []byte) bool {
	t.Helper()
	fast, ok := fastYAML(data, &yamlScratch{strs: texts{}})
	if !ok {
		return false
	}
	v3, err := yamlV3(data)
	if err != nil {
		t.Fatalf("%s: the fast path read what yaml.v3 refuses (%v):\n%.300s", name, err, data)
	}
	if len(fast) != len(v3) {
		t.Fatalf("%s: %d documents, yaml.v3 %d:\n%.300s", name, len(fast), len(v3), data)
	}
	for i := range fast {
		if d := sameNodes(fast[i], v3[i], fmt.Sprintf("document %d", i)); d != "" {
			t.Fatalf("%s: %s\n%.300s", name, d, data)
		}
	}
	return true
}

// repoYAML returns the YAML files of the repository: shipped rules,
// examples, test data (bad files included).
func repoYAML(t testing.TB) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, glob := range []string{"../rules.d/*.yaml", "../examples/*/*.yaml", "../testdata/*.yaml", "../testdata/*/*.yaml", "testdata/*/*.yaml", "../engine/testdata/*.yaml", "../engine/testdata/*/*.yaml"} {
		names, _ := filepath.Glob(glob)
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			files[name] = data
		}
	}
	if len(files) < 30 {
		t.Fatalf("only %d YAML files found", len(files))
	}
	return files
}

// TestFastYAML: on every YAML file of the repository, the fast path
// reads what yaml.v3 reads, node for node, or leaves the file to it; it
// reads every shipped rule file and example itself (and the generated
// lists: TestFastYAMLGenerated).
func TestFastYAML(t *testing.T) {
	read := 0
	files := repoYAML(t)
	for name, data := range files {
		if compareFast(t, name, data) {
			read++
		} else if strings.HasPrefix(name, "../rules.d/") || strings.HasPrefix(name, "../examples/") {
			t.Errorf("%s: left to yaml.v3", name)
		}
	}
	t.Logf("the fast path read %d of %d files", read, len(files))
}

// TestFastYAMLLeavesToYAMLv3: what the subset leaves out goes to yaml.v3
// (which reads it, or reports the error with its position).
func TestFastYAMLLeavesToYAMLv3(t *testing.T) {
	for _, text := range []string{
		"a: !!str 1\n",                      // tags
		"a: |\n  text\n",                    // block scalars
		"a: one\n  two\n",                   // a plain scalar over two lines
		"a: \"x\\ny\"\n",                    // an escape
		"a: [1,\n  2]\n",                    // a flow over two lines
		"a:\n\t- 1\n",                       // a tab
		"a: 1\r\nb: 2\r\n",                  // CRLF
		"a:\n",                              // an empty value
		"- \n- 1\n",                         // an empty entry
		"? a\n: 1\n",                        // a complex key
		"a: 1\n...\n",                       // a document end
		"%YAML 1.2\n---\na: 1\n",            // a directive
		"a: 1\n---\n",                       // an empty document
		"# only a comment\n",                // no document
		"a: b: c\n",                         // an error
		"a: 1\n b: 2\n",                     // odd indentation
		"<<: {a: 1}\n",                      // a merge key
		"a: {b}\n",                          // a flow key without a value
		"a: [1, 2, ]\n",                     // a trailing comma
		"\ufeffa: 1\n",                      // a byte order mark
		"a: 1 # c\n  # c\n b: 2\n",          // a key less indented than its mapping
		"a: 'it''s' x\n",                    // text after a quoted scalar
		"key : 1\n",                         // a space before the colon
		"- - 1\n",                           // a compact nested sequence
		"a: {0: 0?}\n",                      // a "?" in a flow's plain scalar
		strings.Repeat("k", 1100) + ": 1\n", // a key longer than yaml.v3 takes
		"a: {" + strings.Repeat("k", 1100) + ": 1}\n", // in a flow too
		"a: {b: 1} # c\nc: [x, y]#\n",                 // # right after a flow
	} {
		if _, ok := fastYAML([]byte(text), &yamlScratch{}); ok {
			t.Errorf("the fast path read %q", text)
		}
	}
	// And what it reads, it reads as yaml.v3 does.
	for _, text := range []string{
		"a: 'it''s'\nb: \"quoted\" # c\nc: [1, 'x', {d: e}]\n",
		"# head\n---\nname: x\n---\nname: y\n",
		"list:\n- a\n- b: 1\n  c: 2\nnext: 3\n",
		"a: -5\nb: 1e3\nc: ~\nd: null\ne: true\nf: 0x1F\ng: 2026-12-01T00:00:00Z\nh: \"\"\n",
		"é: ünïcödé # →\nx: [é, ü]\n",
		"- {a: 1, b: [1, 2]}\n- []\n- {}\n",
		"a: &x 1\nb: *x\nc: &y\n  d: [1]\ne: *y\nf:\n- &z [1, 2]\n- *z\n",
	} {
		if !compareFast(t, "", []byte(text)) {
			t.Errorf("the fast path left %q to yaml.v3", text)
		}
	}
}

// FuzzFastYAML: whatever the fast path reads, yaml.v3 reads the same.
func FuzzFastYAML(f *testing.F) {
	for _, data := range repoYAML(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		compareFast(t, "input", data)
	})
}

// TestLineChars holds the eight-bytes-at-a-time check of a line to the
// character-by-character one (lineCharsFrom, alone), on every byte value
// at every position of a line long enough to take both paths.
func TestLineChars(t *testing.T) {
	slow := lineCharsFrom
	base := []byte("  amount: (images - 105) * 0.01 # a comment")
	for pos := range base {
		for c := range 256 {
			line := append([]byte(nil), base...)
			line[pos] = byte(c)
			for _, text := range []string{string(line), string(line) + "é", "€" + string(line)} {
				a1, ok1 := lineChars(text)
				a2, ok2 := slow(text)
				if a1 != a2 || ok1 != ok2 {
					t.Fatalf("%q: (%v, %v), want (%v, %v)", text, a1, ok1, a2, ok2)
				}
			}
		}
	}
}

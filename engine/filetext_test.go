package engine

import (
	"reflect"
	"testing"
	"unsafe"

	"ratecard/internal/genlists"
	"ratecard/rules"
)

// TestRuleSetKeepsNoFileText: the fast YAML reader hands the decoder
// values that are the file's own text, not copies; the decoder must copy
// (through its table) every text it keeps, or a rule set would keep each
// file it was read from alive. Every string a compiled rule set holds,
// found by walking it, must lie outside every file's bytes.
func TestRuleSetKeepsNoFileText(t *testing.T) {
	dirs := []string{"../rules.d", "../examples/cards", "../examples/serverless", "../examples/telecom", "../examples/tokens"}
	for _, dir := range dirs {
		files, err := rules.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if dir == "../rules.d" {
			for _, f := range files {
				if f.Path == "../rules.d/video-credits.yaml" {
					files = append(files, genlists.Lists(f.Data, 3, 8)...) // lists alike, sharing code and values
				}
			}
		}
		rs, err := CompileFiles(files)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		w := &textWalker{files: files, seen: map[uintptr]bool{}}
		w.walk(reflect.ValueOf(rs), "RuleSet")
		if w.strings < 100 {
			t.Fatalf("%s: the walk found %d strings: it does not reach the rule set's parts", dir, w.strings)
		}
		for _, bad := range w.bad {
			t.Errorf("%s: %s holds text of its rule file", dir, bad)
		}
	}
}

type textWalker struct {
	files   []rules.File
	seen    map[uintptr]bool
	strings int
	bad     []string
}

func (w *textWalker) walk(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.String:
		w.strings++
		s := v.String()
		if len(s) == 0 {
			return
		}
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		for _, f := range w.files {
			if len(f.Data) > 0 {
				start := uintptr(unsafe.Pointer(&f.Data[0]))
				if p >= start && p < start+uintptr(len(f.Data)) && len(w.bad) < 10 {
					w.bad = append(w.bad, path+" ("+f.Path+": "+s+")")
				}
			}
		}
	case reflect.Pointer, reflect.Map:
		if v.IsNil() || w.seen[v.Pointer()] {
			return
		}
		w.seen[v.Pointer()] = true
		if v.Kind() == reflect.Pointer {
			w.walk(v.Elem(), path)
			return
		}
		it := v.MapRange()
		for it.Next() {
			w.walk(it.Key(), path+"[key]")
			w.walk(it.Value(), path+"[value]")
		}
	case reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem(), path)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			w.walk(v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			w.walk(v.Index(i), path+"[]")
		}
	}
}

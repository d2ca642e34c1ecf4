package engine

import (
	"reflect"
	"strings"
	"testing"
)

// TestShareValues: copies of a list share their examples' inputs and
// their tables' rows once loaded, still pass their examples, and a bad
// value in one copy is reported in that copy's file (the checks run
// before anything is shared).
func TestShareValues(t *testing.T) {
	files := manyLists(t, 3, 5)
	rs, err := CompileFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	lists := rs.Lists()
	a, b := lists[0].Rules, lists[2].Rules
	if a.File == b.File || len(a.Examples) == 0 || len(a.Tables) == 0 {
		t.Fatalf("lists %s and %s, %d examples, %d tables", a.File, b.File, len(a.Examples), len(a.Tables))
	}
	for i := range a.Examples {
		if reflect.ValueOf(a.Examples[i].Input).UnsafePointer() != reflect.ValueOf(b.Examples[i].Input).UnsafePointer() {
			t.Errorf("example %q: each copy keeps its own inputs", a.Examples[i].Name)
		}
		if a.Examples[i].Pos.File != a.File || b.Examples[i].Pos.File != b.File {
			t.Errorf("example %q moved: %s, %s", a.Examples[i].Name, a.Examples[i].Pos, b.Examples[i].Pos)
		}
	}
	if &a.Tables[0].Rows.Values[0] != &b.Tables[0].Rows.Values[0] {
		t.Error("the copies' first tables keep their own rows")
	}
	if err := rs.CheckExamples(); err != nil {
		t.Errorf("after sharing: %v", err)
	}

	bad := files[2]
	bad.Data = []byte(strings.Replace(string(bad.Data), "input: {duration: 30}", "input: {duration: -30}", 1))
	files[2] = bad
	if _, err := CompileFiles(files); err == nil || !strings.Contains(err.Error(), bad.Path+":") || strings.Contains(err.Error(), files[0].Path+":") {
		t.Errorf("a bad example value in %s: %v", bad.Path, err)
	}
}

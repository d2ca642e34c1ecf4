package rules

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestDirReader checks what a reread trusts: a file whose size, time and
// inode are unchanged and not recent is not read again; a file written
// again, or replaced by rename with its old size and time, or modified
// recently, is.
func TestDirReader(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	write := func(name, text string, mod time.Time) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	read := func(r *DirReader) map[string]string {
		t.Helper()
		files, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, f := range files {
			out[filepath.Base(f.Path)] = string(f.Data)
			if f.Sum() != withSum(f).Sum() {
				t.Errorf("%s: its digest is not its content's", f.Path)
			}
		}
		return out
	}
	write("a.yaml", "name: a1", old)
	write("b.yaml", "name: b1", old)
	write("c.yaml", "name: c1", time.Now())
	r := NewDirReader(dir)
	read(r)

	// In place, same size, the old time put back: the stat vouches for
	// the old content, which proves the file was not opened again.
	write("a.yaml", "name: a2", old)
	// Replaced by rename with the old size and time: another inode.
	tmp := filepath.Join(dir, ".b.tmp")
	if err := os.WriteFile(tmp, []byte("name: b2"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "b.yaml")); err != nil {
		t.Fatal(err)
	}
	// Recent: read again whatever its stat says.
	write("c.yaml", "name: c2", time.Now())
	got := read(r)
	want := map[string]string{"a.yaml": "name: a1", "b.yaml": "name: b2", "c.yaml": "name: c2"}
	for name, text := range want {
		if got[name] != text {
			t.Errorf("%s: %q, want %q", name, got[name], text)
		}
	}
	// Reading all trusts no stat.
	write("a.yaml", "name: a4", old)
	files, err := r.ReadAll()
	if err != nil || len(files) != 3 || string(files[0].Data) != "name: a4" {
		t.Errorf("ReadAll: %v %v", files, err)
	}
	// A new time is a change.
	write("a.yaml", "name: a3", old.Add(time.Minute))
	if got := read(r); got["a.yaml"] != "name: a3" {
		t.Errorf("a.yaml with a new time: %q", got["a.yaml"])
	}
	// A removed file is gone; an added one is read.
	if err := os.Remove(filepath.Join(dir, "b.yaml")); err != nil {
		t.Fatal(err)
	}
	write("d.yaml", "name: d1", old)
	if got := read(r); len(got) != 3 || got["d.yaml"] != "name: d1" || got["b.yaml"] != "" {
		t.Errorf("after removing b and adding d: %v", got)
	}
}

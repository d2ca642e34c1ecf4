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

// TestDirReaderNamed checks what ReadNamed trusts: only the files named
// are asked about (a file changed but not named keeps its last content,
// which proves it was not stated); a named file written, added, removed
// or renamed is seen; and what it cannot trust (a name that is no plain
// entry, the directory switched by a link, no read before) makes it read
// as Read does.
func TestDirReaderNamed(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "release-1")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(base, "current")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	write := func(dir, name, text string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, old, old); err != nil {
			t.Fatal(err)
		}
	}
	texts := func(files []File, err error) map[string]string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for i, f := range files {
			out[filepath.Base(f.Path)] = string(f.Data)
			if filepath.Dir(f.Path) != link {
				t.Errorf("%s: a path not under the name read (%s)", f.Path, link)
			}
			if i > 0 && files[i-1].Path >= f.Path {
				t.Errorf("files out of order: %s before %s", files[i-1].Path, f.Path)
			}
		}
		return out
	}
	check := func(what string, got map[string]string, want map[string]string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
		for name, text := range want {
			if got[name] != text {
				t.Errorf("%s: %s is %q, want %q", what, name, got[name], text)
			}
		}
	}
	write(dir, "a.yaml", "name: a1")
	write(dir, "b.yaml", "name: b1")
	write(dir, "c.yaml", "name: c1")
	r := NewDirReader(link)
	if got := texts(r.ReadNamed([]string{"a.yaml"})); got["c.yaml"] != "name: c1" { // no read before: every file
		t.Fatalf("a first ReadNamed: %v", got)
	}

	write(dir, "a.yaml", "name: a2, longer")
	write(dir, "c.yaml", "name: c2, longer") // not named: not asked about
	write(dir, "d.yaml", "name: d1")         // added
	if err := os.Remove(filepath.Join(dir, "b.yaml")); err != nil {
		t.Fatal(err)
	}
	check("a, b, d named", texts(r.ReadNamed([]string{"a.yaml", "b.yaml", "d.yaml", ".a.yaml.swp", "4913"})),
		map[string]string{"a.yaml": "name: a2, longer", "c.yaml": "name: c1", "d.yaml": "name: d1"})

	// Renamed: both names are named (a rename's two events).
	if err := os.Rename(filepath.Join(dir, "d.yaml"), filepath.Join(dir, "e.yaml")); err != nil {
		t.Fatal(err)
	}
	check("d renamed to e", texts(r.ReadNamed([]string{"d.yaml", "e.yaml"})),
		map[string]string{"a.yaml": "name: a2, longer", "c.yaml": "name: c1", "e.yaml": "name: d1"})

	// A name that is no plain entry of the directory: every file is asked.
	check("a name with a slash", texts(r.ReadNamed([]string{"sub/x.yaml"})),
		map[string]string{"a.yaml": "name: a2, longer", "c.yaml": "name: c2, longer", "e.yaml": "name: d1"})

	// The link switched to another release: read whole, whatever is named.
	next := filepath.Join(base, "release-2")
	if err := os.Mkdir(next, 0o755); err != nil {
		t.Fatal(err)
	}
	write(next, "a.yaml", "name: a9")
	tmp := filepath.Join(base, "current.tmp")
	if err := os.Symlink(next, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, link); err != nil {
		t.Fatal(err)
	}
	check("the link switched", texts(r.ReadNamed([]string{"c.yaml"})), map[string]string{"a.yaml": "name: a9"})

	// A rule file that is a link: its target can change with no event in
	// the directory, so every file is asked about.
	outside := filepath.Join(base, "outside.yaml")
	write(base, "outside.yaml", "name: o1")
	if err := os.Symlink(outside, filepath.Join(next, "o.yaml")); err != nil {
		t.Fatal(err)
	}
	check("a link added", texts(r.ReadNamed([]string{"o.yaml"})), map[string]string{"a.yaml": "name: a9", "o.yaml": "name: o1"})
	write(base, "outside.yaml", "name: o2, longer")
	check("a link's target changed, nothing named", texts(r.ReadNamed(nil)), map[string]string{"a.yaml": "name: a9", "o.yaml": "name: o2, longer"})
}

package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// DirReader reads a rule directory again and again, as a live rule set's
// reloads do. A file whose size, modification time and identity (inode)
// are those it had at the last read is taken from that read without being
// opened, the way git's index spares it reading an unchanged tree: a
// reload of a thousand files where one changed reads one. A file modified
// within RacyWindow of the last read is read again whatever its stat says,
// for a write of the same size could share its timestamp.
type DirReader struct {
	dir   string
	known map[string]knownFile // by path as shown
	read  time.Time            // when the last Read began
	next  map[string]knownFile
	// root is the directory the last read read the files of, dir's links
	// resolved ("" when dir is a file, or the read failed); links tells
	// that a rule file there is a link, whose target can change with no
	// event in the directory.
	root  string
	links bool
}

// RacyWindow is how recently modified a file must not be for its stat to
// vouch for its contents.
const RacyWindow = 2 * time.Second

type knownFile struct {
	size int64
	mod  time.Time
	id   uint64
	file File
}

// NewDirReader reads dir (a directory, or one file) with a memory of the
// files it read.
func NewDirReader(dir string) *DirReader { return &DirReader{dir: dir} }

// Read reads the rule files as ReadDir does, reading only those that
// changed since the last Read.
func (r *DirReader) Read() ([]File, error) { return r.read1(true) }

// ReadAll reads every rule file, trusting no stat (for a reload someone
// asked for: a file whose time was put back is read too).
func (r *DirReader) ReadAll() ([]File, error) { return r.read1(false) }

func (r *DirReader) read1(trust bool) ([]File, error) {
	start := time.Now()
	if !trust {
		r.known = nil
	}
	r.next, r.root, r.links = make(map[string]knownFile, len(r.known)), "", false
	files, err := readDir(r.dir, r)
	if err != nil {
		r.root = ""
		return nil, err
	}
	r.known, r.read = r.next, start
	return files, nil
}

// ReadNamed reads the rule files as Read does, trusting that of the files
// the last Read took, only those named may have changed since: names are
// entries of the directory, as a file watcher reports them (written,
// created, removed, renamed). Each named file is stated and read as Read
// does; the others are taken from the last read without a stat: a reload
// of a directory of a thousand files after one changed asks the disk
// about one. Where it cannot trust that, it reads as Read does: no read
// of the directory before, the directory's name leading elsewhere now (a
// release switched with a link, a ConfigMap's ..data swapped), a rule
// file that is a link (its target may change with no event here), or a
// name that is not a plain entry of it.
func (r *DirReader) ReadNamed(names []string) ([]File, error) {
	start := time.Now()
	root := r.root
	if root == "" || r.known == nil || r.links || resolveRoot(r.dir) != root {
		return r.Read()
	}
	for _, name := range names {
		if name == "" || name == "." || strings.HasPrefix(name, "..") || strings.ContainsAny(name, `/\`) {
			return r.Read()
		}
	}
	r.next = maps.Clone(r.known)
	fsys := diskFS(root)
	for _, name := range names {
		if !isYAML(name) && !IsDataFile(name) {
			continue // an editor's temporary file, say
		}
		shown := path.Join(r.dir, name)
		if info, err := os.Lstat(filepath.Join(root, name)); err == nil && info.Mode()&fs.ModeSymlink != 0 {
			r.links = true // from now on, every file is asked about
		}
		if _, ok := r.unchanged(fsys, name, shown); ok {
			continue
		}
		delete(r.next, shown)
		data, err := readRuleFile(fsys, name, shown)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errDirectory) {
			continue // removed or renamed away, or a directory
		}
		if err != nil {
			return nil, err
		}
		f := withSum(File{Path: shown, Data: data})
		r.remember(fsys, name, f)
	}
	if len(r.next) > MaxFiles {
		return nil, fmt.Errorf("%s: more than %d rule files", r.dir, MaxFiles)
	}
	files := make([]File, 0, len(r.next))
	for shown, k := range r.next {
		k.file.Path = shown
		files = append(files, k.file)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	r.known, r.read = r.next, start
	return files, nil
}

// unchanged returns the file as the last read read it, when its stat says
// it has not changed since.
func (r *DirReader) unchanged(fsys fs.FS, name, shown string) (File, bool) {
	if r == nil {
		return File{}, false
	}
	k, seen := r.known[shown]
	if !seen {
		return File{}, false
	}
	info, err := fs.Stat(fsys, name)
	if err != nil || !info.Mode().IsRegular() || info.Size() != k.size || !info.ModTime().Equal(k.mod) ||
		fileID(info) != k.id || !info.ModTime().Before(r.read.Add(-RacyWindow)) {
		return File{}, false
	}
	k.file.Path = shown
	r.next[shown] = k
	return k.file, true
}

// remember notes a file just read, with its stat.
func (r *DirReader) remember(fsys fs.FS, name string, f File) {
	if r == nil {
		return
	}
	if info, err := fs.Stat(fsys, name); err == nil {
		r.next[f.Path] = knownFile{size: info.Size(), mod: info.ModTime(), id: fileID(info), file: f}
	}
}

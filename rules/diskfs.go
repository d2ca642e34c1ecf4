package rules

import (
	"io/fs"
	"os"
	"path/filepath"
)

// diskFS is a directory on disk as an fs.FS, like os.DirFS, except that it
// opens files without blocking: opening a named pipe with os.Open waits
// for a writer, for ever if none comes, before its type can be asked.
type diskFS string

func (d diskFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := os.OpenFile(filepath.Join(string(d), filepath.FromSlash(name)), os.O_RDONLY|openNonBlocking, 0)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Stat follows links as os.Stat does, in one call (fs.Stat would open the
// file): a reload stats every file of the directory.
func (d diskFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	return os.Stat(filepath.Join(string(d), filepath.FromSlash(name)))
}

package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// output opens where a command writes its results: standard output for
// "-", else a temporary file beside name, renamed to name by finish(true),
// so that a run that fails or is interrupted never leaves a half-written
// result where a whole one was expected; finish(false) removes it. An
// output that is the same file as one of inputs is refused: writing it
// would destroy the input while it is read.
func (c *command) output(name string, inputs ...string) (w io.Writer, finish func(ok bool) error, err error) {
	if name == "-" {
		return c.stdout, func(bool) error { return nil }, nil
	}
	if out, err := os.Stat(name); err == nil {
		for _, in := range inputs {
			if info, err := os.Stat(in); err == nil && os.SameFile(out, info) {
				return nil, nil, fmt.Errorf("-o %s is the input file %s: write the results to another file", name, in)
			}
		}
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return nil, nil, err
	}
	finish = func(ok bool) error {
		err := f.Close()
		if ok && err == nil {
			if err = os.Chmod(f.Name(), 0o644); err == nil {
				err = os.Rename(f.Name(), name)
			}
		}
		if !ok || err != nil {
			os.Remove(f.Name())
		}
		return err
	}
	return f, finish, nil
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ratecard/reprice"
)

// plotComparison writes the comparison's plots into the file name, as an
// SVG or a PNG by its extension.
func plotComparison(c *reprice.Comparison, name string) error {
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".svg" && ext != ".png" {
		return fmt.Errorf("-plot %s: the file must end in .svg or .png", name)
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := c.Plot(f, ext[1:]); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

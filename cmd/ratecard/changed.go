package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"ratecard/engine"
	"ratecard/rules"
)

// changeFlags pick the lists a change touches, for check and test on a
// pull request: a list is touched when a file that builds it changed (its
// own, or that of a list it extends, at any depth).
type changeFlags struct {
	since, files *string
}

func (c *command) changeFlags() *changeFlags {
	return &changeFlags{
		since: c.flags.String("changed-since", "", "only the lists that the files changed since git `REV` build (and those extending them); untracked files count as changed"),
		files: c.flags.String("changed", "", "only the lists that these rule files build (and those extending them): `FILE,...`"),
	}
}

// changed returns the changed files as absolute paths, or nil when the
// flags ask for every list.
func (f *changeFlags) changed() (map[string]bool, error) {
	out := map[string]bool{}
	add := func(name string) error {
		abs, err := filepath.Abs(name)
		if err != nil {
			return err
		}
		out[abs] = true
		return nil
	}
	switch {
	case *f.since != "" && *f.files != "":
		return nil, fmt.Errorf("-changed-since and -changed go alone")
	case *f.files != "":
		for _, name := range strings.Split(*f.files, ",") {
			if err := add(strings.TrimSpace(name)); err != nil {
				return nil, err
			}
		}
	case *f.since != "":
		top, err := git("rev-parse", "--show-toplevel")
		if err != nil {
			return nil, fmt.Errorf("-changed-since: %v", err)
		}
		root := strings.TrimSpace(string(top))
		diff, err := git("diff", "--name-only", *f.since, "--")
		if err != nil {
			return nil, fmt.Errorf("-changed-since %s: %v", *f.since, err)
		}
		untracked, err := git("ls-files", "--others", "--exclude-standard", "--full-name", root)
		if err != nil {
			return nil, fmt.Errorf("-changed-since: %v", err)
		}
		for _, name := range strings.Fields(string(diff) + "\n" + string(untracked)) {
			out[filepath.Join(root, name)] = true
		}
	default:
		return nil, nil
	}
	return out, nil
}

// touched reports whether a changed file builds the list: its own, a
// base's, or a data file (a grid's CSV may be read by any list).
func touched(l *rules.PriceList, changed map[string]bool) bool {
	for _, name := range changedNames(changed) {
		if rules.IsDataFile(filepath.Base(name)) {
			return true
		}
	}
	for r := l; r != nil; r = r.Base {
		if abs, err := filepath.Abs(r.File); err == nil && changed[abs] {
			return true
		}
	}
	return false
}

func changedNames(changed map[string]bool) []string {
	names := make([]string, 0, len(changed))
	for name := range changed {
		names = append(names, name)
	}
	return names
}

// selectLists returns the lists to check: all of them, or those touched.
func selectLists(rs *engine.RuleSet, changed map[string]bool) []*engine.PriceList {
	var out []*engine.PriceList
	for _, l := range rs.Lists() {
		if changed == nil || touched(l.Rules, changed) {
			out = append(out, l)
		}
	}
	return out
}

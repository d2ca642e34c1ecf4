package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"path"
	"strings"

	"ratecard"
	"ratecard/engine"
	"ratecard/rules"
)

// loadSpec loads rules named by a -rules, -old or -new value: "" for the
// built-in rules, "git:REV:DIR" for a directory as it is in a git
// revision (so that a reviewer can diff a pull request's rules without
// checking anything out), or a directory or file on disk.
func loadSpec(spec string) (*engine.RuleSet, error) {
	switch {
	case spec == "":
		return engine.LoadFS(ratecard.ShippedRules, ratecard.ShippedRulesDir)
	case strings.HasPrefix(spec, "git:"):
		files, err := gitFiles(spec)
		if err != nil {
			return nil, err
		}
		return engine.CompileFiles(files)
	}
	return engine.LoadDir(spec)
}

// gitFiles reads the rule files of "git:REV:DIR" with the git command.
func gitFiles(spec string) ([]rules.File, error) {
	rev, dir, ok := strings.Cut(strings.TrimPrefix(spec, "git:"), ":")
	if !ok || rev == "" || dir == "" {
		return nil, fmt.Errorf("%q: a git source is git:REVISION:DIRECTORY, such as git:HEAD~1:rules.d", spec)
	}
	dir = strings.TrimSuffix(dir, "/")
	names, err := git("ls-tree", "--name-only", rev+":"+dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", spec, err)
	}
	var files []rules.File
	for _, name := range strings.Split(strings.TrimSpace(string(names)), "\n") {
		if !rules.IsRuleFile(name) {
			continue
		}
		data, err := git("show", rev+":"+path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", spec, err)
		}
		files = append(files, rules.File{Path: "git:" + rev + ":" + path.Join(dir, name), Data: data})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no rule files (*.yaml) there", spec)
	}
	return files, nil
}

func git(args ...string) ([]byte, error) {
	var stderr bytes.Buffer
	cmd := exec.Command("git", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", args[0], msg)
		}
		return nil, fmt.Errorf("git %s: %v", args[0], err)
	}
	return out, nil
}

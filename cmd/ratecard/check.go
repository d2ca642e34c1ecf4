package main

import (
	"fmt"
)

func runCheck(c *command, args []string) int {
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	rs, err := c.load()
	if err != nil {
		return c.fail(err)
	}
	for _, l := range rs.Lists() {
		r := l.Rules
		fmt.Fprintf(c.stdout, "ok  %s: %d %s, %d %s, %d %s (%s)\n", r.Name,
			len(r.Inputs), plural(len(r.Inputs), "input", "inputs"),
			len(r.Rates), plural(len(r.Rates), "rate", "rates"),
			len(r.Examples), plural(len(r.Examples), "example", "examples"), r.File)
	}
	fmt.Fprintf(c.stdout, "rules %s\n", rs.Digest)
	return exitOK
}

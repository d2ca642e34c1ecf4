package main

import (
	"fmt"
)

func runTest(c *command, args []string) int {
	verbose := c.flags.Bool("v", false, "list every example, not only the failing ones")
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	rs, err := c.load()
	if err != nil {
		return c.fail(err)
	}
	passed, failed := 0, 0
	for _, res := range rs.RunExamples() {
		l, _ := rs.List(res.List)
		if res.Passed() {
			passed++
			if *verbose {
				fmt.Fprintf(c.stdout, "ok    %s: %s\n", res.List, res.Example.Name)
			}
			continue
		}
		failed++
		fmt.Fprintf(c.stdout, "FAIL  %s: %s\n", res.List, res.Example.Name)
		fmt.Fprintf(c.stdout, "      %s\n", res.Example.Pos)
		fmt.Fprintf(c.stdout, "      request: %s\n", res.Request(l))
		if res.Err != nil {
			fmt.Fprintf(c.stdout, "      error: %v\n", res.Err)
		}
		for _, m := range res.Wrong {
			fmt.Fprintf(c.stdout, "      %s\n", m)
		}
	}
	fmt.Fprintf(c.stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return exitFail
	}
	return exitOK
}

package main

import "ratecard/rules"

// runSchema prints the JSON Schema of rule files, for editors.
func runSchema(c *command, args []string) int {
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	if _, err := c.stdout.Write(rules.Schema); err != nil {
		return c.fail(err)
	}
	return exitOK
}

package main

import "ratecard/server"

// runOpenAPI prints the OpenAPI document of serve's HTTP API, from which
// clients can be generated.
func runOpenAPI(c *command, args []string) int {
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	_, _ = c.stdout.Write(server.OpenAPI)
	return exitOK
}

package main

import (
	"encoding/json"
	"fmt"

	"ratecard/engine"
)

func runQuote(c *command, args []string) int {
	return quoteOrExplain(c, args, false)
}

func runExplain(c *command, args []string) int {
	return quoteOrExplain(c, args, true)
}

func quoteOrExplain(c *command, args []string, explain bool) int {
	list := c.listFlag()
	format := c.formatFlag("text", "output `format`: text or json", "text", "json")
	tf := c.termsFlags()
	if code, ok := c.parse(args); !ok {
		return code
	}
	terms, err := tf.terms()
	if err != nil {
		return c.usageError("%v", err)
	}
	words, err := parseWords(c.flags.Args())
	if err != nil {
		return c.usageError("%v", err)
	}
	req := engine.Request{}
	for name, text := range words {
		req[name] = text
	}
	rs, err := c.load()
	if err != nil {
		return c.fail(err)
	}
	if !explain {
		q, err := rs.QuoteTerms(*list, terms, req)
		if err != nil {
			return c.fail(err)
		}
		if *format == "json" {
			return c.writeJSON(q)
		}
		writeQuote(c.stdout, q)
		return exitOK
	}
	e, err := rs.ExplainTerms(*list, terms, req)
	if err != nil {
		return c.fail(err)
	}
	if *format == "json" {
		return c.writeJSON(e)
	}
	writeExplanation(c.stdout, e)
	return exitOK
}

func (c *command) writeJSON(v any) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintln(c.stdout, string(b))
	return exitOK
}

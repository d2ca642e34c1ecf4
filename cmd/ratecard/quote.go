package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"ratecard/engine"
	"ratecard/internal/lines"
	"ratecard/reprice"
	"ratecard/server"
)

func runQuote(c *command, args []string) int {
	return quoteOrExplain(c, args, false)
}

// quoteBatch prices each line of a JSON-lines file of requests (as
// /v1/quote takes them) under one rule set, writing one JSON line per
// request: {"quote": ...} or {"error": ..., "line": N}. A bad line is its
// own error, never the end of the batch.
func (c *command) quoteBatch(path string, rs *engine.RuleSet, terms engine.Terms) int {
	var r io.Reader = c.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return c.fail(err)
		}
		defer f.Close()
		r = f
	}
	in := bufio.NewReaderSize(r, 64<<10)
	out := bufio.NewWriter(c.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	failed := 0
	for n := 1; ; n++ {
		line, err := lines.Read(in, reprice.MaxLine)
		if err == io.EOF {
			break
		}
		var res batchLine
		var req *server.QuoteRequest
		if err == nil {
			req, err = server.DecodeQuoteRequest(line)
		}
		if err == nil {
			t := req.Terms
			if t.At.IsZero() {
				t.At = terms.At
			}
			res.Quote, err = rs.QuoteTerms(req.List, t, req.Input)
		}
		if err != nil {
			res = batchLine{Error: err.Error(), Line: n}
			failed++
		}
		if err := enc.Encode(res); err != nil {
			return c.fail(err)
		}
	}
	if failed > 0 {
		out.Flush()
		fmt.Fprintf(c.stderr, "ratecard: %d requests could not be priced\n", failed)
		return exitFail
	}
	return exitOK
}

// batchLine is one answer of quote -batch.
type batchLine struct {
	Quote *engine.Quote `json:"quote,omitempty"`
	Error string        `json:"error,omitempty"`
	Line  int           `json:"line,omitempty"`
}

func runExplain(c *command, args []string) int {
	return quoteOrExplain(c, args, true)
}

func quoteOrExplain(c *command, args []string, explain bool) int {
	list := c.listFlag()
	format := c.formatFlag("text", "output `format`: text or json", "text", "json")
	tf := c.termsFlags()
	var batch *string
	if !explain {
		batch = c.flags.String("batch", "", "price each line of `FILE` (JSON lines, each a request as /v1/quote takes it; - is standard input), one JSON answer a line")
	}
	if code, ok := c.parse(args); !ok {
		return code
	}
	terms, err := tf.terms()
	if err != nil {
		return c.usageError("%v", err)
	}
	if batch != nil && *batch != "" {
		if c.flags.NArg() > 0 {
			return c.usageError("-batch takes its requests from the file, not NAME=VALUE words")
		}
		rs, err := c.load()
		if err != nil {
			return c.fail(err)
		}
		return c.quoteBatch(*batch, rs, terms)
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

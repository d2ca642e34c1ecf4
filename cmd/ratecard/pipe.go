package main

import (
	"fmt"
	"strings"

	"ratecard/udf"
)

// runPipe serves the row protocol of warehouse functions on standard
// input and output until the input ends.
func runPipe(c *command, args []string) int {
	list := c.listFlag()
	format := c.flags.String("format", udf.TabSeparated, "the rows' `FORMAT`: TabSeparated or JSONEachRow (input and output)")
	columns := c.flags.String("columns", "", "the `NAMES` of a TabSeparated row's fields, in order: inputs, and the -at-column")
	atColumn := c.flags.String("at-column", "", "the field holding the instant a row is priced as of (RFC 3339, or YYYY-MM-DD hh:mm:ss in UTC)")
	chunkHeader := c.flags.Bool("chunk-header", false, "each chunk comes after a line with its row count (ClickHouse's send_chunk_header)")
	output := c.flags.String("output", "", "what each result row holds: `OUTPUTS`, meter names, quote (the quote as JSON) or digest (default: the list's first meter)")
	names := c.flags.String("names", "", "the JSONEachRow keys of the outputs (default: result for one output, their own names for several)")
	pass := c.flags.String("pass", "", "fields carried through to each result row before the outputs, as `NAMES` (a key to join on)")
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	rs, err := c.load()
	if err != nil {
		return c.fail(err)
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		parts := strings.Split(s, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts
	}
	opts := udf.Options{List: *list, Format: *format, Columns: split(*columns), AtColumn: *atColumn, ChunkHeader: *chunkHeader,
		Outputs: split(*output), Names: split(*names), Pass: split(*pass), Log: c.stderr}
	// The digest first, on standard error: a warehouse table can record
	// which rules priced its rows (or ask for it as the digest output).
	fmt.Fprintf(c.stderr, "ratecard pipe: rules %s\n", rs.Digest)
	st, err := udf.Pipe(rs, c.stdin, c.stdout, opts)
	if err != nil {
		return c.fail(fmt.Errorf("after %d rows: %w", st.Rows, err))
	}
	return exitOK
}

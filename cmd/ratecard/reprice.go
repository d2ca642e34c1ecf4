package main

import (
	"fmt"
	"io"
	"ratecard/internal/report"

	"ratecard/reprice"
)

func runReprice(c *command, args []string) int {
	list := c.listFlag()
	what := c.whatIfFlags("the usage `FILE`: CSV with a header row, or JSON lines (.jsonl); .gz is gunzipped; - is standard input")
	out := c.flags.String("o", "-", "write one result per record to `FILE` (- is standard output)")
	format := c.formatFlag("", "results `format`: csv or jsonl (default: the usage file's)", "csv", "jsonl")
	summaryOnly := c.flags.Bool("summary", false, "print only the totals, no result per record")
	periods := c.periodFlags()
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	if *what.usage == "" {
		return c.usageError("reprice needs -usage FILE")
	}
	if periods.on() {
		if *periods.atColumn == "" {
			return c.usageError("-list-column goes with -at-column: a record's plan is priced as of its instant")
		}
		if *format != "" && *format != "jsonl" {
			return c.usageError("with -at-column, -format is text (the default) or jsonl (the report as JSON)")
		}
		return c.runPeriods(*list, periods, what, map[string]string{"": "text", "jsonl": "json"}[*format])
	}
	l, err := c.loadList(*list)
	if err != nil {
		return c.fail(err)
	}
	in, opts, err := c.openUsage(what)
	if err != nil {
		return c.fail(err)
	}
	defer in.Close()

	// Results go to -o; the summary goes to standard output unless the
	// results are there, then to standard error.
	summaryOut := c.stdout
	finish := func(bool) error { return nil }
	if !*summaryOnly {
		var w io.Writer
		if w, finish, err = c.output(*out, *what.usage); err != nil {
			return c.fail(err)
		}
		if *out == "-" {
			summaryOut = c.stderr
		}
		f := *format
		if f == "" {
			f = in.Format()
		}
		opts.Results = reprice.NewResultWriter(w, f)
	}
	stopProgress := c.progress(in)
	s, err := reprice.Run(in, l, opts)
	stopProgress()
	if finishErr := finish(err == nil); err == nil {
		err = finishErr
	}
	if s != nil && s.Read > 0 {
		writeSummary(summaryOut, s) // what was read before any error
	}
	if err != nil {
		return c.fail(usageFileError(*what.usage, err))
	}
	if s.Rejected > 0 {
		fmt.Fprintf(c.stderr, "ratecard: %d of %d records rejected\n", s.Rejected, s.Read)
		return exitFail
	}
	return exitOK
}

func writeSummary(w io.Writer, s *reprice.Summary) {
	fmt.Fprintf(w, "%s: %d records read, %d priced, %d rejected\n", s.List, s.Read, s.Priced, s.Rejected)
	writeInputs(w, s)
	var rows [][]string
	for i, m := range s.Meters {
		rows = append(rows, []string{m, s.Total.Meters[i].StringFixed(s.Places[i])})
	}
	fmt.Fprintln(w, "total:")
	report.Columns(w, "  ", rows, 1)
	if s.Groups == nil {
		return
	}
	fmt.Fprintf(w, "by %s:\n", s.GroupBy)
	header := append([]string{s.GroupBy, "records"}, s.Meters...)
	rows = [][]string{header}
	for _, name := range s.GroupNames() {
		g := s.Groups[name]
		row := []string{name, fmt.Sprint(g.Records)}
		for i := range s.Meters {
			row = append(row, g.Meters[i].StringFixed(s.Places[i]))
		}
		rows = append(rows, row)
	}
	right := make([]int, 0, len(header))
	for i := 1; i < len(header); i++ {
		right = append(right, i)
	}
	report.Columns(w, "  ", rows, right...)
}

package main

import (
	"fmt"
	"io"
	"runtime"

	"ratecard/reprice"
)

func runReprice(c *command, args []string) int {
	list := c.listFlag()
	usage := c.flags.String("usage", "", "the usage `FILE`: CSV with a header row, or JSON lines (.jsonl); .gz is gunzipped; - is standard input")
	out := c.flags.String("o", "-", "write one result per record to `FILE` (- is standard output)")
	format := c.formatFlag("", "results `format`: csv or jsonl (default: the usage file's)", "csv", "jsonl")
	summaryOnly := c.flags.Bool("summary", false, "print only the totals, no result per record")
	groupBy := c.flags.String("group-by", "", "also sum per value of `COLUMN`")
	strict := c.flags.Bool("strict", false, "stop at the first bad record")
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	if *usage == "" {
		return c.usageError("reprice needs -usage FILE")
	}
	l, err := c.loadList(*list)
	if err != nil {
		return c.fail(err)
	}
	in, opts, err := c.openUsage(*usage, *groupBy, *strict)
	if err != nil {
		return c.fail(err)
	}
	defer in.Close()

	// Results go to -o; the summary goes to standard output unless the
	// results are there, then to standard error.
	summaryOut := c.stdout
	done := func() error { return nil }
	if !*summaryOnly {
		var w io.Writer
		if w, done, err = c.output(*out); err != nil {
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
	if closeErr := done(); err == nil {
		err = closeErr
	}
	if err != nil {
		return c.fail(fmt.Errorf("%s:%v", *usage, err))
	}
	writeSummary(summaryOut, s)
	if s.Rejected > 0 {
		fmt.Fprintf(c.stderr, "ratecard: %d of %d records rejected\n", s.Rejected, s.Read)
		return exitFail
	}
	return exitOK
}

// openUsage opens a usage file for reprice or diff, with the options both
// take: every core, and each bad record reported on standard error.
func (c *command) openUsage(usage, groupBy string, strict bool) (*reprice.Input, reprice.Options, error) {
	in, err := reprice.Open(usage, c.stdin)
	opts := reprice.Options{GroupBy: groupBy, Strict: strict, Workers: runtime.GOMAXPROCS(0),
		OnBad: func(b *reprice.BadRecord) { fmt.Fprintf(c.stderr, "%s:%v\n", usage, b) }}
	return in, opts, err
}

func writeSummary(w io.Writer, s *reprice.Summary) {
	fmt.Fprintf(w, "%s: %d records read, %d priced, %d rejected\n", s.List, s.Read, s.Priced, s.Rejected)
	var rows [][]string
	for i, m := range s.Meters {
		rows = append(rows, []string{m, s.Total.Meters[i].StringFixed(s.Places[i])})
	}
	fmt.Fprintln(w, "total:")
	writeColumns(w, "  ", rows, 1)
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
	writeColumns(w, "  ", rows, right...)
}

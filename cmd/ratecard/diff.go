package main

import (
	"fmt"
	"time"

	"ratecard/engine"
	"ratecard/reprice"
	"ratecard/rules"
)

func runDiff(c *command, args []string) int {
	oldSpec := c.flags.String("old", "", "the old rules: a `DIR`, a file, or git:REV:DIR (required)")
	newSpec := c.flags.String("new", "", "the new rules: a `DIR`, a file, or git:REV:DIR (default: the built-in rules)")
	list := c.listFlag()
	what := c.whatIfFlags("reprice the usage `FILE` under both (else compare the price tables)")
	format := c.formatFlag("text", "output `format`: text, markdown or json", "text", "markdown", "json")
	top := c.flags.Int("top", 10, "show the `N` records with the largest changes")
	plot := c.flags.String("plot", "", "draw the differences into `FILE` (.svg or .png)")
	atFlag := c.flags.String("at", "", "price the new rules as of this `INSTANT` (RFC 3339; default now)")
	atColumn := c.flags.String("at-column", "", "price each record as of the instant in `COLUMN` under both rule sets, and compare customers' periods")
	listColumn := c.flags.String("list-column", "", "with -at-column, price each record under the list (or plan of -list) named in `COLUMN`")
	period := c.flags.String("period", "month", "with -at-column, the `PERIOD` summed per customer (-group-by): day, month or year")
	oldAtFlag := c.flags.String("old-at", "", "price the old rules as of this `INSTANT` (default: -at); with -old left out, the old rules are the new ones: a list against its own next version")
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	if *oldSpec == "" && *oldAtFlag == "" {
		return c.usageError("diff needs -old (a directory, a file or git:REV:DIR), or -old-at to compare the rules with themselves at another instant")
	}
	if *oldSpec == "" {
		*oldSpec = *newSpec
	}
	newAt, err := instantFlag("-at", *atFlag)
	if err != nil {
		return c.usageError("%v", err)
	}
	oldAt := newAt
	if *oldAtFlag != "" {
		if oldAt, err = rules.ParseInstant(*oldAtFlag); err != nil {
			return c.usageError("-old-at: %v", err)
		}
	}
	oldRules, err := loadSpec(*oldSpec)
	if err != nil {
		return c.fail(fmt.Errorf("old rules: %w", err))
	}
	newRules, err := loadSpec(*newSpec)
	if err != nil {
		return c.fail(fmt.Errorf("new rules: %w", err))
	}
	if *what.usage == "" {
		if *plot != "" || *what.groupBy != "" {
			return c.usageError("-plot and -group-by need -usage")
		}
		return c.diffTables(oldRules, newRules, *list, *format, oldAt, newAt)
	}
	if *atColumn != "" {
		if *what.usage == "-" {
			return c.usageError("-at-column reads the usage twice: give a file, not standard input")
		}
		return c.diffPeriods(oldRules, newRules, reprice.PeriodOptions{List: *list, AtColumn: *atColumn, ListColumn: *listColumn,
			GroupBy: *what.groupBy, Every: *period}, what, *top)
	}
	oldList, err := oldRules.ListAt(*list, engine.Terms{At: oldAt})
	if err != nil {
		return c.fail(fmt.Errorf("old rules: %w", err))
	}
	newList, err := newRules.ListAt(*list, engine.Terms{At: newAt})
	if err != nil {
		return c.fail(fmt.Errorf("new rules: %w", err))
	}
	in, opts, err := c.openUsage(what)
	if err != nil {
		return c.fail(err)
	}
	defer in.Close()
	stopProgress := c.progress(in)
	cmp, err := reprice.Compare(in, oldList, newList, opts, *top)
	stopProgress()
	if err != nil {
		if cmp != nil && cmp.Read > 0 {
			fmt.Fprintf(c.stderr, "%d records read, %d compared, %d rejected before the error\n", cmp.Read, cmp.Priced, cmp.Rejected)
		}
		return c.fail(usageFileError(*what.usage, err))
	}
	if *plot != "" {
		if err := plotComparison(cmp, *plot); err != nil {
			return c.fail(err)
		}
	}
	if *format == "json" {
		if code := c.writeJSON(cmp); code != exitOK {
			return code
		}
	} else {
		cmp.Report().Write(c.stdout, *format == "markdown")
	}
	if cmp.Rejected > 0 {
		fmt.Fprintf(c.stderr, "ratecard: %d of %d records rejected\n", cmp.Rejected, cmp.Read)
		return exitFail
	}
	return exitOK
}

// diffTables compares the declared price tables of the price lists both
// rule sets hold, side by side, marking the cells that change.
func (c *command) diffTables(oldRules, newRules *engine.RuleSet, list, format string, oldAt, newAt time.Time) int {
	diffs, newLists, err := reprice.CompareTables(oldRules, newRules, list, oldAt, newAt)
	if err != nil {
		return c.fail(err)
	}
	for _, name := range newLists {
		fmt.Fprintf(c.stderr, "ratecard: price list %s is new: no old tables to compare\n", name)
	}
	if format == "json" {
		return c.writeJSON(diffs)
	}
	reprice.TablesReport(diffs).Write(c.stdout, format == "markdown")
	return exitOK
}

// diffPeriods compares customers' periods under the old and new rules,
// each record priced as of its own instant.
func (c *command) diffPeriods(oldRules, newRules *engine.RuleSet, opts reprice.PeriodOptions, what *whatIfFlags, top int) int {
	var opened []*reprice.Input // the usage is read once per rule set
	defer func() {
		for _, in := range opened {
			in.Close()
		}
	}()
	open := func() (reprice.Reader, error) {
		in, err := reprice.Open(*what.usage, c.stdin)
		if err == nil {
			opened = append(opened, in)
		}
		return in, err
	}
	opts.Options = c.usageOptions(what)
	cmp, err := reprice.ComparePeriods(open, oldRules, newRules, opts)
	if err != nil {
		return c.fail(usageFileError(*what.usage, err))
	}
	writePeriodComparison(c.stdout, cmp, top)
	if cmp.New.Rejected > 0 || cmp.Old.Rejected > 0 {
		fmt.Fprintf(c.stderr, "ratecard: %d (old) and %d (new) of %d records rejected\n", cmp.Old.Rejected, cmp.New.Rejected, cmp.New.Read)
		return exitFail
	}
	return exitOK
}

package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"ratecard/reprice"
)

// whatIfFlags are the flags reprice and diff share: the usage file and how
// its records are read.
type whatIfFlags struct {
	usage, groupBy       *string
	strict, extraColumns *bool
}

// whatIfFlags declares the shared flags; usageHelp says what -usage does
// for the command.
func (c *command) whatIfFlags(usageHelp string) *whatIfFlags {
	return &whatIfFlags{
		usage:   c.flags.String("usage", "", usageHelp),
		groupBy: c.flags.String("group-by", "", "also sum per value of `COLUMN`"),
		strict:  c.flags.Bool("strict", false, "stop at the first bad record"),
		extraColumns: c.flags.Bool("extra-columns", false,
			"carry through columns that look like misspelt inputs (actors, Actor), which are otherwise an error"),
	}
}

// openUsage opens the usage file, with the options reprice and diff both
// take: every core, and each bad record reported on standard error.
func (c *command) openUsage(f *whatIfFlags) (*reprice.Input, reprice.Options, error) {
	in, err := reprice.Open(*f.usage, c.stdin)
	return in, c.usageOptions(f), err
}

// usageOptions are the options of a what-if run over the usage file.
func (c *command) usageOptions(f *whatIfFlags) reprice.Options {
	return reprice.Options{GroupBy: *f.groupBy, Strict: *f.strict, ExtraColumns: *f.extraColumns, Workers: runtime.GOMAXPROCS(0),
		OnBad: func(b *reprice.BadRecord) { fmt.Fprintf(c.stderr, "%s:%v\n", *f.usage, b) }}
}

// usageError words an error of a what-if run: file:line: for a record,
// file: for the rest.
func usageFileError(usage string, err error) error {
	var bad *reprice.BadRecord
	if errors.As(err, &bad) || strings.HasPrefix(err.Error(), "line ") {
		return fmt.Errorf("%s:%v", usage, err)
	}
	return fmt.Errorf("%s: %v", usage, err)
}

// writeInputs says how many records gave each input, and which inputs
// no record gave (a misnamed or missing column shows here): their default
// priced every record.
func writeInputs(w io.Writer, s *reprice.Summary) {
	var given, never []string
	for _, in := range s.Inputs {
		switch {
		case in.Given > 0:
			given = append(given, fmt.Sprintf("%s %d", in.Input, in.Given))
		case in.Column == "":
			never = append(never, in.Input+" (no column)")
		default:
			never = append(never, in.Input)
		}
	}
	if len(given) > 0 {
		fmt.Fprintf(w, "inputs given (records): %s\n", strings.Join(given, ", "))
	}
	if len(never) > 0 {
		fmt.Fprintf(w, "inputs never given, so at their default in every record: %s\n", strings.Join(never, ", "))
	}
}

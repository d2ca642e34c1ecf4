package reprice

import (
	"errors"
	"fmt"
	"io"

	"ratecard/engine"
)

// Options tune Run and Compare.
type Options struct {
	GroupBy string // sum per value of this column too
	Strict  bool   // stop at the first bad record
	// ExtraColumns carries through columns that look like misspelt
	// inputs (actors, Actor), which are otherwise an error.
	ExtraColumns bool
	// Results, when set, receives each priced record (Run only).
	Results *ResultWriter
	// Workers prices (Run) or compares (Compare) records on this many
	// goroutines, keeping results and bad records in the file's order; 0
	// or 1 works in turn. Strict runs in turn.
	Workers int
	// OnBad is told of each bad record (when not Strict).
	OnBad func(*BadRecord)
}

// each reads every record of in and calls price on each good one. A record
// that does not read, or for which price reports a bad record, is counted
// as rejected and given to OnBad, or with Strict stops the loop; an error
// that price returns as fatal (output failing) stops it too. No record is
// dropped silently or counted twice: read = priced + rejected.
func each(in Reader, opts Options, price func(rec *Record) (bad error, fatal error)) (read, rejected int, err error) {
	for {
		rec, err := in.Next()
		if err == io.EOF {
			return read, rejected, nil
		}
		var bad *BadRecord
		if err == nil || errors.As(err, &bad) {
			read++
		}
		switch {
		case err == nil:
			badErr, fatal := price(rec)
			if fatal != nil {
				return read, rejected, fatal
			}
			if badErr == nil {
				continue
			}
			bad = &BadRecord{Line: rec.Line, Err: badErr}
		case !errors.As(err, &bad):
			return read, rejected, err
		}
		rejected++
		if opts.Strict {
			return read, rejected, bad
		}
		if opts.OnBad != nil {
			opts.OnBad(bad)
		}
	}
}

// groupColumn finds the -group-by column, or -1 when there is none.
func groupColumn(b *binding, name string) (int, error) {
	if name == "" {
		return -1, nil
	}
	if i := b.column(name); i >= 0 {
		return i, nil
	}
	return -1, fmt.Errorf("-group-by %s: the usage file has no such column (it has %v)", name, b.columns)
}

// Run prices every record of in under l, streaming: memory does not grow
// with the number of records (but for the groups of GroupBy).
func Run(in Reader, l *engine.PriceList, opts Options) (*Summary, error) {
	if err := checkColumns(in.Columns(), in.Format() == "csv", opts.ExtraColumns, l); err != nil {
		return nil, err
	}
	b := bind(in.Columns(), l)
	group, err := groupColumn(b, opts.GroupBy)
	if err != nil {
		return nil, err
	}
	if opts.Results != nil {
		if err := opts.Results.begin(b); err != nil {
			return nil, err
		}
	}
	var s *Summary
	if opts.Workers > 1 && !opts.Strict {
		s, err = runParallel(in, b, group, opts)
	} else {
		s, err = runInTurn(in, b, group, opts)
	}
	if err == nil && opts.Results != nil {
		err = opts.Results.flush()
	}
	if s != nil {
		s.finish()
	}
	return s, err
}

func runInTurn(in Reader, b *binding, group int, opts Options) (*Summary, error) {
	s := newSummary(b.list, opts.GroupBy)
	p := b.pricer()
	var err error
	s.Read, s.Rejected, err = each(in, opts, func(rec *Record) (error, error) {
		q, err := p.quote(rec)
		if err != nil {
			return err, nil
		}
		s.add(groupOf(b, rec, group), q)
		if opts.Results != nil {
			return nil, opts.Results.write(rec, q)
		}
		return nil, nil
	})
	s.setInputs(b, p.given)
	return s, err
}

func groupOf(b *binding, rec *Record, group int) string {
	if group < 0 {
		return ""
	}
	return b.text(rec, group)
}

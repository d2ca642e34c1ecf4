package reprice

import (
	"errors"
	"fmt"
	"io"

	"ratecard/engine"
)

// Options tune Run.
type Options struct {
	GroupBy string // sum per value of this column too
	Strict  bool   // stop at the first bad record
	// Results, when set, receives each priced record.
	Results ResultWriter
	// OnBad is told of each bad record (when not Strict).
	OnBad func(*BadRecord)
}

// Run prices every record of in under l, streaming: memory does not grow
// with the number of records (but for the groups of GroupBy). A record
// that does not read or does not price is counted as rejected and given to
// OnBad, or with Strict stops the run. No record is dropped silently or
// counted twice: Read = Priced + Rejected.
func Run(in Reader, l *engine.PriceList, opts Options) (*Summary, error) {
	b := bind(in.Columns(), l)
	group := -1
	if opts.GroupBy != "" {
		if group = b.column(opts.GroupBy); group < 0 {
			return nil, fmt.Errorf("-group-by %s: the usage file has no such column (it has %v)", opts.GroupBy, b.columns)
		}
	}
	if opts.Results != nil {
		if err := opts.Results.Begin(b, l); err != nil {
			return nil, err
		}
	}
	s := newSummary(l, opts.GroupBy)
	req := engine.Request{}
	for {
		rec, err := in.Next()
		if err == io.EOF {
			break
		}
		var bad *BadRecord
		if err == nil {
			s.Read++
			if err = b.request(rec, req); err == nil {
				var q *engine.Quote
				if q, err = l.Quote(req); err == nil {
					groupName := ""
					if group >= 0 {
						groupName = b.text(rec, group)
					}
					s.add(groupName, q)
					if opts.Results != nil {
						if err := opts.Results.Write(rec, q); err != nil {
							return s, err
						}
					}
					continue
				}
			}
			bad = &BadRecord{Line: rec.Line, Err: err}
		} else if !errors.As(err, &bad) {
			return s, err
		} else {
			s.Read++
		}
		s.Rejected++
		if opts.Strict {
			return s, bad
		}
		if opts.OnBad != nil {
			opts.OnBad(bad)
		}
	}
	if opts.Results != nil {
		return s, opts.Results.Flush()
	}
	return s, nil
}

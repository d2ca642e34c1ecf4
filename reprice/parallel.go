package reprice

import (
	"errors"
	"io"
	"sort"
	"sync"

	"ratecard/engine"
)

// batchSize is how many records travel together between the stages of a
// parallel run: enough to make the hand-offs cheap, few enough to keep
// memory small.
const batchSize = 512

// batch is a run of consecutive records on its way through the stages.
type batch struct {
	seq  int
	recs []*Record
	bad  []*BadRecord // unreadable records, then those that did not price
	read int
	err  error    // a fatal read error after the records
	out  []byte   // the formatted results
	sums *Summary // what the batch's priced records pay
}

// runParallel reads on one goroutine, prices and formats on opts.Workers
// goroutines, and writes the results, the bad-record reports and the sums
// in the file's order on this one. Exact sums do not depend on the order
// they are added in, so each batch sums its own records.
func runParallel(in Reader, b *binding, group int, opts Options) (*Summary, error) {
	todo := make(chan *batch, opts.Workers)
	done := make(chan *batch, opts.Workers)
	stop := make(chan struct{})
	defer close(stop)

	go func() { // read
		defer close(todo)
		for seq := 0; ; seq++ {
			bt := &batch{seq: seq}
			for len(bt.recs) < batchSize {
				rec, err := in.Next()
				if err == io.EOF {
					break
				}
				bt.read++
				var bad *BadRecord
				if errors.As(err, &bad) {
					bt.bad = append(bt.bad, bad)
					continue
				}
				if err != nil {
					bt.read--
					bt.err = err
					break
				}
				if rec.Fields != nil { // the CSV reader reuses its slice
					rec.Fields = append([]string(nil), rec.Fields...)
				}
				bt.recs = append(bt.recs, rec)
			}
			select {
			case todo <- bt:
			case <-stop:
				return
			}
			if bt.read == 0 || bt.err != nil {
				return
			}
		}
	}()

	var wg sync.WaitGroup
	for w := 0; w < opts.Workers; w++ {
		wg.Add(1)
		go func() { // price and format
			defer wg.Done()
			var f *formatter
			if opts.Results != nil {
				f = newFormatter(b, opts.Results.format)
			}
			req := engine.Request{}
			for bt := range todo {
				bt.sums = newSummary(b.list, opts.GroupBy)
				for _, rec := range bt.recs {
					q, err := b.quote(rec, req)
					if err != nil {
						bt.bad = append(bt.bad, &BadRecord{Line: rec.Line, Err: err})
						continue
					}
					bt.sums.add(groupOf(b, rec, group), q)
					if f != nil {
						bt.out = f.row(bt.out, rec, q)
					}
				}
				sort.Slice(bt.bad, func(i, j int) bool { return bt.bad[i].Line < bt.bad[j].Line })
				select {
				case done <- bt:
				case <-stop:
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	s := newSummary(b.list, opts.GroupBy)
	waiting := map[int]*batch{}
	next := 0
	for bt := range done {
		waiting[bt.seq] = bt
		for bt := waiting[next]; bt != nil; bt = waiting[next] {
			delete(waiting, next)
			next++
			s.merge(bt.sums)
			s.Read += bt.read
			s.Rejected += len(bt.bad)
			for _, bad := range bt.bad {
				if opts.OnBad != nil {
					opts.OnBad(bad)
				}
			}
			if opts.Results != nil {
				if _, err := opts.Results.w.Write(bt.out); err != nil {
					return s, err
				}
			}
			if bt.err != nil {
				return s, bt.err
			}
		}
	}
	return s, nil
}

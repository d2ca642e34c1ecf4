package reprice

import (
	"errors"
	"io"
	"sort"
	"sync"
)

// batchSize is how many records travel together between the stages of a
// parallel run: enough to make the hand-offs cheap, few enough to keep
// memory small.
const batchSize = 512

// batch is a run of consecutive records on its way through the stages,
// with the part its worker folded them into.
type batch[P any] struct {
	seq  int
	recs []*Record
	bad  []*BadRecord // unreadable records, then those add rejected
	read int
	err  error // a fatal read error after the records
	part P
}

// inParallel reads batches of records on one goroutine, folds each batch
// into a part of its own on opts.Workers goroutines (newPart, then add for
// each record; an error from add rejects the record), and merges the parts
// on this goroutine in the file's order, reporting the bad records in
// order too. It returns how many records were read and rejected.
func inParallel[P any](in Reader, opts Options, newPart func() P, add func(P, *Record) error, merge func(P) error) (read, rejected int, err error) {
	todo := make(chan *batch[P], opts.Workers)
	done := make(chan *batch[P], opts.Workers)
	stop := make(chan struct{})
	defer close(stop)

	go func() { // read
		defer close(todo)
		for seq := 0; ; seq++ {
			bt := &batch[P]{seq: seq}
			for len(bt.recs) < batchSize {
				rec, err := in.Next()
				if err == io.EOF {
					break
				}
				var bad *BadRecord
				if errors.As(err, &bad) {
					bt.read++
					bt.bad = append(bt.bad, bad)
					continue
				}
				if err != nil {
					bt.err = err
					break
				}
				bt.read++
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
		go func() { // fold
			defer wg.Done()
			for bt := range todo {
				bt.part = newPart()
				for _, rec := range bt.recs {
					if err := add(bt.part, rec); err != nil {
						bt.bad = append(bt.bad, &BadRecord{Line: rec.Line, Err: err})
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

	waiting := map[int]*batch[P]{}
	next := 0
	for bt := range done {
		waiting[bt.seq] = bt
		for bt := waiting[next]; bt != nil; bt = waiting[next] {
			delete(waiting, next)
			next++
			read += bt.read
			rejected += len(bt.bad)
			if opts.OnBad != nil {
				for _, bad := range bt.bad {
					opts.OnBad(bad)
				}
			}
			if err := merge(bt.part); err != nil {
				return read, rejected, err
			}
			if bt.err != nil {
				return read, rejected, bt.err
			}
		}
	}
	return read, rejected, nil
}

// runPart is what a worker of a parallel Run makes of a batch: its sums
// and its formatted results.
type runPart struct {
	sums *Summary
	out  []byte
	f    *formatter
	p    *pricer
}

func runParallel(in Reader, b *binding, group int, opts Options) (*Summary, error) {
	s := newSummary(b.list, opts.GroupBy)
	newPart := func() *runPart {
		p := &runPart{sums: newSummary(b.list, opts.GroupBy), p: b.pricer()}
		if opts.Results != nil {
			p.f = newFormatter(b, opts.Results.format)
		}
		return p
	}
	add := func(p *runPart, rec *Record) error {
		q, err := p.p.quote(rec)
		if err != nil {
			return err
		}
		// Exact sums do not depend on the order they are added in.
		p.sums.add(groupOf(b, rec, group), q)
		if p.f != nil {
			p.out = p.f.row(p.out, rec, q)
		}
		return nil
	}
	given := make([]int, len(b.list.Rules.Inputs))
	merge := func(p *runPart) error {
		s.merge(p.sums)
		for i, n := range p.p.given {
			given[i] += n
		}
		if opts.Results != nil {
			_, err := opts.Results.w.Write(p.out)
			return err
		}
		return nil
	}
	var err error
	s.Read, s.Rejected, err = inParallel(in, opts, newPart, add, merge)
	s.setInputs(b, given)
	return s, err
}

package authoring

import (
	"runtime"
	"sync"

	"ratecard/engine"
	"ratecard/rules"
)

// ListCheck is what a check finds of one list.
type ListCheck struct {
	List     *engine.PriceList
	Report   *CheckReport
	Examples []*engine.ExampleResult // each of its examples, priced
	Failing  rules.ErrorList         // those that fail, at their positions
}

// CheckLists checks lists on every core, keeping their order: each list's
// sampling is independent of the others'.
func CheckLists(rs *engine.RuleSet, lists []*engine.PriceList, samples int, seed uint64) []ListCheck {
	out := make([]ListCheck, len(lists))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(lists)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				l := lists[i]
				results := l.RunExamples()
				out[i] = ListCheck{List: l, Report: Check(rs, l, samples, seed), Examples: results, Failing: engine.Failures(results)}
			}
		}()
	}
	for i := range lists {
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

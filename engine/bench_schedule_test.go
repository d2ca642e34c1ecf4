package engine

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"ratecard/rules"
)

// contractFile is a per-customer contract: an overlay of video-credits
// with its own actor price and a discount, from an instant.
func contractFile(i int) string {
	return fmt.Sprintf(`name: contract-%04d
extends: video-credits
effective: 2026-%02d-01T00:00:00Z
rates:
  - name: actor
    amount: blocks(billed, 30) * %d
adjustments:
  - name: contract_discount
    meter: credits
    when: action == "create"
    amount: -credits * 0.%02d
`, i, 1+i%11, 3+i%3, 5+i%20)
}

// contractFiles returns the shipped video-credits list and n contracts.
func contractFiles(t testing.TB, n int) []rules.File {
	base, err := os.ReadFile("../rules.d/video-credits.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := []rules.File{{Path: "video-credits.yaml", Data: base}}
	for i := range n {
		files = append(files, rules.File{Path: fmt.Sprintf("contract-%04d.yaml", i), Data: []byte(contractFile(i))})
	}
	return files
}

// BenchmarkQuoteOverlay prices the benchmark mix on the base list as a
// quote did before versions (the list in hand), and through a contract
// overlay found by name and instant, in the same run: the overlay's
// lookup and its extra line are what the ratio shows.
//
//   - base: the list's Quote, a Request map priced into a new Quote;
//   - empty-overlay-at: an overlay replacing nothing, found by name and an
//     explicit instant (Terms.At): the cost of the lookup alone;
//   - contract-at: a contract replacing a rate and adding a discount line;
//   - contract-now: the same, as of the clock (Clock()).
func BenchmarkQuoteOverlay(b *testing.B) {
	files := append(contractFiles(b, 1), rules.File{Path: "same.yaml", Data: []byte("name: same\nextends: video-credits\n")})
	rs, err := CompileFiles(files)
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	base, err := rs.ListAt("video-credits", Terms{At: at})
	if err != nil {
		b.Fatal(err)
	}
	reqs := benchRequests()
	run := func(b *testing.B, quote func(Request) (*Quote, error)) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := quote(reqs[i%len(reqs)]); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("base", func(b *testing.B) { run(b, base.Quote) })
	b.Run("empty-overlay-at", func(b *testing.B) {
		run(b, func(r Request) (*Quote, error) { return rs.QuoteTerms("same", Terms{At: at}, r) })
	})
	b.Run("contract-at", func(b *testing.B) {
		run(b, func(r Request) (*Quote, error) { return rs.QuoteTerms("contract-0000", Terms{At: at}, r) })
	})
	b.Run("contract-now", func(b *testing.B) {
		run(b, func(r Request) (*Quote, error) { return rs.Quote("contract-0000", r) })
	})
}

// BenchmarkLoadContracts compiles the video-credits list with 1,000
// contract overlays, from files in memory; it reports the heap the rule
// set keeps.
func BenchmarkLoadContracts(b *testing.B) {
	files := contractFiles(b, 1000)
	rs := benchLoad(b, func() (*RuleSet, error) { return CompileFiles(files) })
	b.ReportMetric(float64(len(rs.Lists())), "lists")
}

// benchLoad loads a rule set with load in the benchmark's loop, then once
// more to report the heap the loaded set keeps (MB-kept), and returns it.
func benchLoad(b *testing.B, load func() (*RuleSet, error)) *RuleSet {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := load(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rs, err := load()
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(rs)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB-kept")
	return rs
}

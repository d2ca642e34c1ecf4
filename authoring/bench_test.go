package authoring

import (
	"os"
	"testing"

	"ratecard/engine"
	"ratecard/internal/genlists"
)

// BenchmarkCheck checks the shipped video-credits list's invariants over
// 1,000 sampled requests, as `ratecard check` does for each list: the
// cost of one list's check, which a directory of many lists multiplies.
func BenchmarkCheck(b *testing.B) {
	rs, err := engine.LoadDir("../rules.d")
	if err != nil {
		b.Fatal(err)
	}
	l, err := rs.ListAt("video-credits", engine.Terms{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if rep := Check(rs, l, 1000, 1); len(rep.Violations) != 0 {
			b.Fatalf("violations: %v", rep.Violations)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "µs/sample")
}

// BenchmarkCheck50 is BenchmarkCheck on a generated copy of the list
// with 50 rates (as the many-lists figures use): pricing weighs more.
func BenchmarkCheck50(b *testing.B) {
	data, err := os.ReadFile("../rules.d/video-credits.yaml")
	if err != nil {
		b.Fatal(err)
	}
	rs, err := engine.CompileFiles(genlists.Lists(data, 1, 50))
	if err != nil {
		b.Fatal(err)
	}
	l := rs.Lists()[0]
	b.ReportAllocs()
	for b.Loop() {
		if rep := Check(rs, l, 1000, 1); len(rep.Violations) != 0 {
			b.Fatalf("violations: %v", rep.Violations)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "µs/sample")
}

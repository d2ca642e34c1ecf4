package reprice

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"ratecard/engine"
)

func whatIfList(t testing.TB) *engine.PriceList {
	t.Helper()
	return videoCredits(t)(engine.LoadDir("../testdata/whatif/generative-25.yaml"))
}

// TestCompareSample checks the comparison's figures against each other
// and against two plain reprice runs.
func TestCompareSample(t *testing.T) {
	old, new := shippedList(t), whatIfList(t)
	open := func() *Input {
		in, err := Open(sample, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { in.Close() })
		return in
	}
	c, err := Compare(open(), old, new, Options{GroupBy: "plan"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	sOld, sNew := mustRun(t, open(), old), mustRun(t, open(), new)
	for i, m := range c.Meters {
		if !m.Old.Equal(sOld.Total.Meters[i]) || !m.New.Equal(sNew.Total.Meters[i]) {
			t.Errorf("%s: %s -> %s, reprice says %s -> %s", m.Meter, m.Old, m.New, sOld.Total.Meters[i], sNew.Total.Meters[i])
		}
		if m.More+m.Less+m.Same != c.Priced {
			t.Errorf("%s: %d more + %d less + %d same != %d priced", m.Meter, m.More, m.Less, m.Same, c.Priced)
		}
		histogram := 0
		for _, b := range m.Histogram {
			histogram += b.Records
		}
		if histogram != c.Priced {
			t.Errorf("%s: the histogram holds %d records, want %d", m.Meter, histogram, c.Priced)
		}
		for j := 1; j < len(m.Percentiles); j++ {
			if m.Percentiles[j].Delta.LessThan(m.Percentiles[j-1].Delta) {
				t.Errorf("%s: percentiles go down: %v", m.Meter, m.Percentiles)
			}
		}
		for j := 1; j < len(m.Largest); j++ {
			if m.Largest[j].Delta.Abs().GreaterThan(m.Largest[j-1].Delta.Abs()) {
				t.Errorf("%s: largest changes out of order", m.Meter)
			}
		}
		// The rates' changes add up to the meter's.
		rateDelta := decimal.Zero
		for _, r := range c.Rates {
			if r.Meter == m.Meter {
				rateDelta = rateDelta.Add(r.New.Sub(r.Old))
			}
		}
		if !rateDelta.Equal(m.New.Sub(m.Old)) {
			t.Errorf("%s: rates change by %s, the meter by %s", m.Meter, rateDelta, m.New.Sub(m.Old))
		}
	}
	credits := c.Meters[0]
	if credits.More == 0 || credits.Less != 0 || len(credits.Largest) != 5 {
		t.Errorf("raising a price: %d pay more, %d less, %d largest", credits.More, credits.Less, len(credits.Largest))
	}
	if c.Meters[1].More != 0 || c.Meters[1].Less != 0 {
		t.Error("video minutes changed")
	}
	// The largest change: 600 s generative billed 600 s: 200 -> 250 credits
	// at most (+50); the sample's largest is +49.91.
	if got := credits.Largest[0].Delta.String(); got != "49.91" {
		t.Errorf("largest change %s", got)
	}
	if got := credits.Percentiles[len(credits.Percentiles)-1].Delta; !got.Equal(credits.Largest[0].Delta) {
		t.Errorf("max percentile %s != largest change %s", got, credits.Largest[0].Delta)
	}
	records := 0
	for _, g := range c.Groups {
		records += g.Records
	}
	if len(c.Groups) != 3 || records != c.Priced {
		t.Errorf("groups: %d over %d records", len(c.Groups), records)
	}
	if p, ok := Percent(decimal.NewFromInt(200), decimal.NewFromInt(250)); !ok || p.String() != "25" {
		t.Errorf("Percent(200, 250) = %s", p)
	}
}

// BenchmarkCompare is BenchmarkReprice/csv-to-csv's work under two rule
// sets; the target is at most 2.2 times its time.
func BenchmarkCompare(b *testing.B) {
	old, new := shippedList(b), whatIfList(b)
	b.Run("reprice", func(b *testing.B) {
		for b.Loop() {
			in, err := Open(sample, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Run(in, old, Options{Results: NewResultWriter(io.Discard, "csv")}); err != nil {
				b.Fatal(err)
			}
			in.Close()
		}
	})
	for _, workers := range []int{1, 2} {
		name := "diff"
		if workers > 1 {
			name = "diff-2-workers"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				in, err := Open(sample, nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Compare(in, old, new, Options{GroupBy: "plan", Workers: workers}, 10); err != nil {
					b.Fatal(err)
				}
				in.Close()
			}
		})
	}
}

// TestCompareParallelSameAsInTurn: comparing in parallel batches gives
// exactly the comparison made in turn, largest changes and all.
func TestCompareParallelSameAsInTurn(t *testing.T) {
	old, new := shippedList(t), whatIfList(t)
	var got []string
	for _, workers := range []int{1, 3} {
		in, err := Open(sample, nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compare(in, old, new, Options{GroupBy: "customer", Workers: workers}, 20)
		in.Close()
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(b))
	}
	if got[0] != got[1] {
		t.Error("the parallel comparison differs from the one in turn")
	}
}

// TestCompareOtherPlaces: when the new rules keep another number of
// places, amounts no longer add in units of one last place; the
// comparison takes its exact decimal path and its figures still agree.
func TestCompareOtherPlaces(t *testing.T) {
	old := shippedList(t)
	data, err := os.ReadFile("../rules.d/video-credits.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := strings.Replace(string(data), "places: 2", "places: 3", 1) // credits
	if err := os.WriteFile(filepath.Join(dir, "v.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	new := videoCredits(t)(engine.LoadDir(dir))
	for _, top := range []int{0, 3} {
		in, err := Open(sample, nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compare(in, old, new, Options{GroupBy: "plan"}, top)
		in.Close()
		if err != nil {
			t.Fatal(err)
		}
		credits := c.Meters[0]
		sNew := mustRun(t, openFile(t, sample), new)
		if !credits.New.Equal(sNew.Total.Meters[0]) || credits.More+credits.Less+credits.Same != c.Priced {
			t.Errorf("top %d: new credits %s (reprice %s); %d+%d+%d of %d", top, credits.New, sNew.Total.Meters[0],
				credits.More, credits.Less, credits.Same, c.Priced)
		}
		// Rounded to 3 places instead of 2, 20/60 credits a second is a
		// little more for some durations (10.333 > 10.33) and a little less
		// for others (20.667 < 20.67).
		if credits.More == 0 || credits.Less == 0 || len(credits.Largest) != top || len(credits.Percentiles) == 0 {
			t.Errorf("top %d: %d pay more, %d less, %d largest, %d percentiles", top, credits.More, credits.Less, len(credits.Largest), len(credits.Percentiles))
		}
	}
}

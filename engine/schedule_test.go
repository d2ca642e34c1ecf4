package engine

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

func instant(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := rules.ParseInstant(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestVersionBoundaries prices the shipped list just before and at each
// instant its schedule changes: the version in force must be the one
// that starts there, never its neighbour.
func TestVersionBoundaries(t *testing.T) {
	rs := shipped(t)
	req := Request{"duration": "60"}
	for _, c := range []struct {
		at      string
		since   string
		version string
		credits string
	}{
		{"2026-12-31T23:59:59.999999999Z", "", "2026-11-25", "20.00"},
		{"1500-01-01T00:00:00Z", "", "2026-11-25", "20.00"}, // outside what Unix nanoseconds hold
		{"3000-01-01T00:00:00Z", "", "2027-01-01", "25.00"},
		{"2027-01-01T00:00:00Z", "", "2027-01-01", "25.00"},
		{"2027-01-01T01:00:00+01:00", "", "2027-01-01", "25.00"}, // the same instant, another zone
		{"2027-01-01T00:59:59.999999999+01:00", "", "2026-11-25", "20.00"},
		// Grandfathered: signed before the change, the old price until April.
		{"2027-03-31T23:59:59.999999999Z", "2026-06-01T00:00:00Z", "2026-11-25", "20.00"},
		{"2027-04-01T00:00:00Z", "2026-06-01T00:00:00Z", "2027-01-01", "25.00"},
		{"2027-02-01T00:00:00Z", "2027-01-01T00:00:00Z", "2027-01-01", "25.00"}, // signed at the change: not before it
	} {
		terms := Terms{At: instant(t, c.at)}
		if c.since != "" {
			terms.CustomerSince = instant(t, c.since)
		}
		q, err := rs.QuoteTerms("video-credits", terms, req)
		if err != nil {
			t.Fatalf("%s: %v", c.at, err)
		}
		if q.Version != c.version || q.Total("credits").StringFixed(2) != c.credits {
			t.Errorf("at %s since %q: version %s, %s credits; want version %s, %s", c.at, c.since, q.Version, q.Total("credits").StringFixed(2), c.version, c.credits)
		}
	}
}

// TestOverlayDates prices a promotion before, during and after its dates:
// outside them the name is priced by its base, and the quote says so.
func TestOverlayDates(t *testing.T) {
	rs := shipped(t)
	for _, c := range []struct{ at, list, credits string }{
		{"2026-12-14T23:59:59.999999999Z", "video-credits", "20.00"},
		{"2026-12-15T00:00:00Z", "video-credits-holiday", "18.00"},
		{"2027-01-05T23:59:59.999999999Z", "video-credits-holiday", "22.50"},
		{"2027-01-06T00:00:00Z", "video-credits", "25.00"},
	} {
		q, err := rs.QuoteTerms("video-credits-holiday", Terms{At: instant(t, c.at)}, Request{"duration": "60"})
		if err != nil {
			t.Fatal(err)
		}
		if q.List != c.list || q.Total("credits").StringFixed(2) != c.credits {
			t.Errorf("at %s: %s %s; want %s %s", c.at, q.List, q.Total("credits").StringFixed(2), c.list, c.credits)
		}
	}
}

// TestEmptyOverlayQuotesAsBase is the differential test of overlays: an
// overlay that replaces nothing prices every random request exactly as
// its base, line for line.
func TestEmptyOverlayQuotesAsBase(t *testing.T) {
	base, err := os.ReadFile("../rules.d/video-credits.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := CompileFiles([]rules.File{
		{Path: "video-credits.yaml", Data: base},
		{Path: "same.yaml", Data: []byte("name: same\nextends: video-credits\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
		req := Request{
			"action":   []string{"create", "edit"}[r.IntN(2)],
			"media":    []string{"generative", "stock"}[r.IntN(2)],
			"duration": decimal.New(r.Int64N(100000), -int32(r.IntN(3))).String(),
			"actor":    []string{"none", "library", "clone"}[r.IntN(3)],
			"images":   fmt.Sprint(r.IntN(20)),
		}
		want, err1 := rs.QuoteTerms("video-credits", Terms{At: at}, req)
		got, err2 := rs.QuoteTerms("same", Terms{At: at}, req)
		if fmt.Sprint(err1) != fmt.Sprint(err2) {
			t.Fatalf("%v at %s: errors differ: %v vs %v", req, at, err1, err2)
		}
		if err1 != nil {
			continue
		}
		if fmt.Sprint(want.Lines, want.Totals) != fmt.Sprint(got.Lines, got.Totals) {
			t.Fatalf("%v at %s: base %v %v, overlay %v %v", req, at, want.Lines, want.Totals, got.Lines, got.Totals)
		}
	}
}

// TestAllowances draws a team quote from the plan's credits, then from a
// top-up, and bills the rest.
func TestAllowances(t *testing.T) {
	rs := shipped(t)
	req := Request{"duration": "90", "actor": "library"} // 35.70 credits on the team plan
	for _, c := range []struct {
		remaining map[string]string
		drawn     string // allowance=drawn/left, in draw order
		billed    string
	}{
		{map[string]string{"included": "100"}, "included=35.70/64.30", "0.00"},
		{map[string]string{"included": "20", "top_up": "100"}, "included=20.00/0.00 top_up=15.70/84.30", "0.00"},
		{map[string]string{"included": "0", "top_up": "5.5"}, "included=0.00/0.00 top_up=5.50/0.00", "30.20"},
		{map[string]string{}, "", "35.70"},
	} {
		terms := Terms{Remaining: map[string]decimal.Decimal{}}
		for k, v := range c.remaining {
			terms.Remaining[k] = decimal.RequireFromString(v)
		}
		q, err := rs.QuoteTerms("video-credits-team", terms, req)
		if err != nil {
			t.Fatal(err)
		}
		var drawn []string
		for _, d := range q.Drawn {
			drawn = append(drawn, d.Allowance+"="+d.Amount.String()+"/"+d.Left.String())
		}
		if got := strings.Join(drawn, " "); got != c.drawn || q.Billed[0].Amount.String() != c.billed {
			t.Errorf("%v: drawn %q billed %s; want %q billed %s", c.remaining, got, q.Billed[0].Amount, c.drawn, c.billed)
		}
	}
	for remaining, want := range map[string]string{
		"includd": `unknown allowance "includd" in remaining (did you mean "included"?); video-credits-team has included, top_up`,
		"top_up":  "remaining top_up can have at most 2 decimal places, as meter credits keeps; 0.001 has more",
	} {
		amount := "0.001"
		_, err := rs.QuoteTerms("video-credits-team", Terms{Remaining: map[string]decimal.Decimal{remaining: decimal.RequireFromString(amount)}}, req)
		if err == nil || err.Error() != want {
			t.Errorf("remaining %s: %v, want %s", remaining, err, want)
		}
	}
	if q, _ := rs.Quote("video-credits-team", req); q.Billed != nil || q.Drawn != nil {
		t.Errorf("a quote without allowances drew %v", q.Drawn)
	}
}

// TestScheduledVersionUnderRace quotes from several goroutines while a
// version scheduled a few milliseconds ahead takes effect in a live rule
// set, with no reload: each quote is priced wholly by one version and says
// which.
func TestScheduledVersionUnderRace(t *testing.T) {
	defer func(c func() time.Time) { Clock = c }(Clock)
	Clock = time.Now
	dir := t.TempDir()
	switchAt := time.Now().Add(300 * time.Millisecond).UTC()
	text := priceFile("p", 2) + "---\nname: p\nextends: p\nversion: v3\neffective: " + rules.FormatInstant(switchAt) +
		"\nrates:\n  - name: units\n    amount: units * 3\n"
	if err := os.WriteFile(filepath.Join(dir, "p.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	live, err := NewLive(dir, LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	seen := make([]map[string]int, 4)
	for g := range seen {
		seen[g] = map[string]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Until this goroutine has priced under the new version a few
			// times (a deadline only guards against a hang).
			for seen[g]["v3"] < 10 && time.Now().Before(switchAt.Add(10*time.Second)) {
				q, err := live.Quote("p", Request{"units": "7"})
				if err != nil {
					t.Error(err)
					return
				}
				want := map[string]string{"v2": "14.00", "v3": "21.00"}[q.Version]
				if got := q.Total("usd").StringFixed(2); got != want {
					t.Errorf("version %s charged %s, want %s", q.Version, got, want)
					return
				}
				seen[g][q.Version]++
			}
		}()
	}
	wg.Wait()
	for g, s := range seen {
		if s["v2"] == 0 || s["v3"] == 0 {
			t.Errorf("goroutine %d saw %v: not both versions", g, s)
		}
	}
}

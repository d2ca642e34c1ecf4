package engine

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// The record-list benchmark's price list is the telecom tariff of
// examples/telecom: a month of 100 calls, each priced per started minute
// at its destination's rate (a grid of number prefixes), toll-free
// numbers free, domestic calls free on the unlimited plan, and the month
// capped at $30. Below it is written by hand as a Go service would.

type handCall struct {
	Dialed  string `json:"dialed"`
	Seconds int64  `json:"seconds"`
}

type tariffRequest struct {
	plan  string
	calls []handCall
}

var (
	tollFree        = []string{"1800", "1888", "1877", "1866"}
	perMinuteByHand = []struct {
		prefix string
		price  decimal.Decimal
	}{
		{"1", decimal.RequireFromString("0.02")},
		{"44", decimal.RequireFromString("0.25")},
		{"33", decimal.RequireFromString("0.25")},
		{"81", decimal.RequireFromString("0.30")},
		{"", decimal.RequireFromString("0.50")},
	}
	monthlyCap = decimal.NewFromInt(30)
)

func tariffByHand(r tariffRequest) (*usdQuote, error) {
	if r.plan != "basic" && r.plan != "unlimited" {
		return nil, errors.New("bad plan")
	}
	if len(r.calls) > 1000 {
		return nil, errors.New("too many calls")
	}
	q := &usdQuote{}
	for _, c := range r.calls {
		if !validNumber(c.Dialed) || c.Seconds < 0 || c.Seconds > 86400 {
			return nil, errors.New("bad call")
		}
		if isTollFree(c.Dialed) || (r.plan == "unlimited" && strings.HasPrefix(c.Dialed, "1")) {
			continue
		}
		minutes := decimal.NewFromInt((c.Seconds + 59) / 60)
		for _, p := range perMinuteByHand {
			if strings.HasPrefix(c.Dialed, p.prefix) {
				q.add("call", minutes.Mul(p.price).Round(2))
				break
			}
		}
	}
	q.add("cap", decimal.Min(monthlyCap.Sub(q.usd), dec0))
	return q, nil
}

func validNumber(s string) bool {
	if len(s) < 4 || len(s) > 15 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isTollFree(number string) bool {
	for _, p := range tollFree {
		if strings.HasPrefix(number, p) {
			return true
		}
	}
	return false
}

// tariffMonth is the benchmark's month of 100 calls: domestic, toll-free
// and international, of every length; priced on both plans.
func tariffMonth() []tariffRequest {
	numbers := []string{"14155550100", "18005550100", "442079460000", "33142685300", "81312345678", "5511987654321", "12125550199", "18885550123"}
	calls := make([]handCall, 100)
	for i := range calls {
		calls[i] = handCall{Dialed: numbers[i%len(numbers)], Seconds: int64(i*37) % 360}
	}
	return []tariffRequest{{"basic", calls}, {"unlimited", calls}}
}

func (r tariffRequest) set(in *Inputs) {
	in.Reset()
	in.SetText("plan", r.plan)
	calls := in.Records("calls")
	for _, c := range r.calls {
		calls.Add()
		calls.SetText("dialed", c.Dialed)
		calls.SetInt("seconds", c.Seconds)
	}
}

// TestTariffBaselineAgrees checks that the hand-written baseline prices
// the month exactly as the engine does, on both plans, and that the month
// reaches the cap and the unlimited plan drops the domestic calls, so that
// every path is timed.
func TestTariffBaselineAgrees(t *testing.T) {
	l := benchList(t, "../examples/telecom", "telecom")
	in := l.NewInputs()
	var lines []int
	var capped []bool
	for _, r := range tariffMonth() {
		r.set(in)
		q, err := in.Quote()
		if err != nil {
			t.Fatal(err)
		}
		h, err := tariffByHand(r)
		if err != nil {
			t.Fatal(err)
		}
		if !q.Total("usd").Equal(h.usd) || len(q.Lines) != len(h.lines) {
			t.Errorf("%s: engine %v (%d lines), by hand %v (%d lines)", r.plan, q.Total("usd"), len(q.Lines), h.usd, len(h.lines))
		}
		lines = append(lines, len(q.Lines))
		capped = append(capped, q.Lines[len(q.Lines)-1].Amount.IsNegative())
	}
	if !capped[0] || lines[1] >= lines[0] {
		t.Errorf("basic capped: %v; lines on basic and unlimited: %v", capped[0], lines)
	}
}

// BenchmarkRecords prices a month of 100 calls, on each plan in turn:
//
//   - engine: the records added one at a time from the same Go values the
//     hand-written code takes (Inputs.Records), priced into a reused Quote;
//   - handwritten: the tariff written by hand;
//   - engine-json and handwritten-json: both from the month as JSON, the
//     engine through Inputs.SetJSON, the hand-written code through
//     encoding/json into its structs, as a service reading a request body.
func BenchmarkRecords(b *testing.B) {
	l := benchList(b, "../examples/telecom", "telecom")
	month := tariffMonth()
	b.Run("engine", func(b *testing.B) {
		in, q := l.NewInputs(), &Quote{}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			month[i%len(month)].set(in)
			if err := in.QuoteInto(q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := tariffByHand(month[i%len(month)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	callsJSON, err := json.Marshal(month[0].calls)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("engine-json", func(b *testing.B) {
		in, q := l.NewInputs(), &Quote{}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			in.Reset()
			in.SetText("plan", month[i%len(month)].plan)
			if err := in.SetJSON("calls", callsJSON); err != nil {
				b.Fatal(err)
			}
			if err := in.QuoteInto(q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten-json", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r := tariffRequest{plan: month[i%len(month)].plan}
			if err := json.Unmarshal(callsJSON, &r.calls); err != nil {
				b.Fatal(err)
			}
			if _, err := tariffByHand(r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestRecordListDoesNotAllocate: adding a month of calls to a reused
// Inputs and pricing it into a reused Quote allocates nothing.
func TestRecordListDoesNotAllocate(t *testing.T) {
	if slowPathOnly {
		t.Skip("built with ratecard_slowpath: every number is a big.Rat, allocated by design")
	}
	l := benchList(t, "../examples/telecom", "telecom")
	month := tariffMonth()
	in, q := l.NewInputs(), &Quote{}
	i := 0
	allocs := testing.AllocsPerRun(100, func() {
		month[i%len(month)].set(in)
		if err := in.QuoteInto(q); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs != 0 {
		t.Errorf("%v allocations a month of calls, want 0", allocs)
	}
}

package engine

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

// The grid benchmark's price list, testdata/bench/instances.yaml, written
// by hand as a Go service would: the grid a map keyed by the three words,
// the disk bands an if-else chain.

type instanceRequest struct {
	region, family, size string
	hours                decimal.Decimal
	diskGB               int64
}

type instanceKey struct{ region, family, size string }

var hourlyByHand = func() map[instanceKey]decimal.Decimal {
	prices := map[instanceKey]string{
		{"us-east", "general", "small"}: "0.0416", {"us-east", "general", "medium"}: "0.0832", {"us-east", "general", "large"}: "0.1664",
		{"us-east", "compute", "small"}: "0.085", {"us-east", "compute", "medium"}: "0.17", {"us-east", "compute", "large"}: "0.34",
		{"eu-west", "general", "small"}: "0.0464", {"eu-west", "general", "medium"}: "0.0928", {"eu-west", "general", "large"}: "0.1856",
		{"eu-west", "compute", "small"}: "0.096", {"eu-west", "compute", "medium"}: "0.192", {"eu-west", "compute", "large"}: "0.384",
		{"ap-south", "general", "small"}: "0.0496", {"ap-south", "general", "medium"}: "0.0992", {"ap-south", "general", "large"}: "0.1984",
		{"ap-south", "compute", "small"}: "0.101", {"ap-south", "compute", "medium"}: "0.202", {"ap-south", "compute", "large"}: "0.404",
	}
	out := make(map[instanceKey]decimal.Decimal, len(prices))
	for k, p := range prices {
		out[k] = decimal.RequireFromString(p)
	}
	return out
}()

var (
	dec744    = decimal.NewFromInt(744)
	diskSmall = decimal.RequireFromString("0.10")
	diskMid   = decimal.RequireFromString("0.08")
	diskLarge = decimal.RequireFromString("0.05")
)

func instanceByHand(r instanceRequest) (*usdQuote, error) {
	hourly, ok := hourlyByHand[instanceKey{r.region, r.family, r.size}]
	switch {
	case !ok:
		return nil, errors.New("bad region, family or size")
	case r.hours.IsNegative() || r.hours.GreaterThan(dec744):
		return nil, errors.New("bad hours")
	case r.diskGB < 0 || r.diskGB > 65536:
		return nil, errors.New("bad disk")
	}
	q := &usdQuote{}
	q.add("instance", r.hours.Mul(hourly).Round(2))
	if r.diskGB > 0 {
		perGB := diskLarge
		if r.diskGB < 1024 {
			perGB = diskSmall
		} else if r.diskGB < 16384 {
			perGB = diskMid
		}
		q.add("disk", decimal.NewFromInt(r.diskGB).Mul(perGB).Round(2))
	}
	return q, nil
}

// usdQuote is a hand-written quote of one meter, usd.
type usdQuote struct {
	lines []handLine
	usd   decimal.Decimal
}

func (q *usdQuote) add(rate string, amount decimal.Decimal) {
	q.lines = append(q.lines, handLine{rate, "usd", amount})
	q.usd = q.usd.Add(amount)
}

// instanceMix is the requests both sides price: every region and family,
// each size, each disk band.
var instanceMix = []instanceRequest{
	{"us-east", "general", "small", decimal.NewFromInt(730), 0},
	{"eu-west", "compute", "large", decimal.NewFromInt(24), 2048},
	{"ap-south", "general", "medium", decimal.RequireFromString("100.5"), 500},
	{"us-east", "compute", "medium", decimal.NewFromInt(730), 20000},
	{"eu-west", "general", "large", decimal.NewFromInt(1), 0},
	{"ap-south", "compute", "small", decimal.NewFromInt(300), 1024},
}

func (r instanceRequest) set(in *Inputs) {
	in.Reset()
	in.SetText("region", r.region)
	in.SetText("family", r.family)
	in.SetText("size", r.size)
	in.SetDecimal("hours", r.hours)
	in.SetInt("disk_gb", r.diskGB)
}

// benchList loads a benchmark's price list from its directory, as
// services load theirs.
func benchList(t testing.TB, dir, name string) *PriceList {
	rs, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := rs.List(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestGridBaselineAgrees checks that the hand-written baseline prices the
// grid benchmark's mix exactly as the engine does.
func TestGridBaselineAgrees(t *testing.T) {
	l := benchList(t, "../testdata/bench", "instances")
	in := l.NewInputs()
	for i, r := range instanceMix {
		r.set(in)
		q, err := in.Quote()
		if err != nil {
			t.Fatal(err)
		}
		h, err := instanceByHand(r)
		if err != nil {
			t.Fatal(err)
		}
		if !q.Total("usd").Equal(h.usd) || len(q.Lines) != len(h.lines) {
			t.Errorf("request %d: engine %v (%d lines), by hand %v (%d lines)", i, q.Total("usd"), len(q.Lines), h.usd, len(h.lines))
		}
	}
}

// BenchmarkGrid prices the instance mix, a three-key grid lookup and a
// range lookup each, through the engine (Inputs set from the request's
// values, priced into a reused Quote) and by hand, in the same run.
func BenchmarkGrid(b *testing.B) {
	l := benchList(b, "../testdata/bench", "instances")
	b.Run("engine", func(b *testing.B) {
		in, q := l.NewInputs(), &Quote{}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			instanceMix[i%len(instanceMix)].set(in)
			if err := in.QuoteInto(q); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := instanceByHand(instanceMix[i%len(instanceMix)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

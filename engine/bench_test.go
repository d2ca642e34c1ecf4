package engine

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

// The benchmark's baseline: the video-credits price list written by hand in
// Go with shopspring/decimal, as a service would have it without ratecard.
// It validates its inputs as the engine does and returns the same lines and
// totals, so that both sides of BenchmarkQuote do the same work.

type videoRequest struct {
	action, media, actor string
	duration             decimal.Decimal
	images               int64
	clips                []decimal.Decimal
}

type handLine struct {
	rate, meter string
	amount      decimal.Decimal
}

type handQuote struct {
	lines            []handLine
	credits, minutes decimal.Decimal
}

var (
	dec0  = decimal.Zero
	dec3  = decimal.NewFromInt(3)
	dec5  = decimal.NewFromInt(5)
	dec20 = decimal.NewFromInt(20)
	dec30 = decimal.NewFromInt(30)
	dec60 = decimal.NewFromInt(60)
	dec02 = decimal.RequireFromString("0.2")
)

func quoteByHand(r videoRequest) (*handQuote, error) {
	switch {
	case r.action != "create" && r.action != "edit":
		return nil, errors.New("bad action")
	case r.media != "generative" && r.media != "stock":
		return nil, errors.New("bad media")
	case r.actor != "none" && r.actor != "library" && r.actor != "clone":
		return nil, errors.New("bad actor")
	case r.duration.IsNegative() || r.images < 0:
		return nil, errors.New("negative input")
	}
	q := &handQuote{credits: dec0, minutes: dec0}
	add := func(rate, meter string, amount decimal.Decimal) {
		q.lines = append(q.lines, handLine{rate, meter, amount})
		if meter == "credits" {
			q.credits = q.credits.Add(amount)
		} else {
			q.minutes = q.minutes.Add(amount)
		}
	}
	if r.action == "create" {
		billed := decimal.Max(r.duration.Ceil(), dec30)
		if r.media == "generative" {
			add("generative", "credits", billed.Mul(dec20).DivRound(dec60, 2))
		}
		if r.actor != "none" {
			blocks := billed.Div(dec30).Ceil()
			add("actor", "credits", blocks.Mul(dec5))
		}
		if r.media == "stock" {
			add("stock_minutes", "video_minutes", billed.DivRound(dec60, 2))
		}
		return q, nil
	}
	if r.images > 0 {
		add("images", "credits", decimal.NewFromInt(r.images).Mul(dec02))
	}
	for _, c := range r.clips {
		if !c.IsPositive() {
			return nil, errors.New("bad clip")
		}
		add("clip", "credits", c.DivRound(dec3, 2))
	}
	return q, nil
}

// benchMix is the mix of requests both sides price: creates with and
// without actor, stock, and edits.
var benchMix = []videoRequest{
	{action: "create", media: "generative", actor: "none", duration: decimal.NewFromInt(45)},
	{action: "create", media: "generative", actor: "library", duration: decimal.NewFromInt(90)},
	{action: "create", media: "generative", actor: "clone", duration: decimal.RequireFromString("61.5")},
	{action: "create", media: "stock", actor: "library", duration: decimal.NewFromInt(300)},
	{action: "create", media: "stock", actor: "none", duration: decimal.NewFromInt(100)},
	{action: "edit", media: "generative", actor: "none", images: 3, clips: []decimal.Decimal{dec5, dec5}},
}

func benchRequests() []Request {
	out := make([]Request, len(benchMix))
	for i, r := range benchMix {
		out[i] = r.request()
	}
	return out
}

// TestBenchmarkBaselineAgrees checks that the hand-written baseline prices
// the mix exactly as the engine does, so the benchmark compares equal work.
func TestBenchmarkBaselineAgrees(t *testing.T) {
	l, err := shipped(t).List("video-credits")
	if err != nil {
		t.Fatal(err)
	}
	for i, req := range benchRequests() {
		q, err := l.Quote(req)
		if err != nil {
			t.Fatal(err)
		}
		h, err := quoteByHand(benchMix[i])
		if err != nil {
			t.Fatal(err)
		}
		if !q.Total("credits").Equal(h.credits) || !q.Total("video_minutes").Equal(h.minutes) || len(q.Lines) != len(h.lines) {
			t.Errorf("request %d: engine %v %v (%d lines), by hand %v %v (%d lines)", i,
				q.Total("credits"), q.Total("video_minutes"), len(q.Lines), h.credits, h.minutes, len(h.lines))
		}
	}
}

// BenchmarkQuote prices the same mix through the engine and by hand, in
// the same run, so that their ratio holds on a noisy machine.
//
//   - engine: the hot-path API, each request's inputs set from the same Go
//     values the hand-written code takes, into a reused Inputs, and priced
//     into a reused Quote;
//   - engine-request: the convenient API, a Request map (built beforehand)
//     priced into a new Quote;
//   - slowpath: engine with every number forced onto the exact slow path;
//   - evaluation: engine without handing the results back as decimals,
//     which allocates nothing;
//   - engine-parallel: engine on every core, an Inputs per goroutine.
func BenchmarkQuote(b *testing.B) {
	l, err := shipped(b).List("video-credits")
	if err != nil {
		b.Fatal(err)
	}
	quoteMix := func(b *testing.B, l *PriceList) {
		in, q := l.NewInputs(), &Quote{}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			benchMix[i%len(benchMix)].set(in)
			if err := in.QuoteInto(q); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("engine", func(b *testing.B) { quoteMix(b, l) })
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := quoteByHand(benchMix[i%len(benchMix)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("engine-request", func(b *testing.B) {
		reqs := benchRequests()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := l.Quote(reqs[i%len(reqs)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("evaluation", func(b *testing.B) {
		in := l.NewInputs()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := evaluateOnly(in, benchMix[i%len(benchMix)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("engine-parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			in, q := l.NewInputs(), &Quote{}
			for i := 0; pb.Next(); i++ {
				benchMix[i%len(benchMix)].set(in)
				if err := in.QuoteInto(q); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// evaluateOnly prices r in exact numbers, leaving the results in the
// state: a quote without the hand-back.
func evaluateOnly(in *Inputs, r videoRequest) error {
	if err := r.set(in); err != nil {
		return err
	}
	if err := in.list.complete(in.s); err != nil {
		return err
	}
	return in.list.price(in.s, nil)
}

// TestEvaluationDoesNotAllocate: setting the inputs of the benchmark's mix
// and pricing them allocates nothing; neither does handing the results back
// into a reused Quote, since the mix's amounts are small.
func TestEvaluationDoesNotAllocate(t *testing.T) {
	if slowPathOnly {
		t.Skip("built with ratecard_slowpath: every number is a big.Rat, allocated by design")
	}
	l, err := shipped(t).List("video-credits")
	if err != nil {
		t.Fatal(err)
	}
	in, q := l.NewInputs(), &Quote{}
	i := 0
	evaluation := testing.AllocsPerRun(1000, func() {
		if err := evaluateOnly(in, benchMix[i%len(benchMix)]); err != nil {
			t.Fatal(err)
		}
		i++
	})
	quote := testing.AllocsPerRun(1000, func() {
		benchMix[i%len(benchMix)].set(in)
		if err := in.QuoteInto(q); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if evaluation != 0 || quote != 0 {
		t.Errorf("%v allocations per evaluation and %v per quote into a reused Quote, want 0", evaluation, quote)
	}
}

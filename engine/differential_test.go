package engine

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// randomVideoRequest draws a request over the video-credits inputs'
// domains, including huge and very fine numbers.
func randomVideoRequest(rng *rand.Rand) videoRequest {
	pick := func(words ...string) string { return words[rng.IntN(len(words))] }
	number := func() decimal.Decimal {
		switch rng.IntN(6) {
		case 0: // huge
			return decimal.New(rng.Int64N(1<<62), int32(rng.IntN(20)))
		case 1: // very fine
			return decimal.New(rng.Int64N(1<<62)+1, -int32(18+rng.IntN(20)))
		case 2: // just past a boundary
			return decimal.NewFromInt(int64(30 * rng.IntN(10))).Add(decimal.New(1, -int32(1+rng.IntN(30))))
		case 3: // thirds and halves
			return decimal.New(rng.Int64N(100000), -3)
		}
		return decimal.New(rng.Int64N(6000), -1)
	}
	r := videoRequest{action: pick("create", "edit"), media: pick("generative", "stock"), actor: pick("none", "library", "clone")}
	if r.action == "create" {
		r.duration = number()
	} else {
		r.images = rng.Int64N(50)
		if rng.IntN(10) == 0 {
			r.images = rng.Int64N(1 << 40)
		}
		for i := rng.IntN(4); i > 0; i-- {
			c := number()
			if c.IsZero() {
				c = decimal.New(1, -2)
			}
			r.clips = append(r.clips, c)
		}
	}
	return r
}

func (r videoRequest) request() Request {
	req := Request{"action": r.action, "media": r.media, "actor": r.actor}
	if r.action == "create" {
		req["duration"] = r.duration
	} else {
		req["images"] = r.images
		req["clips"] = r.clips
	}
	return req
}

// set gives the same request to in, emptied first, with its typed setters.
func (r videoRequest) set(in *Inputs) error {
	in.Reset()
	in.SetText("action", r.action)
	in.SetText("media", r.media)
	in.SetText("actor", r.actor)
	if r.action == "create" {
		return in.SetDecimal("duration", r.duration)
	}
	in.SetInt("images", r.images)
	return in.SetDecimals("clips", r.clips)
}

// TestDifferential prices thousands of random requests three ways: from a
// Request, from one reused Inputs and Quote, and by the hand-written
// baseline; every total and line must be identical. Built with the tag
// ratecard_slowpath (as CI also runs it), the engine computes every number
// in math/big, so the same test checks the exact slow path.
func TestDifferential(t *testing.T) {
	fast, err := shipped(t).List("video-credits")
	if err != nil {
		t.Fatal(err)
	}
	in, reused := fast.NewInputs(), &Quote{}
	rng := rand.New(rand.NewPCG(7, 11))
	describe := func(q *Quote) string {
		s := ""
		for _, l := range q.Lines {
			s += fmt.Sprintf("%s#%d=%s ", l.Rate, l.Item, l.Amount.String())
		}
		return s + q.Total("credits").StringFixed(2) + "/" + q.Total("video_minutes").StringFixed(2)
	}
	for i := 0; i < 5000; i++ {
		r := randomVideoRequest(rng)
		qf, err := fast.Quote(r.request())
		if err != nil {
			t.Fatalf("%+v: %v", r, err)
		}
		if err := r.set(in); err != nil {
			t.Fatalf("inputs %+v: %v", r, err)
		}
		if err := in.QuoteInto(reused); err != nil {
			t.Fatalf("inputs %+v: %v", r, err)
		}
		if describe(qf) != describe(reused) {
			t.Fatalf("%+v:\nrequest %s\ninputs  %s", r, describe(qf), describe(reused))
		}
		h, err := quoteByHand(r)
		if err != nil {
			t.Fatalf("by hand %+v: %v", r, err)
		}
		if !qf.Total("credits").Equal(h.credits) || !qf.Total("video_minutes").Equal(h.minutes) || len(qf.Lines) != len(h.lines) {
			t.Fatalf("%+v:\nengine %s\nby hand %v %v %d lines", r, describe(qf), h.credits, h.minutes, len(h.lines))
		}
		for j, l := range h.lines {
			if qf.Lines[j].Rate != l.rate || !qf.Lines[j].Amount.Decimal().Equal(l.amount) {
				t.Fatalf("%+v: line %d: engine %s %s, by hand %s %s", r, j, qf.Lines[j].Rate, qf.Lines[j].Amount, l.rate, l.amount)
			}
		}
	}
}

// TestExactnessCases pins the cases a float or a 16-digit division would
// get wrong (on the slow path too, with the tag ratecard_slowpath).
func TestExactnessCases(t *testing.T) {
	cases := []struct {
		req  Request
		want string
	}{
		{Request{"action": "edit", "clips": "0.105"}, "0.04"},               // 0.035 rounds half-up
		{Request{"duration": "30.0000000000000001"}, "10.33"},               // bills 31 s
		{Request{"duration": "30.000000000000000000000000000001"}, "10.33"}, // beyond int64 digits
		{Request{"action": "edit", "images": "1", "clips": "0.3"}, "0.30"},  // 0.2 + 0.1
		{Request{"duration": "123456789012345678901234567890"}, "41152263004115226300411522630.00"},
	}
	rs := shipped(t)
	if n := fromDecimal(decimal.NewFromInt(5)); slowPathOnly != (n.isBig() && add(n, one).isBig()) {
		t.Fatalf("slowPathOnly is %v, yet 5 + 1 is computed big: %v", slowPathOnly, add(n, one).isBig())
	}
	for _, c := range cases {
		q, err := rs.Quote("", c.req)
		if err != nil || q.Total("credits").StringFixed(2) != c.want {
			t.Errorf("%v: %v %v, want %s", c.req, q.Total("credits"), err, c.want)
		}
	}
}

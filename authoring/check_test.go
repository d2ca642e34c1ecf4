package authoring

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"ratecard"
	"ratecard/engine"
	"ratecard/rules"
)

func shipped(t testing.TB) *engine.RuleSet {
	t.Helper()
	rs, err := engine.LoadFS(ratecard.ShippedRules, ratecard.ShippedRulesDir)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// compile compiles a rule file of one price list and returns the list.
func compile(t testing.TB, text string) *engine.PriceList {
	t.Helper()
	rs, err := engine.CompileFiles([]rules.File{{Path: "t.yaml", Data: []byte(text)}})
	if err != nil {
		t.Fatalf("rules do not load:\n%v", err)
	}
	return rs.Lists()[0]
}

// TestShippedInvariants: the video-credits list's invariants hold on
// sampled requests, and the check finds nothing to warn about.
func TestShippedInvariants(t *testing.T) {
	l, err := shipped(t).List("video-credits")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Rules.Invariants) < 5 {
		t.Fatalf("%d invariants", len(l.Rules.Invariants))
	}
	for _, seed := range []uint64{1, 2, 3} {
		rep := Check(nil, l, 2000, seed)
		for _, v := range rep.Violations {
			t.Errorf("seed %d: %s: %s (%s)", seed, v.Invariant.Name, v.Msg, v.Request)
		}
		for _, w := range rep.Warnings {
			t.Errorf("seed %d: warning %s", seed, w)
		}
	}
}

// TestCheckWorkIsBounded: a 9 KB file may reuse one 1,000-item list in a
// thousand examples through YAML aliases; check took over a minute, as the
// sampler went over all million values for every number it drew. Notable
// values are now kept once each, at most maxNotable per input, and the
// whole check stops at a work budget, saying so.
func TestCheckWorkIsBounded(t *testing.T) {
	items := make([]string, 1000)
	for i := range items {
		items[i] = fmt.Sprintf("%d.5", i)
	}
	var text strings.Builder
	fmt.Fprintf(&text, "name: a\nmeters: {m: {places: 2}}\ninputs:\n  clips: {type: list, min: 0, default: &c [%s]}\n", strings.Join(items, ", "))
	text.WriteString("rates:\n  - {name: r, meter: m, for_each: clips, amount: item * 2}\n")
	text.WriteString("invariants:\n  - {name: never negative, no_negative: true}\nexamples:\n")
	for i := range 998 {
		fmt.Fprintf(&text, "  - {name: e%d, input: {clips: *c}, totals: {m: 999000}}\n", i)
	}
	l := compile(t, text.String())
	sm := newSampler(l, 1)
	if n := len(sm.notable[l.Rules.Input("clips")]); n != maxNotable {
		t.Errorf("%d notable values kept for clips, want %d", n, maxNotable)
	}
	rep := Check(nil, l, 1000, 1)
	if rep.Samples != 1000 || len(rep.Violations) != 0 {
		t.Errorf("check: %d samples, %v", rep.Samples, rep.Violations)
	}

	checkWork = 500
	defer func() { checkWork = CheckWork }()
	rep = Check(nil, l, 1000, 1)
	if rep.Asked != 1000 || rep.Samples >= 500 || rep.Samples == 0 {
		t.Errorf("with a budget of 500: %d of %d samples tried", rep.Samples, rep.Asked)
	}
}

// TestCheckSamplesRecords: the sampler draws records whose fields take
// their declared values, so a price list of records is checked like any.
func TestCheckSamplesRecords(t *testing.T) {
	l := compile(t, `name: tel
meters: {usd: {places: 2}}
inputs:
  calls:
    type: records
    default: []
    fields:
      seconds: {type: whole, min: 1, max: 7200, default: 60}
      dialed: {type: text, pattern: "1[0-9]{10}", required: true}
    computed:
      toll_free: dialed startsWith "1800"
rates:
  - {name: call, meter: usd, for_each: calls, as: call, when: not call.toll_free, amount: call.seconds * 0.001}
invariants:
  - {name: a call costs at most 7.20, holds: "usd <= 7.20 * count(calls)"}
  - {name: never negative, no_negative: true}
examples:
  - name: a toll-free call
    input: {calls: [{seconds: 60, dialed: "18005550100"}]}
    totals: {usd: 0}
`)
	rep := Check(nil, l, 300, 1)
	if len(rep.Violations) != 0 || len(rep.Warnings) != 0 {
		for _, v := range rep.Violations {
			t.Errorf("violation: %s (%s)", v.Msg, v.Request)
		}
		t.Errorf("warnings %v", rep.Warnings)
	}
	sm := newSampler(l, 1)
	records := 0
	for range 50 {
		for _, s := range sm.request() {
			records += len(s.value.Records)
		}
	}
	if records == 0 {
		t.Error("the sampler drew no record in 50 requests")
	}
}

// TestCheckTriesEveryPlace: an invariant broken only at values of three
// decimal places is found when the input allows three places (the sampler
// drew two places only before), and not when it allows two.
func TestCheckTriesEveryPlace(t *testing.T) {
	list := func(places int) *engine.PriceList {
		return compile(t, fmt.Sprintf(`name: t
meters: {usd: {places: 3}}
inputs:
  x: {type: decimal, min: 0, max: 100, places: %d, default: 0}
rates:
  - {name: r, meter: usd, amount: "round(x, 2) * 100"}
invariants:
  - {name: charged exactly x * 100, holds: "usd == x * 100"}
`, places))
	}
	rep := Check(nil, list(3), 1000, 1)
	if len(rep.Violations) != 1 || !strings.Contains(rep.Violations[0].Msg, "usd == x * 100 is false") {
		t.Fatalf("three places: %+v", rep.Violations)
	}
	if req := rep.Violations[0].Request; !regexp.MustCompile(`x=\d+\.\d\d[1-9]$`).MatchString(req) {
		t.Errorf("the counterexample %s has no third place", req)
	}
	if rep := Check(nil, list(2), 1000, 1); len(rep.Violations) != 0 {
		t.Errorf("two places: %v", rep.Violations[0].Msg)
	}
}

// TestMonotonicBooleanAndWords: monotonic over a boolean raises it from
// false to true, and over a one_of to a later word in its declared order.
func TestMonotonicBooleanAndWords(t *testing.T) {
	l := compile(t, `name: t
meters: {usd: {places: 2}}
inputs:
  support: {type: boolean, default: false}
  plan: {type: one_of, values: [free, pro, team], default: free}
rates:
  - {name: support, meter: usd, when: support, amount: 10}
  - {name: plan, meter: usd, amount: "plan == \"pro\" ? 49 : (plan == \"team\" ? 29 : 0)"}
invariants:
  - {name: support never lowers the price, monotonic: support, meter: usd}
  - {name: a higher plan never costs less, monotonic: plan, meter: usd}
`)
	rep := Check(nil, l, 500, 1)
	if len(rep.Violations) != 1 || rep.Violations[0].Invariant.Name != "a higher plan never costs less" ||
		!strings.Contains(rep.Violations[0].Msg, "when plan goes from pro to team") {
		for _, v := range rep.Violations {
			t.Errorf("violation: %s: %s", v.Invariant.Name, v.Msg)
		}
		t.Fatalf("%d violations", len(rep.Violations))
	}
}

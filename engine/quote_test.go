package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"ratecard"
)

func shipped(t testing.TB) *RuleSet {
	t.Helper()
	rs, err := LoadFS(ratecard.ShippedRules, ratecard.ShippedRulesDir)
	if err != nil {
		t.Fatalf("the shipped rules do not load:\n%v", err)
	}
	return rs
}

// TestShippedExamples runs the examples written in the shipped rule files,
// so that go test fails when a rate change breaks one.
func TestShippedExamples(t *testing.T) {
	rs := shipped(t)
	results := rs.RunExamples()
	if len(results) == 0 {
		t.Fatal("the shipped rules have no examples")
	}
	for _, res := range results {
		if !res.Passed() {
			t.Errorf("%s: example %q (%s): error %v, wrong totals %v", res.Example.Pos, res.Example.Name, res.Request(), res.Err, res.Wrong)
		}
	}
}

// badRequests are requests of the shipped list that must fail, each with
// the input its error must name and a part of its message.
var badRequests = []struct {
	req   Request
	input string
	want  string
}{
	{Request{"durr": "5"}, "durr", `unknown input "durr"`},
	{Request{"duration": "-5"}, "duration", "duration must be at least 0, not -5"},
	{Request{"duration": "ninety"}, "duration", `duration: "ninety" is not a decimal number`},
	{Request{"duration": 90.5}, "duration", "not a float"},
	{Request{"duration": true}, "duration", "duration must be a number, not true/false"},
	{Request{"duration": "60", "actor": "robot"}, "actor", `actor must be one of none, library, clone, not "robot"`},
	{Request{"duration": "60", "actor": "libary"}, "actor", `(did you mean "library"?)`},
	{Request{"action": "edit", "images": "1.5"}, "images", "images must be a whole number, not 1.5"},
	{Request{"action": "edit", "clips": "5,0"}, "clips", "clips item 2 must be more than 0, not 0"},
	{Request{"action": "edit", "clips": []any{"5", map[string]any{}}}, "clips", "clips item 2 must be a number, not an object"},
	{Request{"action": "create"}, "duration", `input duration is required when action == "create"`},
	{Request{"duration": "1e999"}, "duration", "out of range"},
	{Request{"action": "edit", "clips": strings.Repeat("1,", 1000) + "1"}, "clips", "clips has 1001 items; at most 1000 are allowed"},
	{Request{"action": "edit", "clips": make([]any, 1001)}, "clips", "clips has 1001 items; at most 1000 are allowed"},
	{Request{"action": "edit", "clips": "5,"}, "clips", "clips item 2"},
	{Request{"action": "edit", "images": "-1"}, "images", "images must be at least 0, not -1"},
}

func TestBadRequests(t *testing.T) {
	rs := shipped(t)
	for _, tt := range badRequests {
		_, err := rs.Quote("", tt.req)
		var re *RequestError
		if !errors.As(err, &re) {
			t.Errorf("%v: got %v, want a RequestError", tt.req, err)
			continue
		}
		if re.Input != tt.input || !strings.Contains(re.Msg, tt.want) {
			t.Errorf("%v: got %q naming %q, want %q naming %q", tt.req, re.Msg, re.Input, tt.want, tt.input)
		}
	}
	if _, err := rs.Quote("video-credit", Request{"duration": "5"}); err == nil || !strings.Contains(err.Error(), `did you mean "video-credits"`) {
		t.Errorf("unknown price list: got %v", err)
	}
}

func TestGoValuesInRequests(t *testing.T) {
	rs := shipped(t)
	for _, req := range []Request{
		{"action": "edit", "images": 3, "clips": []decimal.Decimal{decimal.NewFromInt(5), decimal.NewFromInt(5)}},
		{"action": "edit", "images": int64(3), "clips": []any{json.Number("5"), "5"}},
		{"action": "edit", "images": decimal.NewFromInt(3), "clips": []string{"5", "5"}},
	} {
		q, err := rs.Quote("", req)
		if err != nil {
			t.Fatalf("%v: %v", req, err)
		}
		if got := q.Total("credits").StringFixed(2); got != "3.94" {
			t.Errorf("%v: credits = %s, want 3.94", req, got)
		}
	}
}

// TestQuoteTimeErrors: a division by zero that only a request can cause is
// an error naming the rate and its position, never a panic or an amount.
func TestQuoteTimeErrors(t *testing.T) {
	rs := mustCompile(t, strings.Replace(exprList, "AMOUNT", "100 / n", 1))
	_, err := rs.Quote("", Request{"n": "0"})
	var ee *EvalError
	if !errors.As(err, &ee) {
		t.Fatalf("got %v, want an EvalError", err)
	}
	if want := "t.yaml:15:18: rate r: division by zero"; err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
	q, err := rs.Quote("", Request{"n": "8"})
	if err != nil || q.Lines[0].Amount.Decimal().String() != "12.5" {
		t.Errorf("after the error, 100 / 8 = %v, %v; want 12.5 (the pooled state must not keep the error)", q, err)
	}
	// A constant divisor of zero is not folded away: it fails where it is.
	rs = mustCompile(t, strings.Replace(exprList, "AMOUNT", "dur * 2 / 0 * 3", 1))
	if _, err := rs.Quote("", nil); err == nil || err.Error() != "t.yaml:15:22: rate r: division by zero" { // at the "/"
		t.Errorf("a constant zero divisor: got %v", err)
	}
	rs = mustCompile(t, strings.Replace(exprList, "AMOUNT", "max(items)", 1))
	if _, err := rs.Quote("", nil); err == nil || !strings.Contains(err.Error(), "max of an empty list") {
		t.Errorf("max of an empty list: got %v", err)
	}
}

func TestQuoteIdentity(t *testing.T) {
	rs := shipped(t)
	q, err := rs.Quote("video-credits", Request{"duration": "90", "actor": "library"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(q.Digest, "sha256:") || len(q.Digest) != len("sha256:")+64 || q.Digest != rs.Digest {
		t.Errorf("digest %q, want the rule set's sha256 digest %q", q.Digest, rs.Digest)
	}
	if q.Version == "" || q.List != "video-credits" {
		t.Errorf("quote names list %q version %q", q.List, q.Version)
	}
	b, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Totals  map[string]string `json:"totals"`
		Lines   []map[string]any  `json:"lines"`
		Ruleset map[string]string `json:"ruleset"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Totals["credits"] != "45.00" || out.Totals["video_minutes"] != "0.00" || len(out.Lines) != 2 || out.Ruleset["digest"] != rs.Digest {
		t.Errorf("JSON quote: %s", b)
	}
}

// TestConcurrentQuotes shares one RuleSet between goroutines (run it with
// -race): pooled evaluation state must never leak between quotes.
func TestConcurrentQuotes(t *testing.T) {
	rs := shipped(t)
	cases := []struct {
		req  Request
		want string
	}{
		{Request{"duration": "90", "actor": "library"}, "45"},
		{Request{"action": "edit", "images": "3", "clips": "5,5"}, "3.94"},
		{Request{"duration": "61"}, "20.33"},
		{Request{"media": "stock", "duration": "300", "actor": "clone"}, "50"},
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				c := cases[(g+i)%len(cases)]
				q, err := rs.Quote("", c.req)
				if err != nil {
					t.Error(err)
					return
				}
				if got := q.Total("credits"); !got.Equal(decimal.RequireFromString(c.want)) {
					t.Errorf("%v: credits %s, want %s", c.req, got, c.want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestExplain(t *testing.T) {
	rs := shipped(t)
	e, err := rs.Explain("", Request{"action": "edit", "clips": "5"})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Lines) != 1 {
		t.Fatalf("lines: %+v", e.Lines)
	}
	l := e.Lines[0]
	if l.Rate != "clip" || l.Item != 1 || l.Expr != "clip / 3" || l.Raw != "1.666666666667…" || l.Rounded != "1.67" {
		t.Errorf("line: %+v", l)
	}
	if len(l.Uses) != 2 || l.Uses[1].Name != "clip" || l.Uses[1].Value != "5" {
		t.Errorf("uses: %+v", l.Uses)
	}
	if len(e.Skipped) != 4 {
		t.Errorf("skipped: %+v", e.Skipped)
	}
	for _, in := range e.Inputs {
		if (in.Note == "default") != (in.Name != "action" && in.Name != "clips") {
			t.Errorf("input %s note %q", in.Name, in.Note)
		}
	}
}

// TestSharedDecimalsStayPut: small amounts are handed out from a shared
// cache; a caller that overwrites its copy must not change the next quote.
func TestSharedDecimalsStayPut(t *testing.T) {
	rs := shipped(t)
	q, err := rs.Quote("", Request{"duration": "90"})
	if err != nil {
		t.Fatal(err)
	}
	mine := q.Lines[0].Amount.Decimal()
	if err := (&mine).UnmarshalJSON([]byte(`"999.99"`)); err != nil {
		t.Fatal(err)
	}
	q.Lines[0].Amount = NewAmount(1, 0)
	q2, err := rs.Quote("", Request{"duration": "90"})
	if err != nil {
		t.Fatal(err)
	}
	if got := q2.Lines[0].Amount.String(); got != "30.00" || q2.Lines[0].Amount.Decimal().String() != "30" || mine.String() != "999.99" {
		t.Errorf("after the caller's changes: %s (and %s)", got, mine)
	}
}

// TestQuoteSizes: quotes of every size, through each way of handing them
// back (a new Quote sized to its lines, a reused one growing and
// shrinking), hold every line and total.
func TestQuoteSizes(t *testing.T) {
	l, err := shipped(t).List("")
	if err != nil {
		t.Fatal(err)
	}
	in, reused := l.NewInputs(), &Quote{}
	for _, n := range []int{0, 1, 2, 3, 4, 5, 9, 2, 0, 7} {
		clips := strings.TrimSuffix(strings.Repeat("3,", n), ",")
		req := Request{"action": "edit", "clips": clips}
		want := fmt.Sprintf("%d lines, %d.00 credits", n, n)
		q, err := l.Quote(req)
		if err != nil {
			t.Fatal(err)
		}
		in.Reset()
		in.SetText("action", "edit")
		in.SetText("clips", clips)
		fresh, err := in.Quote()
		if err != nil {
			t.Fatal(err)
		}
		if err := in.QuoteInto(reused); err != nil {
			t.Fatal(err)
		}
		for name, q := range map[string]*Quote{"Request": q, "Inputs.Quote": fresh, "QuoteInto": reused} {
			if got := fmt.Sprintf("%d lines, %s credits", len(q.Lines), q.Total("credits").StringFixed(2)); got != want || len(q.Totals) != 2 {
				t.Errorf("%s, %d clips: %s and %d totals, want %s and 2", name, n, got, len(q.Totals), want)
			}
		}
	}
	// More meters than a quote's block holds.
	rs := mustCompile(t, `name: m
meters: {a: {places: 0}, b: {places: 1}, c: {places: 2}}
inputs: {n: {type: whole, default: 1}}
rates:
  - {name: ra, meter: a, amount: n}
  - {name: rb, meter: b, amount: n * 2}
  - {name: rc, meter: c, amount: n * 3}
`)
	q, err := rs.Quote("", Request{"n": "2"})
	if err != nil || len(q.Totals) != 3 || q.Total("c").StringFixed(2) != "6.00" || len(q.Lines) != 3 {
		t.Errorf("three meters: %v, %v", q, err)
	}
}

// TestJSONOrderAndLists: JSON totals follow the meters' declared order, as
// text does (they were sorted by name), and an explanation shows a list as
// an array of decimal strings (it was the text "[]").
func TestJSONOrderAndLists(t *testing.T) {
	rs := mustCompile(t, `name: t
meters:
  zeta: {places: 1}
  alpha: {places: 2}
inputs:
  items: {type: list, default: []}
rates:
  - {name: z, meter: zeta, amount: sum(items)}
  - {name: a, meter: alpha, amount: count(items)}
`)
	q, err := rs.Quote("", Request{"items": "5,0.5"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"totals":{"zeta":"5.5","alpha":"2.00"}`; !strings.Contains(string(b), want) {
		t.Errorf("quote JSON %s lacks %s", b, want)
	}
	e, err := rs.Explain("", Request{"items": "5,0.5"})
	if err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(e.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"name":"items","value":["5","0.5"]}]`; string(b) != want {
		t.Errorf("inputs JSON %s, want %s", b, want)
	}
}

// TestAmountText: an Amount writes as decimal's StringFixed does, with
// exactly its places, small or big.
func TestAmountText(t *testing.T) {
	for _, c := range []struct {
		units  string
		places int32
	}{
		{"4500", 2}, {"5", 2}, {"-5", 2}, {"0", 2}, {"123", 0}, {"7", 4}, {"1234567890123456789012", 2},
		{"4500", 0}, {"-123456", 3}, {"-9223372036854775808", 2}, {"9223372036854775807", 18},
	} {
		u, _ := new(big.Int).SetString(c.units, 10)
		a := amountOf(fromRat(new(big.Rat).SetInt(u)), c.places)
		want := decimal.NewFromBigInt(u, -c.places).StringFixed(c.places)
		if got := string(a.Append([]byte("x"))); got != "x"+want {
			t.Errorf("%s units at %d places: %s, want %s", c.units, c.places, got, want)
		}
		if !a.Decimal().Equal(decimal.NewFromBigInt(u, -c.places)) || a.BigUnits().Cmp(u) != 0 {
			t.Errorf("%s units at %d places: decimal %s", c.units, c.places, a.Decimal())
		}
	}
}

// TestAmountCmp: Amount.Cmp and the number an amount is agree with the
// amounts' decimals, for every pair of amounts small and big, at the same
// places and at others.
func TestAmountCmp(t *testing.T) {
	var amounts []Amount
	for _, c := range []struct {
		units  string
		places int32
	}{
		{"4500", 2}, {"45", 0}, {"450", 1}, {"4501", 2}, {"-5", 2}, {"0", 2}, {"0", 0}, {"7", 4},
		{"1234567890123456789012", 2}, {"-1234567890123456789012", 2}, {"9223372036854775807", 18}, {"1", 18},
	} {
		u, _ := new(big.Int).SetString(c.units, 10)
		amounts = append(amounts, amountOf(fromRat(new(big.Rat).SetInt(u)), c.places))
	}
	for _, a := range amounts {
		if got := a.value(); cmp(got, fromDecimal(a.Decimal())) != 0 {
			t.Errorf("%s is %s as a number", a, got)
		}
		for _, b := range amounts {
			if got, want := a.Cmp(b), a.Decimal().Cmp(b.Decimal()); got != want {
				t.Errorf("%s against %s: %d, want %d", a, b, got, want)
			}
		}
	}
}

// TestBoundsQuoteTheFile: a bound is quoted as the rule file writes it
// ("0.50"), not normalised ("0.5"), and a number as the request gives it.
func TestBoundsQuoteTheFile(t *testing.T) {
	rs := mustCompile(t, `name: t
meters: {m: {places: 2}}
inputs:
  x: {type: decimal, min: 0.50, below: 1e3, default: 1}
  xs: {type: list, above: 0.10, default: []}
rates:
  - {name: r, meter: m, amount: x + sum(xs)}
`)
	for req, want := range map[string]string{
		"0.25": "x must be at least 0.50, not 0.25",
		"1000": "x must be less than 1e3, not 1000",
	} {
		if _, err := rs.Quote("", Request{"x": req}); err == nil || err.Error() != want {
			t.Errorf("x=%s: %v, want %s", req, err, want)
		}
	}
	if _, err := rs.Quote("", Request{"xs": "5,0.1"}); err == nil || err.Error() != "xs item 2 must be more than 0.10, not 0.1" {
		t.Errorf("xs: %v", err)
	}
}

// TestExplainTiers: an explanation lists the part of each tier a graduated
// or volume price used, in the line or value that computed it.
func TestExplainTiers(t *testing.T) {
	rs := mustCompile(t, `name: t
meters: {usd: {places: 2}}
inputs:
  calls: {type: whole, min: 0, default: 0}
values:
  paid: graduated(calls, [1000, 0], [10000, 0.002, 5], [0.001, 20])
rates:
  - {name: calls, meter: usd, amount: paid}
  - {name: volume, meter: usd, amount: "volume(calls, [1000, 0.01], [0.005, 2])"}
`)
	e, err := rs.Explain("", Request{"calls": "12000"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal([]any{e.Values[0].Tiers, e.Lines[0].Tiers, e.Lines[1].Tiers})
	if err != nil {
		t.Fatal(err)
	}
	want := `[[{"function":"graduated","tier":1,"from":"0","up_to":"1000","quantity":"1000","unit_price":"0","amount":"0"},` +
		`{"function":"graduated","tier":2,"from":"1000","up_to":"10000","quantity":"9000","unit_price":"0.002","flat":"5","amount":"23"},` +
		`{"function":"graduated","tier":3,"from":"10000","quantity":"2000","unit_price":"0.001","flat":"20","amount":"22"}],` +
		`null,[{"function":"volume","tier":2,"from":"1000","quantity":"12000","unit_price":"0.005","flat":"2","amount":"62"}]]`
	if string(got) != want {
		t.Errorf("tiers:\n%s\nwant\n%s", got, want)
	}
	if q, err := rs.Quote("", Request{"calls": "12000"}); err != nil || q.Total("usd").String() != "107" {
		t.Errorf("quote: %v %v", q, err)
	}
}

// TestInputPlaces: an input may declare its places (a charge in whole
// cents), checked on every request and for each item of a list.
func TestInputPlaces(t *testing.T) {
	rs := mustCompile(t, `name: t
meters: {usd: {places: 2}}
inputs:
  charge: {type: decimal, min: 0, places: 2, default: 0}
  parts: {type: list, places: 0, default: []}
rates:
  - {name: r, meter: usd, amount: charge + sum(parts)}
`)
	for req, want := range map[string]string{
		"charge=10.10":  "",
		"charge=10.105": "charge must have at most 2 decimal places, not 10.105",
		"parts=1,2.5":   "parts item 2 must have at most 0 decimal places, not 2.5",
	} {
		name, value, _ := strings.Cut(req, "=")
		_, err := rs.Quote("", Request{name: value})
		if got := fmt.Sprint(err); (want == "" && err != nil) || (want != "" && got != want) {
			t.Errorf("%s: %v, want %q", req, err, want)
		}
	}
	if _, err := compileText(t, strings.Replace(exprList, "flag: {type: boolean, default: false}", "flag: {type: boolean, places: 2, default: false}", 1)); err == nil ||
		!strings.Contains(err.Error(), "input flag is boolean: only a decimal or a list has places") {
		t.Errorf("places on a boolean: %v", err)
	}
}

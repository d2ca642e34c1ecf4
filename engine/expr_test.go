package engine

import (
	"os"
	"strings"
	"testing"

	"ratecard/rules"
)

// exprList is a price list with one rate whose amount is AMOUNT, for
// testing expressions.
const exprList = `name: t
meters:
  m: {places: 4, rounding: half_up}
inputs:
  dur: {type: decimal, min: 0, default: 0}
  n: {type: whole, default: 0}
  plan: {type: one_of, values: [free, pro, team], default: free}
  flag: {type: boolean, default: false}
  items: {type: list, default: []}
values:
  billed: max(ceil(dur), 30)
rates:
  - name: r
    meter: m
    amount: 'AMOUNT'
`

func compileText(t testing.TB, text string) (*RuleSet, error) {
	t.Helper()
	set, err := rules.Parse([]rules.File{{Path: "t.yaml", Data: []byte(text)}})
	return compileLoaded(set, err, nil)
}

func mustCompile(t testing.TB, text string) *RuleSet {
	t.Helper()
	rs, err := compileText(t, text)
	if err != nil {
		t.Fatalf("rules do not load:\n%v", err)
	}
	return rs
}

func TestExpressions(t *testing.T) {
	tests := []struct {
		amount string
		req    Request
		want   string // the line's amount, rounded half-up to 4 places
	}{
		{"0.1 + 0.2", nil, "0.3000"},
		{"0.1 + 0.2 == 0.3 ? 1 : 0", nil, "1.0000"},
		{"5 / 3", nil, "1.6667"},
		{"dur / 3", Request{"dur": "0.105"}, "0.0350"},
		{"max(ceil(dur), 30)", Request{"dur": "30.0000000000000001"}, "31.0000"},
		{"billed", Request{"dur": "12"}, "30.0000"},
		{"min(dur, 10, 20)", Request{"dur": "15"}, "10.0000"},
		{"clamp(dur, 10, 20)", Request{"dur": "25"}, "20.0000"},
		{"clamp(dur, 10, 20)", Request{"dur": "5"}, "10.0000"},
		{"blocks(dur, 30) * 5", Request{"dur": "61"}, "15.0000"},
		{"round(dur, 1)", Request{"dur": "2.25"}, "2.3000"},
		{`round(dur, 1, "half_even")`, Request{"dur": "2.25"}, "2.2000"},
		{`round(dur, 0, "down")`, Request{"dur": "2.99"}, "2.0000"},
		{"floor(dur) + abs(-2)", Request{"dur": "2.99"}, "4.0000"},
		{"sum(items) + count(items)", Request{"items": "1.5,2.5"}, "6.0000"},
		{"max(items) - min(items)", Request{"items": "3,9,4"}, "6.0000"},
		{"n % 3", Request{"n": "7"}, "1.0000"},
		{"-n + 10", Request{"n": "7"}, "3.0000"},
		{`plan in ["pro", "team"] ? 10 : 1`, Request{"plan": "team"}, "10.0000"},
		{`plan not in ["pro", "team"] ? 10 : 1`, Request{"plan": "team"}, "1.0000"},
		{`plan == "pro" or flag ? 2 : 3`, Request{"flag": "true"}, "2.0000"},
		{`not flag && dur >= 1 ? 2 : 3`, Request{"dur": "1"}, "2.0000"},
		{"n in [1, 2, 3] ? 1 : 0", Request{"n": "2"}, "1.0000"},
		// Graduated: the first 100 at 0.10, the next 900 at 0.08, the rest at 0.05.
		{"graduated(n, [100, 0.10], [1000, 0.08], [0.05])", Request{"n": "50"}, "5.0000"},
		{"graduated(n, [100, 0.10], [1000, 0.08], [0.05])", Request{"n": "100"}, "10.0000"},
		{"graduated(n, [100, 0.10], [1000, 0.08], [0.05])", Request{"n": "1500"}, "107.0000"},
		// Volume: everything at the price of the tier the count falls in.
		{"volume(n, [100, 0.10], [1000, 0.08], [0.05])", Request{"n": "100"}, "10.0000"},
		{"volume(n, [100, 0.10], [1000, 0.08], [0.05])", Request{"n": "101"}, "8.0800"},
		{"volume(n, [100, 0.10], [1000, 0.08], [0.05])", Request{"n": "1500"}, "75.0000"},
		// Flat fees: graduated charges each tier's fee once x reaches into
		// it; volume the fee of the tier x falls in, when x is above 0.
		{"graduated(n, [100, 0.10, 1], [1000, 0.08, 2], [0.05, 3])", Request{"n": "0"}, "0.0000"},
		{"graduated(n, [100, 0.10, 1], [1000, 0.08, 2], [0.05, 3])", Request{"n": "100"}, "11.0000"},
		{"graduated(n, [100, 0.10, 1], [1000, 0.08, 2], [0.05, 3])", Request{"n": "101"}, "13.0800"},
		{"graduated(n, [100, 0.10, 1], [1000, 0.08, 2], [0.05, 3])", Request{"n": "1500"}, "113.0000"},
		{"volume(n, [100, 0.10, 1], [1000, 0.08, 2], [0.05, 3])", Request{"n": "0"}, "0.0000"},
		{"volume(n, [100, 0.10, 1], [1000, 0.08, 2], [0.05, 3])", Request{"n": "100"}, "11.0000"},
		{"volume(n, [100, 0.10, 1], [1000, 0.08, 2], [0.05, 3])", Request{"n": "1500"}, "78.0000"},
		{"99999999999 * 99999999999 / 99999999999", nil, "99999999999.0000"},
		{"1_000 + 0x10", nil, "1016.0000"},
		// Constant factors fold into one exact one: the same as unfolded.
		{"dur * 20 / 60", Request{"dur": "45"}, "15.0000"},
		{"dur * 20 / 60", Request{"dur": "1"}, "0.3333"},
		{"dur / 3 * 3", Request{"dur": "1"}, "1.0000"},
		{"2 * dur / 4 * 2", Request{"dur": "3"}, "3.0000"},
		{"0.5 * (dur * 2) / n", Request{"dur": "3", "n": "4"}, "0.7500"},
		{"dur * 99999999999 / 99999999999", Request{"dur": "99999999999"}, "99999999999.0000"},
		{"dur / 1e-30 * 1e-30", Request{"dur": "2.5"}, "2.5000"},
	}
	for _, tt := range tests {
		rs, err := compileText(t, strings.Replace(exprList, "AMOUNT", tt.amount, 1))
		if err != nil {
			t.Errorf("%s: %v", tt.amount, err)
			continue
		}
		q, err := rs.Quote("", tt.req)
		if err != nil {
			t.Errorf("%s with %v: %v", tt.amount, tt.req, err)
			continue
		}
		if got := q.Lines[0].Amount.String(); got != tt.want {
			t.Errorf("%s with %v = %s, want %s", tt.amount, tt.req, got, tt.want)
		}
	}
}

// TestErrorsAtLoadTime pins the traps seen when decimals are wired into
// expr's VM with Patch and Operator: a misspelled name inside a typed
// function call, and number literals among function arguments. Here every
// one of them is an error when the rules load, never when a quote runs.
func TestErrorsAtLoadTime(t *testing.T) {
	tests := []struct{ amount, want string }{
		{"max(durr, 30)", `t.yaml:15:18: unknown name "durr" (did you mean "dur"?)`},
		{"round(max(durr, 30) / 60, 2)", `t.yaml:15:24: unknown name "durr" (did you mean "dur"?)`},
		{"ceil(biled / 30) * 5", `t.yaml:15:19: unknown name "biled" (did you mean "billed"?)`},
		{"max(dur, 30 * flag)", `t.yaml:15:28: operator * needs a number, but this is true/false`},
		{`max(dur, "30")`, `t.yaml:15:23: argument 2 of max needs a number, but this is text`},
		{"round(dur, places)", `t.yaml:15:25: unknown name "places"`},
		{"round(dur, dur)", `t.yaml:15:25: round's places must be a whole number from 0 to 18 written out, such as 2`},
		{"ceil(dur, 2)", `t.yaml:15:14: ceil takes 1 argument; usage: ceil(x)`},
		{`plan == "gold" ? 1 : 2`, `t.yaml:15:22: "gold" is not a value of plan (free, pro, team)`},
		{"plan + 1", `t.yaml:15:14: operator + needs a number, but this is one of free, pro, team`},
		{"flag ? 1 : flag", `t.yaml:15:25: both branches of ?: must be numbers, both true/false, or both text; here they are a number and true/false`},
		{"graduated(n, [0.05], [100, 0.1, 2, 3])", "t.yaml:15:27: a tier of graduated is [up_to, price] or [up_to, price, flat]\nt.yaml:15:35: the last tier of graduated is [price] or [price, flat]: the price of everything above the tiers before it, and a flat fee"},
		{"volume(n, [100, 1], [50, 2], [3])", `t.yaml:15:35: tiers must go up: 50 comes after 100`},
		{"blocks(dur, 0)", `t.yaml:15:26: blocks needs a size above 0`},
		{"let x = 1; x", `t.yaml:15:18: let (use a named value under values: instead) is not part of the price-rule language`},
		{"dur ** 2", `t.yaml:15:18: operator ** is not part of the price-rule language`},
		{"billed(2)", `t.yaml:15:14: billed is a value, not a function`},
		{"items * 2", `t.yaml:15:14: operator * needs a number, but this is a list of numbers`},
		{"lne(items)", `t.yaml:15:14: unknown function "lne" (did you mean "len"?); the functions are abs, blocks, ceil, clamp, count, floor, graduated, len, lower, max, min, round, sum, upper, volume`},
		{"clamp(dur, 20, 10)", `t.yaml:15:14: clamp's low (20) is above its high (10)`},
	}
	for _, tt := range tests {
		_, err := compileText(t, strings.Replace(exprList, "AMOUNT", tt.amount, 1))
		if err == nil {
			t.Errorf("%s: loaded without error, want %s", tt.amount, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.amount, err, tt.want)
		}
	}
}

// TestReadmeListsEveryFunction: the rule language reference in the README
// documents every function the language has.
func TestReadmeListsEveryFunction(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range functionNames() {
		if !strings.Contains(string(readme), "`"+name+"(") {
			t.Errorf("the README does not document %s", name)
		}
	}
}

package engine

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"ratecard/rules"
)

// familyList is a price list whose expressions other lists of a family
// repeat word for word, each in its own environment (INPUTS, VALUES).
const familyList = `name: NAME
meters:
  m: {places: 4, rounding: half_up}
inputs:
INPUTS
values:
VALUES
rates:
  - name: per_unit
    meter: m
    when: plan == "pro" and n > 0
    amount: billed / n
  - name: doubled
    meter: m
    when: plan != "free"
    amount: dur * 2 + fee
  - name: running
    meter: m
    amount: m / 10
invariants:
  - name: a quote stays under a thousand
    holds: m < 1000
`

const familyInputs = `  dur: {type: decimal, min: 0, default: 0}
  n: {type: whole, default: 1}
  plan: {type: one_of, values: [free, pro, team], default: free}
  fee: {type: decimal, default: 0}`

const familyValues = `  billed: max(ceil(dur), 30)`

// familyMembers are lists whose texts are the first one's; all but the
// copy differ in what a name finds: words in another order (another
// index for "pro"), an input more in front (other slots), fee a value
// rather than an input, n a true/false.
var familyMembers = map[string][2]string{
	"copy":        {familyInputs, familyValues},
	"words":       {strings.Replace(familyInputs, "[free, pro, team]", "[team, pro, free]", 1), familyValues},
	"slots":       {"  extra: {type: decimal, default: 7}\n" + familyInputs, familyValues},
	"fee-a-value": {strings.Replace(familyInputs, "  fee: {type: decimal, default: 0}", "", 1), familyValues + "\n  fee: 3"},
	"n-a-flag":    {strings.Replace(familyInputs, "n: {type: whole, default: 1}", "n: {type: boolean, default: false}", 1), familyValues},
}

func familyFile(name string, env [2]string) rules.File {
	text := strings.NewReplacer("NAME", name, "INPUTS", env[0], "VALUES", env[1]).Replace(familyList)
	return rules.File{Path: name + ".yaml", Data: []byte(text)}
}

// TestSharedCodeSameQuotes: lists whose texts are the same but whose
// names find other things quote in one load exactly as each alone, and
// report the same errors.
func TestSharedCodeSameQuotes(t *testing.T) {
	files := []rules.File{familyFile("first", [2]string{familyInputs, familyValues})}
	for _, name := range slices.Sorted(maps.Keys(familyMembers)) {
		files = append(files, familyFile(name, familyMembers[name]))
	}
	_, err := CompileFiles(files)
	var joint rules.ErrorList
	if !errors.As(err, &joint) {
		t.Fatalf("n-a-flag compares a true/false with a number: got %v, want its errors", err)
	}
	for _, f := range files {
		_, err := CompileFiles([]rules.File{f})
		var own []string
		for _, e := range joint {
			if e.Pos.File == f.Path {
				own = append(own, e.Error())
			}
		}
		if got, want := strings.Join(own, "\n"), errText(err); got != want {
			t.Errorf("%s: errors beside the others:\n%s\nalone:\n%s", f.Path, got, want)
		}
	}
	files = slices.DeleteFunc(files, func(f rules.File) bool { return f.Path == "n-a-flag.yaml" })
	together, err := CompileFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	requests := []Request{nil, {"plan": "pro", "dur": "45", "n": "4"}, {"plan": "team", "dur": "10.5"}, {"plan": "pro", "n": "3", "fee": "1.25"}}
	for _, f := range files {
		name := strings.TrimSuffix(f.Path, ".yaml")
		alone, err := CompileFiles([]rules.File{f})
		if err != nil {
			t.Fatal(err)
		}
		for _, req := range append(requests, Request{"plan": "pro", "dur": "900"}) {
			a, errA := alone.Quote(name, req)
			b, errB := together.Quote(name, req)
			if fmt.Sprint(errA) != fmt.Sprint(errB) || (errA == nil && fmt.Sprint(a.Lines, a.Totals) != fmt.Sprint(b.Lines, b.Totals)) {
				t.Errorf("%s %v: alone %v %v, beside the others %v %v", name, req, a, errA, b, errB)
			}
			if errA == nil {
				holdsA, holdsB := holds(t, alone, name, a), holds(t, together, name, b)
				if holdsA != holdsB {
					t.Errorf("%s %v: the invariant holds %v alone, %v beside the others", name, req, holdsA, holdsB)
				}
			}
		}
	}
}

// holds evaluates the list's invariant on the quote q.
func holds(t *testing.T, rs *RuleSet, name string, q *Quote) bool {
	t.Helper()
	l, err := rs.List(name)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := l.NewInputs().Holds(l.Rules.Invariants[0], q)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestSharedCodeCompiledOnce: of lists written alike, the first compiles
// each text and the others take its code, every expression of them.
func TestSharedCodeCompiledOnce(t *testing.T) {
	env := [2]string{familyInputs, familyValues}
	set, err := rules.Parse([]rules.File{familyFile("a", env), familyFile("b", env), familyFile("c", familyMembers["words"])})
	if err != nil {
		t.Fatal(err)
	}
	pc := &parseCache{}
	var errs rules.ErrorList
	lists := make([]*PriceList, len(set.Lists))
	for i, l := range set.Lists {
		lists[i] = compileList(l, "", pc, &errs)
	}
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	// "a" compiles billed's text, two whens, three amounts and a holds,
	// of which "m / 10" reads a running total: its own. "b" takes the six
	// others; "c" (other words) takes the four that compare no word with
	// plan (the holds reads the meters' totals from slots it is given).
	byName := map[string]*PriceList{}
	for _, l := range lists {
		byName[l.Rules.Name] = l
	}
	if got, want := pc.shared.taken.Load(), int64(6+4); got != want {
		t.Errorf("%d compiles were taken from another list, want %d (6 by b, 4 by c)", got, want)
	}
	for _, name := range []string{"a", "b", "c"} {
		l := byName[name]
		if got := fmt.Sprint(symbolNames(l.rates[0].uses)); got != "[plan n billed]" {
			t.Errorf("%s: per_unit reads %s, want [plan n billed] (taken code still notes what it reads)", name, got)
		}
	}
}

func symbolNames(syms []*symbol) []string {
	var names []string
	for _, s := range syms {
		names = append(names, s.name)
	}
	return names
}

// placeList divides by zero in a value (n = 1), in a rate's when (n =
// 2), in its amount (n = 3) and in an invariant's holds (n = 4).
const placeList = `name: NAME
meters:
  m: {places: 2, rounding: half_up}
inputs:
  n: {type: whole, default: 5}
values:
  ratio: 10 / (n - 1)
rates:
  - name: r
    meter: m
    when: 6 / (n - 2) != 0
    amount: ratio + 7 / (n - 3)
invariants:
  - name: i
    holds: m + 8 / (n - 4) > 0
`

// TestSharedCodeErrorPlaces: an error raised by code another list
// compiled is placed in the list being priced, in its own file.
func TestSharedCodeErrorPlaces(t *testing.T) {
	a := rules.File{Path: "a.yaml", Data: []byte(strings.Replace(placeList, "NAME", "a", 1))}
	b := rules.File{Path: "b.yaml", Data: []byte("# b moves every line down by two\n\n" + strings.Replace(placeList, "NAME", "b", 1))}
	rs, err := CompileFiles([]rules.File{a, b})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []rules.File{a, b} {
		name := strings.TrimSuffix(f.Path, ".yaml")
		for n, at := range map[string]string{"1": "10 / (n - 1)", "2": "6 / (n - 2)", "3": "7 / (n - 3)", "4": "8 / (n - 4)"} {
			q, err := rs.Quote(name, Request{"n": n})
			if n == "4" { // the quote prices; its invariant fails
				l, _ := rs.List(name)
				in := l.NewInputs()
				if err == nil {
					if err = in.Set("n", n); err == nil {
						_, err = in.Holds(l.Rules.Invariants[0], q)
					}
				}
			}
			want := f.Path + ":" + placeOf(t, f.Data, at, " / ") + ":"
			if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "division by zero") {
				t.Errorf("%s, n = %s: got %v, want a division by zero at %s", name, n, err, want)
			}
		}
	}
}

// placeOf returns "line:column" of the first character of sub within
// the first occurrence of text in data (lines and columns from 1).
func placeOf(t *testing.T, data []byte, text, sub string) string {
	t.Helper()
	i := strings.Index(string(data), text)
	if i < 0 {
		t.Fatalf("%q is not in the file", text)
	}
	i += strings.Index(text, sub) + 1 // the operator itself, past the space
	line := strings.Count(string(data[:i]), "\n") + 1
	col := i - strings.LastIndex(string(data[:i]), "\n")
	return fmt.Sprintf("%d:%d", line, col)
}

// FuzzSharedCode: any expression, as the amount and in the when of lists
// alike and lists whose names find other things, loaded together, gives
// each list the errors and quotes it has alone.
func FuzzSharedCode(f *testing.F) {
	for _, seed := range []string{
		"dur * 2 + fee", "billed / n", `plan == "pro" ? n : 2`, `plan in ["team", "free"] ? 1 : 0`, "n > 1 ? fee : dur",
		"max(billed, n, fee)", "blocks(dur, n) * 5", "round(dur / 3, 2)", "100 / (n - 1)", "m + 1", "fee",
	} {
		f.Add(seed, "4", "pro")
	}
	f.Fuzz(func(t *testing.T, amount, n, plan string) {
		if strings.ContainsAny(amount, "'\n\r") || len(amount) > 200 {
			return // the YAML quoting of the test's rule file, not the engine
		}
		quoted := "'" + amount + "'"
		var files []rules.File
		for _, name := range append([]string{"first"}, slices.Sorted(maps.Keys(familyMembers))...) {
			env, ok := familyMembers[name]
			if !ok {
				env = [2]string{familyInputs, familyValues}
			}
			f := familyFile(name, env)
			text := strings.Replace(string(f.Data), "dur * 2 + fee", quoted, 1)
			text = strings.Replace(text, `when: plan != "free"`, "when: '("+amount+") != 0'", 1)
			files = append(files, rules.File{Path: f.Path, Data: []byte(text)})
		}
		_, err := CompileFiles(files)
		var joint rules.ErrorList
		errors.As(err, &joint)
		req := Request{"n": n, "plan": plan, "dur": n}
		var good []rules.File
		for _, f := range files {
			_, errAlone := CompileFiles([]rules.File{f})
			var own []string
			for _, e := range joint {
				if e.Pos.File == f.Path {
					own = append(own, e.Error())
				}
			}
			if got, want := strings.Join(own, "\n"), errText(errAlone); got != want {
				t.Fatalf("%q in %s: errors beside the others:\n%s\nalone:\n%s", amount, f.Path, got, want)
			}
			if errAlone == nil {
				good = append(good, f)
			}
		}
		if len(good) == 0 {
			return
		}
		together, err := CompileFiles(good)
		if err != nil {
			t.Fatalf("%q: the lists that load alone do not load together: %v", amount, err)
		}
		for _, f := range good {
			name := strings.TrimSuffix(f.Path, ".yaml")
			alone, _ := CompileFiles([]rules.File{f})
			a, errA := alone.Quote(name, req)
			b, errB := together.Quote(name, req)
			if fmt.Sprint(errA) != fmt.Sprint(errB) || (errA == nil && fmt.Sprint(a.Lines, a.Totals) != fmt.Sprint(b.Lines, b.Totals)) {
				t.Fatalf("%q in %s %v: alone %v %v, beside the others %v %v", amount, name, req, a, errA, b, errB)
			}
		}
	})
}

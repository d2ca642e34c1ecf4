package reprice

import (
	"strings"
	"testing"

	"ratecard/engine"
	"ratecard/rules"
)

// A list of 1 usd a unit whose plan includes 10 usd a month, caps a
// month's bill beyond it at 15, and whose price doubles in February.
const periodRules = `name: units
meters:
  usd: {places: 2}
inputs:
  units: {type: whole, min: 0, default: 1}
rates:
  - {name: units, meter: usd, amount: units}
---
name: units
extends: units
effective: 2027-02-01T00:00:00Z
rates:
  - {name: units, amount: units * 2}
---
name: units-plan
extends: units
allowances:
  included: {meter: usd, amount: 10, per: month}
period:
  every: month
  rates:
    - {name: cap, meter: usd, amount: "-max(usd_billed - 15, 0)"}
`

func TestPeriods(t *testing.T) {
	rs, err := engine.CompileFiles([]rules.File{{Path: "units.yaml", Data: []byte(periodRules)}})
	if err != nil {
		t.Fatal(err)
	}
	usage := "ts,customer,plan,units\n" +
		"2027-01-03T10:00:00Z,a,plan,4\n" + // drawn: 4 of 10
		"2027-01-20T10:00:00Z,a,plan,8\n" + // drawn: 6, billed 2
		"2027-01-31T23:59:59Z,b,,7\n" + // no plan: the list, nothing included
		"2027-02-01T00:00:00Z,a,plan,20\n" + // February: 40, 10 drawn, 30 billed, capped to 15
		"2027-02-02T00:00:00Z,a,nosuch,1\n" + // no such plan: a bad record
		"yesterday,a,plan,1\n" // no instant: a bad record
	in, err := Open("-", strings.NewReader(usage))
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	rep, err := Periods(in, rs, PeriodOptions{List: "units", AtColumn: "ts", ListColumn: "plan", GroupBy: "customer",
		Options: Options{OnBad: func(b *BadRecord) { bad = append(bad, b.Error()) }}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rep.Rows {
		got = append(got, strings.Join([]string{r.Group, r.Start.Format("2006-01"), strings.Join(r.Lists, "+"),
			r.Total[0].String(), r.Drawn[0].String(), r.Charges[0].String(), r.Billed[0].String()}, " "))
	}
	want := []string{
		"a 2027-01 units-plan 12 10 0 2",
		"a 2027-02 units-plan 40 10 -15 15",
		"b 2027-01 units 7 0 0 7",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.Read != 6 || rep.Priced != 4 || rep.Rejected != 2 || rep.Sum.Billed[0].String() != "24" {
		t.Errorf("read %d priced %d rejected %d billed %s", rep.Read, rep.Priced, rep.Rejected, rep.Sum.Billed[0])
	}
	wantBad := []string{
		`line 6: no price list "nosuch" (nor "units-nosuch")`,
		`line 7: ts: "yesterday" is not an RFC 3339 instant such as 2027-01-01T00:00:00Z`,
	}
	if strings.Join(bad, "\n") != strings.Join(wantBad, "\n") {
		t.Errorf("bad records:\n%s\nwant\n%s", strings.Join(bad, "\n"), strings.Join(wantBad, "\n"))
	}
}

// FuzzPeriods reads any usage text in the period view: it never panics,
// and every record read is priced or rejected, none lost.
func FuzzPeriods(f *testing.F) {
	f.Add("ts,customer,plan,units\n2027-01-03T10:00:00Z,a,plan,4\n2027-02-01T00:00:00Z,b,,x\nyesterday,a,plan,1\n")
	f.Add("ts,units\n2027-01-03 10:00:00,1\n,2\n")
	rs, err := engine.CompileFiles([]rules.File{{Path: "units.yaml", Data: []byte(periodRules)}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, usage string) {
		in, err := ReadText(usage, false)
		if err != nil {
			return
		}
		rep, err := Periods(in, rs, PeriodOptions{List: "units", AtColumn: "ts", ListColumn: "plan", GroupBy: "customer"})
		if err != nil {
			return // a missing column: the whole file is refused
		}
		if rep.Read != rep.Priced+rep.Rejected {
			t.Fatalf("%d read, %d priced, %d rejected", rep.Read, rep.Priced, rep.Rejected)
		}
	})
}

package engine

import (
	"strings"
	"testing"

	"ratecard/rules"
)

const gridList = `name: cloud
meters:
  usd: {places: 2}
inputs:
  region: {type: one_of, values: [eu, us, ap], default: eu}
  size: {type: one_of, values: [small, large], default: small}
  hours: {type: decimal, min: 0, default: 1}
  gb: {type: decimal, min: 0, default: 0}
  dialed: {type: text, default: "1"}
  spot: {type: boolean, default: false}
values:
  per_hour: "machine(region, size).hourly * (spot ? 0.5 : 1)"
grids:
  machine:
    keys: [region, size]
    columns: [hourly, setup]
    rows:
      - [eu, small, 0.10, 5]
      - [eu, large, 0.40, 5]
      - [us, "*", 0.12, 0]
      - ["*", "*", 0.15, 10]
  storage:
    keys: [gb]
    file: storage.csv
  tariff:
    keys: [dialed, spot]
    rows:
      - ["1800*", "*", 0]
      - ["44*", false, 0.25]
      - ["*", "*", 0.02]
rates:
  - {name: machine, meter: usd, amount: "per_hour * hours + machine(region, size).setup"}
  - {name: storage, meter: usd, amount: gb * storage(gb)}
  - {name: call, meter: usd, amount: "tariff(dialed, spot) * 10"}
examples:
  - {name: eu small, input: {hours: 10}, totals: {usd: 6.20}}
`

const storageCSV = "gb,number\n0..100,0.05\n100..,0.07\n"

func compileFiles(t *testing.T, files map[string]string) (*RuleSet, error) {
	t.Helper()
	var fs []rules.File
	for name, text := range files {
		fs = append(fs, rules.File{Path: "d/" + name, Data: []byte(text)})
	}
	return CompileFiles(fs)
}

// TestGrids: lookups by words (with * for the rest), by number ranges from
// a CSV file beside the rule file, by text prefixes and booleans; several
// named numbers; and the lookup shown in an explanation.
func TestGrids(t *testing.T) {
	rs, err := compileFiles(t, map[string]string{"cloud.yaml": gridList, "storage.csv": storageCSV})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		req  Request
		want string
	}{
		{Request{"hours": "10"}, "6.20"},                                          // 1 + 5 + call 0.20
		{Request{"region": "us", "size": "large", "hours": "10"}, "1.40"},         // 1.20 + 0 + 0.20
		{Request{"region": "ap", "hours": "10", "spot": "true"}, "10.95"},         // 0.075 * 10 + 10 + 0.20
		{Request{"gb": "100", "hours": "0"}, "12.20"},                             // 5 + 7 + 0.20
		{Request{"gb": "99.99", "hours": "0"}, "10.20"},                           // 5 + 5.00 (4.9995) + 0.20
		{Request{"dialed": "18005550100", "hours": "0"}, "5.00"},                  // toll free
		{Request{"dialed": "442079460000", "hours": "0"}, "7.50"},                 // abroad
		{Request{"dialed": "442079460000", "hours": "0", "spot": "true"}, "5.20"}, // not 44 when spot
	} {
		q, err := rs.Quote("", c.req)
		if err != nil || q.Totals[0].Amount.String() != c.want {
			t.Errorf("%v: %v %v, want %s", c.req, q, err, c.want)
		}
	}
	if res := rs.RunExamples(); len(res) != 1 || !res[0].Passed() {
		t.Errorf("example: %+v", res[0])
	}
	e, err := rs.Explain("", Request{"gb": "150"})
	if err != nil {
		t.Fatal(err)
	}
	if l := e.Lines[1].Lookups; len(l) != 1 || l[0].Grid != "storage" || l[0].Keys != "gb=150" || l[0].Row != "d/storage.csv:3:1" || l[0].Value != "0.07" {
		t.Errorf("explained lookups %+v", l)
	}
	if l := e.Values[0].Lookups; len(l) != 1 || l[0].Column != "hourly" || l[0].Row != "d/cloud.yaml:18:9" {
		t.Errorf("the value's lookups %+v", l)
	}
}

// TestGridErrors: every mistake in a grid, at its place.
func TestGridErrors(t *testing.T) {
	for name, c := range map[string]struct{ edit, csv, want string }{
		"missing cell":     {`      - ["*", "*", 0.15, 10]` + "\n", storageCSV, "d/cloud.yaml:14:3: grid machine has no row for region=ap, size=small: add one, or a row of * for the rest"},
		"duplicate row":    {`      - [eu, small, 0.11, 5]` + "\n", storageCSV, "d/cloud.yaml:20:9: grid machine has this row twice: the same keys as the row at line 18"},
		"word not a value": {`      - [eu, smal, 0.11, 5]` + "\n", storageCSV, `d/cloud.yaml:20:14: grid machine, key size: "smal" is not a value of size (small, large) (did you mean "small"?)`},
		"short row":        {`      - [eu, small, 0.11]` + "\n", storageCSV, "d/cloud.yaml:20:9: a row of grid machine is a list of 4: [region, size, hourly, setup]"},
		"bad CSV number":   {"", "gb,number\n0..100,cheap\n", `d/storage.csv:2:8: a number of grid storage: "cheap" is not a decimal number`},
		"bad CSV header":   {"", "size,number\n0..100,0.05\n", "d/storage.csv:1:1: the header of grid storage must be gb, number, not size, number"},
		"empty range":      {"", "gb,number\n100..100,0.05\n", "d/storage.csv:2:1: grid storage, key gb: the range 100..100 is empty: a..b holds a <= x < b"},
		"outside bounds":   {"", "gb,number\n-5,0.05\n", "d/storage.csv:2:1: grid storage, key gb: no request can give -5: gb must be at least 0, not -5"},
		"no file":          {"", "", `d/cloud.yaml:24:11: grid storage: no file "storage.csv" beside the rule file`},
	} {
		t.Run(name, func(t *testing.T) {
			text := strings.Replace(gridList, `      - [eu, large, 0.40, 5]`+"\n", `      - [eu, large, 0.40, 5]`+"\n"+c.edit, 1)
			if name == "missing cell" {
				text = strings.Replace(gridList, c.edit, "", 1)
			}
			files := map[string]string{"cloud.yaml": text}
			if c.csv != "" {
				files["storage.csv"] = c.csv
			}
			_, err := compileFiles(t, files)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v\nwant %s", err, c.want)
			}
		})
	}
	for amount, want := range map[string]string{
		"machine(region)":              "grid machine takes 2 keys: machine(region, size)",
		"machine(region, size)":        "grid machine gives hourly, setup: say which, as machine(region, size).hourly",
		"machine(region, size).hourli": `grid machine has no column "hourli"; its columns are hourly, setup (did you mean "hourly"?)`,
		"storage(gb).price":            "grid storage gives one number: call it as storage(gb), without .price",
		"machine(size, region).setup":  "key 1 of grid machine is region (one of eu, us, ap), but this is one of small, large",
		`machine("eu", "huge").setup`:  `"huge" is not a value of size (small, large)`,
	} {
		text := strings.Replace(gridList, "amount: gb * storage(gb)}", "amount: \""+strings.ReplaceAll(amount, `"`, `\"`)+"\"}", 1)
		_, err := compileFiles(t, map[string]string{"cloud.yaml": text, "storage.csv": storageCSV})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v\nwant %s", amount, err, want)
		}
	}
	// A number no row covers fails the quote, naming the keys.
	rs, err := compileFiles(t, map[string]string{"cloud.yaml": gridList, "storage.csv": "gb,number\n0..100,0.05\n"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Quote("", Request{"gb": "100"}); err == nil || !strings.Contains(err.Error(), "rate storage: grid storage has no row for gb=100") {
		t.Errorf("a miss: %v", err)
	}
}

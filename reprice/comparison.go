package reprice

import (
	"encoding/json"

	"github.com/shopspring/decimal"
)

// Comparison is what a change of rules does to real usage: every record
// priced under the old and the new price list.
type Comparison struct {
	List     string       `json:"list"`
	Read     int          `json:"records_read"`
	Priced   int          `json:"records_priced"`
	Rejected int          `json:"records_rejected"`
	Meters   []*MeterDiff `json:"meters"`
	Rates    []*RateDiff  `json:"rates"`
	GroupBy  string       `json:"group_by,omitempty"`
	Groups   []*GroupDiff `json:"groups,omitempty"`

	cp       *comparer
	groups   map[string]*GroupDiff
	rates    map[[2]string]*RateDiff
	old, new *pricer
}

// MeterDiff compares one meter's totals and per-record changes.
type MeterDiff struct {
	Meter   string          `json:"meter"`
	Places  int32           `json:"places"`
	Old     decimal.Decimal `json:"old"`
	New     decimal.Decimal `json:"new"`
	More    int             `json:"records_paying_more"`
	Less    int             `json:"records_paying_less"`
	Same    int             `json:"records_paying_the_same"`
	Largest []*Change       `json:"largest_changes"`
	// Percentiles of the per-record difference (new - old).
	Percentiles []Percentile `json:"percentiles"`
	Histogram   []Bin        `json:"histogram"`
	// counts of each per-record difference: exact, and small, since
	// prices take few distinct values, whatever the number of records.
	// A difference in units of the last place is counted in unitCounts,
	// any other (an amount too large, or with other places) in counts.
	unitCounts map[int64]int
	counts     map[string]int
	top        changeHeap
	old, new   exactSum
}

// Change is one record's change on a meter.
type Change struct {
	Line   int             `json:"line"`
	Record string          `json:"record"` // the record's carried columns, "id=r1 customer=c7"
	Old    decimal.Decimal `json:"old"`
	New    decimal.Decimal `json:"new"`
	Delta  decimal.Decimal `json:"delta"`
}

// Percentile is the per-record difference at rank P percent.
type Percentile struct {
	P     int             `json:"p"`
	Delta decimal.Decimal `json:"delta"`
}

// Bin counts the records whose difference is in [From, To) (the last bin
// includes To).
type Bin struct {
	From    decimal.Decimal `json:"from"`
	To      decimal.Decimal `json:"to"`
	Records int             `json:"records"`
}

// RateDiff is what one rate charges on one meter in all, before and after.
type RateDiff struct {
	Rate     string          `json:"rate"`
	Meter    string          `json:"meter"`
	Old      decimal.Decimal `json:"old"`
	New      decimal.Decimal `json:"new"`
	places   int32
	old, new exactSum
}

// GroupDiff compares the totals of the records of one group.
type GroupDiff struct {
	Group    string            `json:"group"`
	Records  int               `json:"records"`
	Old      []decimal.Decimal `json:"old"` // per meter
	New      []decimal.Decimal `json:"new"`
	places   []int32
	old, new []exactSum
}

// The JSON of a comparison writes every amount as a decimal string with
// its meter's places ("247.50"), as quotes do, never as a JSON number.

func fixed(d decimal.Decimal, places int32) string { return d.StringFixed(places) }

// MarshalJSON writes the meter's amounts with its places, and the
// change (new - old).
func (m *MeterDiff) MarshalJSON() ([]byte, error) {
	type change struct {
		Line   int    `json:"line"`
		Record string `json:"record"`
		Old    string `json:"old"`
		New    string `json:"new"`
		Delta  string `json:"delta"`
	}
	type percentile struct {
		P     int    `json:"p"`
		Delta string `json:"delta"`
	}
	type bin struct {
		From    string `json:"from"`
		To      string `json:"to"`
		Records int    `json:"records"`
	}
	out := struct {
		Meter       string       `json:"meter"`
		Places      int32        `json:"places"`
		Old         string       `json:"old"`
		New         string       `json:"new"`
		Change      string       `json:"change"`
		More        int          `json:"records_paying_more"`
		Less        int          `json:"records_paying_less"`
		Same        int          `json:"records_paying_the_same"`
		Largest     []change     `json:"largest_changes"`
		Percentiles []percentile `json:"percentiles"`
		Histogram   []bin        `json:"histogram"`
	}{Meter: m.Meter, Places: m.Places, Old: fixed(m.Old, m.Places), New: fixed(m.New, m.Places), Change: fixed(m.New.Sub(m.Old), m.Places),
		More: m.More, Less: m.Less, Same: m.Same, Largest: []change{}, Percentiles: []percentile{}, Histogram: []bin{}}
	for _, c := range m.Largest {
		out.Largest = append(out.Largest, change{c.Line, c.Record, fixed(c.Old, m.Places), fixed(c.New, m.Places), fixed(c.Delta, m.Places)})
	}
	for _, p := range m.Percentiles {
		out.Percentiles = append(out.Percentiles, percentile{p.P, fixed(p.Delta, m.Places)})
	}
	for _, b := range m.Histogram {
		out.Histogram = append(out.Histogram, bin{fixed(b.From, m.Places), fixed(b.To, m.Places), b.Records})
	}
	return json.Marshal(out)
}

// MarshalJSON writes the rate's amounts with its meter's places, the
// change, and whether there is one.
func (r *RateDiff) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Rate    string `json:"rate"`
		Meter   string `json:"meter"`
		Old     string `json:"old"`
		New     string `json:"new"`
		Change  string `json:"change"`
		Changed bool   `json:"changed"`
	}{r.Rate, r.Meter, fixed(r.Old, r.places), fixed(r.New, r.places), fixed(r.New.Sub(r.Old), r.places), !r.Old.Equal(r.New)})
}

// MarshalJSON writes the group's amounts with each meter's places, and
// each meter's change.
func (g *GroupDiff) MarshalJSON() ([]byte, error) {
	out := struct {
		Group   string   `json:"group"`
		Records int      `json:"records"`
		Old     []string `json:"old"`
		New     []string `json:"new"`
		Change  []string `json:"change"`
	}{Group: g.Group, Records: g.Records}
	for i := range g.Old {
		out.Old = append(out.Old, fixed(g.Old[i], g.places[i]))
		out.New = append(out.New, fixed(g.New[i], g.places[i]))
		out.Change = append(out.Change, fixed(g.New[i].Sub(g.Old[i]), g.places[i]))
	}
	return json.Marshal(out)
}

package reprice

import (
	"sort"

	"github.com/shopspring/decimal"
	"ratecard/engine"
)

// Sums is what a set of records pays, per meter (in the list's order).
type Sums struct {
	Records int
	Meters  []decimal.Decimal // set once the run is over
	sums    []exactSum
}

func newSums(places []int32) *Sums {
	s := &Sums{sums: make([]exactSum, len(places))}
	for i, p := range places {
		s.sums[i].places = p
	}
	return s
}

func (s *Sums) add(q *engine.Quote) {
	s.Records++
	for i, t := range q.Totals {
		s.sums[i].add(t.Amount)
	}
}

func (s *Sums) finish() {
	s.Meters = make([]decimal.Decimal, len(s.sums))
	for i := range s.sums {
		s.Meters[i] = s.sums[i].value()
	}
}

// Summary is the outcome of repricing a usage file.
type Summary struct {
	List     string
	Meters   []string
	Places   []int32
	Read     int // records read, good or bad
	Priced   int
	Rejected int
	Total    *Sums
	GroupBy  string
	Groups   map[string]*Sums
	// Inputs tells, for each input of the list (in its order), the
	// column it was read from ("" for none) and how many records gave it
	// a value: an input given by no record took its default in all.
	Inputs []InputUse
}

// InputUse is how a usage file gave one input.
type InputUse struct {
	Input  string
	Column string // "" when the file has no column of that name
	Given  int    // records with a value in it (not empty, not null)
}

// setInputs fills Inputs from the binding and the counts of records that
// gave each input.
func (s *Summary) setInputs(b *binding, given []int) {
	s.Inputs = make([]InputUse, len(b.list.Rules.Inputs))
	for i, in := range b.list.Rules.Inputs {
		s.Inputs[i].Input = in.Name
		if b.column(in.Name) >= 0 {
			s.Inputs[i].Column = in.Name
		}
		s.Inputs[i].Given = given[i]
	}
}

func newSummary(l *engine.PriceList, groupBy string) *Summary {
	s := &Summary{List: l.Rules.Name, GroupBy: groupBy}
	for _, m := range l.Rules.Meters {
		s.Meters = append(s.Meters, m.Name)
		s.Places = append(s.Places, m.Places)
	}
	s.Total = newSums(s.Places)
	if groupBy != "" {
		s.Groups = map[string]*Sums{}
	}
	return s
}

func (s *Summary) add(group string, q *engine.Quote) {
	s.Priced++
	s.Total.add(q)
	if s.Groups != nil {
		g := s.Groups[group]
		if g == nil {
			g = newSums(s.Places)
			s.Groups[group] = g
		}
		g.add(q)
	}
}

// GroupNames returns the groups, sorted.
func (s *Summary) GroupNames() []string {
	names := make([]string, 0, len(s.Groups))
	for n := range s.Groups {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// merge adds what another summary's records pay (Read and Rejected are
// counted by the caller).
func (s *Summary) merge(o *Summary) {
	s.Priced += o.Priced
	s.Total.merge(o.Total)
	for name, g := range o.Groups {
		if mine := s.Groups[name]; mine != nil {
			mine.merge(g)
		} else {
			s.Groups[name] = g
		}
	}
}

func (s *Sums) merge(o *Sums) {
	s.Records += o.Records
	for i := range s.sums {
		s.sums[i].merge(o.sums[i])
	}
}

// finish sets the meters' totals of the whole run and of each group.
func (s *Summary) finish() {
	s.Total.finish()
	for _, g := range s.Groups {
		g.finish()
	}
}

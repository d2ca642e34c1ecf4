package reprice

import (
	"sort"

	"github.com/shopspring/decimal"
	"ratecard/engine"
)

// Sums is what a set of records pays, per meter (in the list's order).
type Sums struct {
	Records int
	Meters  []decimal.Decimal
}

func newSums(meters int) *Sums {
	s := &Sums{Meters: make([]decimal.Decimal, meters)}
	for i := range s.Meters {
		s.Meters[i] = decimal.Zero
	}
	return s
}

func (s *Sums) add(q *engine.Quote) {
	s.Records++
	for i, t := range q.Totals {
		s.Meters[i] = s.Meters[i].Add(t.Amount)
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
}

func newSummary(l *engine.PriceList, groupBy string) *Summary {
	s := &Summary{List: l.Rules.Name, GroupBy: groupBy, Total: newSums(len(l.Rules.Meters))}
	for _, m := range l.Rules.Meters {
		s.Meters = append(s.Meters, m.Name)
		s.Places = append(s.Places, m.Places)
	}
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
			g = newSums(len(s.Meters))
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
	for i := range s.Meters {
		s.Meters[i] = s.Meters[i].Add(o.Meters[i])
	}
}

package reprice

import (
	"sort"

	"github.com/shopspring/decimal"
)

// Percent returns the change of new over old in percent, to 2 places, and
// false when old is zero.
func Percent(old, new decimal.Decimal) (decimal.Decimal, bool) {
	if old.IsZero() {
		return decimal.Zero, false
	}
	return new.Sub(old).Mul(decimal.NewFromInt(100)).DivRound(old.Abs(), 2), true
}

type valueCount struct {
	v decimal.Decimal
	n int
}

func (m *MeterDiff) distribution() {
	var values []valueCount
	total := 0
	for u, n := range m.unitCounts {
		values = append(values, valueCount{decimal.New(u, -m.Places), n})
		total += n
	}
	for k, n := range m.counts {
		values = append(values, valueCount{decimal.RequireFromString(k), n})
		total += n
	}
	if total == 0 {
		return
	}
	sort.Slice(values, func(i, j int) bool { return values[i].v.LessThan(values[j].v) })
	// Nearest-rank percentiles.
	for _, p := range []int{0, 1, 5, 25, 50, 75, 95, 99, 100} {
		rank := (p*total + 99) / 100 // ceil(p/100 * total)
		rank = max(rank, 1)
		seen := 0
		for _, vc := range values {
			seen += vc.n
			if seen >= rank {
				m.Percentiles = append(m.Percentiles, Percentile{P: p, Delta: vc.v})
				break
			}
		}
	}
	lo, hi := values[0].v, values[len(values)-1].v
	const bins = 10
	if lo.Equal(hi) {
		m.Histogram = []Bin{{From: lo, To: hi, Records: total}}
		return
	}
	width := hi.Sub(lo).Div(decimal.NewFromInt(bins))
	for i := 0; i < bins; i++ {
		from := lo.Add(width.Mul(decimal.NewFromInt(int64(i))))
		to := lo.Add(width.Mul(decimal.NewFromInt(int64(i + 1))))
		if i == bins-1 {
			to = hi
		}
		m.Histogram = append(m.Histogram, Bin{From: from.Round(m.Places), To: to.Round(m.Places)})
	}
	for _, vc := range values {
		i := int(vc.v.Sub(lo).Div(width).IntPart())
		m.Histogram[min(i, bins-1)].Records += vc.n
	}
}

// changeHeap keeps the largest changes: a min-heap by absolute delta.
type changeHeap []*Change

func (h changeHeap) Len() int           { return len(h) }
func (h changeHeap) Less(i, j int) bool { return largerChange(h[j].Delta, h[j].Line, h[i]) }
func (h changeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *changeHeap) Push(x any)        { *h = append(*h, x.(*Change)) }
func (h *changeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

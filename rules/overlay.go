package rules

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// headerField accepts a key readHeader has read already.
func headerField(name string) field { return field{name, false, func(*yaml.Node) {}} }

// decodeOverlay reads a document that extends base: a plan, a contract, a
// promotion, or a new version written as its changes. It may replace named
// values and rates of its base, narrow its inputs, add adjustments (rates
// after the base's, which may read the meters' totals), allowances,
// invariants, examples and tables; everything else is the base's.
func (d *decoder) decodeOverlay(n *yaml.Node, base *PriceList) *PriceList {
	l := &PriceList{
		File: d.file, Pos: d.pos(n), Base: base,
		Description: base.Description,
		Meters:      base.Meters, Grids: base.Grids, Tables: base.Tables,
		Inputs:     slices.Clone(base.Inputs),
		Values:     slices.Clone(base.Values),
		Rates:      slices.Clone(base.Rates),
		Invariants: slices.Clone(base.Invariants),
		Allowances: slices.Clone(base.Allowances),
		Period:     base.Period,
	}
	var inputs, values, rates, adjustments, allowances, examples, tables, invariants *yaml.Node
	whole := func(what string) func(v *yaml.Node) {
		return func(v *yaml.Node) {
			d.errorf(v, "an overlay keeps its base's %s; to change them, write a list of its own (without extends)", what)
		}
	}
	d.fields(n, "an overlay (a list with extends)", []field{
		{"name", true, func(v *yaml.Node) { l.Pos = d.pos(v); l.Name, _ = d.str(v, "name") }},
		{"extends", true, func(v *yaml.Node) { l.Extends, _ = d.str(v, "extends") }},
		headerField("effective"), headerField("until"), headerField("grandfathering"),
		{"description", false, func(v *yaml.Node) { l.Description, _ = d.str(v, "description") }},
		{"version", false, func(v *yaml.Node) { l.Version, _ = d.str(v, "version") }},
		{"meters", false, whole("meters")},
		{"grids", false, whole("grids")},
		{"inputs", false, func(v *yaml.Node) { inputs = v }},
		{"values", false, func(v *yaml.Node) { values = v }},
		{"rates", false, func(v *yaml.Node) { rates = v }},
		{"adjustments", false, func(v *yaml.Node) { adjustments = v }},
		{"allowances", false, func(v *yaml.Node) { allowances = v }},
		{"period", false, func(v *yaml.Node) { l.Period = d.decodePeriod(l, v) }},
		{"examples", false, func(v *yaml.Node) { examples = v }},
		{"tables", false, func(v *yaml.Node) { tables = v }},
		{"invariants", false, func(v *yaml.Node) { invariants = v }},
	})
	if inputs != nil {
		d.entries(inputs, "inputs", func(k, v *yaml.Node) { d.narrowInput(l, k, d.deref(v)) })
	}
	if values != nil {
		d.entries(values, "values", func(k, v *yaml.Node) { d.replaceValue(l, k, d.deref(v)) })
	}
	if rates != nil {
		d.list(rates, "rates", func(item *yaml.Node) { d.replaceRate(l, item) })
	}
	if adjustments != nil {
		d.list(adjustments, "adjustments", func(item *yaml.Node) {
			r := d.decodeRate(l, item, new(Rate))
			if r == nil {
				return
			}
			if prev := l.Rate(r.Name); prev != nil {
				d.errorf(item, "adjustment %q has the name of a rate of %s (at %s); name it otherwise, or replace the rate under rates:", r.Name, base.Name, prev.Pos)
				return
			}
			r.Adjustment, r.Origin = true, l.Name
			l.Rates = append(l.Rates, r)
		})
	}
	if allowances != nil {
		l.Allowances = overlayAllowances(d, l, allowances)
	}
	if examples != nil {
		d.list(examples, "examples", func(item *yaml.Node) {
			if ex := d.decodeExample(l, item); ex != nil {
				l.Examples = append(l.Examples, ex)
			}
		})
	}
	if tables != nil {
		l.Tables = nil
		d.list(tables, "tables", func(item *yaml.Node) {
			if t := d.decodeTable(l, item); t != nil {
				l.Tables = append(l.Tables, t)
			}
		})
	}
	if invariants != nil {
		d.list(invariants, "invariants", func(item *yaml.Node) {
			inv := d.decodeInvariant(l, item)
			if inv == nil {
				return
			}
			if i := slices.IndexFunc(l.Invariants, func(b *Invariant) bool { return b.Name == inv.Name }); i >= 0 {
				l.Invariants[i] = inv // the overlay's own statement of it
				return
			}
			l.Invariants = append(l.Invariants, inv)
		})
	}
	return l
}

// replaceValue replaces a named value of the base.
func (d *decoder) replaceValue(l *PriceList, k, v *yaml.Node) {
	name, ok := d.name(k, "value name")
	if !ok {
		return
	}
	i := slices.IndexFunc(l.Values, func(nv *NamedValue) bool { return nv.Name == name })
	if i < 0 {
		known := names(l.Values, func(nv *NamedValue) string { return nv.Name })
		d.errorf(k, "value %q is not a value of %s%s: an overlay replaces its base's values by name, and adds none", name, l.Base.Name, DidYouMean(name, known))
		return
	}
	if e := d.expr(v, "value "+name); e != nil {
		l.Values[i] = &NamedValue{Pos: d.pos(k), Name: name, Expr: e, Replaces: l.Values[i], Origin: l.Name}
	}
}

// replaceRate replaces fields of a rate of the base (its amount, when and
// description); the meter and for_each stay the base's.
func (d *decoder) replaceRate(l *PriceList, n *yaml.Node) {
	var nameNode *yaml.Node
	var r Rate
	set := false
	d.fields(n, "a replaced rate", []field{
		{"name", true, func(v *yaml.Node) { nameNode = v; r.Name, _ = d.name(v, "rate name") }},
		{"description", false, func(v *yaml.Node) { r.Description, _ = d.str(v, "description") }},
		{"when", false, func(v *yaml.Node) { set = true; r.When = d.expr(v, "when") }},
		{"amount", false, func(v *yaml.Node) { set = true; r.Amount = d.expr(v, "amount") }},
		{"meter", false, func(v *yaml.Node) {
			d.errorf(v, "a replaced rate keeps its base's meter; add an adjustment to charge another")
		}},
		{"for_each", false, func(v *yaml.Node) { d.errorf(v, "a replaced rate keeps its base's for_each") }},
	})
	if nameNode == nil || r.Name == "" {
		return
	}
	i := slices.IndexFunc(l.Rates, func(b *Rate) bool { return b.Name == r.Name })
	if i < 0 {
		d.errorf(nameNode, "rate %q is not a rate of %s%s: an overlay replaces its base's rates by name; to charge something new, add it under adjustments",
			r.Name, l.Base.Name, DidYouMean(r.Name, l.rateNames()))
		return
	}
	if !set {
		d.errorf(n, "replaced rate %s changes nothing: give its amount or when", r.Name)
		return
	}
	old := l.Rates[i]
	nr := *old
	nr.Pos, nr.Replaces, nr.Origin = d.pos(nameNode), old, l.Name
	if r.Description != "" {
		nr.Description = r.Description
	}
	if r.When != nil {
		nr.When = r.When
	}
	if r.Amount != nil {
		nr.Amount = r.Amount
	}
	l.Rates[i] = &nr
}

// narrowInput narrows an input of the base: bounds only tighter, words
// only fewer, its default and description its own. A request the overlay
// accepts is one its base accepts, so that not_above can compare them.
func (d *decoder) narrowInput(l *PriceList, k, n *yaml.Node) {
	name := k.Value
	i := slices.IndexFunc(l.Inputs, func(in *Input) bool { return in.Name == name })
	if i < 0 {
		d.errorf(k, "input %q is not an input of %s%s: an overlay narrows its base's inputs, and adds none", name, l.Base.Name, DidYouMean(name, l.InputNames()))
		return
	}
	old := l.Inputs[i]
	in := *old
	in.Narrows = old
	var def *yaml.Node
	bound := func(dst **Bound, tighter func(newer, older *Bound) bool, word string) func(v *yaml.Node) {
		return func(v *yaml.Node) {
			num, ok := d.number(v, "a bound of "+name)
			if !ok {
				return
			}
			b := &Bound{Pos: d.pos(v), Value: num, Text: d.strs.intern(strings.TrimSpace(v.Value))}
			if *dst != nil && !tighter(b, *dst) {
				d.errorf(v, "an overlay narrows inputs: %s %s of %s is looser than its base's %s %s", word, b.Text, name, word, (*dst).Text)
				return
			}
			*dst = b
		}
	}
	higher := func(b, o *Bound) bool { return b.Value.GreaterThanOrEqual(o.Value) }
	lower := func(b, o *Bound) bool { return b.Value.LessThanOrEqual(o.Value) }
	d.fields(n, "input "+name+" (narrowed)", []field{
		{"description", false, func(v *yaml.Node) { in.Description, _ = d.str(v, "description") }},
		{"default", false, func(v *yaml.Node) { def = v }},
		{"min", false, bound(&in.Min, higher, "min")},
		{"above", false, bound(&in.Above, higher, "above")},
		{"max", false, bound(&in.Max, lower, "max")},
		{"below", false, bound(&in.Below, lower, "below")},
		{"values", false, func(v *yaml.Node) {
			var words []string
			d.list(v, "values of "+name, func(item *yaml.Node) {
				w, ok := d.str(item, "a value of "+name)
				if !ok {
					return
				}
				if !slices.Contains(old.Values, w) {
					d.errorf(item, "an overlay narrows inputs: %q is not a value of %s in %s%s", w, name, l.Base.Name, DidYouMean(w, old.Values))
					return
				}
				words = append(words, w)
			})
			in.Values = words
		}},
		{"type", false, func(v *yaml.Node) { d.errorf(v, "an overlay keeps the type of its base's inputs") }},
	})
	numeric := in.Type == Decimal || in.Type == Whole || in.Type == List
	if !numeric && (in.Min != old.Min || in.Max != old.Max || in.Above != old.Above || in.Below != old.Below) {
		d.errorf(k, "input %s is %s: only numbers and lists have bounds", name, in.Type)
	}
	switch {
	case def != nil:
		in.Default, in.Required = d.decodeValue(&in, def), false
	case in.Type == OneOf && in.Default != nil && !slices.Contains(in.Values, in.Default.Word):
		d.errorf(k, "input %s keeps only %s, without its default %q: give it a default of those", name, strings.Join(in.Values, ", "), in.Default.Word)
	}
	in.Pos = d.pos(k)
	l.Inputs[i] = &in
}

// overlayAllowances merges an overlay's allowances with its base's: one of
// a base's name replaces it where it stands; the others are drawn first,
// before the base's, in the order written (a plan's monthly credits before
// the packs the customer bought).
func overlayAllowances(d *decoder, l *PriceList, n *yaml.Node) []*Allowance {
	own := &PriceList{Meters: l.Meters}
	d.decodeAllowances(own, n)
	merged := slices.Clone(l.Allowances)
	var first []*Allowance
	for _, a := range own.Allowances {
		if i := slices.IndexFunc(merged, func(b *Allowance) bool { return b.Name == a.Name }); i >= 0 {
			merged[i] = a
			continue
		}
		first = append(first, a)
	}
	return append(first, merged...)
}

// decodeAllowances reads the allowances section: each draws on a meter,
// in the order written.
func (d *decoder) decodeAllowances(l *PriceList, n *yaml.Node) {
	d.entries(n, "allowances", func(k, v *yaml.Node) {
		name, ok := d.name(k, "allowance name")
		if !ok {
			return
		}
		if prev := l.Allowance(name); prev != nil {
			d.errorf(k, "allowance %q is already declared at %s", name, prev.Pos)
			return
		}
		a := &Allowance{Pos: d.pos(k), Name: name}
		var per *yaml.Node
		d.fields(v, "allowance "+name, []field{
			{"meter", true, func(v *yaml.Node) {
				a.Meter, _ = d.str(v, "meter")
				if l.Meter(a.Meter) == nil {
					d.errorf(v, "allowance %s draws on unknown meter %q%s", name, a.Meter, DidYouMean(a.Meter, l.meterNames()))
				}
			}},
			{"description", false, func(v *yaml.Node) { a.Description, _ = d.str(v, "description") }},
			{"amount", false, func(v *yaml.Node) {
				if num, ok := d.number(v, "amount of "+name); ok {
					if num.IsNegative() {
						d.errorf(v, "amount of %s must be at least 0, not %s", name, num)
						return
					}
					a.Amount = &num
				}
			}},
			{"per", false, func(v *yaml.Node) {
				per = v
				a.Per, _ = d.str(v, "per")
				if !slices.Contains(Periods, a.Per) {
					d.errorf(v, "per must be one of %s, not %q%s", strings.Join(Periods, ", "), a.Per, DidYouMean(a.Per, Periods))
				}
			}},
		})
		switch {
		case a.Amount != nil && per == nil:
			d.errorf(k, "allowance %s has an amount: say how often it renews (per: month)", name)
		case a.Amount == nil && per != nil:
			d.errorf(per, "per goes with amount: what the allowance holds each period")
		}
		l.Allowances = append(l.Allowances, a)
	})
}

// decodePeriod reads the period section: how often, and the rates charged
// once per period (an overlay's replaces its base's whole).
func (d *decoder) decodePeriod(l *PriceList, n *yaml.Node) *Period {
	p := &Period{Pos: d.pos(n)}
	d.fields(n, "period", []field{
		{"every", true, func(v *yaml.Node) {
			p.Every, _ = d.str(v, "every")
			if !slices.Contains(Periods, p.Every) {
				d.errorf(v, "every must be one of %s, not %q%s", strings.Join(Periods, ", "), p.Every, DidYouMean(p.Every, Periods))
			}
		}},
		{"rates", true, func(v *yaml.Node) {
			d.list(v, "period rates", func(item *yaml.Node) {
				r := d.decodeRate(l, item, new(Rate))
				if r == nil {
					return
				}
				if r.ForEach != "" {
					d.errorf(item, "a period rate reads the period's totals, not a request's inputs: it has no for_each")
					return
				}
				if slices.ContainsFunc(p.Rates, func(o *Rate) bool { return o.Name == r.Name }) {
					d.errorf(item, "duplicate period rate name %q", r.Name)
					return
				}
				p.Rates = append(p.Rates, r)
			})
		}},
	})
	return p
}

// Periods lists how often an allowance may renew.
var Periods = []string{"day", "month", "year"}

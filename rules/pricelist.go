package rules

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// decodePriceList reads one price list from the document root n.
func (d *decoder) decodePriceList(n *yaml.Node) *PriceList {
	l := &PriceList{File: d.file, Pos: d.pos(n)}
	var meters, inputs, values, rates, examples, tables, invariants, grids, allowances, period *yaml.Node
	d.fields(n, "a price list", []field{
		headerField("effective"), headerField("grandfathering"), headerField("until"),
		{"allowances", false, func(v *yaml.Node) { allowances = v }},
		{"period", false, func(v *yaml.Node) { period = v }},
		{"name", true, func(v *yaml.Node) {
			l.Pos = d.pos(v)
			if s, ok := d.str(v, "name"); ok {
				if s == "" || strings.ContainsAny(s, " \t\n") {
					d.errorf(v, "name must be one word (letters, digits, - and _), not %q", s)
				}
				l.Name = s
			}
		}},
		{"description", false, func(v *yaml.Node) { l.Description, _ = d.str(v, "description") }},
		{"version", false, func(v *yaml.Node) { l.Version, _ = d.str(v, "version") }},
		{"meters", true, func(v *yaml.Node) { meters = v }},
		{"inputs", false, func(v *yaml.Node) { inputs = v }},
		{"values", false, func(v *yaml.Node) { values = v }},
		{"rates", true, func(v *yaml.Node) { rates = v }},
		{"examples", false, func(v *yaml.Node) { examples = v }},
		{"tables", false, func(v *yaml.Node) { tables = v }},
		{"invariants", false, func(v *yaml.Node) { invariants = v }},
		{"grids", false, func(v *yaml.Node) { grids = v }},
	})
	// Sections that refer to others are read after them, whatever their
	// order in the file.
	// Meters, inputs and values share one namespace: a rate reads a
	// meter's total by its name.
	type claimed struct {
		pos  Pos
		what string
	}
	names := map[string]claimed{}
	claim := func(n *yaml.Node, name, what string) {
		if prev, dup := names[name]; dup {
			d.errorf(n, "%s %q has the same name as the %s at line %d", what, name, prev.what, prev.pos.Line)
			return
		}
		names[name] = claimed{d.pos(n), what}
	}
	if meters != nil {
		d.entries(meters, "meters", func(k, v *yaml.Node) {
			if m := d.decodeMeter(k, d.deref(v)); m != nil {
				claim(k, m.Name, "meter")
				l.Meters = append(l.Meters, m)
			}
		})
		if len(l.Meters) == 0 && d.deref(meters).Kind == yaml.MappingNode {
			d.errorf(meters, "a price list needs at least one meter")
		}
	}
	if grids != nil {
		d.entries(grids, "grids", func(k, v *yaml.Node) {
			if g := d.decodeGrid(l, k, d.deref(v)); g != nil {
				claim(k, g.Name, "grid")
				l.Grids = append(l.Grids, g)
			}
		})
	}
	if inputs != nil {
		d.entries(inputs, "inputs", func(k, v *yaml.Node) {
			if in := d.decodeInput(k, d.deref(v)); in != nil {
				claim(k, in.Name, "input")
				l.Inputs = append(l.Inputs, in)
			}
		})
	}
	if values != nil {
		d.entries(values, "values", func(k, v *yaml.Node) {
			name, ok := d.name(k, "value name")
			e := d.expr(d.deref(v), "value "+name)
			if ok && e != nil {
				claim(k, name, "value")
				l.Values = append(l.Values, &NamedValue{Pos: d.pos(k), Name: name, Expr: e})
			}
		})
	}
	if rates != nil {
		n := len(d.deref(rates).Content)
		seen := make(map[string]int, n)
		room := make([]Rate, n) // the list keeps its rates: one allocation
		if n > 0 {
			l.Rates = make([]*Rate, 0, n)
		}
		d.list(rates, "rates", func(item *yaml.Node) {
			r := d.decodeRate(l, item, &room[0])
			if room = room[1:]; r == nil {
				return
			}
			if line, dup := seen[r.Name]; dup {
				d.errorf(item, "duplicate rate name %q (first at line %d)", r.Name, line)
				return
			}
			seen[r.Name] = r.Pos.Line
			l.Rates = append(l.Rates, r)
		})
	}
	for _, r := range l.Rates {
		r.Origin = l.Name
	}
	for _, v := range l.Values {
		v.Origin = l.Name
	}
	if allowances != nil {
		d.decodeAllowances(l, allowances)
	}
	if period != nil {
		l.Period = d.decodePeriod(l, period)
	}
	if examples != nil {
		d.list(examples, "examples", func(item *yaml.Node) {
			if ex := d.decodeExample(l, item); ex != nil {
				l.Examples = append(l.Examples, ex)
			}
		})
	}
	if tables != nil {
		d.list(tables, "tables", func(item *yaml.Node) {
			if t := d.decodeTable(l, item); t != nil {
				l.Tables = append(l.Tables, t)
			}
		})
	}
	if invariants != nil {
		d.list(invariants, "invariants", func(item *yaml.Node) {
			if inv := d.decodeInvariant(l, item); inv != nil {
				l.Invariants = append(l.Invariants, inv)
			}
		})
	}
	return l
}

func (d *decoder) decodeInvariant(l *PriceList, n *yaml.Node) *Invariant {
	inv := &Invariant{Pos: d.pos(n)}
	var meterNode *yaml.Node
	d.fields(n, "an invariant", []field{
		{"name", true, func(v *yaml.Node) { inv.Name, _ = d.str(v, "name") }},
		{"monotonic", false, func(v *yaml.Node) {
			inv.Monotonic, _ = d.str(v, "monotonic")
			in := l.Input(inv.Monotonic)
			switch {
			case in == nil:
				d.errorf(v, "monotonic names no input: %q%s", inv.Monotonic, DidYouMean(inv.Monotonic, l.InputNames()))
			case in.Type != Decimal && in.Type != Whole && in.Type != Boolean && in.Type != OneOf:
				d.errorf(v, "monotonic needs a number, a boolean (false before true) or a one_of input (its values in order); %s is %s", in.Name, in.Type)
			}
		}},
		{"meter", false, func(v *yaml.Node) {
			meterNode = v
			inv.Meter, _ = d.str(v, "meter")
			if l.Meter(inv.Meter) == nil {
				d.errorf(v, "unknown meter %q%s", inv.Meter, DidYouMean(inv.Meter, l.meterNames()))
			}
		}},
		{"decreasing", false, func(v *yaml.Node) { inv.Decreasing, _ = d.boolean(v, "decreasing") }},
		{"no_negative", false, func(v *yaml.Node) { inv.NoNegative, _ = d.boolean(v, "no_negative") }},
		{"holds", false, func(v *yaml.Node) { inv.Holds = d.expr(v, "holds") }},
		{"not_above", false, func(v *yaml.Node) { inv.NotAbove, _ = d.str(v, "not_above") }},
	})
	kinds := 0
	for _, set := range []bool{inv.Monotonic != "", inv.NoNegative, inv.Holds != nil, inv.NotAbove != ""} {
		if set {
			kinds++
		}
	}
	switch {
	case kinds != 1:
		d.errorf(n, "an invariant is one of monotonic: INPUT (with meter:), no_negative: true, holds: EXPRESSION, or not_above: LIST")
		return nil
	case inv.Monotonic != "" && meterNode == nil:
		d.errorf(n, "a monotonic invariant names the meter whose total it watches (meter: NAME)")
		return nil
	case inv.Monotonic == "" && meterNode != nil:
		d.errorf(meterNode, "meter goes with monotonic; holds can use every meter's total by name")
		return nil
	}
	return inv
}

func (d *decoder) decodeMeter(k, n *yaml.Node) *Meter {
	name, ok := d.name(k, "meter name")
	m := &Meter{Pos: d.pos(k), Name: name, Mode: HalfUp}
	var linePlaces *yaml.Node
	d.fields(n, "meter "+name, []field{
		{"unit", false, func(v *yaml.Node) { m.Unit, _ = d.str(v, "unit") }},
		{"description", false, func(v *yaml.Node) { m.Description, _ = d.str(v, "description") }},
		{"places", true, func(v *yaml.Node) {
			p, _ := d.integer(v, "places", 0, 18)
			m.Places = int32(p)
		}},
		{"rounding", false, func(v *yaml.Node) {
			s, good := d.str(v, "rounding")
			if !good {
				return
			}
			if !slices.Contains(Roundings, Rounding(s)) {
				names := make([]string, len(Roundings))
				for i, r := range Roundings {
					names[i] = string(r)
				}
				d.errorf(v, "rounding must be one of %s, not %q%s", strings.Join(names, ", "), s, DidYouMean(s, names))
				return
			}
			m.Mode = Rounding(s)
		}},
		{"round", false, func(v *yaml.Node) {
			s, good := d.str(v, "round")
			switch {
			case !good:
			case s == "total":
				m.RoundTotal = true
			case s != "line":
				d.errorf(v, "round must be line (each line rounded to places) or total (lines kept to line_places, the total rounded to places), not %s%s",
					Quote(s), DidYouMean(s, []string{"line", "total"}))
			}
		}},
		{"line_places", false, func(v *yaml.Node) {
			p, _ := d.integer(v, "line_places", 0, 18)
			m.LinePlaces = int32(p)
			linePlaces = v
		}},
	})
	if !ok {
		return nil
	}
	switch {
	case linePlaces != nil && !m.RoundTotal:
		d.errorf(linePlaces, "line_places goes with round: total; with round: line, each line keeps the meter's places")
	case linePlaces == nil:
		m.LinePlaces = max(DefaultLinePlaces, m.Places)
	case m.LinePlaces < m.Places:
		d.errorf(linePlaces, "line_places (%d) must be at least places (%d): lines are rounded to the total's places at the least", m.LinePlaces, m.Places)
	}
	return m
}

func (d *decoder) decodeInput(k, n *yaml.Node) *Input {
	return d.decodeInputIn(k, n, nil)
}

// decodeInputIn decodes an input, or with of set, a field of that records
// input.
func (d *decoder) decodeInputIn(k, n *yaml.Node, of *Input) *Input {
	name, ok := d.name(k, "input name")
	in := &Input{Pos: d.pos(k), Name: name, Places: -1, valueWhat: "a value of " + name}
	var def, typ, fields, computed *yaml.Node
	bound := func(dst **Bound) func(v *yaml.Node) {
		return func(v *yaml.Node) {
			if num, good := d.number(v, "a bound of "+name); good {
				*dst = &Bound{Pos: d.pos(v), Value: num, Text: d.strs.intern(strings.TrimSpace(d.deref(v).Value))}
			}
		}
	}
	d.fields(n, "input "+name, []field{
		{"type", true, func(v *yaml.Node) { typ = v }},
		{"description", false, func(v *yaml.Node) { in.Description, _ = d.str(v, "description") }},
		{"values", false, func(v *yaml.Node) {
			d.list(v, "values of "+name, func(item *yaml.Node) {
				if w, good := d.str(item, "a value of "+name); good {
					if slices.Contains(in.Values, w) {
						d.errorf(item, "value %q is listed twice", w)
					}
					in.Values = append(in.Values, w)
				}
			})
		}},
		{"default", false, func(v *yaml.Node) { def = v }},
		{"required", false, func(v *yaml.Node) { in.Required, _ = d.boolean(v, "required") }},
		{"required_when", false, func(v *yaml.Node) { in.RequiredWhen = d.expr(v, "required_when") }},
		{"min", false, bound(&in.Min)},
		{"max", false, bound(&in.Max)},
		{"above", false, bound(&in.Above)},
		{"below", false, bound(&in.Below)},
		{"max_items", false, func(v *yaml.Node) { in.MaxItems, _ = d.integer(v, "max_items", 1, MaxListItems) }},
		{"max_length", false, func(v *yaml.Node) { in.MaxLength, _ = d.integer(v, "max_length", 1, 1<<16) }},
		{"places", false, func(v *yaml.Node) { in.Places, _ = d.integer(v, "places", 0, 18) }},
		{"fields", false, func(v *yaml.Node) { fields = v }},
		{"computed", false, func(v *yaml.Node) { computed = v }},
		{"pattern", false, func(v *yaml.Node) {
			text, good := d.str(v, "pattern")
			if !good {
				return
			}
			if _, err := regexp.Compile(text); err != nil {
				d.errorf(v, "pattern is not a regular expression: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
				return
			}
			in.Pattern = regexp.MustCompile(`^(?:` + text + `)$`) // the whole text must match
		}},
	})
	if typ == nil || !ok {
		return nil
	}
	s, _ := d.str(typ, "type")
	in.Type = Type(s)
	if !slices.Contains(Types, in.Type) {
		names := make([]string, len(Types))
		for i, t := range Types {
			names[i] = string(t)
		}
		d.errorf(typ, "type must be one of %s, not %q%s", strings.Join(names, ", "), s, DidYouMean(s, names))
		return nil
	}
	if in.Type == OneOf && len(in.Values) == 0 {
		d.errorf(typ, "a one_of input needs its values: values: [a, b]")
	}
	if in.Type != OneOf && in.Values != nil {
		d.errorf(k, "only a one_of input has values; did you mean default?")
	}
	numeric := in.Type == Decimal || in.Type == Whole || in.Type == List
	if !numeric && (in.Min != nil || in.Max != nil || in.Above != nil || in.Below != nil) {
		d.errorf(k, "input %s is %s: only numbers and lists have bounds", name, in.Type)
	}
	if in.Places >= 0 && in.Type != Decimal && in.Type != List {
		d.errorf(k, "input %s is %s: only a decimal or a list has places", name, in.Type)
	}
	if in.Type != List && in.Type != Records && in.MaxItems != 0 {
		d.errorf(k, "only a list or records input has max_items")
	}
	if in.Type != Text && (in.MaxLength != 0 || in.Pattern != nil) {
		d.errorf(k, "only a text input has max_length and pattern")
	}
	switch {
	case in.Type == Records && of != nil:
		d.errorf(typ, "a field of %s cannot be records itself: records hold numbers, words, text and true/false", of.Name)
		return nil
	case in.Type == Records:
		d.decodeFields(in, fields, computed)
		if fields == nil {
			d.errorf(k, "a records input needs its fields: fields: {seconds: {type: whole, default: 0}}")
		}
	case fields != nil || computed != nil:
		d.errorf(k, "only a records input has fields and computed")
	}
	if of != nil && in.RequiredWhen != nil {
		d.errorf(k, "a field has no required_when: give it a default, or required: true")
	}
	if in.Type == Text && in.MaxLength == 0 {
		in.MaxLength = DefaultMaxLength
	}
	switch {
	case def != nil && in.Required:
		d.errorf(def, "input %s is required, so it has no default", name)
	case def != nil:
		in.Default = d.decodeValue(in, def)
	case !in.Required:
		d.errorf(k, "input %s needs a default, or required: true", name)
	}
	if in.Required && in.RequiredWhen != nil {
		d.errorf(k, "input %s is required always, so required_when says nothing", name)
	}
	return in
}

// decodeFields reads a records input's fields and its computed values.
func (d *decoder) decodeFields(in *Input, fields, computed *yaml.Node) {
	names := map[string]Pos{}
	if fields != nil {
		d.entries(fields, "fields of "+in.Name, func(k, v *yaml.Node) {
			if len(in.Fields) == MaxFields {
				d.errorf(k, "%s has more than %d fields", in.Name, MaxFields)
				return
			}
			if f := d.decodeInputIn(k, d.deref(v), in); f != nil {
				names[f.Name] = f.Pos
				in.Fields = append(in.Fields, f)
			}
		})
	}
	if computed != nil {
		d.entries(computed, "computed values of "+in.Name, func(k, v *yaml.Node) {
			name, ok := d.name(k, "computed value name")
			e := d.expr(d.deref(v), "computed value "+name)
			if prev, dup := names[name]; dup {
				d.errorf(k, "computed value %q has the same name as the field at line %d", name, prev.Line)
				return
			}
			if ok && e != nil && len(in.Fields)+len(in.RecordValues) < MaxFields {
				names[name] = d.pos(k)
				in.RecordValues = append(in.RecordValues, &NamedValue{Pos: d.pos(k), Name: name, Expr: e})
			}
		})
	}
}

// decodeRate decodes the rate n into r, and returns it (nil when it has
// no name).
func (d *decoder) decodeRate(l *PriceList, n *yaml.Node, r *Rate) *Rate {
	*r = Rate{Pos: d.pos(n), As: "item"}
	n = d.deref(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping (key: value lines), not %s", "a rate", kindName(n))
		return nil
	}
	d.keyed(n, "a rate", rateKeys, rateRequired[:], func(key, v *yaml.Node) {
		switch key.Value {
		case "name":
			r.Pos = d.pos(v)
			r.Name, _ = d.name(v, "rate name")
		case "description":
			r.Description, _ = d.str(v, "description")
		case "meter":
			if s, ok := d.str(v, "meter"); ok {
				r.Meter = s
				if l.Meter(s) == nil && len(l.Meters) > 0 {
					d.errorf(v, "unknown meter %q%s", s, DidYouMean(s, l.meterNames()))
				}
			}
		case "when":
			r.When = d.expr(v, "when")
		case "amount":
			r.Amount = d.expr(v, "amount")
		case "for_each":
			at := d.pos(v)
			r.ForEachPos = &at
			if s, ok := d.str(v, "for_each"); ok {
				in := l.Input(s)
				switch {
				case in == nil:
					d.errorf(v, "for_each names no input: %q%s", s, DidYouMean(s, l.InputNames()))
				case in.Type != List && in.Type != Records:
					d.errorf(v, "for_each needs a list or records input; %s is %s", s, in.Type)
				}
				r.ForEach = s
			}
		case "as":
			r.As, _ = d.name(v, "as")
		}
	})
	if r.Name == "" {
		return nil
	}
	return r
}

// rateKeys are the keys of a rate, in the order messages list them;
// rateRequired tells which must be given.
var (
	rateKeys     = []string{"name", "description", "meter", "when", "amount", "for_each", "as"}
	rateRequired = [...]bool{true, false, true, false, true, false, false}
)

// decodeInputs reads a mapping of input names to values (an example's
// request, a table's settings), each checked against its input.
func (d *decoder) decodeInputs(l *PriceList, n *yaml.Node, what string) map[string]*Value {
	out := map[string]*Value{}
	d.entries(n, what, func(k, v *yaml.Node) {
		in := l.Input(k.Value)
		if in == nil {
			d.errorf(k, "unknown input %q in %s%s", k.Value, what, DidYouMean(k.Value, l.InputNames()))
			return
		}
		if val := d.decodeValue(in, v); val != nil {
			out[d.strs.intern(k.Value)] = val
		}
	})
	return out
}

func (d *decoder) decodeExample(l *PriceList, n *yaml.Node) *Example {
	ex := &Example{Pos: d.pos(n), List: l.Name}
	d.keyed(n, "an example", exampleKeys, exampleRequired[:], func(key, v *yaml.Node) {
		switch key.Value {
		case "name":
			ex.Name, _ = d.str(v, "name")
		case "at":
			ex.At, _ = d.instant(v, "at")
		case "input":
			ex.Input = d.decodeInputs(l, v, "example input")
		case "totals":
			if len(v.Content) > 0 {
				ex.Totals = make([]ExpectedTotal, 0, len(v.Content)/2)
			}
			d.entries(v, "example totals", func(k, v *yaml.Node) {
				if l.Meter(k.Value) == nil {
					d.errorf(k, "unknown meter %q%s", k.Value, DidYouMean(k.Value, l.meterNames()))
					return
				}
				if num, ok := d.numberOf(d.deref(v), "total of ", k.Value); ok && d.withinPlaces(v, num, l.Meter(k.Value), l.Meter(k.Value).Places, "a total") {
					ex.Totals = append(ex.Totals, ExpectedTotal{Pos: d.pos(k), Meter: d.strs.intern(k.Value), Amount: num})
				}
			})
		case "lines":
			ex.Lines = []ExpectedLine{}
			d.list(v, "lines", func(item *yaml.Node) {
				ex.Lines = append(ex.Lines, d.decodeExpectedLine(l, item))
			})
		}
	})
	if ex.Input == nil {
		ex.Input = map[string]*Value{}
	}
	return ex
}

// decodeExpectedLine reads a line an example expects.
func (d *decoder) decodeExpectedLine(l *PriceList, n *yaml.Node) ExpectedLine {
	line := ExpectedLine{Pos: d.pos(n)}
	var amount *yaml.Node // checked once the rate is known, whatever the order
	d.keyed(n, "a line", lineKeys, lineRequired[:], func(key, v *yaml.Node) {
		switch key.Value {
		case "rate":
			line.Rate, _ = d.str(v, "rate")
			if l.Rate(line.Rate) == nil {
				d.errorf(v, "unknown rate %q%s", line.Rate, DidYouMean(line.Rate, l.rateNames()))
			}
		case "item":
			line.Item, _ = d.integer(v, "item", 1, MaxListItems)
		case "amount":
			amount = v
		}
	})
	if amount != nil {
		var ok bool
		if line.Amount, ok = d.number(amount, "amount"); ok {
			if r := l.Rate(line.Rate); r != nil && l.Meter(r.Meter) != nil {
				d.withinPlaces(amount, line.Amount, l.Meter(r.Meter), l.Meter(r.Meter).LineDecimals(), "a line")
			}
		}
	}
	return line
}

// The keys of an example and of an expected line, in the order messages
// list them, and which must be given.
var (
	exampleKeys     = []string{"name", "at", "input", "totals", "lines"}
	exampleRequired = [...]bool{true, false, false, true, false}
	lineKeys        = []string{"rate", "item", "amount"}
	lineRequired    = [...]bool{true, false, true}
)

// withinPlaces refuses an expected amount finer than its meter keeps: the
// quote's amount is rounded to the meter's places, so 1.005 on a meter of
// 2 places can never match, and a failure would read "want 1.01, got
// 1.01".
func (d *decoder) withinPlaces(n *yaml.Node, amount decimal.Decimal, m *Meter, places int32, what string) bool {
	if amount.Equal(amount.Truncate(places)) {
		return true
	}
	d.errorf(n, "%s of %s can have at most %d decimal places, as meter %s keeps; %s has more", what, m.Name, places, m.Name, amount)
	return false
}

// decodeTestFile reads a test file: cases for one price list of the set,
// each priced at its at:, or the file's, or (with neither) now.
func (d *decoder) decodeTestFile(n *yaml.Node, set *Set) []*Example {
	var listNode, cases *yaml.Node
	var at time.Time
	d.fields(n, "a test file", []field{
		{"list", false, func(v *yaml.Node) { listNode = v }},
		{"at", false, func(v *yaml.Node) { at, _ = d.instant(v, "at") }},
		{"cases", true, func(v *yaml.Node) { cases = v }},
	})
	name := set.Default()
	switch {
	case listNode != nil:
		name, _ = d.str(listNode, "list")
		if set.Schedule[name] == nil {
			d.errorf(listNode, "unknown price list %q%s; the rules hold %s", name, DidYouMean(name, set.Names()), strings.Join(set.Names(), ", "))
			return nil
		}
	case name == "":
		d.errorf(n, "a test file names its price list (list: NAME) when the rules hold several")
		return nil
	}
	if cases == nil {
		return nil
	}
	var out []*Example
	d.list(cases, "cases", func(item *yaml.Node) {
		when := at
		if t, ok := caseInstant(item); ok {
			when = t
		}
		l := set.List(name)
		if !when.IsZero() {
			if l = set.At(name, when); l == nil {
				d.errorf(item, "%s is not priced at %s", name, FormatInstant(when))
				return
			}
		}
		ex := d.decodeExample(l, item)
		ex.List = name
		if ex.At.IsZero() {
			ex.At = at
		}
		out = append(out, ex)
	})
	return out
}

// caseInstant peeks at a test case's at:, which picks the version its
// inputs are checked against.
func caseInstant(item *yaml.Node) (time.Time, bool) {
	if item.Kind != yaml.MappingNode {
		return time.Time{}, false
	}
	for i := 0; i+1 < len(item.Content); i += 2 {
		if item.Content[i].Value == "at" {
			t, err := ParseInstant(item.Content[i+1].Value)
			return t, err == nil
		}
	}
	return time.Time{}, false
}

func (d *decoder) decodeTable(l *PriceList, n *yaml.Node) *Table {
	t := &Table{Pos: d.pos(n), Set: map[string]*Value{}}
	d.fields(n, "a table", []field{
		{"title", true, func(v *yaml.Node) { t.Title, _ = d.str(v, "title") }},
		{"set", false, func(v *yaml.Node) { t.Set = d.decodeInputs(l, v, "table settings") }},
		{"rows", true, func(v *yaml.Node) { d.decodeRows(l, &t.Rows, v) }},
		{"columns", true, func(v *yaml.Node) {
			d.list(v, "columns", func(item *yaml.Node) {
				if c := d.decodeColumn(l, item); c != nil {
					t.Columns = append(t.Columns, c)
				}
			})
		}},
	})
	return t
}

func (d *decoder) decodeRows(l *PriceList, rows *TableRows, n *yaml.Node) {
	rows.Pos = d.pos(n)
	var values *yaml.Node
	d.fields(n, "rows", []field{
		{"input", true, func(v *yaml.Node) { rows.Input, _ = d.str(v, "input") }},
		{"values", true, func(v *yaml.Node) { values = v }},
		{"labels", false, func(v *yaml.Node) {
			d.list(v, "labels", func(item *yaml.Node) {
				s, _ := d.str(item, "a label")
				rows.Labels = append(rows.Labels, s)
			})
		}},
	})
	in := l.Input(rows.Input)
	if in == nil {
		if rows.Input != "" {
			d.errorf(n, "rows: unknown input %q%s", rows.Input, DidYouMean(rows.Input, l.InputNames()))
		}
		return
	}
	if values != nil {
		d.list(values, "rows values", func(item *yaml.Node) {
			rows.Values = append(rows.Values, d.decodeValue(in, item))
		})
	}
	if rows.Labels != nil && len(rows.Labels) != len(rows.Values) {
		d.errorf(n, "rows have %d values but %d labels", len(rows.Values), len(rows.Labels))
	}
}

func (d *decoder) decodeColumn(l *PriceList, n *yaml.Node) *TableColumn {
	c := &TableColumn{Pos: d.pos(n), Set: map[string]*Value{}}
	d.fields(n, "a column", []field{
		{"title", true, func(v *yaml.Node) { c.Title, _ = d.str(v, "title") }},
		{"set", false, func(v *yaml.Node) { c.Set = d.decodeInputs(l, v, "column settings") }},
		{"meter", false, func(v *yaml.Node) {
			c.Meter, _ = d.str(v, "meter")
			if l.Meter(c.Meter) == nil {
				d.errorf(v, "unknown meter %q%s", c.Meter, DidYouMean(c.Meter, l.meterNames()))
			}
		}},
		{"rate", false, func(v *yaml.Node) {
			c.Rate, _ = d.str(v, "rate")
			if l.Rate(c.Rate) == nil {
				d.errorf(v, "unknown rate %q%s", c.Rate, DidYouMean(c.Rate, l.rateNames()))
			}
		}},
		{"prefix", false, func(v *yaml.Node) { c.Prefix, _ = d.str(v, "prefix") }},
	})
	if (c.Meter == "") == (c.Rate == "") {
		d.errorf(n, "a column shows either a meter's total (meter: name) or a rate's amount (rate: name)")
		return nil
	}
	return c
}

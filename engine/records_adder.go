package engine

import (
	"slices"
	"strings"

	"ratecard/rules"
)

// recordAdder adds records to a records input's value in a state, field by
// field, straight into its columns: every way of giving records (Go
// values, a rule file's records, JSON, Inputs.Records) goes through it,
// so that defaults, required fields, limits and the words of their errors
// are the same for all.
type recordAdder struct {
	s     *state
	input *compiledInput
	given []bool // the open record's fields that were set, by field
	n     int    // records added, the open one included
	open  bool   // a record is started and not yet in the columns
}

// begin empties the input's list.
func (a *recordAdder) begin(s *state, input *compiledInput) {
	def := input.t.rec
	s.records[input.slot].reset(def)
	*a = recordAdder{s: s, input: input, given: append(a.given[:0], make([]bool, len(def.fields))...)}
}

// add starts the next record, ending the one before.
func (a *recordAdder) add() error {
	if err := a.end(); err != nil {
		return err
	}
	if limit := a.input.maxItems(); a.n >= limit {
		name := a.input.src.Name
		return requestErrorf(name, "%s has more than %d records; at most %d are allowed", name, limit, limit)
	}
	a.open = true
	a.n++
	clear(a.given)
	return nil
}

// field finds a field of the open record by name, and marks it given.
func (a *recordAdder) field(name string) (*recordField, error) {
	in := a.input.src.Name
	if !a.open {
		return nil, requestErrorf(in, "%s: call Add before setting the fields of a record", in)
	}
	def := a.input.t.rec
	for i, f := range def.fields {
		if f.name == name {
			a.given[i] = true
			return f, nil
		}
	}
	names := fieldNamesOf(def)
	return nil, requestErrorf(in, "%s item %d has no field %s%s; its fields are %s", in, a.n, rules.Quote(name),
		rules.DidYouMean(name, names), strings.Join(names, ", "))
}

// fieldError words the error of setting a field of the open record.
func (a *recordAdder) fieldError(err error) error {
	re, ok := err.(*RequestError)
	if !ok {
		return err
	}
	name := a.input.src.Name
	return requestErrorf(name, "%s item %d: %s", name, a.n, re.Msg)
}

// end moves the open record's fields into the columns, the ones it was
// not given taking their defaults. It is small enough to be inlined.
func (a *recordAdder) end() error {
	if !a.open {
		return nil
	}
	return a.endRecord()
}

func (a *recordAdder) endRecord() error {
	a.open = false
	s, def := a.s, a.input.t.rec
	rl := &s.records[a.input.slot]
	for i, f := range def.fields {
		if !a.given[i] {
			if f.def == nil {
				name := a.input.src.Name
				return requestErrorf(name, "%s item %d: %s is required", name, a.n, f.name)
			}
			f.input.store(s, f.def)
		}
		f.append(s, rl)
	}
	rl.n++
	return nil
}

// tooManyRecords is the error of a list of n records, over the limit.
func (in *compiledInput) tooManyRecords(n int) error {
	return requestErrorf(in.src.Name, "%s has %d records; at most %d are allowed", in.src.Name, n, in.maxItems())
}

// setRecords sets a records input from records given as Go values: each a
// map of field names to values of the forms a Request takes. A field left
// out, or null, takes its default.
func (in *compiledInput) setRecords(s *state, items []any) error {
	if len(items) > in.maxItems() {
		return in.tooManyRecords(len(items))
	}
	var a recordAdder
	a.begin(s, in)
	for _, item := range items {
		if err := a.add(); err != nil {
			return err
		}
		rec, ok := item.(map[string]any)
		if !ok {
			return requestErrorf(in.src.Name, "%s item %d must be a record {\"field\": value, ...}, not %s", in.src.Name, a.n, describeValue(item))
		}
		var unknown []string // every key is a field, before any is set
		for key := range rec {
			if f := in.t.rec.field(key); f == nil || f.input == nil {
				unknown = append(unknown, key)
			}
		}
		if len(unknown) > 0 {
			_, err := a.field(slices.Min(unknown)) // the same one every time
			return err
		}
		for _, f := range in.t.rec.fields {
			if raw := rec[f.name]; raw != nil {
				a.field(f.name)
				if err := f.input.setAny(s, raw); err != nil {
					return a.fieldError(err)
				}
			}
		}
	}
	return a.end()
}

// setRecordValues sets a records input from a rule file's records.
func (in *compiledInput) setRecordValues(s *state, records []map[string]*rules.Value) error {
	if len(records) > in.maxItems() {
		return in.tooManyRecords(len(records))
	}
	var a recordAdder
	a.begin(s, in)
	for _, rec := range records {
		if err := a.add(); err != nil {
			return err
		}
		for _, f := range in.t.rec.fields {
			if v, given := rec[f.name]; given {
				a.field(f.name)
				if err := f.input.setValue(s, v); err != nil {
					return a.fieldError(err)
				}
			}
		}
	}
	return a.end()
}

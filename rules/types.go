package rules

import (
	"regexp"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Set is every price list of a rule directory, loaded together.
type Set struct {
	// Lists holds every resolved price list: each version of each list,
	// and each overlay over each version of its base, built once.
	Lists []*PriceList
	// Schedule gives, for each name, which list prices it when: spans in
	// order of time, with gaps where nothing does.
	Schedule map[string][]Span
	// Tests are the cases of the directory's test files (*_test.yaml).
	Tests []*Example
	// Digest is "sha256:" and the hex digest of the rule files' names and
	// contents, so that a quote can name exactly the rules it came from.
	Digest string
}

// List returns the latest version of the price list called name, or nil.
func (s *Set) List(name string) *PriceList {
	var found *PriceList
	for _, l := range s.Lists {
		if l.Name == name && (found == nil || !l.Effective.Before(found.Effective)) {
			found = l
		}
	}
	return found
}

// At returns the list that prices name at t (without grandfathering), or
// nil.
func (s *Set) At(name string, t time.Time) *PriceList {
	for _, sp := range s.Schedule[name] {
		if sp.Contains(t) {
			return sp.List
		}
	}
	return nil
}

// Default names the list a request that names none is priced by: the one
// list written whole (the others overlay it), when there is one.
func (s *Set) Default() string {
	found := ""
	for _, name := range s.Names() {
		whole := false
		for _, l := range s.Lists {
			whole = whole || (l.Name == name && l.Extends == "")
		}
		if whole {
			if found != "" {
				return ""
			}
			found = name
		}
	}
	return found
}

// Names lists the names of the set's price lists, sorted.
func (s *Set) Names() []string {
	var out []string
	for name := range s.Schedule {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// PriceList is one rule file: what it charges, for which inputs, and how.
type PriceList struct {
	File        string
	Pos         Pos // of the name
	Name        string
	Description string
	Version     string
	Meters      []*Meter
	Inputs      []*Input
	Values      []*NamedValue // the "values:" section
	Rates       []*Rate
	Examples    []*Example
	Tables      []*Table
	Invariants  []*Invariant
	Grids       []*Grid
	Allowances  []*Allowance
	// Period, when set, holds what is charged once per customer and period
	// over the period's totals (a monthly cap, a minimum commitment).
	Period *Period

	// Effective is when the version takes effect (zero for a first
	// version, in force since ever), Until an overlay's end (zero: none).
	Effective, Until time.Time
	// Extends names the list this one overlays ("" for a list written
	// whole); Base is the version of it this resolution is built on.
	Extends string
	Base    *PriceList
	// Grandfathering, when set, keeps the previous version for older
	// customers for a while.
	Grandfathering *Grandfathering
	// Spans are the stretches of time during which this resolution prices
	// its name.
	Spans []Span
	// Digest identifies this resolution: the text of its documents.
	Digest string
}

// Grandfathering keeps the version before a new one for the customers who
// signed before an instant, until another instant.
type Grandfathering struct {
	Pos         Pos
	SinceBefore time.Time
	Until       time.Time
}

// Allowance is what a customer may have left to draw on a meter before
// being billed: credits a plan includes each period, a top-up pack. The
// engine is stateless: the caller passes what is left of each.
type Allowance struct {
	Pos         Pos
	Name        string
	Meter       string
	Description string
	// Amount is what a period includes (Per: day, month or year), when the
	// allowance renews; nil for one the caller alone tracks (a top-up).
	Amount *decimal.Decimal
	Per    string
}

// Period is what a price list charges once per customer and period, over
// what the period's records charged: its rates read, by each meter's name,
// the period's total on the meter, and by NAME_billed what is billed beyond
// the period's allowances.
type Period struct {
	Pos   Pos
	Every string // day, month or year
	Rates []*Rate
}

// BilledName is the name a period rate reads a meter's billed total by.
func BilledName(meter string) string { return meter + "_billed" }

// Allowance returns the allowance called name, or nil.
func (l *PriceList) Allowance(name string) *Allowance {
	return find(l.Allowances, func(a *Allowance) bool { return a.Name == name })
}

// AllowanceNames lists the allowances' names, in draw order.
func (l *PriceList) AllowanceNames() []string {
	return names(l.Allowances, func(a *Allowance) string { return a.Name })
}

// Grid returns the grid called name, or nil.
func (l *PriceList) Grid(name string) *Grid {
	return find(l.Grids, func(g *Grid) bool { return g.Name == name })
}

// Meter returns the meter called name, or nil.
func (l *PriceList) Meter(name string) *Meter {
	return find(l.Meters, func(m *Meter) bool { return m.Name == name })
}

// Input returns the input called name, or nil.
func (l *PriceList) Input(name string) *Input {
	return find(l.Inputs, func(in *Input) bool { return in.Name == name })
}

// Rate returns the rate called name, or nil.
func (l *PriceList) Rate(name string) *Rate {
	return find(l.Rates, func(r *Rate) bool { return r.Name == name })
}

// InputNames lists the declared inputs' names, in file order.
func (l *PriceList) InputNames() []string {
	return names(l.Inputs, func(in *Input) string { return in.Name })
}

func (l *PriceList) meterNames() []string {
	return names(l.Meters, func(m *Meter) string { return m.Name })
}

func (l *PriceList) rateNames() []string {
	return names(l.Rates, func(r *Rate) string { return r.Name })
}

func find[T any](items []*T, match func(*T) bool) *T {
	for _, item := range items {
		if match(item) {
			return item
		}
	}
	return nil
}

func names[T any](items []T, name func(T) string) []string {
	out := make([]string, len(items))
	for i, item := range items {
		out[i] = name(item)
	}
	return out
}

// Rounding says which way an amount goes when it has more decimal places
// than its meter keeps.
type Rounding string

const (
	HalfUp   Rounding = "half_up"   // 0.005 -> 0.01, -0.005 -> -0.01
	HalfEven Rounding = "half_even" // 0.005 -> 0.00, 0.015 -> 0.02 (banker's rounding)
	Up       Rounding = "up"        // away from zero: 0.001 -> 0.01
	Down     Rounding = "down"      // toward zero: 0.009 -> 0.00
)

// Roundings lists the rounding modes a rule file may name.
var Roundings = []Rounding{HalfUp, HalfEven, Up, Down}

// Meter is a quantity a price list charges, such as credits or minutes.
type Meter struct {
	Pos         Pos
	Name        string
	Unit        string
	Description string
	Places      int32    // decimal places of the meter's total (and of each line, when RoundTotal is false)
	Mode        Rounding // how an amount is rounded to Places
	// RoundTotal (round: total) keeps each line to LinePlaces and rounds
	// only the meter's total to Places: an invoice of exact lines,
	// rounded once. By default (round: line) each line is rounded.
	RoundTotal bool
	LinePlaces int32
}

// DefaultLinePlaces is the places a line keeps on a meter rounded at its
// total, when the rule file does not say.
const DefaultLinePlaces = 6

// LineDecimals is the places of each line on the meter.
func (m *Meter) LineDecimals() int32 {
	if m.RoundTotal {
		return m.LinePlaces
	}
	return m.Places
}

// Type is the kind of value an input takes.
type Type string

const (
	Decimal Type = "decimal" // an exact decimal number
	Whole   Type = "whole"   // a whole number
	Boolean Type = "boolean" // true or false
	OneOf   Type = "one_of"  // one of a list of words
	List    Type = "list"    // a list of decimal numbers
	Text    Type = "text"    // a word or text of the request's own: a SKU, a number dialed
	Records Type = "records" // a list of records, each with the fields the input declares
)

// Types lists the input types a rule file may name.
var Types = []Type{Decimal, Whole, Boolean, OneOf, List, Text, Records}

// MaxFields caps the fields (and per-record values) of a records input.
const MaxFields = 50

// DefaultMaxLength caps a text input's length, in characters, when the
// rule file sets no max_length, so that no request can make a quote
// unbounded.
const DefaultMaxLength = 1000

// Input is one value a request gives to a price list.
type Input struct {
	Pos         Pos
	Name        string
	Type        Type
	Description string
	Values      []string // the words a one_of input accepts
	Default     *Value   // nil when the input is required
	Required    bool
	// RequiredWhen, when set, makes the input required for the requests
	// where the expression is true; otherwise Default applies.
	RequiredWhen *Expr
	// Bounds apply to a number, and to each element of a list.
	Min, Max     *Bound // inclusive
	Above, Below *Bound // exclusive
	MaxItems     int    // for a list; 0 means the engine's limit
	// Places, when set (not -1), is the most decimal places a number (or
	// each item of a list) may have: a charge in whole cents has 2.
	Places int
	// MaxLength caps a text input's characters (DefaultMaxLength unless
	// the file sets it); Pattern, when set, is a regular expression (RE2,
	// linear in time) the whole text must match.
	MaxLength int
	Pattern   *regexp.Regexp
	// For a records input: the fields of each record (each an input of
	// its own: type, bounds, default or required), and the values
	// computed once per record from its fields.
	Fields       []*Input
	RecordValues []*NamedValue
	// Narrows is the base's input an overlay narrowed into this one.
	Narrows *Input
	// valueWhat names a value of the input in messages ("a value of
	// duration"), made once with the input rather than for each of the
	// thousands of values a directory of lists gives it.
	valueWhat string
}

// DeclaredBound is one bound an input declares, with its operator
// (">=", "<=", ">" or "<").
type DeclaredBound struct {
	Op string
	*Bound
}

// Bounds returns the bounds the input declares, in the order min, max,
// above, below.
func (in *Input) Bounds() []DeclaredBound {
	var out []DeclaredBound
	for _, b := range [...]DeclaredBound{{">=", in.Min}, {"<=", in.Max}, {">", in.Above}, {"<", in.Below}} {
		if b.Bound != nil {
			out = append(out, b)
		}
	}
	return out
}

// Field returns the field of a records input called name, or nil.
func (in *Input) Field(name string) *Input {
	return find(in.Fields, func(f *Input) bool { return f.Name == name })
}

// Bound is a limit on a number input, with where the file states it.
type Bound struct {
	Pos   Pos
	Value decimal.Decimal
	Text  string // as the file writes it ("0.50"), for messages
}

// Value is a value of an input: which field holds it depends on the input's
// type.
type Value struct {
	Pos  Pos
	Type Type            // the input's type, as decoded
	Num  decimal.Decimal // decimal and whole
	Bool bool            // boolean
	Word string          // one_of
	Text string          // text
	// Records holds a records input's records, each a value by field
	// (fields left out take their defaults).
	Records []map[string]*Value
	List    []decimal.Decimal // list
}

// NamedValue is a value computed once per quote from the inputs (and the named
// values above it), for use by several rates.
type NamedValue struct {
	Pos  Pos
	Name string
	Expr *Expr
	// Replaces is the base's value this one replaces, in an overlay, and
	// Origin the list whose file wrote it.
	Replaces *NamedValue
	Origin   string
}

// Rate is one thing a price list charges for.
type Rate struct {
	Pos         Pos
	Name        string
	Description string
	Meter       string
	When        *Expr // nil: always charged
	Amount      *Expr
	// ForEach names a list input: the rate charges one line per element,
	// with the element known to Amount as As.
	ForEach    string
	ForEachPos *Pos // where for_each is written; nil without one
	As         string
	// Replaces is the base's rate this one replaces, in an overlay; an
	// Adjustment is a rate an overlay adds after its base's. Origin names
	// the list whose file wrote the rate.
	Replaces   *Rate
	Adjustment bool
	Origin     string
}

// Example is a request with the totals (and optionally the lines) it must
// produce, checked by `ratecard test` and `go test`: an example of a price
// list, or a case of a test file.
type Example struct {
	Pos    Pos
	List   string // the price list it prices
	Name   string
	At     time.Time // when it is priced; zero: every version of its document (or, for a test case, now)
	Input  map[string]*Value
	Totals []ExpectedTotal // meters not listed must total zero
	Lines  []ExpectedLine  // when given, the quote's lines exactly, in order
}

// ExpectedLine is one line item a test case expects.
type ExpectedLine struct {
	Pos    Pos
	Rate   string
	Item   int // for a rate charged per list element, which one (from 1)
	Amount decimal.Decimal
}

// ExpectedTotal is one meter's expected total in an example.
type ExpectedTotal struct {
	Pos    Pos
	Meter  string
	Amount decimal.Decimal
}

// Table is a price table to publish: rows of one input's values, columns of
// other settings, and in each cell a meter's total or one rate's amount.
type Table struct {
	Pos     Pos
	Title   string
	Set     map[string]*Value // inputs fixed for the whole table
	Rows    TableRows
	Columns []*TableColumn
}

// TableRows are the values of one input, one row each.
type TableRows struct {
	Pos    Pos
	Input  string
	Values []*Value
	Labels []string // shown instead of the values when given
}

// TableColumn is one column of a table.
type TableColumn struct {
	Pos    Pos
	Title  string
	Set    map[string]*Value // inputs fixed for this column
	Meter  string            // show this meter's total...
	Rate   string            // ...or the amount this rate charges
	Prefix string            // written before each amount, such as "+"
}

// Invariant is a property a price list declares for every request within
// its inputs' declared domains; `ratecard check` tests it on sampled
// requests. Exactly one of Monotonic, NoNegative and Holds is set.
type Invariant struct {
	Pos  Pos
	Name string
	// Monotonic names an input: raising it never lowers Meter's total
	// (or never raises it, with Decreasing).
	Monotonic  string
	Meter      string
	Decreasing bool
	// NoNegative: no line item is ever below zero.
	NoNegative bool
	// Holds is true for every request; it may use the inputs, the named
	// values and each meter's total by the meter's name.
	Holds *Expr
	// NotAbove names a price list: no request charges more on any meter
	// here than there, at the same instant.
	NotAbove string
}

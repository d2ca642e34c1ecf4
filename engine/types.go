package engine

import (
	"fmt"
	"math/big"
	"strings"

	"ratecard/rules"
)

// kind is the type of an expression's value.
type kind uint8

const (
	kNum     kind = iota + 1 // an exact number
	kBool                    // true or false
	kWord                    // a one_of input's value
	kList                    // a list of numbers
	kText                    // text: a text input, a literal, or what a text function makes
	kRecords                 // a records input: a list of records
	kRecord                  // one record of a records input: a for_each item (read through its fields)
)

// kinds is how many kinds of slot a state has, one slice each (a record
// item has none: it reads its records' current record).
const kinds = 6

type typ struct {
	kind  kind
	input *rules.Input // for kWord: whose words
	rec   *recordsDef  // for kRecords and kRecord: which records
}

func (t typ) String() string {
	switch t.kind {
	case kNum:
		return "a number"
	case kBool:
		return "true/false"
	case kWord:
		return fmt.Sprintf("one of %s", strings.Join(t.input.Values, ", "))
	case kList:
		return "a list of numbers"
	case kText:
		return "text"
	case kRecords:
		return "records of " + t.rec.input.src.Name
	case kRecord:
		return "a record of " + t.rec.input.src.Name
	}
	return "nothing"
}

// state is the scratch space of one evaluation: a slot per input, named
// value and list item. Compiled code reads and writes it by index, so that
// no map is built per quote; states are pooled per price list.
type state struct {
	nums  []num
	bools []bool
	words []int
	lists [][]num
	texts []string
	// records holds the records inputs' values, by records slot, and cur
	// each one's current record (of a for_each, or a sum or count).
	records []recordList
	cur     []int
	given   []bool // by input: did the request give it?
	// What price computed: the lines charged, and each meter's total in
	// units of its last place.
	charged []charge
	sums    []num
	err     *EvalError
	// What is being evaluated, for an error raised far below it (a
	// number grown too large): a rate, else a named value, else an
	// invariant's expression. One pointer store a rate or value.
	atRate  *compiledRate
	atValue *compiledValue
	atHolds *rules.Expr
	// at is the expression whose code runs, where its role does not tell
	// (a required_when, a computed value, a constant folded): see place.
	at *rules.Expr
	// While an explanation is made (tracing), the tier parts of graduated
	// and volume, taken by the value or line that computed them.
	tracing bool
	tiers   []TierPart
	lookups []GridLookup
}

// tooLarge describes a number grown past maxBits in what s evaluates.
func (s *state) tooLarge(e *tooLargeError) error {
	switch {
	case s.atRate != nil:
		return &EvalError{Pos: s.atRate.src.Amount.Pos, Rate: s.atRate.src.Name, Msg: e.Error()}
	case s.atValue != nil:
		return &EvalError{Pos: s.atValue.src.Expr.Pos, Msg: fmt.Sprintf("value %s: %s", s.atValue.src.Name, e.Error())}
	case s.atHolds != nil:
		return &EvalError{Pos: s.atHolds.Pos, Msg: e.Error()}
	}
	return &EvalError{Msg: e.Error()}
}

// fail records the first error of an evaluation, at off (see place); the
// code goes on with a zero value, and the quote reports the error instead
// of an amount.
func (s *state) fail(off int, format string, args ...any) {
	if s.err == nil {
		s.err = &EvalError{Pos: s.place(off), Msg: fmt.Sprintf(format, args...)}
	}
}

// exprRole is what an expression is to its list. Code knows only offsets
// in its text, with its role in their high bits (compiler.offset), so
// that lists written alike can share it (see sharedCode): the state finds
// the expression from what it is evaluating, with no store on the hot
// path beyond the rate or value it notes anyway.
type exprRole uint8

const (
	roleAmount exprRole = iota
	roleWhen
	roleValue
	roleHolds
	roleRequiredWhen // placed through state.at
	roleComputed     // placed through state.at
)

// roleShift puts the role above any offset: an expression is in a rule
// file, at most rules.MaxFileSize (1 MiB) long, and an int has 32 bits at
// least.
const roleShift = 24

// An expression's offsets stay below its role's bits (this fails to
// compile when a rule file may outgrow them).
var _ [1<<roleShift - rules.MaxFileSize]struct{}

// place returns the position of offset off (with its role) in the
// expression being evaluated.
func (s *state) place(off int) rules.Pos {
	e := s.at
	if e == nil {
		switch exprRole(off >> roleShift) {
		case roleAmount:
			if s.atRate != nil {
				e = s.atRate.src.Amount
			}
		case roleWhen:
			if s.atRate != nil {
				e = s.atRate.src.When
			}
		case roleValue:
			if s.atValue != nil {
				e = s.atValue.src.Expr
			}
		case roleHolds:
			e = s.atHolds
		}
	}
	if e == nil {
		return rules.Pos{}
	}
	return e.At(off & (1<<roleShift - 1))
}

// EvalError is an error found while evaluating a quote, such as a division
// by zero, at the position of the expression that failed.
type EvalError struct {
	Pos  rules.Pos
	Rate string // the rate, or "" for a named value
	Msg  string
}

func (e *EvalError) Error() string {
	if e.Rate != "" {
		return fmt.Sprintf("%s: rate %s: %s", e.Pos, e.Rate, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Pos, e.Msg)
}

type (
	numFn  func(*state) num
	boolFn func(*state) bool
	wordFn func(*state) int
	listFn func(*state) []num
	textFn func(*state) string
)

// code is a checked, compiled expression: a closure of its type.
type code struct {
	t    typ
	num  numFn
	bool boolFn
	word wordFn
	list listFn
	str  textFn
	// text is a text literal's value; lit tells it is one (a one_of's
	// word compared with a literal is checked against its words at load).
	text string
	lit  bool
	// konst holds the value of a number literal, so that functions can
	// check constant arguments (decimal places, tiers) at load time.
	konst *num
	// product is set when the code multiplies x by a constant, so that
	// the next constant factor folds into k.
	product *product
	// ref is set when the code reads a name's slot and nothing else, so
	// that the code using it can read the slot itself, one call fewer.
	ref *symbol
}

// konstRat returns the value of a constant whatever its representation
// (small, or big on the forced slow path), or nil for code that is not a
// constant.
func (c *code) konstRat() *big.Rat {
	if c.konst == nil {
		return nil
	}
	return c.konst.rat()
}

type product struct {
	x numFn
	k num
}

// symbol is a name an expression can use.
type symbol struct {
	name string
	t    typ
	slot int
	what string // "input", "value", "item", "field", ..., for messages
	// field is set for a field (or computed value) of a records input's
	// current record: the symbol reads it there, not from a slot.
	field *fieldRef
	// read is the code that reads the symbol's slot, made at its first
	// use and shared by the others (code is never changed once made).
	read *code
}

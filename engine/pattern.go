package engine

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A pattern is a regular expression of a rule file (a text input's
// pattern, the right side of matches), matched on every request. Go's
// regexp runs a backtracker or an NFA over its program, which for the
// short patterns price lists write (digits, a few prefixes) costs more
// than the rest of a record's price; so a pattern that needs nothing but
// characters and the text's start and end is also compiled, at load,
// into a deterministic automaton that reads each byte once. A pattern
// it cannot take (word boundaries, multi-line anchors, case folding, a
// class with only some non-ASCII characters, too many states) keeps to
// regexp.
type pattern struct {
	re  *regexp.Regexp
	dfa *byteDFA
}

func newPattern(re *regexp.Regexp) *pattern {
	return &pattern{re: re, dfa: compileDFA(re.String())}
}

// MatchString reports whether the text holds a match, as regexp's does.
func (p *pattern) MatchString(text string) bool {
	if p.dfa != nil {
		return p.dfa.match(text)
	}
	return p.re.MatchString(text)
}

// The automaton reads the text a byte at a time: an ASCII byte is its own
// symbol, and any other character (or byte of text that is not UTF-8,
// which regexp reads as U+FFFD) is the symbol nonASCII: every instruction
// the automaton runs matches all such characters or none.
const (
	nonASCII  = 128
	symbols   = 129
	maxStates = 256 // bounds on the work and memory of one pattern, at load
	maxInsts  = 500
	dead      = -1
)

// byteDFA is the automaton of an unanchored search, which ends as soon
// as a match does.
type byteDFA struct {
	// next gives, at the state's offset (its number times symbols) plus
	// the symbol, the next state's offset, or found when that state has a
	// match, or dead when no thread is left.
	next       []int32
	startFound bool   // the empty text before the first byte has a match
	matchAtEnd []bool // by state number: a match ends here if the text does ($)
}

const found = -2

func (d *byteDFA) match(text string) bool {
	if d.startFound {
		return true
	}
	state := int32(0)
	for i := 0; i < len(text); i++ {
		sym := int32(text[i])
		if sym >= utf8.RuneSelf {
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size - 1
			sym = nonASCII
		}
		state = d.next[state+sym]
		if state < 0 {
			return state == found
		}
	}
	return d.matchAtEnd[state/symbols]
}

// compileDFA builds the automaton of expr by the subset construction over
// its program, or returns nil when the pattern is not one it takes.
func compileDFA(expr string) *byteDFA {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil || len(prog.Inst) > maxInsts {
		return nil
	}
	b := &dfaBuilder{prog: prog, index: map[string]int32{}}
	for pc := range prog.Inst {
		if !b.takes(&prog.Inst[pc]) {
			return nil
		}
	}
	if b.state(b.closure(nil, []uint32{uint32(prog.Start)}, true, false)) != 0 {
		return nil
	}
	b.dfa.startFound = b.sets[0].matched
	for s := 0; s < len(b.sets); s++ {
		set := b.sets[s]
		for sym := range symbols {
			var step []uint32
			for _, pc := range set.runes {
				inst := &prog.Inst[pc]
				if b.symbolMatches(inst, sym) {
					step = append(step, inst.Out)
				}
			}
			next := b.closure(nil, step, false, false)
			next = b.closure(next, []uint32{uint32(prog.Start)}, false, false) // a match may start at any byte
			id := b.state(next)
			switch {
			case id == dead && next.nonEmpty():
				return nil // too many states
			case id == dead:
			case b.sets[id].matched:
				id = found
			default:
				id *= symbols
			}
			b.dfa.next = append(b.dfa.next, id)
		}
	}
	return &b.dfa
}

type dfaBuilder struct {
	prog  *syntax.Prog
	sets  []*threadSet
	index map[string]int32
	dfa   byteDFA
}

// threadSet is a state of the automaton: the rune instructions its
// threads wait at, whether one has matched, and the instructions waiting
// for the text to end.
type threadSet struct {
	runes   []uint32
	matched bool
	atEnd   []uint32 // EmptyEndText instructions reached
	begin   bool     // the start state: at the beginning of the text
}

func (t *threadSet) nonEmpty() bool { return len(t.runes) > 0 || t.matched || len(t.atEnd) > 0 }

// takes reports whether the automaton can run the instruction.
func (b *dfaBuilder) takes(inst *syntax.Inst) bool {
	switch inst.Op {
	case syntax.InstEmptyWidth:
		op := syntax.EmptyOp(inst.Arg)
		return op&^(syntax.EmptyBeginText|syntax.EmptyEndText) == 0
	case syntax.InstRune, syntax.InstRune1:
		if syntax.Flags(inst.Arg)&syntax.FoldCase != 0 {
			return false // folding reaches characters such as the Kelvin sign
		}
		return allOrNoneNonASCII(inst.Rune)
	}
	return true
}

// allOrNoneNonASCII: the ranges hold every character from U+0080 up, or
// none of them.
func allOrNoneNonASCII(ranges []rune) bool {
	if len(ranges) == 1 { // InstRune1: one character
		return ranges[0] < utf8.RuneSelf
	}
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if hi < utf8.RuneSelf {
			continue
		}
		return lo <= utf8.RuneSelf && hi >= utf8.MaxRune && i+2 == len(ranges)
	}
	return true
}

// symbolMatches reports whether the instruction matches the symbol.
func (b *dfaBuilder) symbolMatches(inst *syntax.Inst, sym int) bool {
	switch inst.Op {
	case syntax.InstRuneAny:
		return true
	case syntax.InstRuneAnyNotNL:
		return sym != '\n'
	}
	if sym == nonASCII {
		return inst.MatchRune(utf8.MaxRune)
	}
	return inst.MatchRune(rune(sym))
}

// closure adds to set the threads reached from pcs without reading a
// byte; begin says the text's start is here, end that its end is (else a
// thread at $ waits in set.atEnd).
func (b *dfaBuilder) closure(set *threadSet, pcs []uint32, begin, end bool) *threadSet {
	if set == nil {
		set = &threadSet{begin: begin}
	}
	seen := map[uint32]bool{}
	var visit func(pc uint32)
	visit = func(pc uint32) {
		if seen[pc] {
			return
		}
		seen[pc] = true
		inst := &b.prog.Inst[pc]
		switch inst.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			visit(inst.Out)
			visit(inst.Arg)
		case syntax.InstCapture, syntax.InstNop:
			visit(inst.Out)
		case syntax.InstMatch:
			set.matched = true
		case syntax.InstEmptyWidth:
			op := syntax.EmptyOp(inst.Arg)
			if op&syntax.EmptyBeginText != 0 && !begin {
				return
			}
			if op&syntax.EmptyEndText != 0 && !end {
				if !slices.Contains(set.atEnd, pc) {
					set.atEnd = append(set.atEnd, pc)
				}
				return
			}
			visit(inst.Out)
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			if !slices.Contains(set.runes, pc) {
				set.runes = append(set.runes, pc)
			}
		}
	}
	for _, pc := range pcs {
		visit(pc)
	}
	return set
}

// state returns the number of the state holding set, adding it if it is
// new; dead for a set with no threads, or when there are too many states.
func (b *dfaBuilder) state(set *threadSet) int32 {
	if !set.nonEmpty() {
		return dead
	}
	slices.Sort(set.runes)
	slices.Sort(set.atEnd)
	key := b.key(set)
	if id, ok := b.index[key]; ok {
		return id
	}
	if len(b.sets) == maxStates {
		return dead
	}
	id := int32(len(b.sets))
	b.index[key] = id
	b.sets = append(b.sets, set)
	b.dfa.matchAtEnd = append(b.dfa.matchAtEnd, set.matched || b.matchesAtEnd(set))
	return id
}

// matchesAtEnd reports whether a thread waiting for the end of the text
// reaches a match there.
func (b *dfaBuilder) matchesAtEnd(set *threadSet) bool {
	var outs []uint32
	for _, pc := range set.atEnd {
		outs = append(outs, b.prog.Inst[pc].Out)
	}
	return b.closure(nil, outs, set.begin, true).matched
}

func (b *dfaBuilder) key(set *threadSet) string {
	var k strings.Builder
	for _, pc := range set.runes {
		k.WriteString(strconv.Itoa(int(pc)))
		k.WriteByte(',')
	}
	k.WriteByte('|')
	for _, pc := range set.atEnd {
		k.WriteString(strconv.Itoa(int(pc)))
		k.WriteByte(',')
	}
	k.WriteString(strconv.FormatBool(set.matched))
	k.WriteString(strconv.FormatBool(set.begin))
	return k.String()
}

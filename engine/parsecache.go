package engine

import (
	"sync"

	"github.com/expr-lang/expr/parser"
)

// parseCache shares the parse of an expression's text among the lists
// one load compiles: a directory of contracts copied from one list holds
// the same texts many times over, and lexing and parsing them is most of
// compiling them. Only the text's parse is shared (the compiler reads the
// tree, never writes it); each list compiles its own code from it, with
// its own names, slots and positions. A cache lives for one load, so that
// it holds no memory after.
type parseCache struct {
	parsed sync.Map // text -> *parsedText
	// consts holds the code of each number literal, by its text: a
	// constant's code is never changed, so lists share it.
	consts sync.Map // text -> *code
	// shared holds whole compiles lists written alike share.
	shared sharedTexts
}

// constant returns the code of the number literal text, when a list of
// the load compiled it (pc may be nil: no sharing).
func (pc *parseCache) constant(text string) *code {
	if pc == nil {
		return nil
	}
	if k, ok := pc.consts.Load(text); ok {
		return k.(*code)
	}
	return nil
}

// keepConstant notes the code of the number literal text, and returns it.
func (pc *parseCache) keepConstant(text string, k *code) *code {
	if pc != nil {
		pc.consts.Store(text, k)
	}
	return k
}

// parsedText is what checkShape and the parser make of a text.
type parsedText struct {
	at   int    // where a shape error is, in the text
	msg  string // the shape error; "" when the shape is fine
	tree *parser.Tree
	err  error // the parser's
}

// parse returns the text's parse, from the cache when an earlier list
// parsed it (pc may be nil: no sharing).
func (pc *parseCache) parse(text string) *parsedText {
	if pc != nil {
		if p, ok := pc.parsed.Load(text); ok {
			return p.(*parsedText)
		}
	}
	p := &parsedText{}
	rewritten, at, msg, ok := checkShape(text)
	if !ok {
		p.at, p.msg = at, msg
	} else {
		p.tree, p.err = parser.ParseWithConfig(rewritten, parserConfig)
	}
	if pc != nil {
		pc.parsed.Store(text, p)
	}
	return p
}

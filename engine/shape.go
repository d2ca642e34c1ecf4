package engine

import (
	"fmt"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser/lexer"
)

// MaxDepth caps how deeply an expression nests: parentheses, brackets,
// signs and ?: inside one another.
const MaxDepth = 100

// maxTokens caps the words and signs of one expression. expr's parser
// counts the nodes it makes (MaxNodes) only once it has parsed what a node
// holds, and parentheses make no node at all, so a long run of "(" or "-"
// would recurse a million deep before any limit is seen. A valid
// expression of MaxNodes parts has far fewer tokens than this.
const maxTokens = 4 * MaxNodes

// checkShape reads an expression's tokens with expr's lexer, which does
// not recurse, and refuses one that is too long or nested too deeply for
// the parser to read safely. It returns the character offset of the token
// where a limit was passed and the message; ok is true when the parser may
// go ahead (a lexing error is left to the parser to report).
func checkShape(text string) (offset int, msg string, ok bool) {
	lex := lexer.New()
	lex.Reset(file.NewSource(text))
	// depth is that of the innermost open bracket, to which each sign
	// and ? opened since adds one; signs waiting for their operand count
	// too, as the parser recurses once for each.
	type frame struct{ depth int }
	frames := []frame{{depth: 0}}
	signs := 0          // prefix signs in a row, before their operand
	operandNext := true // the next token starts an operand
	for n := 0; ; n++ {
		tok, err := lex.Next()
		if err != nil || tok.Kind == lexer.EOF {
			return 0, "", true
		}
		if n >= maxTokens {
			return tok.From, fmt.Sprintf("expression is too long (at most %d parts)", MaxNodes), false
		}
		top := &frames[len(frames)-1]
		switch {
		case tok.Kind == lexer.Bracket && (tok.Value == "(" || tok.Value == "[" || tok.Value == "{"):
			frames = append(frames, frame{depth: top.depth + signs + 1})
			signs, operandNext = 0, true
		case tok.Kind == lexer.Bracket:
			if len(frames) > 1 {
				frames = frames[:len(frames)-1]
			}
			signs, operandNext = 0, false
		case tok.Kind == lexer.Operator && operandNext && isSign(tok.Value):
			signs++
		case tok.Kind == lexer.Operator && tok.Value == "?":
			top.depth++
			signs, operandNext = 0, true
		case tok.Kind == lexer.Operator:
			signs, operandNext = 0, true
		default: // a name, number or text
			signs, operandNext = 0, false
		}
		if d := frames[len(frames)-1].depth + signs; d > MaxDepth {
			return tok.From, fmt.Sprintf("expression is nested too deeply (at most %d levels of parentheses, signs and ?:)", MaxDepth), false
		}
	}
}

func isSign(op string) bool {
	return op == "-" || op == "+" || op == "!" || op == "not"
}

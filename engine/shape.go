package engine

import (
	"fmt"
	"strconv"
	"strings"

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
// go ahead (a lexing error is left to the parser to report). The text to
// parse is text with each whole number too large for an int64 rewritten
// (see bigWholeAsFloat).
func checkShape(text string) (parse string, offset int, msg string, ok bool) {
	lex := lexer.New()
	lex.Reset(file.NewSource(text))
	var runes []rune // text, once a number needs rewriting
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
			if runes != nil {
				return string(runes), 0, "", true
			}
			return text, 0, "", true
		}
		if n >= maxTokens {
			return "", tok.From, fmt.Sprintf("expression is too long (at most %d parts)", MaxNodes), false
		}
		if tok.Kind == lexer.Number && bigWhole(tok.Value) {
			if runes == nil {
				runes = []rune(text)
			}
			bigWholeAsFloat(runes[tok.From:tok.To])
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
			return "", tok.From, fmt.Sprintf("expression is nested too deeply (at most %d levels of parentheses, signs and ?:)", MaxDepth), false
		}
	}
}

func isSign(op string) bool {
	return op == "-" || op == "+" || op == "!" || op == "not"
}

// bigWhole reports whether a number literal is a whole number in decimal
// digits that an int64 cannot hold: expr's parser refuses such a literal
// ("invalid integer literal"), though rule files allow 40 digits.
func bigWhole(lit string) bool {
	digits := 0
	for _, r := range lit {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r != '_':
			return false // a fraction, an exponent, or hex
		}
	}
	return digits >= 19 && !fitsInt64(lit)
}

func fitsInt64(lit string) bool {
	_, err := strconv.ParseInt(strings.ReplaceAll(lit, "_", ""), 10, 64)
	return err == nil
}

// bigWholeAsFloat rewrites, in place, a whole literal as a fraction of the
// same length ("123456" as "1234.6"), which expr parses as a float at the
// same place. Only the place matters: the compiler reads a literal's value
// exactly from the original text (see compiler.number).
func bigWholeAsFloat(lit []rune) {
	if n := len(lit); n >= 2 && lit[n-2] >= '0' && lit[n-2] <= '9' && lit[n-1] >= '0' && lit[n-1] <= '9' {
		lit[n-2] = '.'
	}
}

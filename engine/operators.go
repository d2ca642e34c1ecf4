package engine

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"ratecard/rules"
)

func (c *compiler) binary(n *ast.BinaryNode) *code {
	switch n.Operator {
	case "in":
		return c.in(n)
	case "and", "&&", "or", "||":
		return c.logic(n)
	case "startsWith", "endsWith", "contains", "matches":
		return c.textTest(n)
	}
	a, b := c.node(n.Left), c.node(n.Right)
	if a == nil || b == nil {
		return nil
	}
	switch n.Operator {
	case "+", "-", "*", "/", "%":
		return c.arithmetic(n, a, b)
	case "<", ">", "<=", ">=":
		return c.order(n, a, b)
	case "==", "!=":
		return c.equality(n, a, b)
	}
	c.errorf(n, "operator %s is not part of the price-rule language", n.Operator)
	return nil
}

func (c *compiler) arithmetic(n *ast.BinaryNode, a, b *code) *code {
	op := n.Operator
	if !c.want(n.Left, a, kNum, "operator "+op) || !c.want(n.Right, b, kNum, "operator "+op) {
		return nil
	}
	off := c.offset(n) // placed by the state: see state.place
	if a.konst == nil || b.konst == nil {
		if k, ok := constFactor(op, b); ok {
			return scale(a, k)
		}
		if op == "*" && a.konst != nil {
			return scale(b, *a.konst)
		}
	}
	x, y := a.num, b.num
	var f numFn
	switch op {
	case "+":
		f = func(s *state) num { return add(x(s), y(s)) }
	case "-":
		f = func(s *state) num { return sub(x(s), y(s)) }
	case "*":
		f = func(s *state) num { return mul(x(s), y(s)) }
	case "/":
		f = func(s *state) num {
			q, ok := quo(x(s), y(s))
			if !ok {
				s.fail(off, "division by zero")
			}
			return q
		}
	case "%":
		f = func(s *state) num {
			r, ok := mod(x(s), y(s))
			if !ok {
				s.fail(off, "division by zero (in %%)")
			}
			return r
		}
	}
	if a.konst != nil && b.konst != nil {
		st := state{at: c.expr}
		v := f(&st)
		if st.err != nil {
			c.errs.Add(st.err.Pos, "%s", st.err.Msg)
			return nil
		}
		return constNum(v)
	}
	return &code{t: a.t, num: f}
}

// constFactor reports the constant that multiplying by b (op "*") or
// dividing by it (op "/") multiplies by, when b is a constant; dividing by
// a constant zero stays a division, which fails when a quote reaches it.
func constFactor(op string, b *code) (num, bool) {
	if b.konst == nil {
		return zero, false
	}
	switch op {
	case "*":
		return *b.konst, true
	case "/":
		return quo(one, *b.konst)
	}
	return zero, false
}

// scale multiplies x by the constant k. A chain of constant factors folds
// into one, so that billed * 20 / 60 is one multiplication, by 1/3, per
// quote: in exact fractions the order of * and / does not change the
// result, and nothing is rounded before the meter.
func scale(x *code, k num) *code {
	f := x.num
	if x.product != nil {
		f, k = x.product.x, mul(x.product.k, k)
	}
	scaled := func(s *state) num { return mul(f(s), k) }
	if x.ref != nil {
		slot := x.ref.slot
		scaled = func(s *state) num { return mul(s.nums[slot], k) }
	}
	return &code{t: x.t, num: scaled, product: &product{x: f, k: k}}
}

// mod is the remainder of a / b with the sign of b, as a spreadsheet's MOD.
func mod(a, b num) (num, bool) {
	q, ok := quo(a, b)
	if !ok {
		return zero, false
	}
	return sub(a, mul(b, floor(q))), true
}

func (c *compiler) order(n *ast.BinaryNode, a, b *code) *code {
	op := n.Operator
	if !c.want(n.Left, a, kNum, "operator "+op) || !c.want(n.Right, b, kNum, "operator "+op) {
		return nil
	}
	x, y := a.num, b.num
	var f boolFn
	switch op {
	case "<":
		f = func(s *state) bool { return cmp(x(s), y(s)) < 0 }
	case ">":
		f = func(s *state) bool { return cmp(x(s), y(s)) > 0 }
	case "<=":
		f = func(s *state) bool { return cmp(x(s), y(s)) <= 0 }
	default:
		f = func(s *state) bool { return cmp(x(s), y(s)) >= 0 }
	}
	return &code{t: typ{kind: kBool}, bool: f}
}

func (c *compiler) equality(n *ast.BinaryNode, a, b *code) *code {
	var f boolFn
	switch {
	case a.t.kind == kNum && b.t.kind == kNum:
		x, y := a.num, b.num
		f = func(s *state) bool { return cmp(x(s), y(s)) == 0 }
	case a.t.kind == kBool && b.t.kind == kBool:
		x, y := a.bool, b.bool
		f = func(s *state) bool { return x(s) == y(s) }
	case a.t.kind == kWord && b.t.kind == kText && b.lit:
		f = c.wordIs(n.Right, a, b.text)
	case a.t.kind == kText && a.lit && b.t.kind == kWord:
		f = c.wordIs(n.Left, b, a.text)
	case (a.t.kind == kText || a.t.kind == kWord) && (b.t.kind == kText || b.t.kind == kWord):
		x, y := asText(a), asText(b)
		f = func(s *state) bool { return x(s) == y(s) }
	case a.t.kind == kWord && b.t.kind == kWord && a.t.input == b.t.input:
		x, y := a.word, b.word
		f = func(s *state) bool { return x(s) == y(s) }
	default:
		c.errorf(n, "cannot compare %s with %s", a.t, b.t)
		return nil
	}
	if f == nil {
		return nil
	}
	if n.Operator == "!=" {
		g := f
		f = func(s *state) bool { return !g(s) }
	}
	return &code{t: typ{kind: kBool}, bool: f}
}

// wordIs compiles "word == text", where text must be one of the input's
// words: a misspelled word would otherwise make a rate silently never apply.
func (c *compiler) wordIs(textNode ast.Node, w *code, text string) boolFn {
	i := c.wordIndex(textNode, w.t.input, text)
	if i < 0 {
		return nil
	}
	if w.ref != nil {
		slot := w.ref.slot
		return func(s *state) bool { return s.words[slot] == i }
	}
	x := w.word
	return func(s *state) bool { return x(s) == i }
}

func (c *compiler) wordIndex(n ast.Node, in *rules.Input, text string) int {
	i := slices.Index(in.Values, text)
	if i < 0 {
		c.errorf(n, "%q is not a value of %s (%s)%s", text, in.Name, strings.Join(in.Values, ", "), rules.DidYouMean(text, in.Values))
	}
	return i
}

func (c *compiler) in(n *ast.BinaryNode) *code {
	a := c.node(n.Left)
	arr, ok := n.Right.(*ast.ArrayNode)
	if !ok {
		c.errorf(n.Right, "\"in\" needs a list written out, such as [\"library\", \"clone\"]")
		return nil
	}
	if a == nil {
		return nil
	}
	switch a.t.kind {
	case kWord:
		member := make([]bool, len(a.t.input.Values))
		good := true
		for _, el := range arr.Nodes {
			s, ok := el.(*ast.StringNode)
			if !ok {
				c.errorf(el, "%s is compared with words: write each as \"word\"", a.t.input.Name)
				good = false
				continue
			}
			if i := c.wordIndex(el, a.t.input, s.Value); i >= 0 {
				member[i] = true
			} else {
				good = false
			}
		}
		if !good {
			return nil
		}
		x := a.word
		return &code{t: typ{kind: kBool}, bool: func(s *state) bool { return member[x(s)] }}
	case kText:
		set := map[string]bool{}
		for _, el := range arr.Nodes {
			s, ok := el.(*ast.StringNode)
			if !ok {
				c.errorf(el, "text is compared with text: write each as \"text\"")
				return nil
			}
			set[s.Value] = true
		}
		x := a.str
		return &code{t: typ{kind: kBool}, bool: func(s *state) bool { return set[x(s)] }}
	case kNum:
		var items []numFn
		for _, el := range arr.Nodes {
			if e := c.node(el); e != nil && c.want(el, e, kNum, "a list after \"in\"") {
				items = append(items, e.num)
			} else {
				return nil
			}
		}
		x := a.num
		return &code{t: typ{kind: kBool}, bool: func(s *state) bool {
			v := x(s)
			for _, item := range items {
				if cmp(v, item(s)) == 0 {
					return true
				}
			}
			return false
		}}
	}
	c.errorf(n.Left, "\"in\" compares a number, a word or text, not %s", a.t)
	return nil
}

func (c *compiler) logic(n *ast.BinaryNode) *code {
	a, b := c.node(n.Left), c.node(n.Right)
	if a == nil || b == nil {
		return nil
	}
	op := fmt.Sprintf("operator %s", n.Operator)
	if !c.want(n.Left, a, kBool, op) || !c.want(n.Right, b, kBool, op) {
		return nil
	}
	x, y := a.bool, b.bool
	if n.Operator == "and" || n.Operator == "&&" {
		return &code{t: a.t, bool: func(s *state) bool { return x(s) && y(s) }}
	}
	return &code{t: a.t, bool: func(s *state) bool { return x(s) || y(s) }}
}

// asText reads text, or a one_of input's word as the text it is.
func asText(x *code) textFn {
	if x.t.kind == kText {
		return x.str
	}
	words, w := x.t.input.Values, x.word
	return func(s *state) string { return words[w(s)] }
}

// textTest compiles startsWith, endsWith, contains and matches, on text
// (or a word). The pattern of matches must be written out: it is compiled
// once, at load, as an RE2 expression, which runs in linear time.
func (c *compiler) textTest(n *ast.BinaryNode) *code {
	a, b := c.node(n.Left), c.node(n.Right)
	if a == nil || b == nil {
		return nil
	}
	op := n.Operator
	for _, side := range []struct {
		n ast.Node
		x *code
	}{{n.Left, a}, {n.Right, b}} {
		if side.x.t.kind != kText && side.x.t.kind != kWord {
			c.errorf(side.n, "%s works on text, but this is %s", op, side.x.t)
			return nil
		}
	}
	x, y := asText(a), asText(b)
	var f boolFn
	switch op {
	case "startsWith":
		f = func(s *state) bool { return strings.HasPrefix(x(s), y(s)) }
	case "endsWith":
		f = func(s *state) bool { return strings.HasSuffix(x(s), y(s)) }
	case "contains":
		f = func(s *state) bool { return strings.Contains(x(s), y(s)) }
	case "matches":
		if !b.lit {
			c.errorf(n.Right, "the pattern of matches must be written out, such as x matches \"^1800\"")
			return nil
		}
		re, err := regexp.Compile(b.text)
		if err != nil {
			c.errorf(n.Right, "the pattern of matches is not a regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
			return nil
		}
		p := newPattern(re)
		f = func(s *state) bool { return p.MatchString(x(s)) }
	}
	return &code{t: typ{kind: kBool}, bool: f}
}

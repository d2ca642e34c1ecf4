package engine

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"ratecard/rules"
)

// MaxNodes caps the size of one expression.
const MaxNodes = 500

// parserConfig makes every call a plain call (CallNode): naming every
// builtin of expr as a function of our own stops the parser from giving
// any of them (len, sum, all, ...) its special form, so that only the
// functions of this package exist and an unknown one gets a clear error.
// It is set in init, after the functions table.
var parserConfig *conf.Config

func newParserConfig() *conf.Config {
	c := &conf.Config{MaxNodes: MaxNodes, Functions: conf.FunctionsTable{}, Disabled: map[string]bool{}}
	for _, name := range builtin.Names {
		c.Disabled[name] = true
		c.Functions[name] = &builtin.Function{Name: name}
	}
	for name := range functions {
		c.Functions[name] = &builtin.Function{Name: name}
	}
	// sum and count keep expr's own syntax, to take an expression for
	// each record or item: sum(calls, .seconds), count(items, # > 2).
	// They parse as BuiltinNodes, compiled by aggregate.
	delete(c.Functions, "sum")
	delete(c.Functions, "count")
	return c
}

// compiler checks and compiles one expression of a rule file.
type compiler struct {
	expr  *rules.Expr
	role  exprRole // what the expression is to its list, for placing errors
	scope map[string]*symbol
	later map[string]bool // named values defined below, for a clearer error
	errs  *rules.ErrorList
	uses  []*symbol // the names the expression reads, first use first
	// newSlot gives a slot of the state, for a meter's running total the
	// expression is the first to read; nil where no meter can be read.
	newSlot func(kind) int
	// grids are the price list's grids, compiled at their first call.
	grids *gridSet
	// inputs are the price list's inputs, for checks of grid keys.
	inputs []*compiledInput
	// pointer is what # and .field mean inside a sum or count with an
	// expression for each record or item; nil outside one.
	pointer *pointerCtx
	// parsed shares parses and code among the lists of one load (nil:
	// none).
	parsed *parseCache
	// trace notes what the compile reads of its list, for sharing its
	// code (nil while code is not being shared); traceRoom is its room,
	// reused from expression to expression.
	trace     *compileTrace
	traceRoom compileTrace
	// useRoom is where the names compiles read are noted, shared by the
	// list's compiles (its code keeps them all).
	useRoom *[]*symbol
	// found is what the names of a shared compile found here (reused).
	found []*symbol
}

// of sets the list's compiler c for compiling the expression e, in role,
// against scope, its list's parts kept (errors, slots, grids, inputs, the
// load's caches), and returns it.
func (c *compiler) of(e *rules.Expr, role exprRole, scope map[string]*symbol) *compiler {
	// Field by field: copying the whole struct over itself would pass
	// every pointer through the GC's write barrier.
	c.expr, c.role, c.scope, c.later, c.uses, c.pointer, c.trace = e, role, scope, nil, nil, nil, nil
	return c
}

// offset is where n starts in the expression, with the expression's role:
// what code captures to place an error it raises (state.place).
func (c *compiler) offset(n ast.Node) int {
	return n.Location().From | int(c.role)<<roleShift
}

// newItemSlot gives a num slot for a list's current element in a sum or
// count, or -1 where the compiler has no slots to give.
func (c *compiler) newItemSlot() int {
	if c.newSlot == nil {
		return -1
	}
	if c.trace != nil {
		c.trace.local = true // another list's slots may differ
	}
	return c.newSlot(kNum)
}

// gridSet holds a price list's grids as they compile.
type gridSet struct {
	list     *rules.PriceList
	compiled map[string]*compiledGrid
}

func (c *compiler) errorf(n ast.Node, format string, args ...any) {
	c.errs.Add(c.pos(n), format, args...)
}

func (c *compiler) pos(n ast.Node) rules.Pos { return c.expr.At(n.Location().From) }

// compile parses and checks the whole expression, which must be of kind
// want (0: any); what names it in messages ("amount", "when").
func (c *compiler) compile(want kind, what string) *code {
	if out := c.sharedCompile(want); out != nil {
		return out
	}
	if c.parsed != nil {
		c.traceRoom = compileTrace{looked: c.traceRoom.looked[:0], uses: c.traceRoom.uses[:0]}
		c.trace = &c.traceRoom
	}
	before := len(*c.errs)
	out := c.compileText(want, what)
	if out != nil && len(*c.errs) == before {
		c.keepShared(want, out)
	}
	c.trace = nil
	return out
}

// compileText compiles the expression's text.
func (c *compiler) compileText(want kind, what string) (out *code) {
	// Constants are folded as they compile: a long product of big
	// literals can outgrow what a number may hold.
	var tooLarge error
	defer catchTooLarge(&tooLarge, func(e *tooLargeError) error {
		c.errs.Add(c.expr.Pos, "%v", e)
		out = nil
		return e
	})
	p := c.parsed.parse(c.expr.Text)
	if p.msg != "" {
		c.errs.Add(c.expr.At(p.at), "%s", p.msg)
		return nil
	}
	tree, err := p.tree, p.err
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			c.errs.Add(c.expr.At(fe.From), "%s", syntaxMessage(fe.Message))
		} else {
			c.errs.Add(c.expr.Pos, "syntax error: %v", err)
		}
		return nil
	}
	out = c.node(tree.Node)
	if out == nil {
		return nil
	}
	if want != 0 && out.t.kind != want {
		c.errorf(tree.Node, "%s must be %s, but this is %s", what, typ{kind: want}, out.t)
		return nil
	}
	return out
}

func syntaxMessage(msg string) string {
	switch {
	case strings.Contains(msg, "exceeds maximum allowed nodes"):
		return fmt.Sprintf("expression is too long (at most %d parts)", MaxNodes)
	case strings.HasPrefix(msg, "unexpected token EOF"):
		return "syntax error: the expression ends too soon"
	}
	return "syntax error: " + msg
}

func (c *compiler) use(s *symbol) {
	c.trace.used(s)
	if c.uses == nil {
		// A rate reads a few names: room for four, from the list's room.
		if len(*c.useRoom) < 4 {
			*c.useRoom = make([]*symbol, 64)
		}
		c.uses, *c.useRoom = (*c.useRoom)[:0:4], (*c.useRoom)[4:]
	}
	for _, u := range c.uses {
		if u == s {
			return
		}
	}
	c.uses = append(c.uses, s)
}

func (c *compiler) names() []string {
	names := make([]string, 0, len(c.scope))
	for n := range c.scope {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// node compiles n, or records why it cannot and returns nil.
func (c *compiler) node(n ast.Node) *code {
	switch n := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		return c.number(n)
	case *ast.BoolNode:
		v := n.Value
		return &code{t: typ{kind: kBool}, bool: func(*state) bool { return v }}
	case *ast.StringNode:
		v := n.Value
		return &code{t: typ{kind: kText}, text: v, lit: true, str: func(*state) string { return v }}
	case *ast.IdentifierNode:
		return c.identifier(n)
	case *ast.UnaryNode:
		return c.unary(n)
	case *ast.BinaryNode:
		return c.binary(n)
	case *ast.ConditionalNode:
		return c.conditional(n)
	case *ast.CallNode:
		return c.call(n)
	case *ast.ArrayNode:
		c.errorf(n, "a list [...] can only follow \"in\" or be a tier of graduated() or volume()")
		return nil
	case *ast.NilNode:
		c.errorf(n, "nil is not a value here: use 0, false or a word")
		return nil
	case *ast.BuiltinNode:
		if n.Name == "sum" || n.Name == "count" {
			return c.aggregate(n)
		}
	case *ast.PointerNode:
		return c.pointerNode(n)
	case *ast.MemberNode:
		if out := c.recordAccess(n); out != nil {
			if out.t.kind == 0 {
				return nil // reported
			}
			return out
		}
		if call, ok := n.Node.(*ast.CallNode); ok && c.grids != nil {
			id, isID := call.Callee.(*ast.IdentifierNode)
			prop, isName := n.Property.(*ast.StringNode)
			if g := c.gridNamed(id.Value); isID && isName && g != nil {
				return c.gridCall(g, call, prop.Value, n.Property)
			}
		}
	}
	c.errorf(n, "%s is not part of the price-rule language", describe(n))
	return nil
}

func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.MemberNode, *ast.ChainNode:
		return "a field or index access"
	case *ast.SliceNode:
		return "a slice [a:b]"
	case *ast.MapNode, *ast.PairNode:
		return "a map {...}"
	case *ast.PredicateNode, *ast.PointerNode:
		return "a predicate"
	case *ast.VariableDeclaratorNode:
		return "let (use a named value under values: instead)"
	case *ast.SequenceNode:
		return "a sequence a; b"
	case *ast.BuiltinNode:
		return "this function"
	}
	return fmt.Sprintf("%T", n)
}

// number reads a literal's digits from the source text: expr keeps number
// literals as float64, and 0.2 must be exactly two tenths.
func (c *compiler) number(n ast.Node) *code {
	text := c.literal(n)
	if k := c.parsed.constant(text); k != nil {
		return k
	}
	var v num
	if in, ok := n.(*ast.IntegerNode); ok && (strings.HasPrefix(text, "0x") || strings.HasPrefix(text, "0o") || strings.HasPrefix(text, "0b")) {
		v = intNum(int64(in.Value))
	} else {
		d, err := rules.ParseNumber(text)
		if err != nil {
			c.errorf(n, "%v", err)
			return nil
		}
		v = fromDecimal(d)
	}
	return c.parsed.keepConstant(text, constNum(v))
}

// literal returns the text of node n in the expression (expr's locations
// count characters, not bytes).
func (c *compiler) literal(n ast.Node) string {
	loc, text := n.Location(), c.expr.Text
	if loc.From < 0 || loc.From >= loc.To {
		return ""
	}
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf { // not ASCII: count characters
			runes := []rune(text)
			if loc.To > len(runes) {
				return ""
			}
			return string(runes[loc.From:loc.To])
		}
	}
	if loc.To > len(text) {
		return ""
	}
	return text[loc.From:loc.To]
}

func constNum(v num) *code {
	return &code{t: typ{kind: kNum}, num: func(*state) num { return v }, konst: &v}
}

func (c *compiler) identifier(n *ast.IdentifierNode) *code {
	s := c.lookup(n.Value)
	if s == nil {
		if c.later[n.Value] {
			c.errorf(n, "value %q is defined below; a value can use only the inputs and the values above it", n.Value)
		} else if _, isFunc := functions[n.Value]; isFunc {
			c.errorf(n, "%s is a function: call it as %s(...)", n.Value, n.Value)
		} else {
			c.errorf(n, "unknown name %q%s", n.Value, rules.DidYouMean(n.Value, c.names()))
		}
		return nil
	}
	if s.t.kind == 0 {
		return nil // a named value whose own expression is broken, reported there
	}
	if s.field != nil { // a field of the current record
		c.use(s)
		out := &code{t: s.t, ref: nil}
		s.field.read(out)
		return out
	}
	if s.t.kind == kRecords || s.t.kind == kRecord {
		c.use(s)
		return &code{t: s.t}
	}
	if s.what == "meter total" && s.slot < 0 {
		s.slot = c.newSlot(kNum) // read by a rate: kept up to date as lines are charged
	}
	c.use(s)
	if s.read != nil {
		return s.read
	}
	slot := s.slot
	out := &code{t: s.t, ref: s}
	s.read = out
	switch s.t.kind {
	case kNum:
		out.num = func(st *state) num { return st.nums[slot] }
	case kBool:
		out.bool = func(st *state) bool { return st.bools[slot] }
	case kWord:
		out.word = func(st *state) int { return st.words[slot] }
	case kList:
		out.list = func(st *state) []num { return st.lists[slot] }
	case kText:
		out.str = func(st *state) string { return st.texts[slot] }
	}
	return out
}

func (c *compiler) unary(n *ast.UnaryNode) *code {
	x := c.node(n.Node)
	if x == nil {
		return nil
	}
	switch n.Operator {
	case "-", "+":
		if !c.want(n.Node, x, kNum, "the sign "+n.Operator) {
			return nil
		}
		if n.Operator == "+" {
			return x
		}
		if x.konst != nil {
			return constNum(neg(*x.konst))
		}
		f := x.num
		return &code{t: x.t, num: func(s *state) num { return neg(f(s)) }}
	case "!", "not":
		if !c.want(n.Node, x, kBool, n.Operator) {
			return nil
		}
		f := x.bool
		return &code{t: x.t, bool: func(s *state) bool { return !f(s) }}
	}
	c.errorf(n, "operator %s is not part of the price-rule language", n.Operator)
	return nil
}

// want checks that x (compiled from n) is of kind k, for the operation op.
func (c *compiler) want(n ast.Node, x *code, k kind, op string) bool {
	if x.t.kind == k {
		return true
	}
	c.errorf(n, "%s needs %s, but this is %s", op, typ{kind: k}, x.t)
	return false
}

func (c *compiler) conditional(n *ast.ConditionalNode) *code {
	cond, a, b := c.node(n.Cond), c.node(n.Exp1), c.node(n.Exp2)
	if cond == nil || a == nil || b == nil || !c.want(n.Cond, cond, kBool, "the condition of ?:") {
		return nil
	}
	if a.t.kind != b.t.kind || (a.t.kind != kNum && a.t.kind != kBool && a.t.kind != kText) {
		c.errorf(n.Exp2, "both branches of ?: must be numbers, both true/false, or both text; here they are %s and %s", a.t, b.t)
		return nil
	}
	test := cond.bool
	if a.t.kind == kText {
		x, y := a.str, b.str
		return &code{t: a.t, str: func(s *state) string {
			if test(s) {
				return x(s)
			}
			return y(s)
		}}
	}
	if a.t.kind == kNum {
		x, y := a.num, b.num
		return &code{t: a.t, num: func(s *state) num {
			if test(s) {
				return x(s)
			}
			return y(s)
		}}
	}
	x, y := a.bool, b.bool
	return &code{t: a.t, bool: func(s *state) bool {
		if test(s) {
			return x(s)
		}
		return y(s)
	}}
}

func (c *compiler) call(n *ast.CallNode) *code {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		c.errorf(n, "only a function name can be called")
		return nil
	}
	f, ok := functions[id.Value]
	if !ok {
		if g := c.gridNamed(id.Value); g != nil {
			return c.gridCall(g, n, "", n)
		}
	}
	if !ok {
		if s := c.lookup(id.Value); s != nil {
			c.errorf(n, "%s is %s %s, not a function", id.Value, article(s.what), s.what)
		} else {
			c.errorf(n, "unknown function %q%s; the functions are %s", id.Value,
				rules.DidYouMean(id.Value, functionNames()), strings.Join(functionNames(), ", "))
		}
		return nil
	}
	if len(n.Arguments) < f.minArgs || (f.maxArgs >= 0 && len(n.Arguments) > f.maxArgs) {
		c.errorf(n, "%s takes %s; usage: %s", f.name, f.arity(), f.usage)
		return nil
	}
	return f.compile(c, n)
}

func article(what string) string {
	if strings.IndexAny(what[:1], "aeiou") == 0 {
		return "an"
	}
	return "a"
}

package engine

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/expr-lang/expr/ast"
	"ratecard/rules"
)

// function is one function of the price-rule language. All of them work on
// exact numbers; none goes through a float.
type function struct {
	name    string
	usage   string // shown when a call has the wrong number of arguments
	minArgs int
	maxArgs int // -1: any number
	compile func(c *compiler, n *ast.CallNode) *code
}

func (f *function) arity() string {
	switch {
	case f.minArgs == f.maxArgs && f.minArgs == 1:
		return "1 argument"
	case f.minArgs == f.maxArgs:
		return fmt.Sprintf("%d arguments", f.minArgs)
	case f.maxArgs < 0:
		return fmt.Sprintf("at least %d argument(s)", f.minArgs)
	}
	return fmt.Sprintf("%d to %d arguments", f.minArgs, f.maxArgs)
}

// functions is filled in init: the compilers refer back to the compiler,
// which looks functions up here.
var functions map[string]*function

func functionNames() []string {
	names := make([]string, 0, len(functions))
	for n := range functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func init() {
	functions = map[string]*function{}
	for _, f := range []*function{
		{name: "ceil", usage: "ceil(x)", minArgs: 1, maxArgs: 1, compile: numFunc1(ceil)},
		{name: "floor", usage: "floor(x)", minArgs: 1, maxArgs: 1, compile: numFunc1(floor)},
		{name: "abs", usage: "abs(x)", minArgs: 1, maxArgs: 1, compile: numFunc1(func(a num) num {
			if a.sign() < 0 {
				return neg(a)
			}
			return a
		})},
		{name: "round", usage: `round(x, places[, "mode"])`, minArgs: 2, maxArgs: 3, compile: compileRound},
		{name: "min", usage: "min(a, b, ...) or min(list)", minArgs: 1, maxArgs: -1, compile: compileExtreme(-1)},
		{name: "max", usage: "max(a, b, ...) or max(list)", minArgs: 1, maxArgs: -1, compile: compileExtreme(1)},
		{name: "clamp", usage: "clamp(x, low, high)", minArgs: 3, maxArgs: 3, compile: compileClamp},
		{name: "blocks", usage: "blocks(x, size)", minArgs: 2, maxArgs: 2, compile: compileBlocks},
		{name: "sum", usage: "sum(list)", minArgs: 1, maxArgs: 1, compile: compileListFunc("sum", func(l []num) num {
			t := zero
			for _, v := range l {
				t = add(t, v)
			}
			return t
		})},
		{name: "count", usage: "count(list)", minArgs: 1, maxArgs: 1, compile: compileListFunc("count", func(l []num) num { return intNum(int64(len(l))) })},
		{name: "graduated", usage: "graduated(x, [up_to, price], ..., [price])", minArgs: 2, maxArgs: -1, compile: compileTiers(graduated)},
		{name: "volume", usage: "volume(x, [up_to, price], ..., [price])", minArgs: 2, maxArgs: -1, compile: compileTiers(volume)},
	} {
		functions[f.name] = f
	}
	parserConfig = newParserConfig()
}

// numArgs compiles every argument of n, each of which must be a number.
func (c *compiler) numArgs(n *ast.CallNode, name string) ([]*code, bool) {
	out := make([]*code, len(n.Arguments))
	ok := true
	for i, a := range n.Arguments {
		out[i] = c.node(a)
		if out[i] == nil || !c.want(a, out[i], kNum, fmt.Sprintf("argument %d of %s", i+1, name)) {
			ok = false
		}
	}
	return out, ok
}

func numFunc1(f func(num) num) func(*compiler, *ast.CallNode) *code {
	return func(c *compiler, n *ast.CallNode) *code {
		args, ok := c.numArgs(n, n.Callee.(*ast.IdentifierNode).Value)
		if !ok {
			return nil
		}
		if args[0].konst != nil {
			return constNum(f(*args[0].konst))
		}
		x := args[0].num
		return &code{t: typ{kind: kNum}, num: func(s *state) num { return f(x(s)) }}
	}
}

func compileRound(c *compiler, n *ast.CallNode) *code {
	x := c.node(n.Arguments[0])
	places := c.node(n.Arguments[1])
	if x == nil || places == nil || !c.want(n.Arguments[0], x, kNum, "argument 1 of round") {
		return nil
	}
	var p int32
	if r := places.konstRat(); r != nil && r.IsInt() && r.Num().IsInt64() && r.Num().Int64() >= 0 && r.Num().Int64() <= 18 {
		p = int32(r.Num().Int64())
	} else {
		c.errorf(n.Arguments[1], "round's places must be a whole number from 0 to 18 written out, such as 2")
		return nil
	}
	mode := rules.HalfUp
	if len(n.Arguments) == 3 {
		s, ok := n.Arguments[2].(*ast.StringNode)
		if !ok || !slices.Contains(rules.Roundings, rules.Rounding(s.Value)) {
			c.errorf(n.Arguments[2], `round's mode must be "half_up", "half_even", "up" or "down"`)
			return nil
		}
		mode = rules.Rounding(s.Value)
	}
	f := x.num
	return &code{t: x.t, num: func(s *state) num { return round(f(s), p, mode) }}
}

// compileExtreme compiles min (want -1) or max (want 1).
func compileExtreme(want int) func(*compiler, *ast.CallNode) *code {
	return func(c *compiler, n *ast.CallNode) *code {
		name := n.Callee.(*ast.IdentifierNode).Value
		pos := c.pos(n)
		if len(n.Arguments) == 1 {
			l := c.node(n.Arguments[0])
			if l == nil || !c.want(n.Arguments[0], l, kList, name+" of one argument") {
				return nil
			}
			f := l.list
			return &code{t: typ{kind: kNum}, num: func(s *state) num {
				items := f(s)
				if len(items) == 0 {
					s.fail(pos, "%s of an empty list", name)
					return zero
				}
				best := items[0]
				for _, v := range items[1:] {
					if cmp(v, best) == want {
						best = v
					}
				}
				return best
			}}
		}
		args, ok := c.numArgs(n, name)
		if !ok {
			return nil
		}
		fs := make([]numFn, len(args))
		for i, a := range args {
			fs[i] = a.num
		}
		if len(fs) == 2 { // the common case, without a loop
			x, y := fs[0], fs[1]
			return &code{t: typ{kind: kNum}, num: func(s *state) num {
				a, b := x(s), y(s)
				if cmp(b, a) == want {
					return b
				}
				return a
			}}
		}
		return &code{t: typ{kind: kNum}, num: func(s *state) num {
			best := fs[0](s)
			for _, f := range fs[1:] {
				if v := f(s); cmp(v, best) == want {
					best = v
				}
			}
			return best
		}}
	}
}

func compileClamp(c *compiler, n *ast.CallNode) *code {
	args, ok := c.numArgs(n, "clamp")
	if !ok {
		return nil
	}
	if args[1].konst != nil && args[2].konst != nil && cmp(*args[1].konst, *args[2].konst) > 0 {
		c.errorf(n, "clamp's low (%s) is above its high (%s)", args[1].konst, args[2].konst)
		return nil
	}
	pos := c.pos(n)
	x, lo, hi := args[0].num, args[1].num, args[2].num
	return &code{t: typ{kind: kNum}, num: func(s *state) num {
		v, l, h := x(s), lo(s), hi(s)
		switch {
		case cmp(l, h) > 0:
			s.fail(pos, "clamp's low (%s) is above its high (%s)", l, h)
		case cmp(v, l) < 0:
			return l
		case cmp(v, h) > 0:
			return h
		}
		return v
	}}
}

func compileBlocks(c *compiler, n *ast.CallNode) *code {
	args, ok := c.numArgs(n, "blocks")
	if !ok {
		return nil
	}
	if k := args[1].konst; k != nil && k.sign() <= 0 {
		c.errorf(n.Arguments[1], "blocks needs a size above 0")
		return nil
	}
	pos := c.pos(n)
	x, size := args[0].num, args[1].num
	return &code{t: typ{kind: kNum}, num: func(s *state) num {
		z := size(s)
		if z.sign() <= 0 {
			s.fail(pos, "blocks of size %s: the size must be above 0", z)
			return zero
		}
		q, _ := quo(x(s), z)
		return ceil(q)
	}}
}

func compileListFunc(name string, f func([]num) num) func(*compiler, *ast.CallNode) *code {
	return func(c *compiler, n *ast.CallNode) *code {
		l := c.node(n.Arguments[0])
		if l == nil || !c.want(n.Arguments[0], l, kList, name) {
			return nil
		}
		g := l.list
		return &code{t: typ{kind: kNum}, num: func(s *state) num { return f(g(s)) }}
	}
}

// tier is one step of graduated or volume pricing; the last has no upTo.
type tier struct {
	upTo, price numFn
}

func compileTiers(price func(x num, tiers []tier, s *state) num) func(*compiler, *ast.CallNode) *code {
	return func(c *compiler, n *ast.CallNode) *code {
		name := n.Callee.(*ast.IdentifierNode).Value
		x := c.node(n.Arguments[0])
		if x == nil || !c.want(n.Arguments[0], x, kNum, "argument 1 of "+name) {
			return nil
		}
		var tiers []tier
		var lastUpTo *num
		ok := true
		for i, a := range n.Arguments[1:] {
			last := i == len(n.Arguments)-2
			arr, isArr := a.(*ast.ArrayNode)
			want := 2
			if last {
				want = 1
			}
			if !isArr || len(arr.Nodes) != want {
				if last {
					c.errorf(a, "the last tier of %s is [price]: the price of everything above the tiers before it", name)
				} else {
					c.errorf(a, "a tier of %s is [up_to, price]", name)
				}
				ok = false
				continue
			}
			var t tier
			codes := make([]*code, len(arr.Nodes))
			for j, el := range arr.Nodes {
				codes[j] = c.node(el)
				if codes[j] == nil || !c.want(el, codes[j], kNum, "a tier of "+name) {
					ok = false
				}
			}
			if !ok {
				continue
			}
			t.price = codes[len(codes)-1].num
			if !last {
				t.upTo = codes[0].num
				if k := codes[0].konst; k != nil {
					if lastUpTo != nil && cmp(*k, *lastUpTo) <= 0 {
						c.errorf(arr.Nodes[0], "tiers must go up: %s comes after %s", k, lastUpTo)
						ok = false
					}
					lastUpTo = k
				}
			}
			tiers = append(tiers, t)
		}
		if !ok {
			return nil
		}
		f := x.num
		return &code{t: typ{kind: kNum}, num: func(s *state) num { return price(f(s), tiers, s) }}
	}
}

// graduated prices each part of x at its own tier's price.
func graduated(x num, tiers []tier, s *state) num {
	total, prev := zero, zero
	for _, t := range tiers {
		if cmp(x, prev) <= 0 {
			break
		}
		if t.upTo == nil {
			return add(total, mul(sub(x, prev), t.price(s)))
		}
		upTo := t.upTo(s)
		part := x
		if cmp(upTo, x) < 0 {
			part = upTo
		}
		total = add(total, mul(sub(part, prev), t.price(s)))
		prev = upTo
	}
	return total
}

// volume prices all of x at the price of the tier x falls in (up to and
// including its up_to).
func volume(x num, tiers []tier, s *state) num {
	for _, t := range tiers {
		if t.upTo == nil || cmp(x, t.upTo(s)) <= 0 {
			return mul(x, t.price(s))
		}
	}
	return zero
}

// reservedNames may not name an input or value: expr reads them as
// keywords.
var reservedNames = []string{"true", "false", "nil", "and", "or", "not", "in", "matches",
	"contains", "startsWith", "endsWith", "let", "if", "else"}

func isReserved(name string) bool {
	_, isFunc := functions[name]
	return isFunc || slices.Contains(reservedNames, name) || strings.HasPrefix(name, "$")
}

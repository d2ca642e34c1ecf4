package engine

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

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
		{name: "upper", usage: "upper(text)", minArgs: 1, maxArgs: 1, compile: textFunc(strings.ToUpper)},
		{name: "lower", usage: "lower(text)", minArgs: 1, maxArgs: 1, compile: textFunc(strings.ToLower)},
		{name: "len", usage: "len(text) or len(list)", minArgs: 1, maxArgs: 1, compile: compileLen},
		{name: "graduated", usage: "graduated(x, [up_to, price(, flat)], ..., [price(, flat)])", minArgs: 2, maxArgs: -1, compile: compileTiers(graduated)},
		{name: "volume", usage: "volume(x, [up_to, price(, flat)], ..., [price(, flat)])", minArgs: 2, maxArgs: -1, compile: compileTiers(volume)},
	} {
		functions[f.name] = f
	}
	parserConfig = newParserConfig()
}

// textFunc compiles a function from text (or a word) to text.
func textFunc(f func(string) string) func(*compiler, *ast.CallNode) *code {
	return func(c *compiler, n *ast.CallNode) *code {
		x := c.node(n.Arguments[0])
		if x == nil {
			return nil
		}
		if x.t.kind != kText && x.t.kind != kWord {
			c.errorf(n.Arguments[0], "%s needs text, but this is %s", n.Callee.(*ast.IdentifierNode).Value, x.t)
			return nil
		}
		g := asText(x)
		return &code{t: typ{kind: kText}, str: func(s *state) string { return f(g(s)) }}
	}
}

// compileLen compiles len: the characters of a text, or the items of a list.
func compileLen(c *compiler, n *ast.CallNode) *code {
	x := c.node(n.Arguments[0])
	if x == nil {
		return nil
	}
	switch x.t.kind {
	case kText, kWord:
		g := asText(x)
		return &code{t: typ{kind: kNum}, num: func(s *state) num { return intNum(int64(utf8.RuneCountInString(g(s)))) }}
	case kList:
		g := x.list
		return &code{t: typ{kind: kNum}, num: func(s *state) num { return intNum(int64(len(g(s)))) }}
	}
	c.errorf(n.Arguments[0], "len needs text or a list, but this is %s", x.t)
	return nil
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
		off := c.offset(n) // placed by the state: see state.place
		if len(n.Arguments) == 1 {
			l := c.node(n.Arguments[0])
			if l == nil || !c.want(n.Arguments[0], l, kList, name+" of one argument") {
				return nil
			}
			f := l.list
			return &code{t: typ{kind: kNum}, num: func(s *state) num {
				items := f(s)
				if len(items) == 0 {
					s.fail(off, "%s of an empty list", name)
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
	off := c.offset(n) // placed by the state: see state.place
	x, lo, hi := args[0].num, args[1].num, args[2].num
	return &code{t: typ{kind: kNum}, num: func(s *state) num {
		v, l, h := x(s), lo(s), hi(s)
		switch {
		case cmp(l, h) > 0:
			s.fail(off, "clamp's low (%s) is above its high (%s)", l, h)
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
	off := c.offset(n) // placed by the state: see state.place
	x, size := args[0].num, args[1].num
	return &code{t: typ{kind: kNum}, num: func(s *state) num {
		z := size(s)
		if z.sign() <= 0 {
			s.fail(off, "blocks of size %s: the size must be above 0", z)
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

// tier is one step of graduated or volume pricing: a unit price up to an
// upper bound (the last tier has none), and an optional flat fee.
type tier struct {
	upTo, price, flat numFn // flat may be nil
}

func compileTiers(price func(name string, x num, tiers []tier, s *state) num) func(*compiler, *ast.CallNode) *code {
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
			min := 2 // [up_to, price(, flat)]
			if last {
				min = 1 // [price(, flat)]
			}
			if isArr && len(arr.Nodes) > 0 {
				if _, nested := arr.Nodes[0].(*ast.ArrayNode); nested {
					c.errorf(a, "the tiers of %s are arguments of their own, not one list: %s(x, [up_to, price], ..., [price])", name, name)
					ok = false
					continue
				}
			}
			if !isArr || len(arr.Nodes) < min || len(arr.Nodes) > min+1 {
				if last {
					c.errorf(a, "the last tier of %s is [price] or [price, flat]: the price of everything above the tiers before it, and a flat fee", name)
				} else {
					c.errorf(a, "a tier of %s is [up_to, price] or [up_to, price, flat]", name)
				}
				ok = false
				continue
			}
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
			var t tier
			rest := codes
			if !last {
				t.upTo = codes[0].num
				rest = codes[1:]
				if k := codes[0].konst; k != nil {
					if lastUpTo != nil && cmp(*k, *lastUpTo) <= 0 {
						c.errorf(arr.Nodes[0], "tiers must go up: %s comes after %s", k, lastUpTo)
						ok = false
					}
					lastUpTo = k
				}
			}
			t.price = rest[0].num
			if len(rest) == 2 {
				t.flat = rest[1].num
			}
			tiers = append(tiers, t)
		}
		if !ok {
			return nil
		}
		f := x.num
		return &code{t: typ{kind: kNum}, num: func(s *state) num { return price(name, f(s), tiers, s) }}
	}
}

// TierPart is what one tier of graduated or volume pricing charged, for
// an explanation: the quantity priced in it, its unit price, its flat fee
// and their sum.
type TierPart struct {
	Function  string `json:"function"` // graduated or volume
	Tier      int    `json:"tier"`     // from 1
	From      string `json:"from"`     // the tier's lower bound (exclusive)
	UpTo      string `json:"up_to,omitempty"`
	Quantity  string `json:"quantity"`
	UnitPrice string `json:"unit_price"`
	Flat      string `json:"flat,omitempty"`
	Amount    string `json:"amount"`
}

// tierPart notes a tier's part while an explanation is being made.
func (s *state) tierPart(function string, i int, from num, t tier, upTo *num, quantity, unit, flat, amount num) {
	if !s.tracing {
		return
	}
	p := TierPart{Function: function, Tier: i + 1, From: from.String(), Quantity: quantity.String(),
		UnitPrice: unit.String(), Amount: amount.String()}
	if upTo != nil {
		p.UpTo = upTo.String()
	}
	if t.flat != nil {
		p.Flat = flat.String()
	}
	s.tiers = append(s.tiers, p)
}

// graduated prices each part of x at its own tier's price, and charges the
// flat fee of each tier x reaches into (x above the tier's lower bound).
func graduated(name string, x num, tiers []tier, s *state) num {
	total, prev := zero, zero
	for i, t := range tiers {
		if cmp(x, prev) <= 0 {
			break
		}
		part := x
		var upTo *num
		if t.upTo != nil {
			u := t.upTo(s)
			upTo = &u
			if cmp(u, x) < 0 {
				part = u
			}
		}
		unit, flat := t.price(s), zero
		if t.flat != nil {
			flat = t.flat(s)
		}
		quantity := sub(part, prev)
		amount := add(mul(quantity, unit), flat)
		s.tierPart(name, i, prev, t, upTo, quantity, unit, flat, amount)
		total = add(total, amount)
		if upTo == nil {
			break
		}
		prev = *upTo
	}
	return total
}

// volume prices all of x at the price of the tier x falls in (up to and
// including its up_to), plus that tier's flat fee when x is above zero.
func volume(name string, x num, tiers []tier, s *state) num {
	prev := zero
	for i, t := range tiers {
		var upTo *num
		if t.upTo != nil {
			u := t.upTo(s)
			upTo = &u
		}
		if upTo == nil || cmp(x, *upTo) <= 0 {
			unit, flat := t.price(s), zero
			if t.flat != nil && x.sign() > 0 {
				flat = t.flat(s)
			}
			amount := add(mul(x, unit), flat)
			s.tierPart(name, i, prev, t, upTo, x, unit, flat, amount)
			return amount
		}
		prev = *upTo
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

package engine

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"ratecard/rules"
)

// A records input holds a list of records, each with the fields the rule
// file declares (a call's seconds and the number dialed) and the values
// computed once per record from them. In a state, a records input's value
// is a recordList: a column per field and computed value.

// recordList is a records input's value in one state, by column: nums[c][i]
// is column c of record i.
type recordList struct {
	n     int
	nums  [][]num
	bools [][]bool
	words [][]int
	texts [][]string
}

// reset empties the list, keeping its storage.
func (r *recordList) reset(def *recordsDef) {
	r.n = 0
	r.nums = resetColumns(r.nums, def.columns[kNum-1])
	r.bools = resetColumns(r.bools, def.columns[kBool-1])
	r.words = resetColumns(r.words, def.columns[kWord-1])
	r.texts = resetColumns(r.texts, def.columns[kText-1])
}

func resetColumns[T any](cols [][]T, n int) [][]T {
	if len(cols) != n {
		cols = make([][]T, n)
	}
	for i := range cols {
		cols[i] = cols[i][:0]
	}
	return cols
}

// copyFrom makes r a copy of o (a default), reusing r's storage.
func (r *recordList) copyFrom(o *recordList) {
	r.n = o.n
	r.nums = copyColumns(r.nums, o.nums)
	r.bools = copyColumns(r.bools, o.bools)
	r.words = copyColumns(r.words, o.words)
	r.texts = copyColumns(r.texts, o.texts)
}

func copyColumns[T any](dst, src [][]T) [][]T {
	if len(dst) != len(src) {
		dst = make([][]T, len(src))
	}
	for i := range src {
		dst[i] = append(dst[i][:0], src[i]...)
	}
	return dst
}

// recordsDef is a compiled records input: its fields and computed values,
// each with its column.
type recordsDef struct {
	input    *compiledInput
	fields   []*recordField
	computed []*recordField
	columns  [kinds]int // columns of each kind
}

// recordField is a field or computed value of a records input.
type recordField struct {
	name string
	t    typ
	col  int // its column among those of its kind
	// A field converts and checks its values through input, a compiled
	// input of its own (with a scratch slot), and has a default unless
	// required.
	input *compiledInput
	def   *value
	// A computed value is an expression over the record's fields.
	code *code
	src  *rules.NamedValue
}

// field returns the field or computed value called name, or nil.
func (d *recordsDef) field(name string) *recordField {
	for _, f := range d.fields {
		if f.name == name {
			return f
		}
	}
	for _, f := range d.computed {
		if f.name == name {
			return f
		}
	}
	return nil
}

func (d *recordsDef) names() []string {
	var names []string
	for _, f := range d.fields {
		names = append(names, f.name)
	}
	for _, f := range d.computed {
		names = append(names, f.name)
	}
	return names
}

// compileRecords compiles a records input's fields (each a compiled input
// of its own, with a scratch slot) and computed values (expressions over
// the fields and the price list's inputs).
func compileRecords(l *PriceList, ci *compiledInput, inputScope map[string]*symbol, cc *compiler) *recordsDef {
	newSlot, errs := cc.newSlot, cc.errs
	def := &recordsDef{input: ci}
	ci.t.rec = def
	ci.sym.t.rec = def
	column := func(k kind) int {
		def.columns[k-1]++
		return def.columns[k-1] - 1
	}
	fieldScope := make(map[string]*symbol, len(inputScope)+len(ci.src.Fields))
	for k, v := range inputScope {
		fieldScope[k] = v
	}
	for _, src := range ci.src.Fields {
		t := inputType(src)
		if t.kind == kList || t.kind == kRecords {
			errs.Add(src.Pos, "field %s of %s is %s: a field is a number, a word, text or true/false", src.Name, ci.src.Name, src.Type)
			continue
		}
		fi := newCompiledInput(src, t, -1)
		fi.slot = newSlot(t.kind)
		f := &recordField{name: src.Name, t: t, col: column(t.kind), input: fi}
		def.fields = append(def.fields, f)
		fieldScope[src.Name] = &symbol{name: src.Name, t: t, what: "field", field: &fieldRef{records: ci.slot, field: f}}
	}
	for _, v := range ci.src.RecordValues {
		out := cc.of(v.Expr, roleComputed, fieldScope).compile(0, "a computed value")
		if out != nil && out.t.kind != kNum && out.t.kind != kBool && out.t.kind != kText && out.t.kind != kWord {
			errs.Add(v.Expr.Pos, "a computed value is a number, true/false, text or a word; this is %s", out.t)
			out = nil
		}
		if out == nil {
			continue
		}
		f := &recordField{name: v.Name, t: out.t, col: column(out.t.kind), code: out, src: v}
		def.computed = append(def.computed, f)
		fieldScope[v.Name] = &symbol{name: v.Name, t: out.t, what: "computed value", field: &fieldRef{records: ci.slot, field: f}}
	}
	return def
}

// fieldRef is how a symbol reads a field of the current record of a
// records input.
type fieldRef struct {
	records int // the records slot
	field   *recordField
}

// read compiles reading the field of the current record.
func (r *fieldRef) read(out *code) {
	rs, col := r.records, r.field.col
	switch r.field.t.kind {
	case kNum:
		out.num = func(s *state) num { return s.records[rs].nums[col][s.cur[rs]] }
	case kBool:
		out.bool = func(s *state) bool { return s.records[rs].bools[col][s.cur[rs]] }
	case kWord:
		out.word = func(s *state) int { return s.records[rs].words[col][s.cur[rs]] }
	case kText:
		out.str = func(s *state) string { return s.records[rs].texts[col][s.cur[rs]] }
	}
}

// format writes the field of the current record, for an explanation.
func (r *fieldRef) format(s *state) string {
	rl, i, col := &s.records[r.records], s.cur[r.records], r.field.col
	if i >= rl.n {
		return ""
	}
	switch r.field.t.kind {
	case kNum:
		return rl.nums[col][i].String()
	case kBool:
		return strconv.FormatBool(rl.bools[col][i])
	case kWord:
		return r.field.t.input.Values[rl.words[col][i]]
	}
	return rl.texts[col][i]
}

// computeRecords computes each record's computed values, once, before the
// named values (which may sum them) are.
func (l *PriceList) computeRecords(s *state) {
	for _, def := range l.records {
		if len(def.computed) == 0 {
			continue
		}
		rs := def.input.slot
		rl := &s.records[rs]
		for _, f := range def.computed {
			switch f.t.kind {
			case kNum:
				rl.nums[f.col] = rl.nums[f.col][:0]
			case kBool:
				rl.bools[f.col] = rl.bools[f.col][:0]
			case kWord:
				rl.words[f.col] = rl.words[f.col][:0]
			case kText:
				rl.texts[f.col] = rl.texts[f.col][:0]
			}
		}
		for i := range rl.n {
			s.cur[rs] = i
			for _, f := range def.computed {
				s.at = f.src.Expr // cleared when the records are computed
				switch f.t.kind {
				case kNum:
					rl.nums[f.col] = append(rl.nums[f.col], f.code.num(s))
				case kBool:
					rl.bools[f.col] = append(rl.bools[f.col], f.code.bool(s))
				case kWord:
					rl.words[f.col] = append(rl.words[f.col], f.code.word(s))
				case kText:
					rl.texts[f.col] = append(rl.texts[f.col], f.code.str(s))
				}
			}
		}
	}
	s.at = nil // the rates' errors are placed by their roles
}

// append adds the field's value, just set in its scratch slot, to the
// record list's column.
func (f *recordField) append(s *state, rl *recordList) {
	switch f.t.kind {
	case kNum:
		rl.nums[f.col] = append(rl.nums[f.col], s.nums[f.input.slot])
	case kBool:
		rl.bools[f.col] = append(rl.bools[f.col], s.bools[f.input.slot])
	case kWord:
		rl.words[f.col] = append(rl.words[f.col], s.words[f.input.slot])
	case kText:
		rl.texts[f.col] = append(rl.texts[f.col], s.texts[f.input.slot])
	}
}

func fieldNamesOf(def *recordsDef) []string {
	names := make([]string, len(def.fields))
	for i, f := range def.fields {
		names[i] = f.name
	}
	return names
}

// setRecordsText sets a records input from text: JSON, as a command line
// or a CSV field gives it ([{"seconds": 30, "dialed": "18005550100"}]).
func (in *compiledInput) setRecordsText(s *state, text string) error {
	if strings.TrimSpace(text) == "" {
		return in.setRecords(s, nil)
	}
	if json.Valid([]byte(text)) && in.walkRecords(s, text) {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var items []any
	if err := dec.Decode(&items); err != nil || dec.More() {
		return requestErrorf(in.src.Name, "%s is a list of records, written as JSON: [{\"field\": value, ...}, ...]", in.src.Name)
	}
	return in.setRecords(s, items)
}

// formatRecords writes a records input's value as JSON, for an
// explanation: fields (not computed values) in their declared order.
func (def *recordsDef) format(s *state) string {
	rl := &s.records[def.input.slot]
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range rl.n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for j, f := range def.fields {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(f.name) + ":")
			switch f.t.kind {
			case kNum:
				b.WriteString(rl.nums[f.col][i].String())
			case kBool:
				b.WriteString(strconv.FormatBool(rl.bools[f.col][i]))
			case kWord:
				b.WriteString(strconv.Quote(f.t.input.Values[rl.words[f.col][i]]))
			case kText:
				b.WriteString(strconv.Quote(rl.texts[f.col][i]))
			}
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.String()
}

// recordAccess compiles record.field (a for_each item's field), or
// records.field (a records input's field of every record, as a list of
// numbers), or .field inside a predicate over records.
func (c *compiler) recordAccess(n *ast.MemberNode) *code {
	prop, ok := n.Property.(*ast.StringNode)
	if !ok {
		return nil
	}
	var def *recordsDef
	var rs int
	whole := false // records.field: the field of every record
	switch x := n.Node.(type) {
	case *ast.PointerNode:
		if c.pointer == nil || c.pointer.rec == nil {
			c.errorf(n, "a .field belongs in sum(records, .field) or count(records, .field)")
			return &code{}
		}
		def, rs = c.pointer.rec, c.pointer.rec.input.slot
	case *ast.IdentifierNode:
		s := c.lookup(x.Value)
		if s == nil || (s.t.kind != kRecord && s.t.kind != kRecords) {
			return nil
		}
		c.use(s)
		def, rs, whole = s.t.rec, s.t.rec.input.slot, s.t.kind == kRecords
	default:
		return nil
	}
	f := def.field(prop.Value)
	if f == nil {
		names := def.names()
		c.errorf(n.Property, "%s has no field %s%s; its fields are %s", def.input.src.Name, rules.Quote(prop.Value),
			rules.DidYouMean(prop.Value, names), strings.Join(names, ", "))
		return &code{}
	}
	ref := &fieldRef{records: rs, field: f}
	if whole {
		if f.t.kind != kNum {
			c.errorf(n, "%s.%s is %s for each record: count(%s, .%s) counts the records where it holds; a list of every record's field is of numbers only",
				def.input.src.Name, f.name, f.t, def.input.src.Name, f.name)
			return &code{}
		}
		col := f.col
		return &code{t: typ{kind: kList}, list: func(s *state) []num { return s.records[rs].nums[col][:s.records[rs].n] }}
	}
	c.use(&symbol{name: fieldUseName(n), t: f.t, what: "field", field: ref})
	out := &code{t: f.t}
	ref.read(out)
	return out
}

// fieldUseName names a field as an explanation shows it: call.seconds.
func fieldUseName(n *ast.MemberNode) string {
	prop := n.Property.(*ast.StringNode).Value
	if id, ok := n.Node.(*ast.IdentifierNode); ok {
		return id.Value + "." + prop
	}
	return "." + prop
}

// pointerCtx is what a predicate's # and .field refer to: the current
// record of a records input, or the current element of a list.
type pointerCtx struct {
	rec  *recordsDef
	elem int // the num slot of a list's current element
}

// aggregate compiles sum and count written with a predicate, over records
// (sum(calls, .seconds), count(calls, .dialed startsWith "1800")) or a list
// (sum(items, # * 2)); and count(records), the number of records.
func (c *compiler) aggregate(n *ast.BuiltinNode) *code {
	if len(n.Arguments) == 0 || len(n.Arguments) > 2 {
		c.errorf(n, "%s takes a list or records, and for records what to %s: %s(calls, .seconds)", n.Name, n.Name, n.Name)
		return nil
	}
	x := c.node(n.Arguments[0])
	if x == nil {
		return nil
	}
	if len(n.Arguments) == 1 {
		switch {
		case x.t.kind == kRecords && n.Name == "count":
			rs := x.t.rec.input.slot
			return &code{t: typ{kind: kNum}, num: func(s *state) num { return intNum(int64(s.records[rs].n)) }}
		case x.t.kind == kRecords:
			c.errorf(n, "sum of records needs what to add: sum(%s, .field)", x.t.rec.input.src.Name)
			return nil
		}
		f := functions[n.Name]
		return f.compile(c, &ast.CallNode{Callee: &ast.IdentifierNode{Value: n.Name}, Arguments: n.Arguments})
	}
	pred, ok := n.Arguments[1].(*ast.PredicateNode)
	if !ok {
		c.errorf(n.Arguments[1], "the second argument of %s is what to %s for each: .field, or an expression of them", n.Name, n.Name)
		return nil
	}
	outer := c.pointer
	defer func() { c.pointer = outer }()
	var count func(s *state) int
	var each func(s *state, i int)
	switch x.t.kind {
	case kRecords:
		def := x.t.rec
		rs := def.input.slot
		c.pointer = &pointerCtx{rec: def}
		count = func(s *state) int { return s.records[rs].n }
		each = func(s *state, i int) { s.cur[rs] = i }
	case kList:
		slot := c.newItemSlot()
		if slot < 0 {
			c.errorf(n, "%s with an expression for each item is not available here", n.Name)
			return nil
		}
		c.pointer = &pointerCtx{elem: slot}
		list := x.list
		count = func(s *state) int { return len(list(s)) }
		each = func(s *state, i int) { s.nums[slot] = list(s)[i] }
	default:
		c.errorf(n.Arguments[0], "%s needs a list or records, but this is %s", n.Name, x.t)
		return nil
	}
	body := c.node(pred.Node)
	if body == nil {
		return nil
	}
	save := func(s *state) func() { return func() {} }
	if x.t.kind == kRecords {
		rs := x.t.rec.input.slot
		save = func(s *state) func() { cur := s.cur[rs]; return func() { s.cur[rs] = cur } }
	}
	switch {
	case n.Name == "sum" && body.t.kind == kNum:
		f := body.num
		return &code{t: typ{kind: kNum}, num: func(s *state) num {
			defer save(s)()
			total := zero
			for i := range count(s) {
				each(s, i)
				total = add(total, f(s))
			}
			return total
		}}
	case n.Name == "count" && body.t.kind == kBool:
		f := body.bool
		return &code{t: typ{kind: kNum}, num: func(s *state) num {
			defer save(s)()
			k := int64(0)
			for i := range count(s) {
				each(s, i)
				if f(s) {
					k++
				}
			}
			return intNum(k)
		}}
	case n.Name == "sum":
		c.errorf(pred.Node, "sum adds numbers, but this is %s", body.t)
	default:
		c.errorf(pred.Node, "count counts where a condition holds, but this is %s", body.t)
	}
	return nil
}

// pointer compiles # alone: the current element of a list in a predicate.
func (c *compiler) pointerNode(n *ast.PointerNode) *code {
	if c.pointer == nil || c.pointer.rec != nil || n.Name != "" {
		c.errorf(n, "# stands for the current item inside sum(list, ...) or count(list, ...); for records, write .field")
		return nil
	}
	slot := c.pointer.elem
	return &code{t: typ{kind: kNum}, num: func(s *state) num { return s.nums[slot] }}
}

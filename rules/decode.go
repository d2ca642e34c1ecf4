package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// decoder walks a YAML node tree by hand rather than through yaml.Unmarshal,
// so that every unknown key, duplicate key and wrong type is reported with
// its position, and all of them are reported, not only the first.
type decoder struct {
	file    string
	src     []byte
	errs    *ErrorList
	aliases int             // followed so far
	data    map[string]File // the data files of the rule set (grids' CSV), by path
	lines   []int           // where each line of src starts, once an expression needs them
	// lineRoom, when set, is a worker's room for lines, reused from file
	// to file (no Expr keeps lines).
	lineRoom *[]int
	scratch  []lineCol // reused while mapping expressions' positions
	strs     texts     // the texts of the load, each kept once; nil: none
	// nums holds the numbers decoded, by text, each parsed once (nil:
	// none): a decimal is never changed once made, so values share it.
	nums map[string]decimal.Decimal
	// exprRoom is where the file's expressions are made, eight to
	// an allocation: the file's lists keep them all.
	exprRoom []Expr
}

// texts keeps one copy of each text a load decodes: a thousand copies
// of a price list (contracts) hold the same descriptions and expressions.
type texts map[string]string

func (t texts) intern(s string) string {
	if t == nil {
		return s
	}
	if kept, ok := t[s]; ok {
		return kept
	}
	s = strings.Clone(s) // keep no larger text (a file's) alive
	t[s] = s
	return s
}

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.Add(d.pos(n), format, args...)
}

// MaxAliases caps how many times a file may use YAML aliases (*name), so
// that a file of aliases of aliases cannot make loading take forever.
const MaxAliases = 1000

// deref follows YAML aliases (*name) to the node they stand for.
func (d *decoder) deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		d.aliases++
		if d.aliases == MaxAliases+1 {
			d.errorf(n, "too many YAML aliases (*name): a rule file may use at most %d", MaxAliases)
		}
		if d.aliases > MaxAliases {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: n.Line, Column: n.Column}
		}
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping (key: value lines)"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return Quote(n.Value)
	}
	return "something else"
}

// field is one key a mapping may hold.
type field struct {
	name     string
	required bool
	decode   func(val *yaml.Node)
}

// fields decodes the mapping n, whose keys must be among fs, once each.
func (d *decoder) fields(n *yaml.Node, what string, fs []field) {
	n, ok := d.mapping(n, what)
	if !ok {
		return
	}
	var seen uint64 // bit i: fs[i] was given (a mapping's fields are few)
	if len(fs) > 64 {
		panic("rules: fields: more than 64 fields")
	}
	d.entries(n, what, func(key, val *yaml.Node) {
		for i, f := range fs {
			if f.name == key.Value {
				seen |= 1 << i
				f.decode(d.deref(val))
				return
			}
		}
		known := make([]string, len(fs))
		for i, f := range fs {
			// A copy: were a field's name to flow into the message,
			// escape analysis would move every table of fields, and
			// their closures, to the heap (a directory of many lists
			// decodes hundreds of thousands of them).
			known[i] = strings.Clone(f.name)
		}
		d.unknownKey(key, what, known)
	})
	for i, f := range fs {
		if f.required && seen&(1<<i) == 0 {
			d.missingKey(n, what, strings.Clone(f.name)) // a copy: see above
		}
	}
}

// keyed decodes the mapping n, whose keys must be among keys (required[i]
// tells whether keys[i] must be given), calling each for every one, with
// its value's aliases followed. It is fields through one closure and a
// switch on the key, for what a directory of many lists holds by the
// ten thousand (rates, examples, their lines): no table of closures is
// built for each of them.
func (d *decoder) keyed(n *yaml.Node, what string, keys []string, required []bool, each func(key, val *yaml.Node)) {
	n, ok := d.mapping(n, what)
	if !ok {
		return
	}
	var seen uint64 // bit i: keys[i] was given
	d.entries(n, what, func(key, v *yaml.Node) {
		i := slices.Index(keys, key.Value)
		if i < 0 {
			d.unknownKey(key, what, keys)
			return
		}
		seen |= 1 << i
		each(key, d.deref(v))
	})
	for i, key := range keys {
		if required[i] && seen&(1<<i) == 0 {
			d.missingKey(n, what, key)
		}
	}
}

// mapping returns n, its aliases followed, or reports that it is no
// mapping of keys (fields' and keyed's).
func (d *decoder) mapping(n *yaml.Node, what string) (*yaml.Node, bool) {
	if n = d.deref(n); n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping (key: value lines), not %s", what, kindName(n))
		return n, false
	}
	return n, true
}

// unknownKey reports a key that is none of known.
func (d *decoder) unknownKey(key *yaml.Node, what string, known []string) {
	d.errorf(key, "unknown key %s in %s%s; known keys: %s", Quote(key.Value), what,
		DidYouMean(key.Value, known), strings.Join(known, ", "))
}

// missingKey reports a required key that n lacks.
func (d *decoder) missingKey(n *yaml.Node, what, key string) {
	d.errorf(n, "%s needs %q", what, key)
}

// entries calls each for every key of the mapping n, reporting keys that are
// not plain words or that appear twice.
func (d *decoder) entries(n *yaml.Node, what string, each func(key, val *yaml.Node)) {
	n = d.deref(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping (name: value lines), not %s", what, kindName(n))
		return
	}
	// A key seen before is looked for among the keys before it: most
	// mappings have a handful, and this runs for every one of them; a
	// large mapping gets a map.
	var first map[string]*yaml.Node
	if len(n.Content) > 2*manyKeys {
		first = make(map[string]*yaml.Node, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := d.deref(n.Content[i]), n.Content[i+1]
		if key.Kind != yaml.ScalarNode {
			d.errorf(key, "a key in %s must be a plain word", what)
			continue
		}
		if prev := seenKey(n.Content[:i], key.Value, first); prev != nil {
			d.errorf(key, "duplicate key %s in %s (first at line %d)", Quote(key.Value), what, prev.Line)
			continue
		}
		if first != nil {
			first[key.Value] = key
		}
		each(key, val)
	}
}

// manyKeys is the size of a mapping whose keys entries looks up in a map.
const manyKeys = 16

// seenKey returns the first key called name among the keys and values
// before (every other node, from the first), or nil; through first, when
// there is one.
func seenKey(before []*yaml.Node, name string, first map[string]*yaml.Node) *yaml.Node {
	if first != nil {
		return first[name]
	}
	for i := 0; i < len(before); i += 2 {
		k := before[i]
		for hops := 0; k.Kind == yaml.AliasNode && k.Alias != nil && hops < MaxAliases; hops++ {
			k = k.Alias // as deref follows it (which reported any error)
		}
		if k.Kind == yaml.ScalarNode && k.Value == name {
			return k
		}
	}
	return nil
}

// list calls each for every item of the sequence n.
func (d *decoder) list(n *yaml.Node, what string, each func(item *yaml.Node)) {
	n = d.deref(n)
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list (lines starting with \"- \"), not %s", what, kindName(n))
		return
	}
	for _, item := range n.Content {
		each(d.deref(item))
	}
}

// str decodes a scalar as text. A number or word is taken as written.
func (d *decoder) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s must be text, not %s", what, kindName(n))
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return d.strs.intern(n.Value), true
}

// name decodes a name that expressions or other parts of the file refer to.
func (d *decoder) name(n *yaml.Node, what string) (string, bool) {
	s, ok := d.str(n, what)
	if !ok {
		return "", false
	}
	if !IsIdentifier(s) {
		d.errorf(n, "%s %q must start with a letter and hold only letters, digits and _", what, s)
		return "", false
	}
	return s, true
}

// IsIdentifier reports whether s can name an input, value, meter or rate.
func IsIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// number decodes a decimal number from its text as written, never through
// a float, so that 0.1 is exactly one tenth.
func (d *decoder) number(n *yaml.Node, what string) (decimal.Decimal, bool) {
	return d.numberOf(n, what, "")
}

// numberOf is number, for a value whose name in messages is prefix+name,
// made only for a message.
func (d *decoder) numberOf(n *yaml.Node, prefix, name string) (decimal.Decimal, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || n.Tag == "!!bool" {
		d.errorf(n, "%s must be a number, not %s", prefix+name, kindName(n))
		return decimal.Decimal{}, false
	}
	if v, ok := d.nums[n.Value]; ok {
		return v, true
	}
	v, err := ParseNumber(n.Value)
	if err != nil {
		d.errorf(n, "%s: %v", prefix+name, err)
		return decimal.Decimal{}, false
	}
	if d.nums != nil {
		d.nums[strings.Clone(n.Value)] = v // the table outlives the file
	}
	return v, true
}

// Limits on the size of a number, in rule files and in requests, so that a
// hostile "1e999999999" cannot make the engine allocate without end.
const (
	MaxDigits   = 40
	MaxExponent = 40
)

// ParseNumber reads a decimal number such as 12, -0.5 or 1.5e3.
func ParseNumber(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	if len(t) > 2*MaxDigits {
		return decimal.Decimal{}, fmt.Errorf("%s is too long for a number (at most %d digits)", Quote(s), MaxDigits)
	}
	t = strings.ReplaceAll(t, "_", "")
	if t == "" || strings.ContainsAny(t, "xXpP") || strings.EqualFold(t, "inf") || strings.EqualFold(t, "nan") {
		return decimal.Decimal{}, fmt.Errorf("%s is not a decimal number", Quote(s))
	}
	t = strings.TrimPrefix(t, "+")
	v, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%s is not a decimal number", Quote(s))
	}
	if err := CheckNumber(v); err != nil {
		return decimal.Decimal{}, fmt.Errorf("%s %v", Quote(s), err)
	}
	return v, nil
}

// CheckNumber reports a number too large or too fine for the engine.
func CheckNumber(v decimal.Decimal) error {
	if exp := v.Exponent(); exp > MaxExponent || exp < -MaxExponent || v.NumDigits() > MaxDigits {
		return fmt.Errorf("is out of range: a number has at most %d digits and an exponent within ±%d", MaxDigits, MaxExponent)
	}
	return nil
}

// integer decodes a small whole number, such as a count of decimal places.
func (d *decoder) integer(n *yaml.Node, what string, lo, hi int) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		d.errorf(n, "%s must be a whole number, not %s", what, kindName(n))
		return 0, false
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil || v < lo || v > hi {
		d.errorf(n, "%s must be a whole number from %d to %d, not %s", what, lo, hi, n.Value)
		return 0, false
	}
	return v, true
}

// boolean decodes true or false.
func (d *decoder) boolean(n *yaml.Node, what string) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		d.errorf(n, "%s must be true or false, not %s", what, kindName(n))
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		d.errorf(n, "%s must be true or false, not %s", what, kindName(n))
		return false, false
	}
	return b, true
}

// expr decodes an expression: any scalar (a bare number or true is one too).
func (d *decoder) expr(n *yaml.Node, what string) *Expr {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || strings.TrimSpace(n.Value) == "" {
		d.errorf(n, "%s must be an expression, not %s", what, kindName(n))
		return nil
	}
	if d.lines == nil {
		var room []int
		if d.lineRoom != nil {
			room = (*d.lineRoom)[:0]
		}
		d.lines = appendLineStarts(room, d.src)
		if d.lineRoom != nil {
			*d.lineRoom = d.lines
		}
	}
	if len(d.exprRoom) == 0 {
		d.exprRoom = make([]Expr, 8)
	}
	e := newExpr(&d.exprRoom[0], d.file, d.src, d.lines, &d.scratch, n)
	d.exprRoom = d.exprRoom[1:]
	e.Text = d.strs.intern(e.Text)
	return e
}

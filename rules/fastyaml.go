package rules

import (
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// fastYAML reads the YAML that rule files are written in (block mappings
// and sequences, one-line plain and quoted scalars, one-line flow
// collections, anchors and aliases, comments, documents after --- lines)
// into the nodes yaml.v3 would make of it: the same kinds, tags, styles,
// values, anchors, lines and columns (TestFastYAML and FuzzFastYAML hold
// it to that). On the generated lists it reads about five times faster
// than yaml.v3 and allocates a fraction: YAML was half of loading a
// directory of many lists. Anything else (tags, block scalars, multi-line
// scalars or flows, escapes, tabs, odd indentation, and every error)
// makes it answer false, and yaml.v3 reads the file instead: it never
// decides what a file means on its own.
//
// With a scratch that has a table of texts, values are the file's own
// text (see text), and the decoder takes what it keeps from the table;
// a worker that reads many files passes the same scratch for each.
func fastYAML(data []byte, scratch *yamlScratch) ([]*yaml.Node, bool) {
	// The source is read in place, without a copy, and data is not
	// changed while its nodes are used: with a table, their values are
	// its own text (p.text); without one, copies.
	p := &fastParser{src: unsafe.String(unsafe.SliceData(data), len(data)), strs: scratch.strs, tags: scratch.tags,
		lines: scratch.lines[:0], stack: scratch.stack[:0], scratch: scratch}
	defer func() { scratch.lines, scratch.stack = p.lines[:0], p.stack[:0] }()
	if !p.scanLines() {
		return nil, false
	}
	docs, ok := p.documents()
	if ok {
		// The decoder's table of line starts, which it would otherwise
		// make by reading the file again.
		scratch.lineStarts = scratch.lineStarts[:0]
		for _, l := range p.lines {
			scratch.lineStarts = append(scratch.lineStarts, l.start)
		}
	}
	return docs, ok
}

// yamlScratch is what a reader of many files reuses: the tables the
// decoder shares its texts and numbers through, the tags of plain values,
// room for the lines of the file it reads, and the chunks its nodes are made in, which it makes
// again of the next file's nodes once the last file's are no longer
// needed (release). The zero value shares nothing.
type yamlScratch struct {
	strs       texts
	nums       map[string]decimal.Decimal // the decoder's numbers, by text
	tags       map[string]string
	lines      []fastLine
	lineStarts []int // the decoder's, of the file being decoded
	// fast tells that the last file was read by the fast path, and
	// lineStarts are its lines'.
	fast  bool
	stack []*yaml.Node
	// Chunks of nodes and of children: free to use, and used by the
	// file being read.
	freeNodes, usedNodes [][]yaml.Node
	freePtrs, usedPtrs   [][]*yaml.Node
}

// nodeChunk returns a chunk of zeroed nodes for the file being read.
func (s *yamlScratch) nodeChunk() []yaml.Node {
	var c []yaml.Node
	if n := len(s.freeNodes); n > 0 {
		c, s.freeNodes = s.freeNodes[n-1], s.freeNodes[:n-1]
	} else {
		c = make([]yaml.Node, 256)
	}
	s.usedNodes = append(s.usedNodes, c)
	return c
}

// ptrChunk returns room for at least n children, for the file being read.
func (s *yamlScratch) ptrChunk(n int) []*yaml.Node {
	var c []*yaml.Node
	if k := len(s.freePtrs); k > 0 && len(s.freePtrs[k-1]) >= n {
		c, s.freePtrs = s.freePtrs[k-1], s.freePtrs[:k-1]
	} else {
		c = make([]*yaml.Node, max(n, 1024))
	}
	s.usedPtrs = append(s.usedPtrs, c)
	return c
}

// release ends a file: when nothing keeps its nodes (reuse), their
// chunks are cleared and made again of the next file's; otherwise they
// are left to the nodes kept.
func (s *yamlScratch) release(reuse bool) {
	if reuse {
		for _, c := range s.usedNodes {
			clear(c)
		}
		for _, c := range s.usedPtrs {
			clear(c)
		}
		s.freeNodes = append(s.freeNodes, s.usedNodes...)
		s.freePtrs = append(s.freePtrs, s.usedPtrs...)
	}
	clear(s.usedNodes)
	clear(s.usedPtrs)
	s.usedNodes, s.usedPtrs = s.usedNodes[:0], s.usedPtrs[:0]
}

type fastParser struct {
	src     string
	lines   []fastLine
	strs    texts             // set: values are the source's own text (see text)
	tags    map[string]string // plain values' tags, by value (nil: none kept)
	slab    []yaml.Node       // the nodes left in the current chunk
	ptrs    []*yaml.Node      // the room left in the current chunk of children
	stack   []*yaml.Node      // children of the collections being read
	scratch *yamlScratch      // where chunks come from, and are noted
	anchors map[string]*yaml.Node
	depth   int // of the nodes being read, bounded
}

// maxFastDepth bounds the nesting the fast path reads (yaml.v3 refuses
// deep nesting with its own message).
const maxFastDepth = 64

// fastLine is one line of the source.
type fastLine struct {
	start, end int  // its text, without the line break
	indent     int  // leading spaces
	blank      bool // only spaces, or a comment
	ascii      bool // columns are byte offsets
	separator  bool // a --- line
}

// errFallback is panicked (and recovered in documents) where the source
// leaves the subset: the caller reads the file with yaml.v3 instead.
type errFallback struct{}

func fallback() { panic(errFallback{}) }

// scanLines splits the source into lines, refusing what the subset
// leaves to yaml.v3: control characters, tabs, carriage returns, the
// characters YAML treats as line breaks or byte order marks, directives
// and document end markers.
func (p *fastParser) scanLines() bool {
	s := p.src
	for start := 0; start <= len(s); {
		i := strings.IndexByte(s[start:], '\n')
		if i < 0 {
			i = len(s)
		} else {
			i += start
		}
		text := s[start:i]
		ascii, ok := lineChars(text)
		if !ok {
			return false
		}
		l := fastLine{start: start, end: i, ascii: ascii}
		for l.indent < len(text) && text[l.indent] == ' ' {
			l.indent++
		}
		rest := text[l.indent:]
		l.blank = rest == "" || rest[0] == '#'
		if strings.HasPrefix(text, "---") {
			after := strings.TrimLeft(text[3:], " ")
			if after != "" && (after[0] != '#' || len(after) == len(text)-3) {
				return false // content after ---, or ---x
			}
			l.separator = true
		}
		if strings.HasPrefix(text, "...") || strings.HasPrefix(text, "%") {
			return false
		}
		p.lines = append(p.lines, l)
		start = i + 1
	}
	return true
}

// lineChars checks the characters of a line (without its break): false
// for a control character (a tab too), a C1 control, a line or paragraph
// separator, a byte order mark or a non-character, or text that is not
// UTF-8; ascii tells that every character is one byte. Eight bytes are
// looked at a time while they are printable ASCII, as they mostly are.
func lineChars(text string) (ascii, ok bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(text); i += 8 {
		x := uint64(text[i]) | uint64(text[i+1])<<8 | uint64(text[i+2])<<16 | uint64(text[i+3])<<24 |
			uint64(text[i+4])<<32 | uint64(text[i+5])<<40 | uint64(text[i+6])<<48 | uint64(text[i+7])<<56
		below := (x - 0x20*ones) &^ x & highs // a byte under 0x20
		above := ((x + ones) | x) & highs     // a byte of 0x7f or more
		if below|above != 0 {
			break
		}
	}
	return lineCharsFrom(text[i:])
}

// lineCharsFrom reads the characters of text one by one: what lineChars
// does past its printable ASCII.
func lineCharsFrom(text string) (ascii, ok bool) {
	ascii = true
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c < 0x20 || c == 0x7f:
			return false, false
		case c >= 0x80:
			ascii = false
			r, size := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError || r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff {
				return false, false
			}
			i += size - 1
		}
	}
	return ascii, true
}

// documents reads each document: the lines between --- lines. Blank
// lines before the first --- are no document; any other document with
// nothing in it is left to yaml.v3.
func (p *fastParser) documents() (docs []*yaml.Node, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, fb := r.(errFallback); !fb {
				panic(r)
			}
			docs, ok = nil, false
		}
	}()
	from, separator := 0, -1 // the document's first line; the --- line before it
	for i := 0; i <= len(p.lines); i++ {
		if i < len(p.lines) && !p.lines[i].separator {
			continue
		}
		first := p.nextContent(from)
		if first >= i {
			if separator >= 0 || i == len(p.lines) {
				return nil, false // an empty document
			}
		} else {
			docs = append(docs, p.document(first, i, separator))
		}
		from, separator = i+1, i
	}
	return docs, len(docs) > 0
}

// document reads the node at line first, which must fill the document up
// to line end.
func (p *fastParser) document(first, end, separator int) *yaml.Node {
	doc := p.node(yaml.DocumentNode, "", "")
	if separator >= 0 {
		doc.Line, doc.Column = separator+1, 1
	} else {
		p.at(doc, first, p.lines[first].start+p.lines[first].indent)
	}
	root, next := p.block(first, p.lines[first].start+p.lines[first].indent, end)
	if next < end {
		fallback() // something after the root node, less indented
	}
	p.stack = append(p.stack, root)
	doc.Content = p.children(len(p.stack) - 1)
	return doc
}

// node makes a node, from the slab: a file's nodes take a few
// allocations, not one each.
func (p *fastParser) node(kind yaml.Kind, tag, value string) *yaml.Node {
	if len(p.slab) == 0 {
		p.slab = p.scratch.nodeChunk()
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	n.Kind, n.Tag, n.Value = kind, tag, value
	return n
}

// text returns a value from the source. With a table (a load's reader),
// it is the source's own text, not a copy: the decoder keeps nothing of a
// node without taking it from the table (decoder.strs), so that no list
// keeps a file's text alive, and the keys and numbers it only reads cost
// nothing. Without one, it is a copy.
func (p *fastParser) text(s string) string {
	if p.strs == nil {
		return strings.Clone(s)
	}
	return s
}

// tag resolves a plain scalar's tag as yaml.v3 does, once per value when
// there is a table to keep it in (a tag depends on the value alone).
func (p *fastParser) tag(n *yaml.Node) string {
	if n.Value != "" && !resolveHint(n.Value[0]) {
		return "!!str" // what yaml.v3 resolves by the first character alone
	}
	if p.tags == nil {
		return n.ShortTag()
	}
	if t, ok := p.tags[n.Value]; ok {
		return t
	}
	t := n.ShortTag()
	p.tags[strings.Clone(n.Value)] = t // the table outlives the file
	return t
}

// resolveHint reports whether yaml.v3 looks past the first character c
// of a plain scalar to resolve its tag (a number, a boolean, null, a
// float's dot); for any other character the tag is !!str (yaml.v3's
// resolve.go: resolveTable).
func resolveHint(c byte) bool {
	switch {
	case c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("+-.yYnNtTfFoO~", c) >= 0
}

// children ends a collection: its children, pushed on the stack from
// mark on, move into room from a chunk (exactly as many, where appending
// would have grown a slice of its own for each collection).
func (p *fastParser) children(mark int) []*yaml.Node {
	n := len(p.stack) - mark
	if n == 0 {
		return nil
	}
	if len(p.ptrs) < n {
		p.ptrs = p.scratch.ptrChunk(n)
	}
	out := p.ptrs[:n:n]
	p.ptrs = p.ptrs[n:]
	copy(out, p.stack[mark:])
	clear(p.stack[mark:])
	p.stack = p.stack[:mark]
	return out
}

// at sets a node's position: line li, at byte offset off of the source.
func (p *fastParser) at(n *yaml.Node, li, off int) {
	l := p.lines[li]
	n.Line = li + 1
	if l.ascii {
		n.Column = off - l.start + 1
	} else {
		n.Column = utf8.RuneCountInString(p.src[l.start:off]) + 1
	}
}

// nextContent returns the first line from i on that is not blank (or a
// separator), or len(lines).
func (p *fastParser) nextContent(i int) int {
	for i < len(p.lines) && p.lines[i].blank && !p.lines[i].separator {
		i++
	}
	return i
}

// block reads the block node starting at byte off of line li (its first
// character), in a document ending at line end. It returns the node and
// the next line with content after it.
func (p *fastParser) block(li, off, end int) (*yaml.Node, int) {
	if p.depth++; p.depth > maxFastDepth {
		fallback()
	}
	defer func() { p.depth-- }()
	text := p.src[off:p.lines[li].end]
	switch {
	case isSequenceEntry(text):
		return p.sequence(li, off, end)
	case p.keyEnd(li, off) > 0:
		return p.mapping(li, off, end)
	}
	n := p.inline(li, off)
	next := p.nextContent(li + 1)
	if next < end && p.lines[next].indent > p.column(li, off) {
		fallback() // a scalar continued on the next line
	}
	return n, next
}

// column is the indentation a node at byte off of line li sets for its
// block: the spaces before it (the subset has no tabs, and indentation
// is ASCII).
func (p *fastParser) column(li, off int) int { return off - p.lines[li].start }

func isSequenceEntry(text string) bool {
	return text == "-" || strings.HasPrefix(text, "- ") || strings.HasPrefix(text, "-#")
}

// sequence reads a block sequence whose first "-" is at byte off of line li.
func (p *fastParser) sequence(li, off, end int) (*yaml.Node, int) {
	seq := p.node(yaml.SequenceNode, "!!seq", "")
	p.at(seq, li, off)
	indent := p.column(li, off)
	mark := len(p.stack)
	defer func() { seq.Content = p.children(mark) }()
	for {
		text := p.src[off:p.lines[li].end]
		if strings.HasPrefix(text, "-#") {
			fallback()
		}
		var item *yaml.Node
		next := 0
		rest := strings.TrimLeft(text[1:], " ")
		anchor, anchorAt := "", 0
		if rest != "" && rest[0] == '&' {
			anchorAt = p.lines[li].end - len(rest)
			anchor, rest = p.anchorName(li, anchorAt)
		}
		if rest == "" || rest[0] == '#' {
			next = p.nextContent(li + 1)
			if next >= end || p.lines[next].indent <= indent {
				fallback() // an empty entry
			}
			item, next = p.block(next, p.lines[next].start+p.lines[next].indent, end)
		} else {
			at := off + len(text) - len(rest)
			if isSequenceEntry(rest) {
				fallback() // - - a
			}
			item, next = p.block(li, at, end)
		}
		if anchor != "" {
			p.anchor(item, anchor, li, anchorAt)
		}
		p.stack = append(p.stack, item)
		if next >= end || p.lines[next].indent < indent {
			return seq, next
		}
		l := p.lines[next]
		if l.indent > indent {
			fallback()
		}
		if !isSequenceEntry(p.src[l.start+l.indent : l.end]) {
			return seq, next // the mapping it is the value of goes on
		}
		li, off = next, l.start+l.indent
	}
}

// mapping reads a block mapping whose first key is at byte off of line li.
func (p *fastParser) mapping(li, off, end int) (*yaml.Node, int) {
	m := p.node(yaml.MappingNode, "!!map", "")
	p.at(m, li, off)
	indent := p.column(li, off)
	mark := len(p.stack)
	defer func() { m.Content = p.children(mark) }()
	for {
		keyEnd := p.keyEnd(li, off)
		if keyEnd <= 0 {
			fallback() // a line at the mapping's indentation that is no key
		}
		key := p.plain(li, off, keyEnd)
		var value *yaml.Node
		next := 0
		afterColon := keyEnd + 1
		rest := strings.TrimLeft(p.src[afterColon:p.lines[li].end], " ")
		anchor, anchorAt := "", 0
		if rest != "" && rest[0] == '&' {
			anchorAt = p.lines[li].end - len(rest)
			anchor, rest = p.anchorName(li, anchorAt)
		}
		if rest == "" || rest[0] == '#' {
			next = p.nextContent(li + 1)
			if next >= end {
				fallback() // an empty value
			}
			l := p.lines[next]
			switch {
			case l.indent > indent:
				value, next = p.block(next, l.start+l.indent, end)
			case l.indent == indent && isSequenceEntry(p.src[l.start+l.indent:l.end]):
				value, next = p.sequence(next, l.start+l.indent, end)
			default:
				fallback() // an empty value
			}
		} else {
			at := p.lines[li].end - len(rest)
			if isSequenceEntry(rest) || p.keyEnd(li, at) > 0 {
				fallback() // key: - a, or key: a: b
			}
			value = p.inline(li, at)
			next = p.nextContent(li + 1)
			if next < end && p.lines[next].indent > indent {
				fallback() // a value continued on the next line
			}
		}
		if anchor != "" {
			p.anchor(value, anchor, li, anchorAt)
		}
		p.stack = append(p.stack, key, value)
		if next >= end || p.lines[next].indent < indent {
			return m, next
		}
		l := p.lines[next]
		if l.indent > indent {
			fallback()
		}
		li, off = next, l.start+l.indent
		if isSequenceEntry(p.src[off:l.end]) {
			return m, next // a sequence beside a mapping: the caller decides
		}
	}
}

// keyEnd returns the offset of the ": " (or final ":") that ends a plain
// key starting at byte off of line li, or 0 when the text there is no
// plain key of the subset.
func (p *fastParser) keyEnd(li, off int) int {
	end := p.lines[li].end
	if off >= end || !plainStart(p.src, off, end) {
		return 0
	}
	line := p.src[:end]
	for i := off; ; i++ {
		j := strings.IndexByte(line[i:], ':')
		if j < 0 {
			return 0
		}
		if i += j; i+1 == end || line[i+1] == ' ' {
			if line[i-1] == ' ' || strings.Contains(line[off:i], " #") || i-off > maxKeyBytes {
				return 0 // "key : v", a comment before, or a key too long: left to yaml.v3
			}
			return i
		}
	}
}

// maxKeyBytes bounds the keys the fast path reads: yaml.v3 refuses a key
// whose colon is more than 1,024 characters after its start, and a
// character is at least a byte.
const maxKeyBytes = 1000

// plainStart reports whether a plain scalar may start at src[off] in the
// subset: not with an indicator, nor "-", "?" or ":" before a space.
func plainStart(src string, off, end int) bool {
	switch src[off] {
	case '&', '*', '!', '|', '>', '%', '@', '`', '#', ',', '[', ']', '{', '}', '"', '\'', '?', ':':
		return false
	case '-':
		return off+1 < end && src[off+1] != ' '
	}
	return true
}

// plain makes the plain scalar src[off:to] (trailing spaces dropped) of
// line li, its tag resolved as yaml.v3 resolves it.
func (p *fastParser) plain(li, off, to int) *yaml.Node {
	value := strings.TrimRight(p.src[off:to], " ")
	if value == "" || value == "<<" {
		fallback()
	}
	n := p.node(yaml.ScalarNode, "", p.text(value))
	n.Tag = p.tag(n)
	p.at(n, li, off)
	return n
}

// inline reads the one-line node at byte off of line li, which must end
// the line (but for a comment).
func (p *fastParser) inline(li, off int) *yaml.Node {
	end := p.lines[li].end
	var n *yaml.Node
	var after int
	switch p.src[off] {
	case '"', '\'':
		n, after = p.quoted(li, off)
	case '[', '{':
		n, after = p.flow(li, off)
	case '*':
		n, after = p.alias(li, off)
	default:
		if !plainStart(p.src, off, end) {
			fallback()
		}
		// One pass to the comment, if any: a ": " or a ":" that ends the
		// value makes it a mapping, left to yaml.v3.
		to := end
	scan:
		for i := off + 1; i < end; i++ {
			switch p.src[i] {
			case '#':
				if p.src[i-1] == ' ' {
					to = i
					break scan
				}
			case ':':
				if i+1 == end || p.src[i+1] == ' ' {
					fallback()
				}
			}
		}
		return p.plain(li, off, to)
	}
	rest := strings.TrimLeft(p.src[after:end], " ")
	if rest != "" && (rest[0] != '#' || len(rest) == end-after) {
		fallback() // more after a quoted scalar or a flow, or # right after it
	}
	return n
}

// anchorName reads the anchor "&name" at byte off of line li; it returns
// the name and the rest of the line after it and its spaces.
func (p *fastParser) anchorName(li, off int) (string, string) {
	end := p.lines[li].end
	i := p.nameEnd(li, off+1)
	return p.src[off+1 : i], strings.TrimLeft(p.src[i:end], " ")
}

// nameEnd returns where the anchor or alias name starting at byte off of
// line li ends: the subset's names are letters, digits, - and _, followed
// by a space or the line's end.
func (p *fastParser) nameEnd(li, off int) int {
	end := p.lines[li].end
	i := off
	for i < end && (p.src[i] >= 'a' && p.src[i] <= 'z' || p.src[i] >= 'A' && p.src[i] <= 'Z' || p.src[i] >= '0' && p.src[i] <= '9' || p.src[i] == '-' || p.src[i] == '_') {
		i++
	}
	if i == off || i < end && p.src[i] != ' ' {
		fallback()
	}
	return i
}

// anchor names node n, whose properties start at byte off of line li:
// yaml.v3 places the node there.
func (p *fastParser) anchor(n *yaml.Node, name string, li, off int) {
	if n.Kind == yaml.AliasNode {
		fallback() // &a *b
	}
	if p.anchors == nil {
		p.anchors = map[string]*yaml.Node{}
	}
	n.Anchor = p.text(name)
	p.anchors[name] = n
	p.at(n, li, off)
}

// alias reads the alias "*name" at byte off of line li, of a node
// anchored above it.
func (p *fastParser) alias(li, off int) (*yaml.Node, int) {
	i := p.nameEnd(li, off+1)
	target := p.anchors[p.src[off+1:i]]
	if target == nil {
		fallback() // an unknown anchor: yaml.v3 says so
	}
	n := p.node(yaml.AliasNode, "", target.Anchor)
	n.Alias = target
	p.at(n, li, off)
	return n, i
}

// quoted reads a one-line quoted scalar at byte off of line li; it
// returns the node and the offset after its closing quote. A double-
// quoted one with an escape is left to yaml.v3.
func (p *fastParser) quoted(li, off int) (*yaml.Node, int) {
	end := p.lines[li].end
	q := p.src[off]
	var value string
	after := -1
	if q == '"' {
		i := strings.IndexByte(p.src[off+1:end], '"')
		if i < 0 || strings.IndexByte(p.src[off+1:off+1+i], '\\') >= 0 {
			fallback()
		}
		value, after = p.src[off+1:off+1+i], off+2+i
	} else {
		var b strings.Builder // only for a '' (one ')
		from := off + 1
		for i := from; i < end; i++ {
			if p.src[i] != '\'' {
				continue
			}
			if i+1 < end && p.src[i+1] == '\'' {
				b.WriteString(p.src[from : i+1])
				from = i + 2
				i++
				continue
			}
			value, after = p.src[from:i], i+1
			if b.Len() > 0 {
				b.WriteString(value)
				value = b.String()
			}
			break
		}
		if after < 0 {
			fallback()
		}
	}
	n := p.node(yaml.ScalarNode, "!!str", p.text(value))
	if q == '"' {
		n.Style = yaml.DoubleQuotedStyle
	} else {
		n.Style = yaml.SingleQuotedStyle
	}
	p.at(n, li, off)
	return n, after
}

// flow reads a one-line flow sequence or mapping at byte off of line li;
// it returns the node and the offset after its closing bracket.
func (p *fastParser) flow(li, off int) (*yaml.Node, int) {
	if p.depth++; p.depth > maxFastDepth {
		fallback()
	}
	defer func() { p.depth-- }()
	end := p.lines[li].end
	open := p.src[off]
	var n *yaml.Node
	closer := byte(']')
	if open == '[' {
		n = p.node(yaml.SequenceNode, "!!seq", "")
	} else {
		n = p.node(yaml.MappingNode, "!!map", "")
		closer = '}'
	}
	n.Style = yaml.FlowStyle
	p.at(n, li, off)
	mark := len(p.stack)
	defer func() { n.Content = p.children(mark) }()
	i := skipSpaces(p.src, off+1, end)
	if i < end && p.src[i] == closer {
		return n, i + 1
	}
	for {
		if i >= end {
			fallback() // a flow over several lines
		}
		if open == '{' {
			k, after := p.flowNode(li, i, true)
			i = after
			if i >= end || p.src[i] != ':' || i+1 >= end || p.src[i+1] != ' ' {
				fallback() // a key without ": value"
			}
			i = skipSpaces(p.src, i+1, end)
			v, after := p.flowNode(li, i, false)
			p.stack = append(p.stack, k, v)
			i = after
		} else {
			item, after := p.flowNode(li, i, false)
			p.stack = append(p.stack, item)
			i = after
		}
		i = skipSpaces(p.src, i, end)
		if i >= end {
			fallback()
		}
		switch p.src[i] {
		case closer:
			return n, i + 1
		case ',':
			i = skipSpaces(p.src, i+1, end)
			if i < end && (p.src[i] == ']' || p.src[i] == '}') {
				fallback() // a trailing comma
			}
		default:
			fallback()
		}
	}
}

// flowNode reads a node inside a flow collection at byte off of line li:
// a quoted scalar, a nested flow, or a plain scalar up to a flow
// indicator, ": ", or (for a key) ":". It returns the node and the offset
// after it.
func (p *fastParser) flowNode(li, off int, key bool) (*yaml.Node, int) {
	end := p.lines[li].end
	if off >= end {
		fallback()
	}
	switch p.src[off] {
	case '"', '\'':
		if key {
			fallback()
		}
		return p.quoted(li, off)
	case '[', '{':
		if key {
			fallback()
		}
		return p.flow(li, off)
	}
	if !plainStart(p.src, off, end) {
		fallback()
	}
	i := off
	for ; i < end; i++ {
		c := p.src[i]
		if c == ',' || c == '[' || c == ']' || c == '{' || c == '}' {
			break
		}
		if c == '?' {
			fallback() // yaml.v3 ends a plain scalar in a flow at a "?" too
		}
		if c == ':' && (i+1 == end || p.src[i+1] == ' ' || strings.IndexByte(",[]{}", p.src[i+1]) >= 0) {
			break
		}
		if c == '#' && p.src[i-1] == ' ' {
			fallback() // a comment inside a flow
		}
	}
	if key != (i < end && p.src[i] == ':') || key && i-off > maxKeyBytes {
		fallback() // a key without a value, a value with a colon, or a key too long
	}
	return p.plain(li, off, i), i
}

func skipSpaces(s string, i, end int) int {
	for i < end && s[i] == ' ' {
		i++
	}
	return i
}

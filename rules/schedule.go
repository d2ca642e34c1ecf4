package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Span is a stretch of time during which one resolved price list prices a
// name: a version of a list, an overlay over one version of its base, or,
// outside an overlay's own dates, its base.
type Span struct {
	From  time.Time // zero: since ever
	Until time.Time // zero: no end
	List  *PriceList
	// Keep, when set, prices instead the requests of customers since
	// before Keep.SinceBefore: a grandfathered previous version.
	Keep *Kept
}

// Kept is the version a grandfathering rule keeps for older customers.
type Kept struct {
	SinceBefore time.Time
	List        *PriceList
}

// Contains reports whether the instant t falls in the span.
func (s Span) Contains(t time.Time) bool {
	return (s.From.IsZero() || !t.Before(s.From)) && (s.Until.IsZero() || t.Before(s.Until))
}

// document is one YAML document of a rule file: one version of a price
// list, written whole or as an overlay (extends:).
type document struct {
	file      File
	root      *yaml.Node
	index     int // in its file, from 0
	name      string
	namePos   Pos
	extends   string
	extendsAt Pos
	effective time.Time // zero: the first version, in force since ever
	until     time.Time // an overlay's end; zero: none
	untilAt   Pos       // zero when the document has no until
	grand     *Grandfathering
	prev      *document // the version before, of the same name
	broken    bool      // its extends names no list, or loops
	digest    string    // of the document's own text
	// whole is the list a document written whole decoded to when its
	// file was read, until the schedule builds it.
	whole *PriceList
}

// self reports whether the document is a new version written as changes to
// the version before it (extends: its own name).
func (doc *document) self() bool { return doc.extends == doc.name }

// readHeader reads what places a document in time and in the chain of
// overlays, before any of it is decoded: its name, extends, effective,
// until and grandfathering. The rest is decoded once its base is known.
func (d *decoder) readHeader(doc *document) {
	root := d.deref(doc.root)
	if root.Kind != yaml.MappingNode {
		return // decodePriceList reports it
	}
	var untilNode *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, v := root.Content[i], d.deref(root.Content[i+1])
		switch key.Value {
		case "name":
			doc.namePos = d.pos(v)
			if s, ok := d.str(v, "name"); ok {
				if s == "" || strings.ContainsAny(s, " \t\n") {
					d.errorf(v, "name must be one word (letters, digits, - and _), not %q", s)
				}
				doc.name = s
			}
		case "extends":
			doc.extendsAt = d.pos(v)
			doc.extends, _ = d.str(v, "extends")
		case "effective":
			var ok bool
			if doc.effective, ok = d.instant(v, "effective"); !ok {
				doc.broken = true // reported; no version without its instant
			}
		case "until":
			untilNode, doc.untilAt = v, d.pos(v)
			doc.until, _ = d.instant(v, "until")
		case "grandfathering":
			doc.grand = d.decodeGrandfathering(v)
		}
	}
	if untilNode != nil && doc.extends == "" {
		d.errorf(untilNode, "until ends an overlay (a plan, contract or promotion that extends a list); a version of a list runs until the next one takes effect")
		doc.until = time.Time{}
	}
	if !doc.until.IsZero() && !doc.effective.IsZero() && !doc.until.After(doc.effective) {
		d.errorf(untilNode, "until (%s) must be after effective (%s)", FormatInstant(doc.until), FormatInstant(doc.effective))
		doc.until = time.Time{}
	}
}

// instant decodes an RFC 3339 instant with its time zone written out, so
// that no one has to guess whose midnight a price changes at.
func (d *decoder) instant(n *yaml.Node, what string) (time.Time, bool) {
	s, ok := d.str(n, what)
	if !ok {
		return time.Time{}, false
	}
	t, err := ParseInstant(s)
	if err != nil {
		d.errorf(n, "%s: %v", what, err)
		return time.Time{}, false
	}
	return t, true
}

// ParseInstant reads an RFC 3339 instant, such as 2027-01-01T00:00:00Z or
// 2027-01-01T00:00:00+01:00; a date alone or a time without its zone is
// refused, as it names no single instant.
func ParseInstant(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err == nil {
		return t, nil
	}
	if _, e := time.Parse(time.DateOnly, s); e == nil {
		return time.Time{}, fmt.Errorf("%s is a date, not an instant: write the time and its zone, as in %sT00:00:00Z", Quote(s), s)
	}
	if _, e := time.Parse("2006-01-02T15:04:05", s); e == nil {
		return time.Time{}, fmt.Errorf("%s has no time zone: add Z (UTC) or an offset such as +01:00", Quote(s))
	}
	return time.Time{}, fmt.Errorf("%s is not an RFC 3339 instant such as 2027-01-01T00:00:00Z", Quote(s))
}

// FormatInstant writes an instant as RFC 3339, in the zone it was given in.
func FormatInstant(t time.Time) string { return t.Format(time.RFC3339Nano) }

func (d *decoder) decodeGrandfathering(n *yaml.Node) *Grandfathering {
	g := &Grandfathering{Pos: d.pos(n)}
	var before, until *yaml.Node
	d.fields(n, "grandfathering", []field{
		{"customers_since_before", true, func(v *yaml.Node) { before = v; g.SinceBefore, _ = d.instant(v, "customers_since_before") }},
		{"keep_previous_until", true, func(v *yaml.Node) { until = v; g.Until, _ = d.instant(v, "keep_previous_until") }},
	})
	if before == nil || until == nil || g.SinceBefore.IsZero() || g.Until.IsZero() {
		return nil
	}
	return g
}

// schedule groups documents by name into versions, resolves each version
// over its base at every instant its base changes, and returns the
// resolved lists (each built once) and every name's spans.
type schedule struct {
	byName   map[string][]*document
	data     map[string]File
	dataKey  string // the digest of the data files: every resolution reads them
	errs     *ErrorList
	resolved map[string]*PriceList // by chain key
	order    []*PriceList
	spans    map[string][]Span
	cache    *Cache                // resolutions of earlier loads, by chain key; nil for none
	staged   map[string]*PriceList // this load's, as decoded, for the cache
	sorted   []string              // the names, sorted
	strs     texts                 // the texts decoded, each kept once
}

func newSchedule(docs []*document, data map[string]File, errs *ErrorList, cache *Cache) *schedule {
	n := len(docs) // maps sized for a load of many lists, made at every reload
	s := &schedule{byName: make(map[string][]*document, n), data: data, dataKey: dataDigest(data), errs: errs,
		resolved: make(map[string]*PriceList, n), spans: make(map[string][]Span, n), cache: cache, staged: make(map[string]*PriceList, n), strs: texts{}}
	for _, doc := range docs {
		if doc.name != "" && !doc.broken {
			s.byName[doc.name] = append(s.byName[doc.name], doc)
		}
	}
	for _, name := range s.names() {
		s.orderVersions(name)
	}
	return s
}

// names returns the names of the lists, sorted (once: byName is complete
// when the schedule is made).
func (s *schedule) names() []string {
	if s.sorted == nil {
		s.sorted = make([]string, 0, len(s.byName))
		for name := range s.byName {
			s.sorted = append(s.sorted, name)
		}
		sort.Strings(s.sorted)
	}
	return s.sorted
}

// orderVersions sorts a name's versions by their instants and refuses two
// that would price the same instant: two first versions, two versions of
// one instant, an overlay's until past the next version, versions of one
// file written out of order.
func (s *schedule) orderVersions(name string) {
	docs := s.byName[name]
	for i := 1; i < len(docs); i++ {
		a, b := docs[i-1], docs[i]
		if a.file.Path == b.file.Path && !b.effective.After(a.effective) && !b.effective.Equal(a.effective) {
			s.errs.Add(b.namePos, "versions of %s are out of order: this one takes effect %s, before the one above it (%s); write a file's versions in the order they take effect",
				name, describeEffective(b), describeEffective(a))
		}
	}
	slices.SortStableFunc(docs, func(a, b *document) int { return a.effective.Compare(b.effective) })
	kept := docs[:0]
	for _, doc := range docs {
		if n := len(kept); n > 0 && kept[n-1].effective.Equal(doc.effective) {
			prev := kept[n-1]
			if doc.effective.IsZero() {
				s.errs.Add(doc.namePos, "price list %q is already declared at %s; a second version needs effective: INSTANT", name, prev.namePos)
			} else {
				s.errs.Add(doc.namePos, "versions of %s overlap: this one and the one at %s both take effect %s", name, prev.namePos, FormatInstant(doc.effective))
			}
			continue
		}
		kept = append(kept, doc)
	}
	for i, doc := range kept {
		if i > 0 {
			doc.prev = kept[i-1]
		}
		if i+1 < len(kept) && !doc.until.IsZero() && doc.until.After(kept[i+1].effective) {
			s.errs.Add(doc.untilAt,
				"versions of %s overlap: this one runs until %s, after the next takes effect (%s, at %s)",
				name, FormatInstant(doc.until), FormatInstant(kept[i+1].effective), kept[i+1].namePos)
		}
		if doc.grand != nil && i == 0 {
			s.errs.Add(doc.grand.Pos, "grandfathering keeps the previous version, and this is the first version of %s", name)
			doc.grand = nil
		}
	}
	s.byName[name] = kept
}

func describeEffective(doc *document) string {
	if doc.effective.IsZero() {
		return "since ever (no effective)"
	}
	return FormatInstant(doc.effective)
}

// checkBases refuses an extends that names no list, or a loop of them.
func (s *schedule) checkBases() {
	for _, name := range s.names() {
		for _, doc := range s.byName[name] {
			switch {
			case doc.extends == "":
			case doc.self() && doc.prev == nil:
				s.errs.Add(doc.extendsAt, "extends: %s names this list itself, which means the version before; this is its first version: write it whole", doc.name)
				doc.broken = true
			case !doc.self() && s.byName[doc.extends] == nil:
				s.errs.Add(doc.extendsAt, "extends: unknown price list %s%s; the rules hold %s", Quote(doc.extends),
					DidYouMean(doc.extends, s.names()), strings.Join(s.names(), ", "))
				doc.broken = true
			case !doc.self() && s.loops(doc.extends, map[string]bool{doc.name: true}):
				s.errs.Add(doc.extendsAt, "extends: %s extends %s again, in a loop; an overlay's base must be a list of its own in the end", doc.extends, doc.name)
				doc.broken = true
			}
		}
	}
}

func (s *schedule) loops(name string, seen map[string]bool) bool {
	if seen[name] {
		return true
	}
	seen[name] = true
	defer delete(seen, name)
	for _, doc := range s.byName[name] {
		if doc.extends != "" && !doc.self() && s.loops(doc.extends, seen) {
			return true
		}
	}
	return false
}

// instants lists the instants at which what prices name may change: its
// own versions' and ends, and those of every list it extends.
func (s *schedule) instants(name string, seen map[string]bool) []time.Time {
	if seen[name] {
		return nil
	}
	seen[name] = true
	var out []time.Time
	for _, doc := range s.byName[name] {
		if !doc.effective.IsZero() {
			out = append(out, doc.effective)
		}
		if !doc.until.IsZero() {
			out = append(out, doc.until)
		}
		if doc.grand != nil {
			out = append(out, doc.grand.Until)
		}
		if doc.extends != "" && !doc.self() {
			out = append(out, s.instants(doc.extends, seen)...)
		}
	}
	return out
}

// chain returns the documents that price name at t, base first: nil when
// nothing does. With keep, a version with grandfathering in force at t
// gives way to the one before it (at every level of the chain), and grand
// is the first such rule met.
func (s *schedule) chain(name string, t time.Time, keep bool, grand **Grandfathering) []*document {
	docs := s.byName[name]
	var v *document
	for _, doc := range docs {
		if doc.effective.IsZero() || !doc.effective.After(t) {
			v = doc
		}
	}
	for keep && v != nil && v.grand != nil && t.Before(v.grand.Until) {
		if *grand == nil {
			*grand = v.grand
		}
		v = v.prev
	}
	switch {
	case v == nil && len(docs) > 0 && docs[0].extends != "" && !docs[0].self():
		return s.chain(docs[0].extends, t, keep, grand) // before an overlay starts: its base
	case v == nil:
		return nil
	case !v.until.IsZero() && !t.Before(v.until):
		if base := s.baseOf(v); base != "" && !v.broken {
			return s.chain(base, t, keep, grand) // after an overlay ends: its base
		}
		return nil
	}
	return s.docChain(v, t, keep, grand)
}

// baseOf names the list an overlay version builds on, following versions
// written as changes back to the one written whole or as an overlay.
func (s *schedule) baseOf(doc *document) string {
	for doc != nil && doc.self() {
		doc = doc.prev
	}
	if doc == nil {
		return ""
	}
	return doc.extends
}

// docChain returns the documents that build doc at t, base first.
func (s *schedule) docChain(doc *document, t time.Time, keep bool, grand **Grandfathering) []*document {
	switch {
	case doc.broken:
		return nil
	case doc.extends == "":
		return []*document{doc}
	case doc.self():
		below := s.docChain(doc.prev, t, keep, grand)
		if below == nil {
			return nil
		}
		return append(below, doc)
	}
	below := s.chain(doc.extends, t, keep, grand)
	if below == nil {
		return nil
	}
	return append(below, doc)
}

// resolve builds every name's spans and the lists they are priced by.
func (s *schedule) resolve() {
	for _, name := range s.names() {
		if docs := s.byName[name]; len(docs) == 1 && docs[0].extends == "" && docs[0].until.IsZero() && !docs[0].broken {
			// One version written whole, the most common list: in force
			// from its instant on, with nothing to search.
			if l := s.build(docs); l != nil {
				s.spans[name] = []Span{{From: docs[0].effective, List: l}}
			}
			continue
		}
		points := s.instants(name, map[string]bool{})
		slices.SortFunc(points, time.Time.Compare)
		points = slices.CompactFunc(points, time.Time.Equal)
		starts := append([]time.Time{{}}, points...)
		var spans []Span
		for i, from := range starts {
			var none *Grandfathering
			chain := s.chain(name, from, false, &none)
			if chain == nil {
				continue
			}
			l := s.build(chain)
			if l == nil {
				continue
			}
			var until time.Time
			if i+1 < len(starts) {
				until = starts[i+1]
			}
			var kept *Kept
			var grand *Grandfathering
			if old := s.chain(name, from, true, &grand); grand != nil && old != nil {
				if ol := s.build(old); ol != nil && ol != l {
					kept = &Kept{SinceBefore: grand.SinceBefore, List: ol}
				}
			}
			if n := len(spans); n > 0 && spans[n-1].List == l && spans[n-1].Until.Equal(from) && sameKept(spans[n-1].Keep, kept) {
				spans[n-1].Until = until
				continue
			}
			spans = append(spans, Span{From: from, Until: until, List: l, Keep: kept})
		}
		s.spans[name] = spans
	}
	for _, name := range s.names() {
		for _, sp := range s.spans[name] {
			if sp.List.Name == name {
				sp.List.Spans = append(sp.List.Spans, sp)
			}
		}
	}
	for _, l := range s.order {
		s.keepExamplesInForce(l)
	}
}

// build decodes the documents of a chain, each over the list below it,
// once per distinct chain. A chain an earlier load decoded (the same
// documents, the same data files) comes from the cache instead.
func (s *schedule) build(chain []*document) *PriceList {
	key := s.chainKey(chain)
	if l, done := s.resolved[key]; done {
		return l
	}
	doc := chain[len(chain)-1]
	var base *PriceList
	if len(chain) > 1 {
		if base = s.build(chain[:len(chain)-1]); base == nil {
			return nil
		}
	}
	l := s.fromCache(key, base)
	if l == nil && base == nil && doc.whole != nil {
		l, doc.whole = doc.whole, nil // decoded as its file was read
		s.countDecoded()
	} else if l == nil {
		if l = s.decode(doc, base); l == nil {
			return nil
		}
	}
	if s.staged[key] == nil {
		sum := sha256.Sum256([]byte(key))
		l.Digest = "sha256:" + hex.EncodeToString(sum[:])
		pristine := *l // before this set's spans; its examples are never changed in place
		s.staged[key] = &pristine
	}
	s.resolved[key] = l
	s.order = append(s.order, l)
	return l
}

// fromCache returns a copy of the resolution an earlier load decoded for
// key, over this load's base, or nil.
func (s *schedule) fromCache(key string, base *PriceList) *PriceList {
	if s.cache == nil || s.cache.lists[key] == nil {
		return nil
	}
	cached := s.cache.lists[key]
	s.staged[key] = cached
	l := *cached
	l.Spans, l.Base = nil, base // Examples are shared until filtered (keepExamplesInForce copies)
	return &l
}

// decode decodes one document over base (nil for a list written whole).
func (s *schedule) decode(doc *document, base *PriceList) *PriceList {
	root := s.root(doc)
	if root == nil {
		return nil
	}
	s.countDecoded()
	d := &decoder{file: doc.file.Path, src: doc.file.Data, errs: s.errs, data: s.data, strs: s.strs}
	var l *PriceList
	if base == nil {
		l = d.decodePriceList(root)
	} else {
		l = d.decodeOverlay(root, base)
	}
	return doc.finish(l)
}

// countDecoded counts a resolution decoded, for the cache's counts.
func (s *schedule) countDecoded() {
	if s.cache != nil {
		s.cache.Decoded++
	}
}

// finish gives a list decoded from the document what its header says.
func (doc *document) finish(l *PriceList) *PriceList {
	if l.Name != doc.name { // a name that did not decode: the header's
		l.Name = doc.name
	}
	l.Effective, l.Until, l.Grandfathering = doc.effective, doc.until, doc.grand
	if l.Version == "" && !doc.effective.IsZero() {
		l.Version = FormatInstant(doc.effective)
	}
	return l
}

// root returns a document's YAML, parsing its file again when the
// document's header came from the cache (which keeps no YAML).
func (s *schedule) root(doc *document) *yaml.Node {
	if doc.root == nil {
		if s.cache != nil {
			s.cache.Parsed++
		}
		if roots := parseYAML(doc.file, s.errs, true, nil); doc.index < len(roots) {
			doc.root = roots[doc.index]
		}
	}
	return doc.root
}

func sameKept(a, b *Kept) bool {
	return a == b || (a != nil && b != nil && a.List == b.List && a.SinceBefore.Equal(b.SinceBefore))
}

// chainKey identifies a chain by content: its documents' digests and the
// data files'.
func (s *schedule) chainKey(chain []*document) string {
	var b strings.Builder
	b.WriteString(s.dataKey)
	for _, doc := range chain {
		b.WriteString("/")
		b.WriteString(doc.digest)
	}
	return b.String()
}

// dataDigest identifies the data files (grids' CSV) of a rule set.
func dataDigest(data map[string]File) string {
	if len(data) == 0 {
		return ""
	}
	files := make([]File, 0, len(data))
	for _, f := range data {
		files = append(files, f)
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return ContentDigest(files)
}

// keepExamplesInForce keeps, of a resolved list's examples, those without
// an instant and those whose instant one of its spans holds; an example
// whose instant no version of its document prices is an error.
func (s *schedule) keepExamplesInForce(l *PriceList) {
	if !slices.ContainsFunc(l.Examples, func(ex *Example) bool { return !ex.At.IsZero() }) {
		return // nothing to filter: the slice may be shared with the cache
	}
	kept := make([]*Example, 0, len(l.Examples))
	for _, ex := range l.Examples {
		if ex.At.IsZero() || l.InForce(ex.At) {
			kept = append(kept, ex)
			continue
		}
		if !s.anyInForce(ex) {
			s.errs.Add(ex.Pos, "example %q is at %s, when %s is not priced by the version this example belongs to", ex.Name, FormatInstant(ex.At), l.Name)
		}
	}
	l.Examples = kept
}

// anyInForce reports whether some resolution of an example's document
// prices the example's instant.
func (s *schedule) anyInForce(ex *Example) bool {
	for _, l := range s.order {
		for _, other := range l.Examples {
			if other.Pos == ex.Pos && l.InForce(ex.At) {
				return true
			}
		}
	}
	return false
}

// InForce reports whether the list prices its name at t.
func (l *PriceList) InForce(t time.Time) bool {
	for _, sp := range l.Spans {
		if sp.Contains(t) {
			return true
		}
	}
	return false
}

package engine

import (
	"ratecard/rules"
)

// Cache keeps what compiling rule files built, by content, so that a
// reload where one file of a thousand changed parses, decodes and compiles
// only the lists that file builds: its own versions and the overlays over
// them. A Live holds one; it is for one loader at a time.
type Cache struct {
	rules    *rules.Cache
	compiled map[string]*PriceList // by the resolution's content digest
	next     map[string]*PriceList // the last load's, until its examples pass
	stats    CacheStats
}

// CacheStats tell what the last load through a cache had to redo.
type CacheStats struct {
	Parsed   int // rule files parsed (their YAML read)
	Decoded  int // resolutions decoded (a version, an overlay over one version of its base)
	Compiled int // lists compiled
	Lists    int // lists in the rule set, compiled or reused
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{rules: rules.NewCache(), compiled: map[string]*PriceList{}}
}

// Compile parses and compiles rule files held in memory, reusing what an
// earlier load of the same content built, and checks the examples of what
// it compiled and the cases of the test files (a list from the cache
// passed its examples, which are part of its content). Only a load
// without errors and with every example passing updates the cache, to
// what that load used.
func (c *Cache) Compile(files []rules.File) (*RuleSet, error) { return c.compile(files, true) }

// CompileDraft is Compile for a draft in place of (or beside) a file of
// an earlier load: the same reuse, but the examples and test cases are
// left to the caller, which reports them as a draft's results rather than
// as a load's error. A cache given drafts keeps lists whose examples may
// fail: it must not load rules to serve.
func (c *Cache) CompileDraft(files []rules.File) (*RuleSet, error) { return c.compile(files, false) }

func (c *Cache) compile(files []rules.File, checkExamples bool) (*RuleSet, error) {
	set, err := c.rules.Parse(files)
	c.stats = CacheStats{Parsed: c.rules.Parsed, Decoded: c.rules.Decoded}
	c.next = nil
	rs, err := compileLoaded(set, err, c)
	if err == nil && checkExamples {
		err = rs.checkNewExamples()
	}
	if err != nil {
		return nil, err
	}
	c.stats.Lists = len(rs.lists)
	c.compiled, c.next = c.next, nil
	c.rules.Commit()
	return rs, nil
}

// Stats tells what the last Compile had to redo.
func (c *Cache) Stats() CacheStats { return c.stats }

// reuse returns the list compiled for the same content by an earlier
// load, as a copy for this rule set (its source and digest), or nil.
func (c *Cache) reuse(l *rules.PriceList, setDigest string) *PriceList {
	if c == nil {
		return nil
	}
	cached := c.compiled[l.Digest]
	if cached == nil {
		return nil
	}
	cl := *cached // the compiled parts are shared: they never change
	cl.Rules, cl.digest, cl.fresh = l, setDigest, false
	return &cl
}

// keep notes what a load that compiled fresh lists used, for Compile to
// commit once its examples pass.
func (c *Cache) keep(used map[string]*PriceList, fresh int) {
	if c == nil {
		return
	}
	c.next = used
	c.stats.Compiled = fresh
}

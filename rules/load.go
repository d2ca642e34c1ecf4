package rules

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// MaxFileSize caps one rule file, and MaxFiles the files of a directory,
// so that a stray large file or folder is an error rather than a long stall.
const (
	MaxFileSize = 1 << 20
	MaxFiles    = 10000 // a directory of per-customer contracts holds thousands
)

// IsRuleFile reports whether a file name in a rule directory is a price
// list. Hidden files and editors' backup and swap files are not, so that an
// editor saving a file never shows the engine half a rule; nor are test
// files.
func IsRuleFile(name string) bool {
	return isYAML(name) && !IsTestFile(name)
}

// IsDataFile reports whether a file name in a rule directory is data a
// price list reads: a grid's rows as CSV (NAME.csv). Data files are part
// of the rule set's digest and reloaded like rule files.
func IsDataFile(name string) bool {
	return !strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".csv")
}

// IsTestFile reports whether a file name in a rule directory is a test
// file: NAME_test.yaml, cases checked by `ratecard test`.
func IsTestFile(name string) bool {
	return isYAML(name) && (strings.HasSuffix(name, "_test.yaml") || strings.HasSuffix(name, "_test.yml"))
}

func isYAML(name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
		return false
	}
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// LoadDir loads every rule file of a directory on disk, or, when dir names
// a file, that file alone (handy for checking one file).
func LoadDir(dir string) (*Set, error) {
	files, err := ReadDir(dir)
	if err != nil {
		return nil, err
	}
	return Parse(files)
}

// LoadFS loads every rule file of the directory dir of fsys. Error
// positions name files as dir/file.
func LoadFS(fsys fs.FS, dir string) (*Set, error) {
	files, err := readFS(fsys, dir, dir, nil)
	if err != nil {
		return nil, err
	}
	return Parse(files)
}

// ReadDir reads the rule files of a directory on disk (or one file), without
// parsing them: a caller that watches the directory can compare their
// Digest with the rules it has before doing any more work.
func ReadDir(dir string) ([]File, error) { return readDir(dir, nil) }

func readDir(dir string, r *DirReader) ([]File, error) {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		data, err := readRuleFile(diskFS(filepath.Dir(dir)), filepath.Base(dir), dir)
		if err != nil {
			return nil, err
		}
		return []File{withSum(File{Path: dir, Data: data})}, nil
	}
	// A directory switched whole (a current -> releases/N link switched
	// with ln -sfn) and a Kubernetes ConfigMap volume (which points its
	// ..data link at a new directory) change all their files at once.
	// Resolve the links once and read every file from that one target, so
	// that a switch in the middle of the read cannot mix old and new files.
	root := resolveRoot(dir)
	if r != nil {
		r.root = root
	}
	return readFS(diskFS(root), ".", dir, r)
}

// resolveRoot returns the directory dir's files are read from: dir with
// its links resolved, or the directory its ..data link leads to.
func resolveRoot(dir string) string {
	root := dir
	if target, err := filepath.EvalSymlinks(dir); err == nil {
		root = target
	}
	if target, err := filepath.EvalSymlinks(filepath.Join(root, "..data")); err == nil {
		if info, err := os.Stat(target); err == nil && info.IsDir() {
			root = target
		}
	}
	return root
}

func readFS(fsys fs.FS, dir, shown string, r *DirReader) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("reading rule directory: %w", cleanPathError(err, shown))
	}
	var files []File
	for _, e := range entries {
		if !isYAML(e.Name()) && !IsDataFile(e.Name()) {
			continue
		}
		name, shownPath := path.Join(dir, e.Name()), path.Join(shown, e.Name())
		if e.IsDir() {
			continue
		}
		if r != nil && e.Type()&fs.ModeSymlink != 0 {
			r.links = true
		}
		if f, ok := r.unchanged(fsys, name, shownPath); ok {
			files = append(files, f)
			continue
		}
		data, err := readRuleFile(fsys, name, shownPath)
		if errors.Is(err, errDirectory) {
			continue // a link to a directory: not a rule file
		}
		if err != nil {
			return nil, err
		}
		f := withSum(File{Path: shownPath, Data: data})
		r.remember(fsys, name, f)
		files = append(files, f)
		if len(files) > MaxFiles {
			return nil, fmt.Errorf("%s: more than %d rule files", shown, MaxFiles)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

var errDirectory = errors.New("is a directory")

// readRuleFile reads one rule file, following symbolic links (as in a
// Kubernetes ConfigMap volume, where each file links into ..data). Only a
// regular file is read, and only up to MaxFileSize+1 bytes whatever it
// claims to hold: a named pipe would block the reload for ever, and a link
// to /dev/zero would be read without end. The type is asked of the opened
// file, so that a file swapped after a check cannot slip through.
func readRuleFile(fsys fs.FS, name, shown string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reading rule file: %w", cleanPathError(err, shown))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("reading rule file: %w", cleanPathError(err, shown))
	}
	switch {
	case info.IsDir():
		return nil, errDirectory
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%s: not a regular file (%s); a rule file must be a plain file", shown, fileKind(info.Mode()))
	}
	// Read into a buffer of the size the file says it is, plus one byte
	// to see its end (one allocation, not ReadAll's doublings), and on
	// up to the limit when it holds more than it said.
	data := make([]byte, min(info.Size(), MaxFileSize)+1)
	n, err := io.ReadFull(f, data)
	data = data[:n]
	switch err {
	case io.EOF, io.ErrUnexpectedEOF:
		err = nil // the whole file
	case nil:
		var rest []byte
		rest, err = io.ReadAll(io.LimitReader(f, MaxFileSize+1-int64(n)))
		data = append(data, rest...)
	}
	if err != nil {
		return nil, fmt.Errorf("reading rule file: %w", cleanPathError(err, shown))
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: file is over %d bytes, the most a rule file may hold", shown, MaxFileSize)
	}
	return data, nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return m.Type().String()
}

func cleanPathError(err error, shown string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", shown, pe.Err)
	}
	return err
}

// File is a rule file's path (as shown in errors) and contents.
type File struct {
	Path string
	Data []byte
	sum  *[sha256.Size]byte // of Data, once read (nil: not yet)
}

// Sum returns the SHA-256 of the file's contents, computed once by the
// reader that read it (or now, for a File built by hand).
func (f File) Sum() [sha256.Size]byte {
	if f.sum != nil {
		return *f.sum
	}
	return sha256.Sum256(f.Data)
}

// withSum returns f with its contents' digest computed.
func withSum(f File) File {
	sum := sha256.Sum256(f.Data)
	f.sum = &sum
	return f
}

// Parse reads rule files into a Set. It returns every problem found, as an
// ErrorList sorted by position. With problems, the Set it returns holds what
// could be read, so that later checks (the engine's type checks) can report
// their problems in the same run; such a Set must not be used to price.
func Parse(files []File) (*Set, error) { return parse(files, nil) }

// Cache keeps what loading rule files built, by content, so that loading
// them again (a reload where one file of a thousand changed) parses and
// decodes only the documents that changed and those that build on them.
// It keeps no YAML: a document decoded again (an overlay whose base
// changed) has its file parsed again. It is for one loader at a time.
type Cache struct {
	files map[string][]*document // by file key: its documents' headers, without their YAML
	lists map[string]*PriceList  // by chain key: resolutions as decoded, before a set's spans
	// What the last Parse without errors used, held until Commit: a
	// caller that finds more errors (the engine's) drops it.
	nextFiles map[string][]*document
	nextLists map[string]*PriceList
	// Parsed and Decoded count the files parsed and the resolutions
	// decoded by the last Parse: what it could not take from the cache.
	Parsed, Decoded int
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{} }

// Parse is the package's Parse, through the cache. It does not change
// what the cache holds: Commit does, after a load the caller accepts.
func (c *Cache) Parse(files []File) (*Set, error) {
	c.Parsed, c.Decoded = 0, 0
	c.nextFiles, c.nextLists = nil, nil
	return parse(files, c)
}

// Commit makes the cache hold what the last Parse used (and only that, so
// that it holds one rule set), when that Parse found no errors.
func (c *Cache) Commit() {
	if c.nextFiles != nil {
		c.files, c.lists = c.nextFiles, c.nextLists
	}
	c.nextFiles, c.nextLists = nil, nil
}

func fileKey(f File) string {
	sum := f.Sum()
	return path.Base(f.Path) + "\x00" + string(sum[:])
}

func parse(files []File, cache *Cache) (*Set, error) {
	files = slices.Clone(files)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	var errs ErrorList
	set := &Set{Digest: Digest(files)}
	var tests []File
	data := map[string]File{}
	for _, f := range files {
		if IsDataFile(path.Base(f.Path)) {
			data[f.Path] = f
		}
	}
	var docs []*document
	headers := make(map[string][]*document, len(files)) // this load's, by file key, for the cache
	var toParse []File
	for _, f := range files {
		if base := path.Base(f.Path); IsTestFile(base) {
			tests = append(tests, f)
		} else if !IsDataFile(base) && (cache == nil || cache.files[fileKey(f)] == nil) {
			toParse = append(toParse, f)
		}
	}
	parsed := parseFiles(toParse, data)
	if cache != nil {
		cache.Parsed += len(toParse)
	}
	for _, f := range files {
		if base := path.Base(f.Path); IsTestFile(base) || IsDataFile(base) {
			continue
		}
		key := fileKey(f)
		if cache != nil && cache.files[key] != nil {
			for _, h := range cache.files[key] {
				doc := *h
				doc.file = f
				docs = append(docs, &doc)
			}
			headers[key] = cache.files[key]
			continue
		}
		p := parsed[f.Path]
		errs = append(errs, p.errs...)
		docs = append(docs, p.docs...)
		headers[key] = p.headers
	}
	if len(files) == len(tests)+len(data) {
		return nil, errors.New("no rule files (*.yaml) in the rule directory")
	}
	sched := newSchedule(docs, data, &errs, cache)
	sched.checkBases()
	sched.resolve()
	set.Lists, set.Schedule = sched.order, sched.spans
	for _, l := range set.Lists {
		checkNotAbove(l, sched, &errs)
	}
	for _, f := range tests {
		for _, root := range parseYAML(f, &errs, false, nil) {
			d := &decoder{file: f.Path, src: f.Data, errs: &errs}
			set.Tests = append(set.Tests, d.decodeTestFile(root, set)...)
		}
	}
	errs.Dedupe()
	if cache != nil && len(errs) == 0 {
		cache.nextFiles, cache.nextLists = headers, sched.staged
	}
	return set, errs.Err()
}

// parsedFile is a rule file's documents, as read before any is decoded.
type parsedFile struct {
	docs    []*document // with their YAML
	headers []*document // the same without it, for the cache
	errs    ErrorList
}

// parseFiles reads the YAML and the headers of rule files, on every core:
// parsing YAML is most of a cold load's time, and files are independent.
func parseFiles(files []File, data map[string]File) map[string]*parsedFile {
	out := make([]*parsedFile, len(files))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			scratch := &yamlScratch{strs: texts{}, tags: map[string]string{}, nums: map[string]decimal.Decimal{}} // this worker's, for the files it reads
			for i := range work {
				out[i] = parseFile(files[i], data, scratch)
			}
		}()
	}
	for i := range files {
		work <- i
	}
	close(work)
	wg.Wait()
	byPath := make(map[string]*parsedFile, len(files))
	for i, f := range files {
		byPath[f.Path] = out[i]
	}
	return byPath
}

// parseFile reads a rule file's documents: their headers, and, for each
// written whole, the list, decoded here (on the worker's core) rather
// than when the schedule builds it: it needs no other document. When
// every document is decoded, no node of the file is needed after, and
// the worker makes the next file's nodes in the same memory.
func parseFile(f File, data map[string]File, scratch *yamlScratch) *parsedFile {
	p := &parsedFile{}
	d := &decoder{file: f.Path, src: f.Data, errs: &p.errs, data: data, strs: scratch.strs, nums: scratch.nums, lineRoom: &scratch.lineStarts}
	kept := false // a node of the file is still needed
	roots := parseYAML(f, &p.errs, true, scratch)
	if scratch.fast {
		d.lines = scratch.lineStarts // the fast path found them
	}
	for i, root := range roots {
		doc := &document{file: f, root: root, index: i, digest: documentDigest(f, root)}
		d.readHeader(doc)
		if doc.name == "" {
			d.decodePriceList(root) // for its errors: it prices nothing
			continue
		}
		if doc.extends == "" && !doc.broken {
			doc.whole = doc.finish(d.decodePriceList(root))
			doc.root = nil
		} else {
			kept = true
		}
		p.docs = append(p.docs, doc)
		h := *doc
		h.root, h.file, h.whole = nil, File{}, nil
		p.headers = append(p.headers, &h)
	}
	scratch.release(!kept)
	return p
}

// documentDigest identifies one document of a rule file: its file's name
// and contents, and where in the file the document starts.
func documentDigest(f File, root *yaml.Node) string {
	sum := f.Sum()
	h := sha256.New()
	b := append([]byte(path.Base(f.Path)), 0)
	b = strconv.AppendInt(b, int64(root.Line), 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(root.Column), 10)
	h.Write(append(b, 0))
	h.Write(sum[:])
	return string(h.Sum(nil)) // a map key, 32 bytes, never shown
}

// checkNotAbove refuses a not_above invariant that names no list.
func checkNotAbove(l *PriceList, s *schedule, errs *ErrorList) {
	for _, inv := range l.Invariants {
		if inv.NotAbove != "" && s.byName[inv.NotAbove] == nil {
			errs.Add(inv.Pos, "not_above: unknown price list %s%s", Quote(inv.NotAbove), DidYouMean(inv.NotAbove, s.names()))
		}
	}
}

// Digest identifies the contents of price-list files and the data files
// they read: "sha256:" and the hex digest of each one's name, size and
// SHA-256, in the order given (ReadDir sorts them). Each file's own digest
// is computed once, when it is read: a reload of a thousand files hashes
// only those that changed.
func Digest(files []File) string {
	return digestOf(files, func(base string) bool { return IsRuleFile(base) || IsDataFile(base) })
}

// ContentDigest identifies the contents of every file of a rule set,
// price lists and test files alike: what decides whether a reload has
// anything new to check.
func ContentDigest(files []File) string {
	return digestOf(files, func(string) bool { return true })
}

func digestOf(files []File, include func(base string) bool) string {
	h := sha256.New()
	var entry []byte
	for _, f := range files {
		base := path.Base(f.Path)
		if !include(base) {
			continue // for Digest: test files check prices; they do not make them
		}
		sum := f.Sum()
		entry = append(append(entry[:0], base...), 0)
		entry = append(strconv.AppendInt(entry, int64(len(f.Data)), 10), 0)
		h.Write(append(entry, sum[:]...))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// parseYAML reads a file's YAML documents, or records why it cannot. A
// rule file may hold several (versions of a list, overlays), each a
// document of its own after a --- line; a test file holds one.
func parseYAML(f File, errs *ErrorList, several bool, scratch *yamlScratch) []*yaml.Node {
	at := func(line, col int) Pos { return Pos{File: f.Path, Line: line, Col: col} }
	if len(bytes.TrimSpace(f.Data)) == 0 {
		errs.Add(at(1, 1), "file is empty: a price list needs at least name, meters and rates")
		return nil
	}
	if !utf8.Valid(f.Data) {
		line, col := invalidUTF8(f.Data)
		errs.Add(at(line, col), "file is not valid UTF-8 text")
		return nil
	}
	var roots []*yaml.Node
	// add takes one document; false stops the reading.
	add := func(root *yaml.Node) bool {
		if len(roots) == 1 && !several {
			errs.Add(at(root.Line, root.Column), "a test file holds one YAML document: remove this second one (or the --- line above it)")
			return false
		}
		if len(root.Content) == 0 || root.Content[0].Kind == yaml.ScalarNode && root.Content[0].Tag == "!!null" {
			errs.Add(at(root.Line, root.Column), "this YAML document holds no price list: remove it (or the --- line above it)")
			return true
		}
		roots = append(roots, root.Content[0])
		if len(roots) > MaxDocuments {
			errs.Add(at(root.Line, root.Column), "a rule file holds at most %d YAML documents (versions and overlays)", MaxDocuments)
			return false
		}
		return true
	}
	if scratch == nil {
		scratch = &yamlScratch{}
	}
	if !onlyYAMLv3 {
		scratch.fast = false
		if docs, ok := fastYAML(f.Data, scratch); ok {
			scratch.fast = true
			for _, doc := range docs {
				if !add(doc) {
					return nil
				}
			}
			return roots
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(f.Data))
	for {
		root := &yaml.Node{}
		err := dec.Decode(root)
		if err == io.EOF {
			break
		}
		if err != nil {
			errs.Add(yamlErrorPos(f, err), "%s", yamlMessage(f, err))
			return nil
		}
		if !add(root) {
			return nil
		}
	}
	if len(roots) == 0 && !errs.has(f.Path) {
		errs.Add(at(1, 1), "no price list in this file: it holds only comments")
	}
	return roots
}

// MaxDocuments caps the YAML documents of one rule file.
const MaxDocuments = 100

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// onlyYAMLv3 makes every file read by yaml.v3, for the tests that hold
// the fast path to it.
var onlyYAMLv3 = false

// yamlErrorPos finds the position of a yaml.v3 syntax error, which gives a
// line but no column: the column is that of the line's first character.
func yamlErrorPos(f File, err error) Pos {
	pos := Pos{File: f.Path, Line: 1, Col: 1}
	if strings.Contains(err.Error(), "control characters are not allowed") {
		// yaml.v3 gives no position for this one: find the character.
		pos.Line, pos.Col = controlCharacter(f.Data)
		return pos
	}
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		if text, ok := lineText(f.Data, pos.Line); ok {
			pos.Col = len([]rune(text)) - len([]rune(strings.TrimLeft(text, " "))) + 1
		}
	}
	return pos
}

func yamlMessage(f File, err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		msg = m[2]
		line, _ := strconv.Atoi(m[1])
		text, _ := lineText(f.Data, line)
		switch {
		case strings.Contains(text, "\t"):
			msg += " (a tab is not allowed for indenting YAML: use spaces)"
		case strings.Contains(msg, "mapping values are not allowed"):
			msg += ` (a value holding ": " must be quoted, as in amount: "a ? b : c")`
		}
	}
	return "YAML syntax: " + msg
}

func lineText(src []byte, line int) (string, bool) {
	off := lineOffset(src, line)
	if off < 0 || off > len(src) {
		return "", false
	}
	text := src[off:]
	if j := bytes.IndexByte(text, '\n'); j >= 0 {
		text = text[:j]
	}
	return string(text), true
}

// controlCharacter finds the first character YAML does not allow in a
// file: a control character other than tab and line ends, DEL, a C1
// control other than NEL, or a non-character.
func controlCharacter(src []byte) (line, col int) {
	line, col = 1, 1
	for _, r := range string(src) {
		switch {
		case r == '\n':
			line, col = line+1, 1
			continue
		case r == '\t', r == '\r', r == 0x85:
		case r < 0x20, r >= 0x7F && r <= 0x9F, r == 0xFFFE, r == 0xFFFF:
			return line, col
		}
		col++
	}
	return 1, 1
}

func invalidUTF8(src []byte) (line, col int) {
	line, col = 1, 1
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		src = src[size:]
	}
	return line, col
}

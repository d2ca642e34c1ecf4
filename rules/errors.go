package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a place in a rule file. Line and Col count from 1; Col counts
// characters, not bytes.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is one problem found in a rule file, at a position.
type Error struct {
	Pos  Pos
	Msg  string
	Code string // the kind of error, one of the Code constants
}

// Suggestion returns the name the message suggests ("did you mean"), or "".
func (e *Error) Suggestion() string {
	if m := suggestionRE.FindStringSubmatch(e.Msg); m != nil {
		return m[1]
	}
	return ""
}

var suggestionRE = regexp.MustCompile(`\(did you mean "([^"]*)"\?\)`)

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList collects every problem of a load, so that a person fixing a file
// sees all of them at once rather than one per attempt.
type ErrorList []*Error

// Add records a problem at pos.
func (l *ErrorList) Add(pos Pos, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	*l = append(*l, &Error{Pos: pos, Msg: msg, Code: codeOf(msg)})
}

// Sort orders the problems by file, line and column.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Err returns the list as an error (sorted), or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Suggest returns the candidate closest to name when it is close enough to be
// a likely misspelling, or "" when none is.
func Suggest(name string, candidates []string) string {
	if len(name) > 64 {
		return "" // no name is that long: a value pasted where a name goes
	}
	limit := max(1, min(3, len([]rune(name))/3))
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if d := editDistance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		best = prefixMatch(name, candidates)
	}
	return best
}

// prefixMatch returns the one candidate that a short name is a slip on
// the start of ("durr" or "dur" for "duration"): they share at least three
// characters, and the name has at most one more.
func prefixMatch(name string, candidates []string) string {
	lower := []rune(strings.ToLower(name))
	found := ""
	for _, c := range candidates {
		cr := []rune(strings.ToLower(c))
		common := 0
		for common < len(lower) && common < len(cr) && lower[common] == cr[common] {
			common++
		}
		if common >= 3 && len(lower)-common <= 1 {
			if found != "" {
				return "" // two candidates start alike: no guess
			}
			found = c
		}
	}
	return found
}

// Quote quotes a value from outside (a request, a usage file) for a
// message, cut to 40 characters: a 100 MB field must not be echoed whole.
func Quote(v string) string {
	const most = 40
	if len(v) <= most {
		return strconv.Quote(v)
	}
	cut := most
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(v[:cut]), len(v))
}

// DidYouMean formats Suggest's answer as a message suffix.
func DidYouMean(name string, candidates []string) string {
	if s := Suggest(name, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// editDistance is the Levenshtein distance, counting a swap of two adjacent
// characters as one edit, since that is the most common typing slip.
func editDistance(a, b string) int {
	ra, rb := []rune(strings.ToLower(a)), []rune(strings.ToLower(b))
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// has reports whether a problem of the file is already recorded.
func (l ErrorList) has(file string) bool {
	for _, e := range l {
		if e.Pos.File == file {
			return true
		}
	}
	return false
}

// Dedupe drops a problem reported twice at one place: a document decoded
// over each version of its base reports its own mistakes each time.
func (l *ErrorList) Dedupe() {
	seen := map[Error]bool{}
	kept := (*l)[:0]
	for _, e := range *l {
		if !seen[*e] {
			seen[*e] = true
			kept = append(kept, e)
		}
	}
	*l = kept
}

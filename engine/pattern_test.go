package engine

import (
	"regexp"
	"testing"
)

// patternCases are patterns and texts on which the automaton must agree
// with regexp; the fuzz target starts from them.
var patternCases = []struct{ pattern, text string }{
	{"^1(800|888|877|866)", "18005550100"},
	{"^1(800|888|877|866)", "14155550100"},
	{"^(?:[0-9]{4,15})$", "14155550100"},
	{"^(?:[0-9]{4,15})$", "123"},
	{"^(?:[0-9]{4,15})$", "1234567890123456"},
	{"^(?:[0-9]{4,15})$", "12a45"},
	{"abc", "xxabcxx"},
	{"a+b$", "caab"},
	{"a+b$", "caabc"},
	{"^$", ""},
	{"$^", ""},
	{"^", "x"},
	{"x*", ""},
	{"[^0-9]", "12é3"},
	{"é", "café"},
	{"caf.$", "café"},
	{"(?i)k", "\u212a"},
	{`\bword\b`, "a word here"},
	{"(?m)^b", "a\nb"},
	{"[a-c]{2}[^a-c]", "xabé"},
	{"gpt-4o(-mini)?$", "gpt-4o-mini"},
	{".*", "\xff"},
}

func TestPatternAgreesWithRegexp(t *testing.T) {
	compiled := 0
	for _, c := range patternCases {
		re := regexp.MustCompile(c.pattern)
		p := newPattern(re)
		if p.dfa != nil {
			compiled++
		}
		if got, want := p.MatchString(c.text), re.MatchString(c.text); got != want {
			t.Errorf("%q on %q: %v, regexp says %v", c.pattern, c.text, got, want)
		}
	}
	// The price lists' kind of pattern runs on the automaton; the ones it
	// cannot take (case folding, word boundaries, multi-line) do not.
	for _, c := range []struct {
		pattern string
		dfa     bool
	}{
		{"^1(800|888|877|866)", true}, {"^(?:[0-9]{4,15})$", true}, {"[^0-9]", true}, {"caf.$", true},
		{"é", false}, {"(?i)k", false}, {`\bword\b`, false}, {"(?m)^b", false}, {"(a|b)*a(a|b){12}", false},
	} {
		if got := newPattern(regexp.MustCompile(c.pattern)).dfa != nil; got != c.dfa {
			t.Errorf("%q: on the automaton %v, want %v", c.pattern, got, c.dfa)
		}
	}
}

// FuzzPattern: on any pattern and text, the automaton (when it takes the
// pattern) agrees with regexp.
func FuzzPattern(f *testing.F) {
	for _, c := range patternCases {
		f.Add(c.pattern, c.text)
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		if len(pattern) > 100 || len(text) > 1000 {
			return
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return
		}
		p := newPattern(re)
		if got, want := p.MatchString(text), re.MatchString(text); got != want {
			t.Errorf("%q on %q: %v, regexp says %v", pattern, text, got, want)
		}
	})
}

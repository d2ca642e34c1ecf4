package authoring

import (
	"math/rand/v2"
	"regexp/syntax"
	"strings"
)

// fromPattern draws a text that a regular expression matches, walking its
// syntax tree: a literal as it is, a character class by one of its
// characters, a repeat a few times (at most 16 beyond its minimum), one
// branch of an alternation. It gives "" for what it cannot draw (such as
// \b); the caller keeps only what the input takes.
func fromPattern(rng *rand.Rand, pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return ""
	}
	var b strings.Builder
	draw(rng, re.Simplify(), &b)
	return b.String()
}

func draw(rng *rand.Rand, re *syntax.Regexp, b *strings.Builder) {
	switch re.Op {
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		// re.Rune holds ranges: lo, hi pairs.
		var total int
		for i := 0; i+1 < len(re.Rune); i += 2 {
			total += int(min(re.Rune[i+1], re.Rune[i]+255) - re.Rune[i] + 1)
		}
		if total == 0 {
			return
		}
		k := rng.IntN(total)
		for i := 0; i+1 < len(re.Rune); i += 2 {
			n := int(min(re.Rune[i+1], re.Rune[i]+255) - re.Rune[i] + 1)
			if k < n {
				b.WriteRune(re.Rune[i] + rune(k))
				return
			}
			k -= n
		}
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		b.WriteByte("abcdefghijklmnopqrstuvwxyz0123456789"[rng.IntN(36)])
	case syntax.OpCapture:
		draw(rng, re.Sub[0], b)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			draw(rng, sub, b)
		}
	case syntax.OpAlternate:
		draw(rng, re.Sub[rng.IntN(len(re.Sub))], b)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := re.Min, re.Max
		switch re.Op {
		case syntax.OpStar:
			lo, hi = 0, -1
		case syntax.OpPlus:
			lo, hi = 1, -1
		case syntax.OpQuest:
			lo, hi = 0, 1
		}
		if hi < 0 || hi > lo+16 {
			hi = lo + 16
		}
		for range lo + rng.IntN(hi-lo+1) {
			draw(rng, re.Sub[0], b)
		}
	}
}

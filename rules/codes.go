package rules

import (
	"regexp"
	"strings"
)

// An error's Code names its kind, stable across releases, for editors and
// CI systems that read errors as data (`ratecard check -format json`).
// Messages may be reworded; codes are not renamed.
const (
	CodeYAMLSyntax   = "yaml-syntax"      // the file is not well-formed YAML
	CodeFile         = "file"             // an empty, binary, non-regular or second-document file
	CodeLimit        = "limit"            // a size or depth limit was passed
	CodeUnknownKey   = "unknown-key"      // a key the format does not have
	CodeMisplaced    = "misplaced-key"    // a key that goes only with another (line_places with round: total)
	CodeMissing      = "missing"          // a required key or value is not given
	CodeDuplicate    = "duplicate"        // a name or key given twice
	CodeReserved     = "reserved-name"    // a name that is a word of the rule language
	CodeUnknownName  = "unknown-name"     // an input, value, meter, rate or list that does not exist
	CodeFunction     = "unknown-function" // a call of a function that does not exist
	CodeType         = "type"             // a value or expression of the wrong type
	CodeSyntax       = "syntax"           // an expression that does not parse, or a form the language lacks
	CodeInvalidValue = "invalid-value"    // a value out of bounds, not listed, or finer than its meter
	CodeExample      = "example-fails"    // an example or test case prices otherwise than it says
	CodeQuote        = "quote-error"      // a division by zero or the like while pricing
	CodeSchedule     = "schedule"         // versions that overlap or are out of order, overlays in a loop
	CodeOther        = "other"            // anything else
)

// codeRules classify a message, first match wins. They follow the wording
// of the messages of rules and engine; TestBadRuleFiles (engine) keeps them
// honest: every broken file of testdata/bad gets a code of its kind.
var codeRules = []struct {
	re   *regexp.Regexp
	code string
}{
	{regexp.MustCompile(`^YAML syntax`), CodeYAMLSyntax},
	{regexp.MustCompile(`^file is |^file holds no|no price list in this file|second YAML document|not a regular file|^reading rule`), CodeFile},
	{regexp.MustCompile(`too many YAML aliases|too long|nested too deeply|grew past|out of range|items; at most|more than \d+ rule files`), CodeLimit},
	{regexp.MustCompile(`^example .* fails`), CodeExample},
	{regexp.MustCompile(`^versions of .* (overlap|are out of order)|in a loop;|nothing to extend|this is its first version|this is the first version of`), CodeSchedule},
	{regexp.MustCompile(`is not a (rate|value|input) of .*: an overlay|draws on unknown meter|^not_above: unknown|^extends: unknown`), CodeUnknownName},
	{regexp.MustCompile(`an overlay narrows inputs|is not an RFC 3339|is a date, not an instant|has no time zone|must be after effective`), CodeInvalidValue},
	{regexp.MustCompile(`^an overlay keeps|^until ends an overlay|keeps its base.s|changes nothing|^a period rate reads`), CodeMisplaced},
	{regexp.MustCompile(`^unknown key`), CodeUnknownKey},
	{regexp.MustCompile(`is a word of the rule language`), CodeReserved},
	{regexp.MustCompile(`^duplicate|already declared|listed twice|twice|has the same name|already a name|has the name of a rate`), CodeDuplicate},
	{regexp.MustCompile(`unknown function|is a function:|not a function`), CodeFunction},
	{regexp.MustCompile(`unknown (name|input|meter|rate|price list)|names no input|is not a value of|is defined below|has no field`), CodeUnknownName},
	{regexp.MustCompile(`^syntax error|not part of the price-rule language|only a function name|nil is not a value|a list \[\.\.\.\] can only|must be written out|are arguments of their own|tier of \w+ is \[`), CodeSyntax},
	{regexp.MustCompile(`must be at least|must be at most|must be more than|must be less than|must be one of|decimal places|is not a decimal number|must go up|is above its high|size above 0|^round must be|is not a regular expression`), CodeInvalidValue},
	{regexp.MustCompile(`but this is|cannot compare|both branches|must be (a|an|text|true)|compared with words|needs a list input|needs a number input|only numbers and lists|a field is a number|is a list of \d+|^the header of grid|takes \d+ keys|gives one number|gives .*: say which`), CodeType},
	{regexp.MustCompile(`has no row for|has this row twice|no file .* beside|has no column|not an input or a value above|the range .* is empty|no request can give`), CodeInvalidValue},
	{regexp.MustCompile(` needs |needs a default|^a price list needs|names its price list|names the meter|is one of monotonic`), CodeMissing},
	{regexp.MustCompile(`goes with |only a .* has |only a one_of input has`), CodeMisplaced},
	{regexp.MustCompile(`division by zero|of an empty list`), CodeQuote},
}

// codeOf classifies a message.
func codeOf(msg string) string {
	msg = strings.TrimSpace(msg)
	for _, r := range codeRules {
		if r.re.MatchString(msg) {
			return r.code
		}
	}
	return CodeOther
}

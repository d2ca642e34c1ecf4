package engine

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"ratecard/internal/jsonscan"
)

// setRecordsJSON sets a records input from a JSON array of objects, as a
// request body or a usage record holds a month of calls. The JSON is
// checked whole, then followed without decoding: each field's value is set
// from its text, and text values are slices of one copy of the JSON,
// so that a month of calls costs a few allocations rather than a map and
// a string per call. Whatever it does not expect (an item that is not an
// object, an escaped key) and every error go the slow way, through
// encoding/json and setRecords, whose messages are the words of every
// records error.
func (in *compiledInput) setRecordsJSON(s *state, raw json.RawMessage) error {
	if !json.Valid(raw) {
		return in.setRecordsDecoded(s, raw)
	}
	if !in.walkRecords(s, string(raw)) { // one copy: the records' text values are slices of it
		return in.setRecordsDecoded(s, raw)
	}
	return nil
}

// walkRecords sets the records of text, valid JSON that stays as it is
// while the records are used. It reports false for anything unexpected
// or wrong, which the caller then sets the slow way, for its message.
func (in *compiledInput) walkRecords(s *state, text string) bool {
	i := jsonscan.SkipSpace(text, 0)
	if text[i] != '[' {
		return false
	}
	var a recordAdder
	a.begin(s, in)
	for i = jsonscan.SkipSpace(text, i+1); text[i] != ']'; {
		if text[i] != '{' || a.add() != nil {
			return false
		}
		for i = jsonscan.SkipSpace(text, i+1); text[i] != '}'; {
			end := jsonscan.StringEnd(text, i)
			key := text[i+1 : end-1]
			if strings.IndexByte(key, '\\') >= 0 {
				return false
			}
			i = jsonscan.SkipSpace(text, jsonscan.SkipSpace(text, end)+1) // past the colon
			end = jsonscan.ValueEnd(text, i)
			if value := text[i:end]; value == "null" { // null leaves a field to its default
				if f := in.t.rec.field(key); f == nil || f.input == nil {
					return false
				}
			} else if f, err := a.field(key); err != nil || f.input.setJSONText(s, value) != nil {
				return false
			}
			if i = jsonscan.SkipSpace(text, end); text[i] == ',' {
				i = jsonscan.SkipSpace(text, i+1)
			}
		}
		if i = jsonscan.SkipSpace(text, i+1); text[i] == ',' {
			i = jsonscan.SkipSpace(text, i+1)
		}
	}
	return a.end() == nil
}

// setJSONText sets a field from its JSON text, a slice of the records'
// copy: a plain string and a number are set as text without another copy.
func (in *compiledInput) setJSONText(s *state, value string) error {
	switch c := value[0]; {
	case c == '"':
		if inner := value[1 : len(value)-1]; strings.IndexByte(inner, '\\') < 0 && utf8.ValidString(inner) {
			return in.setText(s, inner)
		}
	case c == '-' || c >= '0' && c <= '9':
		if in.t.kind == kNum || in.t.kind == kText {
			return in.setText(s, value)
		}
	}
	return in.setJSON(s, json.RawMessage(value))
}

// setRecordsDecoded sets the records the slow way: decoded by
// encoding/json (numbers kept exact) and set as Go values.
func (in *compiledInput) setRecordsDecoded(s *state, raw json.RawMessage) error {
	v, err := jsonValue(raw)
	if err != nil {
		return requestErrorf(in.src.Name, "%s: %v", in.src.Name, err)
	}
	return in.setAny(s, v)
}

package engine

import (
	"bytes"
	"encoding/json"

	"ratecard/internal/jsonscan"
	"ratecard/rules"
)

// setJSON sets the input from a raw JSON value (not null). The common forms
// are set without decoding, as the text a CSV field would hold: a number
// for a number input, one of a one_of input's words, an array of plain
// numbers for a list. Anything else is decoded (numbers kept exact, as
// json.Number) and set as it comes.
func (in *compiledInput) setJSON(s *state, raw json.RawMessage) error {
	switch {
	case in.t.kind == kNum && len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9'):
		return in.setNumberText(s, string(raw))
	case in.t.kind == kList && numberList(raw):
		return in.setText(s, listText(raw))
	case in.t.kind == kWord:
		if word := listedWord(in.src, raw); word != "" {
			return in.setText(s, word) // the input's own string: no copy of the text
		}
	case in.t.kind == kText && len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9'):
		return in.setText(s, string(raw)) // a number written in JSON, as text
	case in.t.kind == kRecords:
		return in.setRecordsJSON(s, raw)
	}
	v, err := jsonValue(raw)
	if err != nil {
		return requestErrorf(in.src.Name, "%s: %v", in.src.Name, err)
	}
	return in.setAny(s, v)
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// jsonValue decodes a raw JSON value for a request: numbers stay decimal
// text (json.Number), never float64.
func jsonValue(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	switch raw[0] {
	case 'n':
		return nil, nil
	case '"':
		return jsonscan.Unquote(raw)
	case 't', 'f':
		return raw[0] == 't', nil
	case '[', '{':
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		err := dec.Decode(&v)
		return v, err
	}
	return json.Number(raw), nil
}

// listedWord returns the value of a one_of input that raw, a JSON string
// without escapes, spells; else "".
func listedWord(input *rules.Input, raw json.RawMessage) string {
	if len(raw) < 2 || raw[0] != '"' {
		return ""
	}
	inner := raw[1 : len(raw)-1]
	for _, v := range input.Values {
		if string(inner) == v {
			return v
		}
	}
	return ""
}

// numberList reports whether raw is a JSON array of plain numbers only.
func numberList(raw json.RawMessage) bool {
	if len(raw) < 2 || raw[0] != '[' {
		return false
	}
	for _, c := range raw[1 : len(raw)-1] {
		switch {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E', c == ',', c == ' ', c == '\t', c == '\r', c == '\n':
		default:
			return false
		}
	}
	return raw[len(raw)-1] == ']'
}

// listText writes a JSON array of numbers as a list's text: "[5, 3]" is "5,3".
func listText(raw json.RawMessage) string {
	var b bytes.Buffer
	for _, c := range raw[1 : len(raw)-1] {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

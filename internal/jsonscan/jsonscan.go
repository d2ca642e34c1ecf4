// Package jsonscan follows the structure of JSON text already checked
// with json.Valid, without decoding it: where a value ends, where the
// space after it does. The readers of request bodies and usage files use
// it to split objects and arrays into their raw parts, leaving the values
// to be converted once, straight to what they are for.
//
// Every function assumes valid JSON and an index at the start of a value
// (or of space, for SkipSpace); on other text the results are undefined.
package jsonscan

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// SkipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func SkipSpace[T ~string | ~[]byte](text T, i int) int {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n') {
		i++
	}
	return i
}

// StringEnd returns the index just past the string that starts at i.
func StringEnd[T ~string | ~[]byte](text T, i int) int {
	for i++; text[i] != '"'; i++ {
		if text[i] == '\\' {
			i++
		}
	}
	return i + 1
}

// ValueEnd returns the index just past the value that starts at i.
func ValueEnd[T ~string | ~[]byte](text T, i int) int {
	switch text[i] {
	case '"':
		return StringEnd(text, i)
	case '{', '[':
		depth := 0
		for {
			switch text[i] {
			case '"':
				i = StringEnd(text, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
	}
	for ; i < len(text); i++ { // a number, true, false or null
		switch text[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
	}
	return i
}

// Unquote returns the text of a JSON string. One without escapes, in valid
// UTF-8, is the text between its quotes; only others are decoded.
func Unquote(raw []byte) (string, error) {
	if len(raw) >= 2 {
		if inner := raw[1 : len(raw)-1]; bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			return string(inner), nil
		}
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

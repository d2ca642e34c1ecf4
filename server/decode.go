package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"ratecard/engine"
	"ratecard/internal/jsonscan"
	"ratecard/rules"
)

// maxBody caps a request body.
const maxBody = 1 << 20

// QuoteRequest is the body of /v1/quote and /v1/explain, one request of
// a batch (/v1/quotes), and one line of `ratecard quote -batch`.
type QuoteRequest struct {
	List  string
	Input engine.Request
	Terms engine.Terms // at, customer_since, remaining
}

// errBodyShape is the hint after every malformed body's message.
const bodyShape = `; expected {"list": "...", "input": {...}} (and optionally "at", "customer_since", "remaining")`

// DecodeQuoteRequest reads a quote request strictly. encoding/json matches
// field names without regard to case and lets a later key win over an
// earlier one, so {"duration": 1, "duration": 900} charged for 900 and two
// "input" objects were merged: here every key is matched exactly, and a
// key given twice, at either level, is an error naming it. Numbers stay
// decimal text (json.Number), never float64.
func DecodeQuoteRequest(body []byte) (*QuoteRequest, error) {
	if req, ok := decodeSimple(body); ok {
		return req, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	req, err := readQuoteRequest(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("more than one JSON value")
	}
	return req, nil
}

// decodeSimple reads the common request, {"list": "...", "input":
// {...}} with keys that need no unescaping, without decoding its values:
// each input's raw JSON goes to the engine, which sets it straight from
// the text. Anything else (another field, an escape, a key twice, a value
// of the wrong kind) is left to the strict decoder, which has the words
// for what is wrong.
func decodeSimple(body []byte) (*QuoteRequest, bool) {
	if !json.Valid(body) {
		return nil, false
	}
	i := jsonscan.SkipSpace(body, 0)
	if body[i] != '{' {
		return nil, false
	}
	req := &QuoteRequest{Input: engine.Request{}}
	var sawList, sawInput bool
	for i = jsonscan.SkipSpace(body, i+1); body[i] != '}'; {
		key, end, ok := plainKey(body, i)
		if !ok {
			return nil, false
		}
		i = jsonscan.SkipSpace(body, jsonscan.SkipSpace(body, end)+1) // past the colon
		end = jsonscan.ValueEnd(body, i)
		value := body[i:end]
		switch {
		case key == "list" && !sawList:
			sawList = true
			switch {
			case string(value) == "null":
			case value[0] == '"' && bytes.IndexByte(value, '\\') < 0 && utf8.Valid(value):
				req.List = string(value[1 : len(value)-1])
			default:
				return nil, false
			}
		case key == "input" && !sawInput:
			sawInput = true
			if string(value) != "null" && !simpleInputs(value, req.Input) {
				return nil, false
			}
		default:
			return nil, false
		}
		if i = jsonscan.SkipSpace(body, end); body[i] == ',' {
			i = jsonscan.SkipSpace(body, i+1)
		}
	}
	return req, true
}

// plainKey reads the key at i when it has no escape, and where it ends.
func plainKey(body []byte, i int) (string, int, bool) {
	end := jsonscan.StringEnd(body, i)
	if bytes.IndexByte(body[i:end], '\\') >= 0 || !utf8.Valid(body[i:end]) {
		return "", 0, false // encoding/json would unescape, or make U+FFFD of bad UTF-8
	}
	return string(body[i+1 : end-1]), end, true
}

// simpleInputs reads an "input" object's entries as raw JSON values (nil
// for null), refusing a key with an escape or given twice.
func simpleInputs(obj []byte, into engine.Request) bool {
	if obj[0] != '{' {
		return false
	}
	for i := jsonscan.SkipSpace(obj, 1); obj[i] != '}'; {
		name, end, ok := plainKey(obj, i)
		if !ok {
			return false
		}
		if _, dup := into[name]; dup {
			return false
		}
		i = jsonscan.SkipSpace(obj, jsonscan.SkipSpace(obj, end)+1)
		end = jsonscan.ValueEnd(obj, i)
		if raw := obj[i:end]; string(raw) == "null" {
			into[name] = nil
		} else {
			into[name] = json.RawMessage(raw)
		}
		if i = jsonscan.SkipSpace(obj, end); obj[i] == ',' {
			i = jsonscan.SkipSpace(obj, i+1)
		}
	}
	return true
}

// readQuoteRequest reads one quote request object from dec.
func readQuoteRequest(dec *json.Decoder) (*QuoteRequest, error) {
	req := &QuoteRequest{Input: engine.Request{}}
	err := object(dec, func(key string) error {
		switch key {
		case "list":
			return dec.Decode(&req.List)
		case "input":
			return object(dec, func(name string) error {
				var v any
				if err := dec.Decode(&v); err != nil {
					return err
				}
				req.Input[name] = v
				return nil
			})
		case "at":
			return decodeInstant(dec, key, &req.Terms.At)
		case "customer_since":
			return decodeInstant(dec, key, &req.Terms.CustomerSince)
		case "remaining":
			req.Terms.Remaining = map[string]decimal.Decimal{}
			return object(dec, func(name string) error {
				var v json.Number
				if err := dec.Decode(&v); err != nil {
					return fmt.Errorf("remaining %s must be a decimal number: %v", name, err)
				}
				d, err := rules.ParseNumber(v.String())
				if err != nil {
					return fmt.Errorf("remaining %s: %v", name, err)
				}
				req.Terms.Remaining[name] = d
				return nil
			})
		}
		return fmt.Errorf("unknown field %s", rules.Quote(key))
	})
	if err != nil {
		return nil, err
	}
	return req, nil
}

// object reads a JSON object, calling field for each key with the decoder
// at its value; a key given twice is an error. null is an empty object.
func object(dec *json.Decoder, field func(key string) error) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("%v where an object {...} belongs", describeToken(tok))
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string) // the decoder allows only strings as keys
		if seen[key] {
			return fmt.Errorf("key %s is given twice", rules.Quote(key))
		}
		seen[key] = true
		if err := field(key); err != nil {
			return err
		}
	}
	_, err = dec.Token() // the closing brace
	return err
}

// decodeInstant reads an RFC 3339 instant given as a JSON string.
func decodeInstant(dec *json.Decoder, key string, t *time.Time) error {
	var s string
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("%s must be an RFC 3339 instant in a string", key)
	}
	v, err := rules.ParseInstant(s)
	if err != nil {
		return fmt.Errorf("%s: %v", key, err)
	}
	*t = v
	return nil
}

func describeToken(tok json.Token) string {
	switch tok := tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", string(tok))
	case string:
		return "text " + rules.Quote(tok)
	}
	return fmt.Sprintf("%v", tok)
}

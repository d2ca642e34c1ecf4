package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/shopspring/decimal"

	"ratecard/engine"
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

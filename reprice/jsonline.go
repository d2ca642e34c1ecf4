package reprice

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"ratecard/internal/jsonscan"
	"ratecard/rules"
)

// jsonLine splits JSON lines into records. A line is first checked whole
// with json.Valid, which is fast; a valid line is then split into its keys
// and raw values by following its structure, without decoding anything.
// Only a line that is not valid JSON goes through encoding/json's decoder,
// whose error says what is wrong with it. Keys are interned: a usage file
// repeats the same few on every line.
type jsonLine struct {
	keys  map[string]string
	width int // how many keys the last record had: room for as many
}

var errNotObject = errors.New("a record must be an object {...}")

func (p *jsonLine) parse(text []byte) (*Record, error) {
	if !json.Valid(text) {
		return decodeObject(text)
	}
	start := jsonscan.SkipSpace(text, 0)
	if text[start] != '{' {
		return nil, errNotObject
	}
	// Records outlive the line's buffer: one copy holds all their values.
	text = bytes.Clone(text)
	rec := &Record{Keys: make([]string, 0, p.width), Raw: make([]json.RawMessage, 0, p.width)}
	defer func() { p.width = len(rec.Keys) }()
	i := jsonscan.SkipSpace(text, start+1)
	for text[i] != '}' {
		end := jsonscan.StringEnd(text, i)
		key, err := p.key(text[i:end])
		if err != nil {
			return nil, err
		}
		for _, k := range rec.Keys {
			if k == key {
				return nil, fmt.Errorf("key %s twice", rules.Quote(key))
			}
		}
		i = jsonscan.SkipSpace(text, jsonscan.SkipSpace(text, end)+1) // past the colon
		end = jsonscan.ValueEnd(text, i)
		rec.Keys, rec.Raw = append(rec.Keys, key), append(rec.Raw, json.RawMessage(text[i:end:end]))
		if i = jsonscan.SkipSpace(text, end); text[i] == ',' {
			i = jsonscan.SkipSpace(text, i+1)
		}
	}
	return rec, nil
}

// key returns an object key, unquoted, as the same string each time.
func (p *jsonLine) key(quoted []byte) (string, error) {
	if k, ok := p.keys[string(quoted)]; ok {
		return k, nil
	}
	var k string
	if err := json.Unmarshal(quoted, &k); err != nil {
		return "", err
	}
	if p.keys == nil {
		p.keys = map[string]string{}
	}
	if len(p.keys) < 1000 { // a file with ever new keys must not grow this forever
		p.keys[string(quoted)] = k
	}
	return k, nil
}

// decodeObject reads a line with encoding/json's decoder: the slow way,
// kept for the words of its errors.
func decodeObject(text []byte) (*Record, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errNotObject
	}
	rec := &Record{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // object keys are strings
		for _, k := range rec.Keys {
			if k == key {
				return nil, fmt.Errorf("key %s twice", rules.Quote(key))
			}
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		rec.Keys, rec.Raw = append(rec.Keys, key), append(rec.Raw, raw)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one value on the line")
	}
	return rec, nil
}

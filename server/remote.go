package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"ratecard/engine"
	"ratecard/internal/jsonscan"
	"ratecard/rules"
)

// remoteCall is how a warehouse's remote function calls are priced: which
// list, what each call's arguments are, what it answers.
type remoteCall struct {
	list string
	// columns, when set, name the inputs the arguments are, in order;
	// else a call has one argument, the request's inputs as a JSON object
	// (or a string holding one).
	columns []string
	output  string // a meter, "quote" or "digest"; "" for the list's first meter
	strict  bool   // a row that does not price fails the call (else its answer is null)
}

func remoteContext(get func(string) string) (remoteCall, error) {
	c := remoteCall{list: get("list"), output: get("output")}
	if cols := get("columns"); cols != "" {
		for _, name := range strings.Split(cols, ",") {
			c.columns = append(c.columns, strings.TrimSpace(name))
		}
	}
	switch s := get("strict"); s {
	case "", "false":
	case "true":
		c.strict = true
	default:
		return c, fmt.Errorf("strict is true or false, not %s", rules.Quote(s))
	}
	return c, nil
}

// price answers one call's arguments: the result as JSON (an exact amount
// as a string, the quote's JSON as a string, or the digest), or the error
// of a row that does not price.
func (c remoteCall) price(rs *engine.RuleSet, args []json.RawMessage) (json.RawMessage, error) {
	req := engine.Request{}
	switch {
	case c.columns != nil:
		if len(args) != len(c.columns) {
			return nil, fmt.Errorf("%d arguments, for %d columns (%s)", len(args), len(c.columns), strings.Join(c.columns, ", "))
		}
		for i, name := range c.columns {
			if string(args[i]) != "null" {
				var v any
				dec := json.NewDecoder(bytes.NewReader(args[i]))
				dec.UseNumber()
				if err := dec.Decode(&v); err != nil {
					return nil, err
				}
				req[name] = v
			}
		}
	case len(args) != 1:
		return nil, fmt.Errorf("%d arguments: a call takes one, the request's inputs as a JSON object (or name the columns in the context)", len(args))
	default:
		obj := args[0]
		if len(obj) > 0 && obj[0] == '"' { // a JSON string holding the object (TO_JSON_STRING)
			s, err := jsonscan.Unquote(obj)
			if err != nil {
				return nil, err
			}
			obj = json.RawMessage(s)
		}
		r, err := DecodeQuoteRequest([]byte(`{"input": ` + string(obj) + `}`))
		if err != nil {
			return nil, fmt.Errorf("the argument must be a JSON object of inputs: %v", err)
		}
		req = r.Input
	}
	q, err := rs.Quote(c.list, req)
	if err != nil {
		return nil, err
	}
	switch c.output {
	case "quote":
		data, err := json.Marshal(q)
		if err != nil {
			return nil, err
		}
		return json.Marshal(string(data))
	case "digest":
		return json.Marshal(rs.Digest)
	}
	meter := c.output
	if meter == "" {
		meter = q.Totals[0].Meter
	}
	for _, t := range q.Totals {
		if t.Meter == meter {
			return json.Marshal(t.Amount.String())
		}
	}
	return nil, fmt.Errorf("output %s is not a meter of %s, quote or digest", rules.Quote(meter), q.List)
}

// readCalls reads a remote function's body, capped as a batch is.
func readCalls(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBatchBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, fmt.Errorf("request body over %d MiB", maxBatchBody>>20)
	}
	return body, err
}

// bigQuery answers a BigQuery remote function: {"requestId", "caller",
// "sessionUser", "userDefinedContext": {...}, "calls": [[args...], ...]}
// -> {"replies": [...]}, or {"errorMessage": ...} with 400 for a call
// BigQuery must not retry. The context (the function's
// user_defined_context) may name the list, the output, the columns and
// strict.
func (s *Server) bigQuery(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, msg string) {
		writeJSON(w, status, map[string]string{"errorMessage": msg})
	}
	body, err := readCalls(w, r)
	if err != nil {
		fail(http.StatusBadRequest, err.Error())
		return
	}
	var in struct {
		RequestID          string              `json:"requestId"`
		Caller             string              `json:"caller"`
		SessionUser        string              `json:"sessionUser"`
		UserDefinedContext map[string]string   `json:"userDefinedContext"`
		Calls              [][]json.RawMessage `json:"calls"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		fail(http.StatusBadRequest, "malformed body: "+err.Error())
		return
	}
	if len(in.Calls) > MaxBatch {
		fail(http.StatusBadRequest, fmt.Sprintf("more than %d calls", MaxBatch))
		return
	}
	c, err := remoteContext(func(k string) string { return in.UserDefinedContext[k] })
	if err != nil {
		fail(http.StatusBadRequest, err.Error())
		return
	}
	rs := s.live.RuleSet()
	replies := make([]json.RawMessage, len(in.Calls))
	for i, args := range in.Calls {
		v, err := c.price(rs, args)
		if err != nil {
			s.metrics.batchQuoted(c.list, "bad_request")
			if c.strict {
				fail(http.StatusBadRequest, fmt.Sprintf("call %d: %v", i+1, err))
				return
			}
			v = json.RawMessage("null")
		} else {
			s.metrics.batchQuoted(c.list, "ok")
		}
		replies[i] = v
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"replies": replies})
}

// snowflake answers a Snowflake external function: {"data": [[row,
// args...], ...]} -> {"data": [[row, result], ...]}. The context comes as
// the URL's query (?list=...&output=...&columns=...&strict=...), as the
// function's URL is declared.
func (s *Server) snowflake(w http.ResponseWriter, r *http.Request) {
	body, err := readCalls(w, r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	var in struct {
		Data [][]json.RawMessage `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil || in.Data == nil {
		if err == nil {
			err = errors.New(`no "data"`)
		}
		writeJSON(w, http.StatusBadRequest, apiError{Error: "malformed body: " + err.Error() + `; expected {"data": [[row, args...], ...]}`})
		return
	}
	if len(in.Data) > MaxBatch {
		writeJSON(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("more than %d rows", MaxBatch)})
		return
	}
	c, err := remoteContext(r.URL.Query().Get)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	rs := s.live.RuleSet()
	out := make([][2]json.RawMessage, len(in.Data))
	for i, row := range in.Data {
		if len(row) == 0 {
			writeJSON(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("row %d has no row number", i+1)})
			return
		}
		v, err := c.price(rs, row[1:])
		if err != nil {
			s.metrics.batchQuoted(c.list, "bad_request")
			if c.strict {
				writeJSON(w, http.StatusBadRequest, apiError{Error: fmt.Sprintf("row %s: %v", row[0], err)})
				return
			}
			v = json.RawMessage("null")
		} else {
			s.metrics.batchQuoted(c.list, "ok")
		}
		out[i] = [2]json.RawMessage{row[0], v}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": out})
}

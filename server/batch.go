package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"ratecard/engine"
	"ratecard/rules"
)

// Limits of a batch of quotes: what one call may ask, so that no body
// can hold the server for long.
const (
	MaxBatch     = 10_000  // requests in one batch
	maxBatchBody = 8 << 20 // bytes of a batch's body
)

// batchResult is one request's answer in a batch: its quote, or its error
// with the status the request alone would have had.
type batchResult struct {
	Quote  *engine.Quote `json:"quote,omitempty"`
	Error  string        `json:"error,omitempty"`
	Status int           `json:"status,omitempty"`
	Input  string        `json:"input,omitempty"`
	List   string        `json:"list,omitempty"`
}

// quotes answers POST /v1/quotes: {"requests": [request, ...]}, each
// request as /v1/quote takes it, priced under one rule set (the one live
// when the batch arrived, whose digest the answer gives), each with its
// own quote or error, in order.
func (s *Server) quotes(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBatchBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: fmt.Sprintf("request body over %d MiB", maxBatchBody>>20)})
		} else {
			writeJSON(w, http.StatusBadRequest, apiError{Error: "reading the body: " + err.Error()})
		}
		return
	}
	reqs, err := decodeBatch(body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "malformed JSON body: " + err.Error() + `; expected {"requests": [{"list": "...", "input": {...}}, ...]}`})
		return
	}
	rs := s.live.RuleSet()
	out := struct {
		Digest  string        `json:"digest"`
		Results []batchResult `json:"results"`
	}{Digest: rs.Digest, Results: make([]batchResult, len(reqs))}
	for i, req := range reqs {
		q, err := rs.QuoteTerms(req.List, req.Terms, req.Input)
		if err != nil {
			res := batchError(err)
			out.Results[i] = res
			s.metrics.batchQuoted(req.List, statusLabel(res.Status))
			continue
		}
		out.Results[i].Quote = q
		s.metrics.batchQuoted(q.List, "ok")
	}
	s.metrics.batch(time.Since(start))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(out) // compact: a batch is for programs
}

// decodeBatch reads {"requests": [...]} strictly, each request as
// DecodeQuoteRequest reads one.
func decodeBatch(body []byte) ([]*QuoteRequest, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var reqs []*QuoteRequest
	seen := false
	err := object(dec, func(key string) error {
		if key != "requests" {
			return fmt.Errorf("unknown field %s", rules.Quote(key))
		}
		seen = true
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			return fmt.Errorf("requests must be a list [...], not %v", describeToken(tok))
		}
		for dec.More() {
			if len(reqs) == MaxBatch {
				return fmt.Errorf("more than %d requests in one batch", MaxBatch)
			}
			req, err := readQuoteRequest(dec)
			if err != nil {
				return fmt.Errorf("request %d: %w", len(reqs)+1, err)
			}
			reqs = append(reqs, req)
		}
		_, err = dec.Token() // the closing bracket
		return err
	})
	if err != nil {
		return nil, err
	}
	if !seen {
		return nil, errors.New(`no "requests"`)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("more than one JSON value")
	}
	return reqs, nil
}

// batchError is a request's error as its own call would have answered it.
func batchError(err error) batchResult {
	var unknown *engine.UnknownListError
	var notInForce *engine.NotInForceError
	var bad *engine.RequestError
	switch {
	case errors.As(err, &unknown):
		return batchResult{Error: err.Error(), Status: http.StatusNotFound, List: unknown.Name}
	case errors.As(err, &notInForce):
		return batchResult{Error: err.Error(), Status: http.StatusUnprocessableEntity, List: notInForce.Name}
	case errors.As(err, &bad):
		return batchResult{Error: bad.Msg, Status: http.StatusBadRequest, Input: bad.Input}
	}
	return batchResult{Error: err.Error(), Status: http.StatusUnprocessableEntity}
}

func statusLabel(status int) string {
	switch status {
	case http.StatusNotFound:
		return "unknown_list"
	case http.StatusBadRequest:
		return "bad_request"
	}
	return "error"
}

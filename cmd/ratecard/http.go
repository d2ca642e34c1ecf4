package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"ratecard/engine"
)

// maxBody caps a request body.
const maxBody = 1 << 20

// server is the HTTP API over a live rule set.
type server struct {
	live    *engine.Live
	metrics *metrics
	log     *slog.Logger
}

func newServer(live *engine.Live, m *metrics, log *slog.Logger) http.Handler {
	s := &server{live: live, metrics: m, log: log}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/quote", s.quote)
	mux.HandleFunc("POST /v1/explain", s.explain)
	mux.HandleFunc("GET /v1/rules", s.rules)
	mux.HandleFunc("POST /-/reload", s.reload)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	return mux
}

// quoteRequest is the body of /v1/quote and /v1/explain.
type quoteRequest struct {
	List  string         `json:"list"`
	Input engine.Request `json:"input"`
}

// apiError is every error's body: the message, and the culprit input or
// price list when there is one.
type apiError struct {
	Error string `json:"error"`
	Input string `json:"input,omitempty"`
	List  string `json:"list,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// decode reads a quote request; it writes the error answer itself and
// returns false when the body is no good.
func decode(w http.ResponseWriter, r *http.Request) (*quoteRequest, bool) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.UseNumber() // numbers stay decimal text, never float64
	dec.DisallowUnknownFields()
	var req quoteRequest
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: "request body over 1 MiB"})
			return nil, false
		}
		writeJSON(w, http.StatusBadRequest, apiError{Error: "malformed JSON body: " + err.Error() + `; expected {"list": "...", "input": {...}}`})
		return nil, false
	}
	if dec.More() {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "malformed JSON body: more than one JSON value"})
		return nil, false
	}
	if req.Input == nil {
		req.Input = engine.Request{}
	}
	return &req, true
}

func (s *server) quote(w http.ResponseWriter, r *http.Request) {
	s.price(w, r, func(rs *engine.RuleSet, req *quoteRequest) (any, error) {
		return rs.Quote(req.List, req.Input)
	})
}

func (s *server) explain(w http.ResponseWriter, r *http.Request) {
	s.price(w, r, func(rs *engine.RuleSet, req *quoteRequest) (any, error) {
		return rs.Explain(req.List, req.Input)
	})
}

// price answers a quote or an explanation with the one rule set live when
// the request arrived. A request the rules cannot price is the client's
// error (4xx), never a 500.
func (s *server) price(w http.ResponseWriter, r *http.Request, do func(*engine.RuleSet, *quoteRequest) (any, error)) {
	start := time.Now()
	req, ok := decode(w, r)
	if !ok {
		s.metrics.quoted("", "bad_request", time.Since(start))
		return
	}
	rs := s.live.RuleSet()
	list := req.List
	if l, err := rs.List(req.List); err == nil {
		list = l.Rules.Name
	}
	out, err := do(rs, req)
	var unknown *engine.UnknownListError
	var bad *engine.RequestError
	var eval *engine.EvalError
	switch {
	case err == nil:
		s.metrics.quoted(list, "ok", time.Since(start))
		writeJSON(w, http.StatusOK, out)
	case errors.As(err, &unknown):
		s.metrics.quoted("", "unknown_list", time.Since(start))
		writeJSON(w, http.StatusNotFound, apiError{Error: err.Error(), List: unknown.Name})
	case errors.As(err, &bad):
		s.metrics.quoted(list, "bad_request", time.Since(start))
		writeJSON(w, http.StatusBadRequest, apiError{Error: bad.Msg, Input: bad.Input})
	case errors.As(err, &eval):
		s.metrics.quoted(list, "eval_error", time.Since(start))
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: err.Error()})
	default: // no list named while several exist, or a fault the engine caught
		s.metrics.quoted(list, "error", time.Since(start))
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: err.Error()})
	}
}

// rulesStatus is the answer of /v1/rules.
type rulesStatus struct {
	engine.Status
	Lists []string `json:"lists"`
}

func (s *server) status() rulesStatus {
	st := rulesStatus{Status: s.live.Status()}
	for _, l := range s.live.RuleSet().Lists() {
		st.Lists = append(st.Lists, l.Rules.Name)
	}
	return st
}

func (s *server) rules(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.status())
}

// reload reloads now: 200 with the live status when the files' rules are
// live, 422 with the error (and the old rules still serving) when not.
func (s *server) reload(w http.ResponseWriter, _ *http.Request) {
	if err := s.live.ReloadFrom("api"); err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			Error  string      `json:"error"`
			Errors []string    `json:"errors"`
			Live   rulesStatus `json:"live"`
		}{"the rules do not load; the last good rules keep serving", strings.Split(err.Error(), "\n"), s.status()})
		return
	}
	writeJSON(w, http.StatusOK, s.status())
}

func (s *server) ready(w http.ResponseWriter, _ *http.Request) {
	if s.live.RuleSet() == nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "no rules loaded"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "digest": s.live.Status().Digest})
}

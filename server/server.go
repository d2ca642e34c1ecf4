package server

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"ratecard/engine"
	"ratecard/rules"
)

// Server is the HTTP API over a live rule set; see the package doc.
type Server struct {
	live    *engine.Live
	opts    Options
	drafts  *drafts
	metrics *metrics
	routes  map[string]map[string]http.HandlerFunc // path -> method -> handler
}

// New makes the API of live. It fails only when its metrics cannot be
// registered (a Registerer that has them already).
func New(live *engine.Live, opts Options) (*Server, error) {
	s := &Server{live: live, opts: opts, drafts: newDrafts(live.Dir()), routes: map[string]map[string]http.HandlerFunc{}}
	reg, gatherer := opts.Registerer, opts.Gatherer
	if reg == nil {
		r := prometheus.NewRegistry()
		r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		reg, gatherer = r, r
	}
	var err error
	if s.metrics, err = newMetrics(reg, live); err != nil {
		return nil, err
	}
	s.handle("POST", "/v1/quote", s.quote)
	s.handle("POST", "/v1/explain", s.explain)
	s.handle("POST", "/v1/quotes", s.quotes)
	s.handle("POST", "/v1/bigquery", s.bigQuery)
	s.handle("POST", "/v1/snowflake", s.snowflake)
	s.handle("POST", "/v1/check", s.check)
	s.handle("POST", "/v1/diff", s.diff)
	s.handle("GET", "/v1/rules", s.rules)
	s.handle("GET", "/v1/grid", s.grid)
	s.handle("GET", "/healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.handle("GET", "/readyz", s.ready)
	if !opts.NoStudio {
		s.handle("GET", "/", s.studio)
		static := studioStatic()
		for _, f := range []string{"/studio/studio.js", "/studio/whatif.js", "/studio/studio.css"} {
			s.handle("GET", f, static.ServeHTTP)
		}
	}
	s.handle("GET", "/openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(OpenAPI)
	})
	if !opts.NoAdmin {
		s.handle("POST", "/-/reload", s.admin(s.reload))
	}
	if gatherer != nil {
		metricsHandler := promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{})
		s.handle("GET", "/metrics", metricsHandler.ServeHTTP)
	}
	return s, nil
}

func (s *Server) handle(method, path string, h http.HandlerFunc) {
	if s.routes[path] == nil {
		s.routes[path] = map[string]http.HandlerFunc{}
	}
	s.routes[path][method] = h
}

// ServeHTTP routes a request, answering an unknown path or method in JSON
// like every other error (net/http's mux answers them in plain text).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	methods := s.routes[r.URL.Path]
	if methods == nil {
		writeJSON(w, http.StatusNotFound, apiError{Error: "no such endpoint: " + r.URL.Path})
		return
	}
	h := methods[r.Method]
	if h == nil && r.Method == http.MethodHead {
		h = methods[http.MethodGet]
	}
	if h == nil {
		allowed := make([]string, 0, len(methods))
		for m := range methods {
			allowed = append(allowed, m)
		}
		slices.Sort(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeJSON(w, http.StatusMethodNotAllowed, apiError{Error: r.URL.Path + " takes " + strings.Join(allowed, " or ") + ", not " + r.Method})
		return
	}
	h(w, r)
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
func decode(w http.ResponseWriter, r *http.Request) (*QuoteRequest, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: "request body over 1 MiB"})
		} else {
			writeJSON(w, http.StatusBadRequest, apiError{Error: "reading the body: " + err.Error()})
		}
		return nil, false
	}
	req, err := DecodeQuoteRequest(body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "malformed JSON body: " + err.Error() + bodyShape})
		return nil, false
	}
	return req, true
}

func (s *Server) quote(w http.ResponseWriter, r *http.Request) {
	s.price(w, r, func(rs *engine.RuleSet, req *QuoteRequest) (any, error) {
		return rs.QuoteTerms(req.List, req.Terms, req.Input)
	})
}

func (s *Server) explain(w http.ResponseWriter, r *http.Request) {
	s.price(w, r, func(rs *engine.RuleSet, req *QuoteRequest) (any, error) {
		return rs.ExplainTerms(req.List, req.Terms, req.Input)
	})
}

// price answers a quote or an explanation with the one rule set live when
// the request arrived. A request the rules cannot price is the client's
// error (4xx), never a 500.
func (s *Server) price(w http.ResponseWriter, r *http.Request, do func(*engine.RuleSet, *QuoteRequest) (any, error)) {
	start := time.Now()
	req, ok := decode(w, r)
	if !ok {
		s.metrics.quoted("", "bad_request", time.Since(start))
		return
	}
	rs := s.live.RuleSet()
	out, err := do(rs, req)
	list := req.List // for the metrics: the list that priced, or was asked for
	if err != nil {
		if l, lerr := rs.ListAt(req.List, req.Terms); lerr == nil {
			list = l.Rules.Name
		}
	}
	var unknown *engine.UnknownListError
	var notInForce *engine.NotInForceError
	var bad *engine.RequestError
	var eval *engine.EvalError
	switch {
	case err == nil:
		if q, ok := out.(*engine.Quote); ok {
			// The quote writes its own JSON, as writeJSON would (indented):
			// encoding/json's checking and indenting of a marshaler's output
			// was a third of a quote's time on the server.
			s.metrics.quoted(q.List, "ok", time.Since(start))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(append(q.AppendJSON(make([]byte, 0, 512), "  "), '\n'))
			return
		}
		if e, ok := out.(*engine.Explanation); ok {
			list = e.Quote.List
		}
		s.metrics.quoted(list, "ok", time.Since(start))
		writeJSON(w, http.StatusOK, out)
	case errors.As(err, &unknown):
		s.metrics.quoted("", "unknown_list", time.Since(start))
		writeJSON(w, http.StatusNotFound, apiError{Error: err.Error(), List: unknown.Name})
	case errors.As(err, &notInForce):
		s.metrics.quoted(list, "not_in_force", time.Since(start))
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: err.Error(), List: notInForce.Name})
	case errors.As(err, &bad):
		s.metrics.quoted(list, "bad_request", time.Since(start))
		writeJSON(w, http.StatusBadRequest, apiError{Error: bad.Msg, Input: bad.Input})
	case errors.As(err, &eval):
		s.metrics.quoted(list, "eval_error", time.Since(start))
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: s.shown(err.Error())})
	default: // no list named while several exist, or a fault the engine caught
		s.metrics.quoted(list, "error", time.Since(start))
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: s.shown(err.Error())})
	}
}

// rulesStatus is the answer of /v1/rules.
type rulesStatus struct {
	engine.Status
	Lists []string `json:"lists"`
	// InForce is what prices each list now; Upcoming the versions
	// scheduled to take effect, in order of time.
	InForce  []listVersion     `json:"in_force"`
	Upcoming []engine.Upcoming `json:"upcoming"`
}

// listVersion names the version of a list that prices it now.
type listVersion struct {
	List      string `json:"list"`
	PricedBy  string `json:"priced_by,omitempty"` // its base, outside an overlay's dates
	Version   string `json:"version,omitempty"`
	Effective string `json:"effective,omitempty"`
	Extends   string `json:"extends,omitempty"`
}

func (s *Server) status() rulesStatus {
	st := rulesStatus{Status: s.live.Status(), Upcoming: []engine.Upcoming{}}
	st.LastError = s.shown(st.LastError)
	rs, now := s.live.RuleSet(), time.Now()
	st.Lists = rs.Names()
	st.InForce = []listVersion{}
	for _, name := range st.Lists {
		l, err := rs.ListAt(name, engine.Terms{At: now})
		if err != nil {
			continue // not in force now: its first version is upcoming
		}
		v := listVersion{List: name, PricedBy: l.Rules.Name, Version: l.Rules.Version, Extends: l.Rules.Extends}
		if v.PricedBy == name {
			v.PricedBy = ""
		}
		if !l.Rules.Effective.IsZero() {
			v.Effective = rules.FormatInstant(l.Rules.Effective)
		}
		st.InForce = append(st.InForce, v)
	}
	st.Upcoming = append(st.Upcoming, rs.Upcoming(now)...)
	return st
}

// maxErrorLine caps each line of an error shown over HTTP: a YAML error
// can quote the file it read, which may be anything a link points at.
const maxErrorLine = 200

// shown prepares an error of the rules for a client: rule files named
// relative to the rule directory (no absolute paths), each line cut short.
func (s *Server) shown(msg string) string {
	if msg == "" {
		return ""
	}
	prefix := filepath.Clean(s.live.Dir()) + string(filepath.Separator)
	lines := strings.Split(msg, "\n")
	for i, line := range lines {
		line = strings.ReplaceAll(line, prefix, "")
		if r := []rune(line); len(r) > maxErrorLine {
			line = string(r[:maxErrorLine]) + "…"
		}
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

func (s *Server) rules(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.status())
}

// admin guards an admin endpoint with the bearer token, when one is set.
func (s *Server) admin(h http.HandlerFunc) http.HandlerFunc {
	if s.opts.AdminToken == "" {
		return h
	}
	want := []byte("Bearer " + s.opts.AdminToken)
	return func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ratecard admin"`)
			writeJSON(w, http.StatusUnauthorized, apiError{Error: "this admin endpoint needs the header Authorization: Bearer TOKEN"})
			return
		}
		h(w, r)
	}
}

// reload reloads now: 200 with the live status when the files' rules are
// live, 422 with the errors (and the old rules still serving) when not.
func (s *Server) reload(w http.ResponseWriter, r *http.Request) {
	if s.opts.Logger != nil {
		s.opts.Logger.Info("reload asked over HTTP", "remote", r.RemoteAddr)
	}
	if err := s.live.ReloadFrom("api"); err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			Error  string      `json:"error"`
			Errors []string    `json:"errors"`
			Live   rulesStatus `json:"live"`
		}{"the rules do not load; the last good rules keep serving", strings.Split(s.shown(err.Error()), "\n"), s.status()})
		return
	}
	writeJSON(w, http.StatusOK, s.status())
}

func (s *Server) ready(w http.ResponseWriter, _ *http.Request) {
	if s.live.RuleSet() == nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "no rules loaded"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "digest": s.live.Status().Digest})
}

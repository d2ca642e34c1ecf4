package server

import (
	"net/http"

	"ratecard/authoring"
	"ratecard/engine"
)

// grid answers GET /v1/grid?list=&rows=INPUT=V1,V2&columns=INPUT=V1,V2&show=METER:
// a price table of one's own over the live rules, as `ratecard table
// -rows -columns -show` renders it, cells as the meter's places show them.
func (s *Server) grid(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	l, err := s.live.RuleSet().ListAt(q.Get("list"), engine.Terms{})
	if err != nil {
		writeJSON(w, http.StatusNotFound, apiError{Error: err.Error(), List: q.Get("list")})
		return
	}
	spec, err := authoring.GridSpec(l, q.Get("rows"), q.Get("columns"), q.Get("show"), nil)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	spec.FixPlaces(l)
	g, err := authoring.Render(l, spec)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Title  string     `json:"title"`
		Header []string   `json:"header"`
		Rows   [][]string `json:"rows"`
	}{g.Title, g.Header, g.Rows})
}

package server

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"ratecard/authoring"
	"ratecard/engine"
	"ratecard/rules"
)

// The studio is a page for the staff who own the prices, served at / by
// the same handler as the API, which its script calls like any client:
// a form of the chosen list's inputs priced as it changes, with the
// working of each line, its price tables and the live state. It writes
// nothing: a draft never reaches the rule files.
//
//go:embed studio
var studioFiles embed.FS

var studioPage = template.Must(template.ParseFS(studioFiles, "studio/page.html"))

// studioView is what the page shows.
type studioView struct {
	Lists     []string
	Selected  string
	Digest    string
	LoadedAt  string
	LastError string
	List      *studioList
	Upcoming  []engine.Upcoming
	// DraftFile and DraftText are the chosen list's rule file, for the
	// editor (its file name and its text on disk now).
	DraftFile, DraftText string
}

type studioList struct {
	Name, Description, Version string
	Inputs                     []studioInput
	Tables                     []*authoring.Grid
}

type studioInput struct {
	Name, Kind, Description, Default, Bounds, Value, Placeholder string
	Choices                                                      []string
	Boolean                                                      bool
}

func (s *Server) studio(w http.ResponseWriter, r *http.Request) {
	rs := s.live.RuleSet()
	st := s.live.Status()
	view := studioView{Lists: rs.Names(), Digest: st.Digest, LoadedAt: st.LoadedAt.Format(time.RFC3339), LastError: s.shown(st.LastError)}
	q := r.URL.Query()
	view.Selected = q.Get("list")
	l, err := rs.ListAt(view.Selected, engine.Terms{})
	if err != nil && view.Selected == "" && len(view.Lists) > 0 {
		view.Selected = view.Lists[0]
		l, err = rs.ListAt(view.Selected, engine.Terms{})
	}
	if err == nil {
		view.Selected = l.Rules.Name
		if view.List, err = studioListOf(l, q); err != nil {
			view.LastError = err.Error()
		}
		view.DraftFile, view.DraftText = s.draftText(l.Rules.File)
		for _, u := range rs.Upcoming(time.Now()) {
			if u.List == view.Selected {
				view.Upcoming = append(view.Upcoming, u)
			}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
	if err := studioPage.Execute(w, view); err != nil && s.opts.Logger != nil {
		s.opts.Logger.Error("studio page", "error", err)
	}
}

// studioListOf describes a list's inputs for the form, each with the
// value the URL gives it.
func studioListOf(l *engine.PriceList, q map[string][]string) (*studioList, error) {
	r := l.Rules
	out := &studioList{Name: r.Name, Description: r.Description, Version: r.Version}
	for _, in := range r.Inputs {
		si := studioInput{Name: in.Name, Kind: string(in.Type), Description: in.Description}
		if in.Default != nil {
			si.Default = in.Default.String(in.Type)
		}
		var bounds []string
		for _, b := range []struct {
			op string
			b  *rules.Bound
		}{{">=", in.Min}, {"<=", in.Max}, {">", in.Above}, {"<", in.Below}} {
			if b.b != nil {
				bounds = append(bounds, b.op+" "+b.b.Text)
			}
		}
		si.Bounds = strings.Join(bounds, ", ")
		switch in.Type {
		case rules.OneOf:
			si.Choices = in.Values
			si.Value = si.Default
		case rules.Boolean:
			si.Boolean, si.Value = true, si.Default
		case rules.List:
			si.Placeholder = "numbers, comma-separated"
		case rules.Records:
			si.Placeholder = `[{"field": value, ...}, ...]`
		}
		if v := q[in.Name]; len(v) > 0 {
			si.Value = v[0]
		}
		out.Inputs = append(out.Inputs, si)
	}
	tables, err := authoring.Tables(l)
	out.Tables = tables
	return out, err
}

// studioStatic serves the page's script and style.
func studioStatic() http.Handler {
	sub, _ := fs.Sub(studioFiles, "studio")
	return http.StripPrefix("/studio/", http.FileServerFS(sub))
}

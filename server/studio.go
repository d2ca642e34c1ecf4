package server

import (
	"embed"
	"encoding/json"
	"fmt"
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
	// Samples name the usage files the what-if may reprice.
	Samples []string
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
	// A list or records input is rows to add: Blank is a new row, Rows
	// those the URL gives.
	Blank *studioRow
	Rows  []studioRow
}

// studioRow is one element of a list (one cell) or one record (a cell a
// field).
type studioRow struct{ Cells []studioCell }

type studioCell struct {
	Field, Value, Placeholder string
	Choices                   []string
}

func (s *Server) studio(w http.ResponseWriter, r *http.Request) {
	rs := s.live.RuleSet()
	st := s.live.Status()
	view := studioView{Lists: rs.Names(), Digest: st.Digest, LoadedAt: st.LoadedAt.Format(time.RFC3339), LastError: s.shown(st.LastError), Samples: s.sampleNames()}
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
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:")
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
		for _, b := range in.Bounds() {
			bounds = append(bounds, b.Op+" "+b.Text)
		}
		si.Bounds = strings.Join(bounds, ", ")
		switch in.Type {
		case rules.OneOf:
			si.Choices = in.Values
			si.Value = si.Default
		case rules.Boolean:
			si.Boolean, si.Value = true, si.Default
		}
		if v := q[in.Name]; len(v) > 0 {
			si.Value = v[0]
		}
		switch in.Type {
		case rules.List:
			si.Blank = &studioRow{Cells: []studioCell{{Placeholder: "a number"}}}
			for _, v := range strings.Split(si.Value, ",") {
				if v = strings.TrimSpace(v); v != "" {
					si.Rows = append(si.Rows, studioRow{Cells: []studioCell{{Value: v}}})
				}
			}
		case rules.Records:
			si.Blank, si.Rows = recordRows(in, si.Value)
		}
		out.Inputs = append(out.Inputs, si)
	}
	tables, err := authoring.Tables(l)
	out.Tables = tables
	return out, err
}

// recordRows describes a records input's rows: a blank record, and the
// records of the URL's value (a JSON array of objects; none when it is
// not one: the API's message says why once priced).
func recordRows(in *rules.Input, value string) (*studioRow, []studioRow) {
	row := func(rec map[string]any) studioRow {
		var r studioRow
		for _, f := range in.Fields {
			c := studioCell{Field: f.Name}
			switch f.Type {
			case rules.OneOf:
				c.Choices = append([]string{""}, f.Values...)
			case rules.Boolean:
				c.Choices = []string{"", "false", "true"}
			}
			if f.Default != nil {
				c.Placeholder = f.Default.String(f.Type)
			}
			if v, ok := rec[f.Name]; ok {
				c.Value = fmt.Sprint(v)
			}
			r.Cells = append(r.Cells, c)
		}
		return r
	}
	blank := row(nil)
	var records []map[string]any
	if json.Unmarshal([]byte(value), &records) != nil {
		return &blank, nil
	}
	rows := make([]studioRow, len(records))
	for i, rec := range records {
		rows[i] = row(rec)
	}
	return &blank, rows
}

// studioStatic serves the page's script and style.
func studioStatic() http.Handler {
	sub, _ := fs.Sub(studioFiles, "studio")
	return http.StripPrefix("/studio/", http.FileServerFS(sub))
}

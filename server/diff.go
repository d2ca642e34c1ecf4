package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"ratecard/engine"
	"ratecard/reprice"
	"ratecard/rules"
)

// diffRequest is the body of POST /v1/diff: a draft of a rule file, and
// optionally usage (CSV with a header row, or JSON lines) to reprice
// under the live rules and the draft.
type diffRequest struct {
	File      string `json:"file"`
	Text      string `json:"text"`
	Usage     string `json:"usage"`
	JSONLines bool   `json:"json_lines"`
	// Sample names one of the server's sample usage files (by its base
	// name, as Options.Samples lists them), in place of Usage.
	Sample  string `json:"sample"`
	GroupBy string `json:"group_by"`
	// Plot asks for each comparison's plots, as an SVG image.
	Plot bool `json:"plot"`
}

type diffAnswer struct {
	OK     bool                `json:"ok"`
	Errors []draftProblem      `json:"errors"`
	Tables []reprice.TableDiff `json:"tables"`
	Usage  []usageDiff         `json:"usage"`
}

// usageDiff is a comparison over usage, with its plots when asked.
type usageDiff struct {
	*reprice.Comparison
	PlotSVG string `json:"plot_svg,omitempty"`
}

// diff answers POST /v1/diff: what the draft would change, against the
// live rules at this instant: each declared price table, cell by cell
// (old -> new), and, with usage, what each record and the whole would
// pay, as `ratecard diff` compares (the largest changes first).
func (s *Server) diff(w http.ResponseWriter, r *http.Request) {
	body, err := readCalls(w, r)
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: err.Error()})
		return
	}
	var req diffRequest
	if err := strictDecode(body, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "malformed JSON body: " + err.Error() + `; expected {"file": "NAME.yaml", "text": "...", "usage": "..."}`})
		return
	}
	usage, err := s.usageOf(req)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	draft, draftPath, problems, err := s.draftRules(req.File, req.Text)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	out := diffAnswer{Errors: problems, Tables: []reprice.TableDiff{}, Usage: []usageDiff{}}
	if draft == nil {
		writeJSON(w, http.StatusOK, out)
		return
	}
	out.OK = true
	live, now := s.live.RuleSet(), time.Now()
	for _, l := range draft.InForce(now) {
		if l.Rules.File != draftPath {
			continue
		}
		tables, _, err := reprice.CompareTables(live, draft, l.Rules.Name, now, now)
		if err != nil { // a list the live rules lack has no old tables
			var unknown *engine.UnknownListError
			if !errors.As(err, &unknown) {
				out.Errors = append(out.Errors, draftProblem{Code: "diff", Message: err.Error()})
			}
			continue
		}
		out.Tables = append(out.Tables, tables...)
		if usage == nil {
			continue
		}
		old, err := live.ListAt(l.Rules.Name, engine.Terms{At: now})
		if err != nil {
			continue
		}
		d, err := s.compareUsage(usage, old, l, req)
		if err != nil {
			out.Errors = append(out.Errors, draftProblem{Code: "usage", Message: fmt.Sprintf("the usage: %v", err)})
			continue
		}
		out.Usage = append(out.Usage, d)
	}
	writeJSON(w, http.StatusOK, out)
}

// usageSource is usage to reprice: text a request sent (CSV, or JSON
// lines), or a sample file of the server's.
type usageSource struct {
	text, path string
	jsonLines  bool
}

// open opens the usage for reading.
func (u *usageSource) open() (reprice.Reader, io.Closer, error) {
	if u.path != "" {
		in, err := reprice.Open(u.path, nil)
		return in, in, err
	}
	in, err := reprice.ReadText(u.text, u.jsonLines)
	return in, io.NopCloser(nil), err
}

// usageOf returns the usage a diff request asks to reprice (pasted, or a
// sample of the server's), or nil for none.
func (s *Server) usageOf(req diffRequest) (*usageSource, error) {
	if req.Sample == "" {
		if req.Usage == "" {
			return nil, nil
		}
		return &usageSource{text: req.Usage, jsonLines: req.JSONLines}, nil
	}
	if req.Usage != "" {
		return nil, errors.New("give usage or a sample, not both")
	}
	for _, p := range s.opts.Samples {
		if filepath.Base(p) == req.Sample {
			return &usageSource{path: p}, nil
		}
	}
	return nil, fmt.Errorf("no sample %q: the samples are %v", req.Sample, s.sampleNames())
}

// sampleNames lists the samples' names, as a request names them.
func (s *Server) sampleNames() []string {
	names := make([]string, len(s.opts.Samples))
	for i, p := range s.opts.Samples {
		names[i] = filepath.Base(p)
	}
	return names
}

// compareUsage reprices usage under the live list and the draft's, with
// the plots when the request asks.
func (s *Server) compareUsage(usage *usageSource, old, new *engine.PriceList, req diffRequest) (usageDiff, error) {
	in, closer, err := usage.open()
	if err != nil {
		return usageDiff{}, errors.New(s.shown(err.Error()))
	}
	defer closer.Close()
	cmp, err := reprice.Compare(in, old, new, reprice.Options{GroupBy: req.GroupBy}, 10)
	if err != nil {
		return usageDiff{}, err
	}
	d := usageDiff{Comparison: cmp}
	if req.Plot {
		var b strings.Builder
		if err := cmp.Plot(&b, "svg"); err != nil {
			return usageDiff{}, err
		}
		d.PlotSVG = b.String()
	}
	return d, nil
}

// draftRules compiles the live rule files with a draft in place of (or
// beside) the file of its name: the rule set, the draft's path among the
// files, or its problems at their lines. The error is a request's own
// (a bad file name, an unreadable rule directory).
func (s *Server) draftRules(file, text string) (*engine.RuleSet, string, []draftProblem, error) {
	if !validDraftName(file) {
		return nil, "", nil, errors.New("file must name a rule file (NAME.yaml), without a directory")
	}
	s.drafts.mu.Lock()
	defer s.drafts.mu.Unlock()
	files, draftPath, err := s.withDraft(file, text)
	if err != nil {
		return nil, "", nil, err
	}
	rs, err := s.drafts.cache.CompileDraft(files)
	if err != nil {
		return nil, draftPath, s.problems(err, draftPath), nil
	}
	return rs, draftPath, []draftProblem{}, nil
}

// validDraftName accepts a rule file's name without a directory.
func validDraftName(file string) bool {
	return file != "" && !strings.ContainsAny(file, `/\`) && rules.IsRuleFile(file)
}

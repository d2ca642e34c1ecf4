package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"

	"ratecard/authoring"
	"ratecard/engine"
	"ratecard/rules"
)

// draftSamples is how many requests a draft's invariants are tried on: a
// check answers while the person types.
const draftSamples = 200

// draftRequest is the body of POST /v1/check: a rule file's new text, in
// place of the live file of that name (or beside the live files, for a
// new one). Nothing is written: the draft lives for the request.
type draftRequest struct {
	File string `json:"file"`
	Text string `json:"text"`
}

type draftProblem struct {
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	File    string `json:"file,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type draftList struct {
	List       string         `json:"list"`
	Examples   int            `json:"examples"`
	Failing    []draftProblem `json:"failing_examples"`
	Cases      []draftCase    `json:"cases"`
	Invariants int            `json:"invariants"`
	Violations []string       `json:"violations"`
}

// draftCase is one example of the draft, or one case of a test file for
// one of its lists, priced by the draft: passed, or how it differs.
type draftCase struct {
	Name    string `json:"name"`
	File    string `json:"file,omitempty"` // a test file's name; none for the draft's own examples
	Line    int    `json:"line"`
	Request string `json:"request"`
	Passed  bool   `json:"passed"`
	Error   string `json:"error,omitempty"`
	// Totals are the meters whose total is not what the case expects.
	Totals []draftMismatch `json:"totals,omitempty"`
	// LineDiff, when the case lists lines, shows those that differ:
	// "- rate amount" expected, "+ rate amount" priced.
	LineDiff []string `json:"line_diff,omitempty"`
}

type draftMismatch struct {
	Meter string `json:"meter"`
	Want  string `json:"want"`
	Got   string `json:"got"`
}

type draftAnswer struct {
	OK     bool           `json:"ok"`
	Errors []draftProblem `json:"errors"`
	Lists  []draftList    `json:"lists"`
}

// check answers POST /v1/check: the draft loaded with the live rule
// files, as `ratecard check` would: its errors at their line and column,
// then for each list of the draft's file its failing examples and broken
// invariants (over draftSamples sampled requests).
func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	body, err := readCalls(w, r)
	if err == nil && len(body) > rules.MaxFileSize+1024 {
		err = fmt.Errorf("request body over the %d bytes a rule file may hold", rules.MaxFileSize)
	}
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: err.Error()})
		return
	}
	var req draftRequest
	if err := strictDecode(body, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "malformed JSON body: " + err.Error() + `; expected {"file": "NAME.yaml", "text": "..."}`})
		return
	}
	rs, draftPath, problems, err := s.draftRules(req.File, req.Text)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	out := draftAnswer{OK: rs != nil, Errors: problems, Lists: []draftList{}}
	if rs == nil {
		writeJSON(w, http.StatusOK, out)
		return
	}
	var lists []*engine.PriceList
	for _, l := range rs.Lists() {
		if l.Rules.File == draftPath {
			lists = append(lists, l)
		}
	}
	tested := map[string]bool{}
	for _, lc := range authoring.CheckLists(rs, lists, draftSamples, 1) {
		l, rep := lc.List, lc.Report
		dl := draftList{List: l.Rules.Name, Examples: len(l.Rules.Examples), Failing: []draftProblem{}, Cases: []draftCase{}, Invariants: rep.Invariants, Violations: []string{}}
		for _, e := range lc.Failing {
			dl.Failing = append(dl.Failing, draftProblem{Line: e.Pos.Line, Column: e.Pos.Col, Code: e.Code, Message: s.shown(e.Msg)})
			out.OK = false
		}
		for _, res := range lc.Examples {
			dl.Cases = append(dl.Cases, s.draftCaseOf(res, ""))
		}
		if !tested[l.Rules.Name] { // a name's test cases, once for its versions
			tested[l.Rules.Name] = true
			for _, res := range rs.RunTestsOf(l.Rules.Name) {
				dl.Cases = append(dl.Cases, s.draftCaseOf(res, path.Base(res.Example.Pos.File)))
				out.OK = out.OK && res.Passed()
			}
		}
		for _, v := range rep.Violations {
			msg := v.Msg + " (" + v.Request + ")"
			if v.Invariant != nil {
				msg = fmt.Sprintf("line %d: invariant %q: %s", v.Invariant.Pos.Line, v.Invariant.Name, msg)
			}
			dl.Violations = append(dl.Violations, s.shown(msg))
			out.OK = false
		}
		out.Lists = append(out.Lists, dl)
	}
	writeJSON(w, http.StatusOK, out)
}

// draftCaseOf describes an example's or a test case's result.
func (s *Server) draftCaseOf(res *engine.ExampleResult, file string) draftCase {
	c := draftCase{Name: res.Example.Name, File: file, Line: res.Example.Pos.Line, Request: res.Request(), Passed: res.Passed(), LineDiff: res.LineDiff}
	if res.Err != nil {
		c.Error = s.shown(res.Err.Error())
	}
	for _, m := range res.Wrong {
		c.Totals = append(c.Totals, draftMismatch{Meter: m.Meter, Want: m.Want.StringFixed(m.Places), Got: m.Got.StringFixed(m.Places)})
	}
	return c
}

// withDraft returns the live rule files with the draft in place of the
// file of its name (or beside them), and the draft's path among them; the
// caller holds s.drafts.mu.
func (s *Server) withDraft(file, text string) ([]rules.File, string, error) {
	files, err := s.drafts.reader.Read()
	if err != nil {
		return nil, "", errors.New(s.shown(err.Error()))
	}
	draftPath := file
	if len(files) > 0 {
		draftPath = path.Join(path.Dir(files[0].Path), file)
	}
	for i, f := range files {
		if path.Base(f.Path) == file {
			files[i] = rules.File{Path: f.Path, Data: []byte(text)}
			return files, f.Path, nil
		}
	}
	return append(files, rules.File{Path: draftPath, Data: []byte(text)}), draftPath, nil
}

// problems lists a draft's load errors: those of its own file at their
// line and column, those of another file it breaks by the file's name.
func (s *Server) problems(err error, draftPath string) []draftProblem {
	var list rules.ErrorList
	if !errors.As(err, &list) {
		list = rules.ErrorList{{Msg: err.Error(), Code: rules.CodeOther}}
	}
	out := []draftProblem{}
	for _, e := range list {
		p := draftProblem{Line: e.Pos.Line, Column: e.Pos.Col, Code: e.Code, Message: s.shown(e.Msg)}
		if e.Pos.File != draftPath {
			p.File, p.Line, p.Column = s.shown(e.Pos.File), 0, 0
		}
		out = append(out, p)
	}
	return out
}

// strictDecode decodes one JSON object's known fields, refusing others.
func strictDecode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// draftText returns the text of a live list's rule file, for the studio's
// editor: the file as it is on disk now.
func (s *Server) draftText(file string) (string, string) {
	files, err := rules.ReadDir(s.live.Dir())
	if err != nil {
		return "", ""
	}
	for _, f := range files {
		if f.Path == file || strings.HasSuffix(file, "/"+path.Base(f.Path)) {
			return path.Base(f.Path), string(f.Data)
		}
	}
	return "", ""
}

package server

import (
	"errors"
	"fmt"
	"net/http"
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
	GroupBy   string `json:"group_by"`
}

type diffAnswer struct {
	OK     bool                  `json:"ok"`
	Errors []draftProblem        `json:"errors"`
	Tables []reprice.TableDiff   `json:"tables"`
	Usage  []*reprice.Comparison `json:"usage"`
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
	draft, draftPath, problems, err := s.draftRules(req.File, req.Text)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	out := diffAnswer{Errors: problems, Tables: []reprice.TableDiff{}, Usage: []*reprice.Comparison{}}
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
		if req.Usage == "" {
			continue
		}
		old, err := live.ListAt(l.Rules.Name, engine.Terms{At: now})
		if err != nil {
			continue
		}
		in, err := reprice.ReadText(req.Usage, req.JSONLines)
		if err == nil {
			var cmp *reprice.Comparison
			if cmp, err = reprice.Compare(in, old, l, reprice.Options{GroupBy: req.GroupBy}, 10); err == nil {
				out.Usage = append(out.Usage, cmp)
			}
		}
		if err != nil {
			out.Errors = append(out.Errors, draftProblem{Code: "usage", Message: fmt.Sprintf("the usage: %v", err)})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// draftRules compiles the live rule files with a draft in place of (or
// beside) the file of its name: the rule set, the draft's path among the
// files, or its problems at their lines. The error is a request's own
// (a bad file name, an unreadable rule directory).
func (s *Server) draftRules(file, text string) (*engine.RuleSet, string, []draftProblem, error) {
	if !validDraftName(file) {
		return nil, "", nil, errors.New("file must name a rule file (NAME.yaml), without a directory")
	}
	files, draftPath, err := s.withDraft(file, text)
	if err != nil {
		return nil, "", nil, err
	}
	rs, err := engine.CompileFiles(files)
	if err != nil {
		return nil, draftPath, s.problems(err, draftPath), nil
	}
	return rs, draftPath, []draftProblem{}, nil
}

// validDraftName accepts a rule file's name without a directory.
func validDraftName(file string) bool {
	return file != "" && !strings.ContainsAny(file, `/\`) && rules.IsRuleFile(file)
}

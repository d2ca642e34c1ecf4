package reprice

import (
	"fmt"
	"time"

	"ratecard/authoring"
	"ratecard/engine"
	"ratecard/internal/report"
)

// TableDiff is a declared price table under the new rules, each cell that
// changes written "old → new *".
type TableDiff struct {
	List    string     `json:"list"`
	Title   string     `json:"title"`
	Header  []string   `json:"header"`
	Rows    [][]string `json:"rows"`
	Changed int        `json:"changed"` // cells that change
}

// CompareTables compares the declared price tables of the price lists both
// rule sets hold (or only the list named), side by side: the old as in
// force at oldAt, the new at newAt (a list against its next version, when
// both are the same rules). A list the old rules lack is named in
// newLists: it has no old tables to compare.
func CompareTables(oldRules, newRules *engine.RuleSet, list string, oldAt, newAt time.Time) (diffs []TableDiff, newLists []string, err error) {
	lists := newRules.InForce(newAt)
	if list != "" {
		l, err := newRules.ListAt(list, engine.Terms{At: newAt})
		if err != nil {
			return nil, nil, err
		}
		lists = []*engine.PriceList{l}
	}
	diffs = []TableDiff{}
	for _, nl := range lists {
		ol, err := oldRules.ListAt(nl.Rules.Name, engine.Terms{At: oldAt})
		if err != nil {
			newLists = append(newLists, nl.Rules.Name)
			continue
		}
		newGrids, err := authoring.Tables(nl)
		if err != nil {
			return nil, nil, err
		}
		oldGrids, err := authoring.Tables(ol)
		if err != nil {
			return nil, nil, err
		}
		for _, ng := range newGrids {
			diffs = append(diffs, compareGrid(nl.Rules.Name, ng, oldGrids))
		}
	}
	return diffs, newLists, nil
}

// compareGrid marks the cells of ng that differ from the old table of the
// same title ("—" where the old one has none).
func compareGrid(list string, ng *authoring.Grid, oldGrids []*authoring.Grid) TableDiff {
	td := TableDiff{List: list, Title: ng.Title, Header: ng.Header}
	var og *authoring.Grid
	for _, g := range oldGrids {
		if g.Title == ng.Title {
			og = g
		}
	}
	for i, row := range ng.Rows {
		cells := append([]string(nil), row...)
		for j := 1; j < len(row); j++ {
			old := "—"
			if og != nil && i < len(og.Rows) && j < len(og.Rows[i]) {
				old = og.Rows[i][j]
			}
			if old != row[j] {
				cells[j] = old + " → " + row[j] + " *"
				td.Changed++
			}
		}
		td.Rows = append(td.Rows, cells)
	}
	return td
}

// TablesReport shapes table diffs for people.
func TablesReport(diffs []TableDiff) *report.Report {
	r := &report.Report{}
	for _, td := range diffs {
		cells := "cells"
		if td.Changed == 1 {
			cells = "cell"
		}
		r.Heading(fmt.Sprintf("%s: %s (%d %s changed)", td.List, td.Title, td.Changed, cells))
		r.Table(append([][]string{td.Header}, td.Rows...), report.Seq(len(td.Header))[1:]...)
	}
	return r
}

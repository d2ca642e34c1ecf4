package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"ratecard/internal/report"
	"strings"

	"ratecard/authoring"
)

func runTable(c *command, args []string) int {
	list := c.listFlag()
	format := c.formatFlag("text", "output `format`: text, markdown or csv (several tables: a first column names each row's table)", "text", "markdown", "csv")
	title := c.flags.String("title", "", "print only the declared tables whose title holds `TEXT`")
	rows := c.flags.String("rows", "", "a table of your own: one row per value, `INPUT=V1,V2,...`")
	columns := c.flags.String("columns", "", "with -rows: one column per value, `INPUT=V1,V2,...`")
	show := c.flags.String("show", "", "with -rows: what each cell shows, a `METER` total or rate:NAME (default: the first meter)")
	places := c.flags.Bool("places", false, "show every amount with its meter's decimal places (10.00, not 10), as money reads")
	if code, ok := c.parse(args); !ok {
		return code
	}
	if *rows == "" && (*columns != "" || *show != "") {
		return c.usageError("-columns and -show go with -rows")
	}
	fixed, err := parseWords(c.flags.Args())
	if err != nil {
		return c.usageError("%v", err)
	}
	l, err := c.loadList(*list)
	if err != nil {
		return c.fail(err)
	}
	var specs []authoring.Spec
	if *rows != "" {
		spec, err := authoring.GridSpec(l, *rows, *columns, *show, fixed)
		if err != nil {
			return c.fail(err)
		}
		specs = append(specs, spec)
	} else {
		if len(fixed) > 0 {
			return c.usageError("NAME=VALUE settings go with -rows; declared tables fix their own")
		}
		for _, t := range l.Rules.Tables {
			if strings.Contains(strings.ToLower(t.Title), strings.ToLower(*title)) {
				specs = append(specs, authoring.TableSpec(l, t))
			}
		}
		if len(specs) == 0 {
			return c.fail(fmt.Errorf("price list %s declares no table titled %q", l.Rules.Name, *title))
		}
	}
	var grids []*authoring.Grid
	for _, spec := range specs {
		if *places {
			spec.FixPlaces(l)
		}
		g, err := authoring.Render(l, spec)
		if err != nil {
			return c.fail(err)
		}
		grids = append(grids, g)
	}
	if *format == "csv" {
		writeCSV(c.stdout, grids)
		return exitOK
	}
	for i, g := range grids {
		if i > 0 {
			fmt.Fprintln(c.stdout)
		}
		writeGrid(c.stdout, g, *format)
	}
	return exitOK
}

// writeCSV writes one table as it is shown; several, whose headers differ,
// in long form under one header: a row per cell, naming its table, row and
// column.
func writeCSV(w io.Writer, grids []*authoring.Grid) {
	cw := csv.NewWriter(w)
	defer cw.Flush()
	if len(grids) == 1 {
		_ = cw.Write(grids[0].Header)
		_ = cw.WriteAll(grids[0].Rows)
		return
	}
	_ = cw.Write([]string{"table", "row", "column", "amount"})
	for _, g := range grids {
		for _, row := range g.Rows {
			for j := 1; j < len(row); j++ {
				_ = cw.Write([]string{g.Title, g.Header[0] + "=" + row[0], g.Header[j], row[j]})
			}
		}
	}
}

func writeGrid(w io.Writer, g *authoring.Grid, format string) {
	if format == "markdown" {
		fmt.Fprintf(w, "%s:\n\n", g.Title)
		fmt.Fprintf(w, "| %s |\n", strings.Join(g.Header, " | "))
		fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(g.Header)))
		for _, row := range g.Rows {
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
		return
	}
	fmt.Fprintln(w, g.Title)
	right := make([]int, 0, len(g.Header))
	for i := 1; i < len(g.Header); i++ {
		right = append(right, i)
	}
	report.Columns(w, "  ", append([][]string{g.Header}, g.Rows...), right...)
}

package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"ratecard/engine"
)

func runTable(c *command, args []string) int {
	list := c.listFlag()
	format := c.formatFlag("text", "output `format`: text, markdown or csv", "text", "markdown", "csv")
	title := c.flags.String("title", "", "print only the declared tables whose title holds `TEXT`")
	rows := c.flags.String("rows", "", "a table of your own: one row per value, `INPUT=V1,V2,...`")
	columns := c.flags.String("columns", "", "with -rows: one column per value, `INPUT=V1,V2,...`")
	show := c.flags.String("show", "", "with -rows: what each cell shows, a `METER` total or rate:NAME (default: the first meter)")
	if code, ok := c.parse(args); !ok {
		return code
	}
	if *rows == "" && (*columns != "" || *show != "") {
		return c.usageError("-columns and -show go with -rows")
	}
	set, err := parseRequest(c.flags.Args())
	if err != nil {
		return c.usageError("%v", err)
	}
	l, err := c.loadList(*list)
	if err != nil {
		return c.fail(err)
	}
	var grids []*engine.Grid
	if *rows != "" {
		spec := engine.GridSpec{Rows: *rows, Columns: *columns, Show: *show, Set: set}
		if spec.Show == "" {
			spec.Show = l.Rules.Meters[0].Name
		}
		g, err := l.Grid(spec)
		if err != nil {
			return c.fail(err)
		}
		grids = append(grids, g)
	} else {
		if len(set) > 0 {
			return c.usageError("NAME=VALUE settings go with -rows; declared tables fix their own")
		}
		all, err := l.Tables()
		if err != nil {
			return c.fail(err)
		}
		for _, g := range all {
			if strings.Contains(strings.ToLower(g.Title), strings.ToLower(*title)) {
				grids = append(grids, g)
			}
		}
		if len(grids) == 0 {
			return c.fail(fmt.Errorf("price list %s declares no table titled %q", l.Rules.Name, *title))
		}
	}
	for i, g := range grids {
		if i > 0 && *format != "csv" {
			fmt.Fprintln(c.stdout)
		}
		writeGrid(c.stdout, g, *format)
	}
	return exitOK
}

func writeGrid(w io.Writer, g *engine.Grid, format string) {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(g.Header)
		_ = cw.WriteAll(g.Rows)
	case "markdown":
		fmt.Fprintf(w, "%s:\n\n", g.Title)
		fmt.Fprintf(w, "| %s |\n", strings.Join(g.Header, " | "))
		fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(g.Header)))
		for _, row := range g.Rows {
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
	default:
		fmt.Fprintln(w, g.Title)
		right := make([]int, 0, len(g.Header))
		for i := 1; i < len(g.Header); i++ {
			right = append(right, i)
		}
		writeColumns(w, "  ", append([][]string{g.Header}, g.Rows...), right...)
	}
}

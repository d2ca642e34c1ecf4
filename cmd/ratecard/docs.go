package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"ratecard/authoring"
	"strings"

	"ratecard/engine"
	"ratecard/rules"
)

// runDocs writes a markdown page per price list, rendered from the rules,
// so that the published price page can never drift from what is charged.
func runDocs(c *command, args []string) int {
	list := c.flags.String("list", "", "only the price list `NAME`")
	out := c.flags.String("o", "", "write NAME.md per price list into `DIR` (default: standard output)")
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	rs, err := c.load()
	if err != nil {
		return c.fail(err)
	}
	at, err := now()
	if err != nil {
		return c.fail(err)
	}
	lists := rs.InForce(at)
	if *list != "" {
		l, err := rs.ListAt(*list, engine.Terms{At: at})
		if err != nil {
			return c.fail(err)
		}
		lists = []*engine.PriceList{l}
	}
	for i, l := range lists {
		var page bytes.Buffer
		if err := writeDocs(&page, l); err != nil {
			return c.fail(err)
		}
		if *out == "" {
			if i > 0 {
				fmt.Fprintln(c.stdout)
			}
			_, _ = c.stdout.Write(page.Bytes())
			continue
		}
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return c.fail(err)
		}
		name := filepath.Join(*out, l.Rules.Name+".md")
		if err := os.WriteFile(name, page.Bytes(), 0o644); err != nil {
			return c.fail(err)
		}
		fmt.Fprintf(c.stdout, "wrote %s\n", name)
	}
	return exitOK
}

func writeDocs(w io.Writer, l *engine.PriceList) error {
	r := l.Rules
	fmt.Fprintf(w, "# %s\n\n", r.Name)
	if r.Description != "" {
		fmt.Fprintf(w, "%s\n\n", r.Description)
	}
	if r.Version != "" {
		fmt.Fprintf(w, "Version %s.\n\n", r.Version)
	}
	fmt.Fprintf(w, "## What is priced\n\n| input | values | default | meaning |\n|---|---|---|---|\n")
	for _, in := range r.Inputs {
		def := ""
		switch {
		case in.Required:
			def = "required"
		case in.Default != nil:
			def = "`" + in.Default.String(in.Type) + "`"
			if in.Type == rules.List && len(in.Default.List) == 0 {
				def = "empty"
			}
		}
		if in.RequiredWhen != nil {
			def += fmt.Sprintf(" (required when `%s`)", cell(in.RequiredWhen.Text))
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", in.Name, domain(in), strings.TrimSpace(def), cell(in.Description))
	}
	fmt.Fprintf(w, "\n## Meters\n\n| meter | unit | each line rounded |\n|---|---|---|\n")
	for _, m := range r.Meters {
		fmt.Fprintf(w, "| `%s` | %s | %d places, %s |\n", m.Name, m.Unit, m.Places, strings.ReplaceAll(string(m.Mode), "_", "-"))
	}
	if len(r.Values) > 0 {
		fmt.Fprintf(w, "\n## Values\n\n| value | is |\n|---|---|\n")
		for _, v := range r.Values {
			fmt.Fprintf(w, "| `%s` | `%s` |\n", v.Name, cell(v.Expr.Text))
		}
	}
	fmt.Fprintf(w, "\n## Rates\n\n| rate | meter | charged when | amount |\n|---|---|---|---|\n")
	for _, rate := range r.Rates {
		when := "always"
		if rate.When != nil {
			when = "`" + cell(rate.When.Text) + "`"
		}
		amount := "`" + cell(rate.Amount.Text) + "`"
		if rate.ForEach != "" {
			amount += fmt.Sprintf(" for each `%s` of `%s`", rate.As, rate.ForEach)
		}
		desc := rate.Name
		if rate.Description != "" {
			desc += ": " + rate.Description
		}
		fmt.Fprintf(w, "| %s | `%s` | %s | %s |\n", cell(desc), rate.Meter, when, amount)
	}
	grids, err := authoring.Tables(l)
	if err != nil {
		return err
	}
	if len(grids) > 0 {
		fmt.Fprintf(w, "\n## Price tables\n\n")
		for i, g := range grids {
			if i > 0 {
				fmt.Fprintln(w)
			}
			writeGrid(w, g, "markdown")
		}
	}
	return nil
}

// domain describes the values an input takes.
func domain(in *rules.Input) string {
	var bounds []string
	for _, b := range []struct {
		op string
		b  *rules.Bound
	}{{">=", in.Min}, {"<=", in.Max}, {">", in.Above}, {"<", in.Below}} {
		if b.b != nil {
			bounds = append(bounds, b.op+" "+b.b.Value.String())
		}
	}
	bound := ""
	if len(bounds) > 0 {
		bound = " " + strings.Join(bounds, ", ")
	}
	switch in.Type {
	case rules.OneOf:
		return "`" + strings.Join(in.Values, "`, `") + "`"
	case rules.Boolean:
		return "true or false"
	case rules.Whole:
		return "a whole number" + bound
	case rules.List:
		if bound != "" {
			bound = ", each" + bound
		}
		return "a list of decimals" + bound
	}
	return "a decimal" + bound
}

// cell makes text safe in a markdown table cell: one line, pipes escaped.
func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}

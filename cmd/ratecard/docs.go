package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"ratecard/authoring"
	"strings"
	"time"

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
	names := rs.Names()
	if *list != "" {
		if _, err := rs.ListAt(*list, engine.Terms{At: at}); err != nil {
			var notInForce *engine.NotInForceError
			if !errors.As(err, &notInForce) {
				return c.fail(err)
			}
		}
		names = []string{*list}
	}
	for i, name := range names {
		var page bytes.Buffer
		if err := writeNamePage(&page, rs, name, at); err != nil {
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
		file := filepath.Join(*out, name+".md")
		if err := os.WriteFile(file, page.Bytes(), 0o644); err != nil {
			return c.fail(err)
		}
		fmt.Fprintf(c.stdout, "wrote %s\n", file)
	}
	return exitOK
}

// writeNamePage writes the page of one price list's name: the version in
// force at the instant at, and the changes scheduled after it. A name that
// is not in force yet (a promotion to come) shows its first version.
func writeNamePage(w io.Writer, rs *engine.RuleSet, name string, at time.Time) error {
	var upcoming []engine.Upcoming
	for _, u := range rs.Upcoming(at) {
		if u.List == name {
			upcoming = append(upcoming, u)
		}
	}
	cur, err := rs.ListAt(name, engine.Terms{At: at})
	note := ""
	if err != nil || cur.Rules.Name != name {
		note = fmt.Sprintf("Not in force on %s", at.Format(time.DateOnly))
		if err == nil {
			note += fmt.Sprintf(" (the name is priced as %s)", cur.Rules.Name)
		}
		cur = nil
		for len(upcoming) > 0 && cur == nil {
			u := upcoming[0]
			upcoming = upcoming[1:]
			if next, err := rs.ListAt(name, engine.Terms{At: u.Effective}); err == nil && next.Rules.Name == name {
				note += fmt.Sprintf(": takes effect %s", rules.FormatInstant(u.Effective))
				cur = next
			}
		}
		if cur == nil {
			fmt.Fprintf(w, "# %s\n\n%s.\n", name, note)
			return nil
		}
		note += "."
	}
	if err := writeDocs(w, cur, 2, note); err != nil {
		return err
	}
	writeUpcoming(w, rs, name, cur, upcoming)
	return nil
}

// writeUpcoming describes the changes scheduled for a name: from when,
// which version, and each rate and value whose expression changes.
func writeUpcoming(w io.Writer, rs *engine.RuleSet, name string, cur *engine.PriceList, upcoming []engine.Upcoming) {
	if len(upcoming) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## Upcoming changes\n")
	prev := cur
	for _, u := range upcoming {
		next, err := rs.ListAt(name, engine.Terms{At: u.Effective})
		if err != nil || next == prev {
			continue // a span that ends a grandfathering changes no price
		}
		r := next.Rules
		fmt.Fprintf(w, "\n### From %s\n\n", rules.FormatInstant(u.Effective))
		if r.Name != name {
			fmt.Fprintf(w, "The name is priced as %s (version %s) from then.\n", r.Name, r.Version)
			prev = next
			continue
		}
		switch b, pb := r.Base, prev.Rules.Base; {
		case r.Version != prev.Rules.Version:
			fmt.Fprintf(w, "Version %s", r.Version)
			if r.Description != "" && r.Description != prev.Rules.Description {
				fmt.Fprintf(w, ": %s", strings.TrimSuffix(r.Description, "."))
			}
			fmt.Fprintf(w, ".\n")
		case b != nil && pb != nil && b != pb:
			fmt.Fprintf(w, "Its base %s takes version %s", b.Name, b.Version)
			if b.Description != "" && b.Description != pb.Description {
				fmt.Fprintf(w, ": %s", strings.TrimSuffix(b.Description, "."))
			}
			fmt.Fprintf(w, ".\n")
		}
		if g := r.Grandfathering; g != nil {
			fmt.Fprintf(w, "\nCustomers since before %s keep the previous prices until %s.\n", rules.FormatInstant(g.SinceBefore), rules.FormatInstant(g.Until))
		}
		var rows []string
		for _, nr := range r.Rates {
			old := prev.Rules.Rate(nr.Name)
			switch {
			case old == nil:
				rows = append(rows, fmt.Sprintf("| %s | (new) | `%s` |", nr.Name, cell(nr.Amount.Text)))
			case old.Amount.Text != nr.Amount.Text:
				rows = append(rows, fmt.Sprintf("| %s | `%s` | `%s` |", nr.Name, cell(old.Amount.Text), cell(nr.Amount.Text)))
			}
		}
		if len(rows) > 0 {
			fmt.Fprintf(w, "\n| rate | amount now | amount then |\n|---|---|---|\n%s\n", strings.Join(rows, "\n"))
		}
		prev = next
	}
}

// writeDocs writes a price list's page; level is the markdown level of its
// sections (its title is one above).
func writeDocs(w io.Writer, l *engine.PriceList, level int, note string) error {
	r := l.Rules
	h := strings.Repeat("#", level)
	fmt.Fprintf(w, "%s %s\n\n", h[1:], r.Name)
	if note != "" {
		fmt.Fprintf(w, "%s\n\n", note)
	}
	if r.Description != "" {
		fmt.Fprintf(w, "%s\n\n", r.Description)
	}
	if r.Version != "" {
		fmt.Fprintf(w, "Version %s.\n\n", r.Version)
	}
	if r.Extends != "" && r.Extends != r.Name {
		writeOverlay(w, r)
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
	writeAllowances(w, r)
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

// writeOverlay says what a plan, contract or promotion changes of its
// base: the rates and values it replaces, the inputs it narrows, the
// adjustments it adds.
func writeOverlay(w io.Writer, r *rules.PriceList) {
	fmt.Fprintf(w, "An overlay of `%s`", r.Extends)
	if !r.Until.IsZero() {
		fmt.Fprintf(w, " until %s (then priced as `%s`)", rules.FormatInstant(r.Until), r.Extends)
	}
	fmt.Fprintf(w, ". What it changes:\n\n")
	for _, in := range r.Inputs {
		if in.Narrows != nil {
			fmt.Fprintf(w, "- input `%s` narrowed to %s\n", in.Name, domain(in))
		}
	}
	for _, v := range r.Values {
		if v.Replaces != nil && v.Origin == r.Name {
			fmt.Fprintf(w, "- value `%s` is `%s` (was `%s`)\n", v.Name, cell(v.Expr.Text), cell(v.Replaces.Expr.Text))
		}
	}
	for _, rate := range r.Rates {
		switch {
		case rate.Adjustment && rate.Origin == r.Name:
			fmt.Fprintf(w, "- adds `%s` on `%s`: `%s`%s\n", rate.Name, rate.Meter, cell(rate.Amount.Text), describe(rate.Description))
		case rate.Replaces != nil && rate.Origin == r.Name:
			fmt.Fprintf(w, "- rate `%s` is `%s` (was `%s`)%s\n", rate.Name, cell(rate.Amount.Text), cell(rate.Replaces.Amount.Text), describe(rate.Description))
		}
	}
	fmt.Fprintln(w)
}

func describe(s string) string {
	if s == "" {
		return ""
	}
	return ": " + cell(s)
}

// writeAllowances lists what a customer may draw on, and what the list
// charges once per period.
func writeAllowances(w io.Writer, r *rules.PriceList) {
	if len(r.Allowances) > 0 {
		fmt.Fprintf(w, "\n## Included and prepaid\n\nDrawn in this order before anything is billed.\n\n| allowance | meter | amount | meaning |\n|---|---|---|---|\n")
		for _, a := range r.Allowances {
			amount := "what the customer has left"
			if a.Amount != nil {
				amount = a.Amount.String() + " a " + a.Per
			}
			fmt.Fprintf(w, "| `%s` | `%s` | %s | %s |\n", a.Name, a.Meter, amount, cell(a.Description))
		}
	}
	if p := r.Period; p != nil {
		fmt.Fprintf(w, "\n## Each %s\n\n| rate | meter | amount |\n|---|---|---|\n", p.Every)
		for _, rate := range p.Rates {
			fmt.Fprintf(w, "| %s%s | `%s` | `%s` |\n", rate.Name, describe(rate.Description), rate.Meter, cell(rate.Amount.Text))
		}
	}
}

// domain describes the values an input takes.
func domain(in *rules.Input) string {
	var bounds []string
	for _, b := range in.Bounds() {
		bounds = append(bounds, b.Op+" "+b.Value.String())
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

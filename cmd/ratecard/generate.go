package main

import (
	"ratecard/reprice"
)

func runGenerate(c *command, args []string) int {
	from := c.flags.String("from", "", "the sample usage `FILE` (CSV) to draw records from")
	n := c.flags.Int("n", 1000, "how many `records` to write")
	seed := c.flags.Uint64("seed", 1, "the random `seed`: the same seed writes the same file")
	out := c.flags.String("o", "-", "write to `FILE` (- is standard output)")
	if code, ok := c.parseNoArgs(args); !ok {
		return code
	}
	if *from == "" {
		return c.usageError("generate needs -from FILE, a sample of usage records")
	}
	in, err := reprice.Open(*from, c.stdin)
	if err != nil {
		return c.fail(err)
	}
	defer in.Close()
	w, finish, err := c.output(*out, *from)
	if err != nil {
		return c.fail(err)
	}
	if err := reprice.Generate(w, in, *n, *seed); err != nil {
		_ = finish(false)
		return c.fail(err)
	}
	if err := finish(true); err != nil {
		return c.fail(err)
	}
	return exitOK
}

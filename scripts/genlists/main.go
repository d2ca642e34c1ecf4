// Command genlists writes a directory of generated price lists for
// measuring (scripts/bench): N copies of a rule file, each of RATES rates.
//
//	go run ./scripts/genlists RULEFILE DIR N RATES
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"ratecard/internal/genlists"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: genlists RULEFILE DIR N RATES")
		os.Exit(2)
	}
	base, err := os.ReadFile(os.Args[1])
	check(err)
	n, err := strconv.Atoi(os.Args[3])
	check(err)
	rates, err := strconv.Atoi(os.Args[4])
	check(err)
	dir := os.Args[2]
	check(os.MkdirAll(dir, 0o755))
	for _, f := range genlists.Lists(base, n, rates) {
		check(os.WriteFile(filepath.Join(dir, f.Path), f.Data, 0o644))
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "genlists:", err)
		os.Exit(1)
	}
}

package engine

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"ratecard/internal/golden"
)

// TestQuoteCases quotes each request of testdata/video-credits.requests
// with the shipped rules and compares every line and total with the golden
// file: the cases pin the decisions between and beyond the documented rows.
func TestQuoteCases(t *testing.T) {
	rs := shipped(t)
	f, err := os.Open("../testdata/video-credits.requests")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	sc := bufio.NewScanner(f)
	cases := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cases++
		req := Request{}
		for _, word := range strings.Fields(line) {
			name, value, _ := strings.Cut(word, "=")
			req[name] = value
		}
		fmt.Fprintf(&out, "%s\n", line)
		q, err := rs.Quote("video-credits", req)
		if err != nil {
			fmt.Fprintf(&out, "  error: %v\n", err)
			continue
		}
		for _, l := range q.Lines {
			name := l.Rate
			if l.Item > 0 {
				name = fmt.Sprintf("%s #%d", l.Rate, l.Item)
			}
			fmt.Fprintf(&out, "  %-14s %8s %s\n", name, l.Amount.String(), l.Meter)
		}
		for _, tot := range q.Totals {
			fmt.Fprintf(&out, "  %-14s %8s %s\n", "total", tot.Amount.String(), tot.Meter)
		}
	}
	if err := sc.Err(); err != nil || cases == 0 {
		t.Fatalf("reading requests: %v (%d cases)", err, cases)
	}
	golden.Check(t, "../testdata/golden/video-credits.quotes.txt", out.String())
}

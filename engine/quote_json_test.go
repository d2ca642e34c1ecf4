package engine

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"ratecard/rules"
)

// referenceJSON is the quote's JSON as encoding/json writes it from
// structs: AppendJSON must write the same bytes.
func referenceJSON(q *Quote) []byte {
	type line struct {
		Rate   string `json:"rate"`
		Meter  string `json:"meter"`
		Item   int    `json:"item,omitempty"`
		Amount string `json:"amount"`
	}
	type ruleset struct {
		Digest    string `json:"digest"`
		Version   string `json:"version,omitempty"`
		Effective string `json:"effective,omitempty"`
		Extends   string `json:"extends,omitempty"`
	}
	type draw struct {
		Allowance string `json:"allowance"`
		Meter     string `json:"meter"`
		Drawn     string `json:"drawn"`
		Left      string `json:"left"`
	}
	totals := func(ts []Total) orderedObject {
		out := make(orderedObject, 0, len(ts))
		for _, t := range ts {
			out = append(out, [2]string{t.Meter, t.Amount.String()})
		}
		return out
	}
	out := struct {
		List    string        `json:"list"`
		Totals  orderedObject `json:"totals"`
		Lines   []line        `json:"lines"`
		Drawn   []draw        `json:"drawn,omitempty"`
		Billed  orderedObject `json:"billed,omitempty"`
		Ruleset ruleset       `json:"ruleset"`
	}{List: q.List, Totals: totals(q.Totals), Lines: []line{}, Ruleset: ruleset{q.Digest, q.Version, "", q.Extends}}
	if !q.Effective.IsZero() {
		out.Ruleset.Effective = rules.FormatInstant(q.Effective)
	}
	for _, l := range q.Lines {
		out.Lines = append(out.Lines, line{l.Rate, l.Meter, l.Item, l.Amount.String()})
	}
	if q.Billed != nil {
		out.Billed = totals(q.Billed)
		out.Drawn = []draw{}
		for _, d := range q.Drawn {
			out.Drawn = append(out.Drawn, draw{d.Allowance, d.Meter, d.Amount.String(), d.Left.String()})
		}
	}
	data, _ := json.Marshal(out)
	return data
}

// TestAppendJSON compares AppendJSON, compact and indented, with
// encoding/json over the shipped rules' quotes of every shape: lines per
// item, allowances, an effective instant, an overlay.
func TestAppendJSON(t *testing.T) {
	rs := shipped(t)
	at := time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)
	n := 0
	for _, list := range []string{"video-credits", "video-credits-team", "video-credits-holiday"} {
		for _, req := range append(benchRequests(), Request{"action": "edit", "clips": "5,5,1", "images": "3"}, Request{}) {
			for _, terms := range []Terms{{}, {At: at}, {Remaining: map[string]decimal.Decimal{"top_up": decimal.RequireFromString("3")}}, {Remaining: map[string]decimal.Decimal{}}} {
				q, err := rs.QuoteTerms(list, terms, req)
				if err != nil {
					continue
				}
				n++
				compact := referenceJSON(q)
				if got := q.AppendJSON(nil, ""); !bytes.Equal(got, compact) {
					t.Fatalf("compact:\n%s\nwant\n%s", got, compact)
				}
				var indented bytes.Buffer
				if err := json.Indent(&indented, compact, "", "  "); err != nil {
					t.Fatal(err)
				}
				if got := q.AppendJSON(nil, "  "); !bytes.Equal(got, indented.Bytes()) {
					t.Fatalf("indented:\n%s\nwant\n%s", got, indented.Bytes())
				}
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d quotes compared", n)
	}
}

// FuzzJSONString checks that AppendJSON escapes any text as encoding/json
// does.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"plain", "a\"b\\c", "<&>", "\u2028\u2029", "\x00\x1f\x7f", "\xff\xfe", "é😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w := jsonWriter{}
		w.str(s)
		want, _ := json.Marshal(s)
		if !bytes.Equal(w.b, want) {
			t.Fatalf("%q: %s, want %s", s, w.b, want)
		}
	})
}

// orderedObject, for referenceJSON, is a JSON object of string values
// whose keys keep their order (a Go map's are sorted).
type orderedObject [][2]string

func (o orderedObject) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, kv := range o {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(kv[0])
		v, _ := json.Marshal(kv[1])
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

package reprice

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"ratecard"
	"ratecard/engine"
)

func shippedList(t testing.TB) *engine.PriceList {
	t.Helper()
	return videoCredits(t)(engine.LoadFS(ratecard.ShippedRules, ratecard.ShippedRulesDir))
}

// videoCredits returns a function that takes a load's result and returns
// its video-credits list, failing the test on any error.
func videoCredits(t testing.TB) func(*engine.RuleSet, error) *engine.PriceList {
	return func(rs *engine.RuleSet, err error) *engine.PriceList {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		l, err := rs.List("video-credits")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
}

const sample = "../testdata/usage/video-credits-sample.csv"

// BenchmarkReprice reprices the sample from CSV to CSV, end to end, and
// beside it quotes the same records' requests with the bare engine, in the
// same run: the difference is what reading and writing add per record.
func BenchmarkReprice(b *testing.B) {
	data, err := os.ReadFile(sample)
	if err != nil {
		b.Fatal(err)
	}
	l := shippedList(b)
	in, err := newCSVReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	bd := bind(in.Columns(), l)
	var recs []*Record
	for {
		rec, err := in.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		rec.Fields = append([]string(nil), rec.Fields...) // the reader reuses its slice
		recs = append(recs, rec)
	}
	records := float64(len(recs))

	b.Run("engine", func(b *testing.B) {
		p := bd.pricer()
		for b.Loop() {
			for _, rec := range recs {
				if _, err := p.quote(rec); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/records, "ns/record")
	})
	// endToEnd reprices the whole file each iteration, to CSV results.
	endToEnd := func(open func(io.Reader) (Reader, error), file []byte, workers int) func(*testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				in, err := open(bytes.NewReader(file))
				if err != nil {
					b.Fatal(err)
				}
				s, err := Run(in, l, Options{Workers: workers, Results: NewResultWriter(io.Discard, "csv")})
				if err != nil || s.Priced != len(recs) {
					b.Fatalf("%v, %d priced", err, s.Priced)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/records, "ns/record")
			b.ReportMetric(records*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		}
	}
	csvReader := func(r io.Reader) (Reader, error) { return newCSVReader(r) }
	jsonReader := func(r io.Reader) (Reader, error) { return newJSONReader(r) }
	b.Run("jsonl-to-csv", endToEnd(jsonReader, sampleAsJSONLines(b, bd.columns, recs), 1))
	b.Run("csv-to-csv", endToEnd(csvReader, data, 1))
	b.Run("csv-to-csv-2-workers", endToEnd(csvReader, data, 2))
}

// sampleAsJSONLines writes the sample's records as JSON lines, as a usage
// export would: numbers as numbers, lists as arrays, empty fields left out.
func sampleAsJSONLines(t testing.TB, columns []string, recs []*Record) []byte {
	var out bytes.Buffer
	for _, rec := range recs {
		obj := map[string]any{}
		for i, c := range columns {
			v := rec.Fields[i]
			switch {
			case v == "":
			case c == "duration" || c == "images":
				obj[c] = json.Number(v)
			case c == "clips":
				var items []json.Number
				for _, item := range strings.Split(v, ",") {
					items = append(items, json.Number(item))
				}
				obj[c] = items
			default:
				obj[c] = v
			}
		}
		line, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		out.Write(append(line, '\n'))
	}
	return out.Bytes()
}

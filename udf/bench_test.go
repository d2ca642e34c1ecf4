package udf

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
)

// sampleRows returns the sample usage's rows as TabSeparated and as
// JSONEachRow, over the inputs' columns.
func sampleRows(t testing.TB) (columns []string, tsv, jsonl []byte, rows [][]string) {
	f, err := os.Open("../testdata/usage/video-credits-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	columns = []string{"action", "media", "duration", "actor", "images", "clips"}
	index := map[string]int{}
	for i, c := range all[0] {
		index[c] = i
	}
	var tb, jb bytes.Buffer
	for _, rec := range all[1:] {
		row := map[string]any{}
		var fields []string
		for _, c := range columns {
			v := rec[index[c]]
			fields = append(fields, v)
			if v == "" {
				tb.WriteString(`\N`)
			} else {
				tb.WriteString(v)
				if c == "clips" {
					row[c] = json.RawMessage("[" + v + "]")
				} else if c == "duration" || c == "images" {
					row[c] = json.RawMessage(v)
				} else {
					row[c] = v
				}
			}
			if c != columns[len(columns)-1] {
				tb.WriteByte('\t')
			}
		}
		tb.WriteByte('\n')
		data, _ := json.Marshal(row)
		jb.Write(data)
		jb.WriteByte('\n')
		rows = append(rows, fields)
	}
	return columns, tb.Bytes(), jb.Bytes(), rows
}

// BenchmarkPipe prices the sample's 3,000 rows through the pipe in both
// formats, beside the engine quoting the same rows from their text (the
// inputs set by name, as the pipe does), in the same run: the ratio is
// what reading and writing rows costs over the quote. One op is the
// whole sample.
func BenchmarkPipe(b *testing.B) {
	rs := shipped(b)
	columns, tsv, jsonl, rows := sampleRows(b)
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
	}
	b.Run("engine", func(b *testing.B) {
		l, err := rs.List("")
		if err != nil {
			b.Fatal(err)
		}
		in := l.NewInputs()
		b.ReportAllocs()
		for b.Loop() {
			for _, row := range rows {
				in.Reset()
				for i, v := range row {
					if v != "" {
						if err := in.SetText(columns[i], tsvValue(v)); err != nil {
							b.Fatal(err)
						}
					}
				}
				if _, err := in.Quote(); err != nil {
					b.Fatal(err)
				}
			}
		}
		report(b)
	})
	for _, c := range []struct {
		name  string
		opts  Options
		input []byte
	}{
		{"tsv", Options{Format: TabSeparated, Columns: columns}, tsv},
		{"jsoneachrow", Options{Format: JSONEachRow}, jsonl},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st, err := Pipe(rs, bytes.NewReader(c.input), io.Discard, c.opts)
				if err != nil || st.Bad > 0 {
					b.Fatalf("%v, %d bad rows", err, st.Bad)
				}
			}
			report(b)
		})
	}
}

// TestSampleRowsPriceAlike checks that both formats of the sample price
// every row, and to the same credits.
func TestSampleRowsPriceAlike(t *testing.T) {
	rs := shipped(t)
	columns, tsv, jsonl, rows := sampleRows(t)
	var a, b bytes.Buffer
	if st, err := Pipe(rs, bytes.NewReader(tsv), &a, Options{Format: TabSeparated, Columns: columns}); err != nil || st.Bad > 0 || st.Rows != len(rows) {
		t.Fatalf("tsv: %v %+v", err, st)
	}
	if st, err := Pipe(rs, bytes.NewReader(jsonl), &b, Options{Format: JSONEachRow}); err != nil || st.Bad > 0 {
		t.Fatalf("jsonl: %v %+v", err, st)
	}
	got := strings.ReplaceAll(strings.ReplaceAll(b.String(), `{"result":`, ""), "}", "")
	if got != a.String() {
		t.Error("the formats price the sample differently")
	}
}

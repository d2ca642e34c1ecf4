package reprice

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/shopspring/decimal"
)

// Generate writes n usage records in CSV, drawn at random (with a fixed
// seed, so reproducibly) from the records of a sample: a large file with
// the sample's mix, for measuring. Each number (and each number of a
// comma-separated list) is scaled by a random factor from 0.5 to 1.5 and
// kept to its own decimal places; an "id" column gets fresh ids. It knows
// nothing of any price list.
func Generate(w io.Writer, sample Reader, n int, seed uint64) error {
	columns := sample.Columns()
	var rows [][]string
	for {
		rec, err := sample.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if rec.Fields == nil {
			return fmt.Errorf("the sample must be CSV")
		}
		rows = append(rows, append([]string(nil), rec.Fields...))
	}
	if len(rows) == 0 {
		return fmt.Errorf("the sample holds no record")
	}
	idColumn := -1
	for i, c := range columns {
		if c == "id" {
			idColumn = i
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write(columns); err != nil {
		return err
	}
	out := make([]string, len(columns))
	for i := 0; i < n; i++ {
		src := rows[rng.IntN(len(rows))]
		for j, field := range src {
			switch {
			case j == idColumn:
				out[j] = fmt.Sprintf("g%d", i+1)
			default:
				out[j] = jitter(field, rng)
			}
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// jitter scales each number of a field (a number or a comma-separated
// list of them) by a factor from 0.50 to 1.50, exactly; other text is
// kept as it is.
func jitter(field string, rng *rand.Rand) string {
	parts := strings.Split(field, ",")
	for i, p := range parts {
		d, err := decimal.NewFromString(p)
		if err != nil {
			return field
		}
		places := int32(0)
		if dot := strings.IndexByte(p, '.'); dot >= 0 {
			places = int32(len(p) - dot - 1)
		}
		factor := decimal.New(int64(50+rng.IntN(101)), -2)
		parts[i] = d.Mul(factor).Round(places).StringFixed(places)
	}
	return strings.Join(parts, ",")
}

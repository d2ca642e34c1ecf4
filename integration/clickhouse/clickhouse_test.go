// Package clickhouse runs ratecard inside a real ClickHouse: chDB, the
// embeddable ClickHouse, loads the function configuration of
// deploy/clickhouse, and the what-if SQL there prices the sample usage
// through `ratecard pipe`. The per-plan sums must be those `ratecard
// reprice` gives for the same rows. It is a module of its own because
// chDB's library (CHDB_LIB_PATH, which .ci/run installs) must be present
// when the test binary starts; `go test ./...` at the root never needs it.
package clickhouse

import (
	"encoding/json"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	chdbpurego "github.com/chdb-io/chdb-go/chdb-purego"
)

const repo = "../.."

func abs(t *testing.T, path string) string {
	t.Helper()
	p, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWhatIfInClickHouse builds ratecard, configures the two functions of
// deploy/clickhouse (the draft pointed at testdata/whatif's), runs
// what-if.sql, and compares the totals per plan with ratecard reprice.
func TestWhatIfInClickHouse(t *testing.T) {
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "ratecard"), "./cmd/ratecard")
	build.Dir = repo
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building ratecard: %v\n%s", err, out)
	}
	draft := abs(t, repo+"/testdata/whatif/generative-25.yaml")
	usage := abs(t, repo+"/testdata/usage/video-credits-periods.csv")
	config, err := os.ReadFile(repo + "/deploy/clickhouse/ratecard_function.xml")
	if err != nil {
		t.Fatal(err)
	}
	config = []byte(strings.ReplaceAll(string(config), "/etc/ratecard/draft", draft))
	if err := os.WriteFile(filepath.Join(dir, "ratecard_function.xml"), config, 0o644); err != nil {
		t.Fatal(err)
	}
	// The same function in TabSeparated, without chunk headers: the other
	// framing, NULLs as \N, arrays as [5,5].
	if err := os.WriteFile(filepath.Join(dir, "tsv_function.xml"), []byte(tsvFunction), 0o644); err != nil {
		t.Fatal(err)
	}
	conn, err := chdbpurego.NewConnectionFromConnString(":memory:?udf_path=" + dir)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	query := func(sql string) string {
		t.Helper()
		res, err := conn.Query(sql, "TabSeparated")
		if err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		return res.String()
	}

	sql, err := os.ReadFile(repo + "/deploy/clickhouse/what-if.sql")
	if err != nil {
		t.Fatal(err)
	}
	statements := splitSQL(strings.ReplaceAll(string(sql), "file('video-credits-periods.csv'", "file('"+usage+"'"))
	if len(statements) != 3 {
		t.Fatalf("what-if.sql holds %d statements, want 3 (the table, the totals, the quantiles)", len(statements))
	}
	query(statements[0])
	if got := strings.TrimSpace(query("SELECT count() FROM usage")); got != "3000" {
		t.Fatalf("the usage table holds %s rows", got)
	}

	// Both framings price every row alike.
	if got := strings.TrimSpace(query(`SELECT countIf(a IS NULL), countIf(NOT (a <=> b)) FROM (
		SELECT ratecard_credits(action, media, duration, actor, images, clips, ts) AS a,
		       ratecard_credits_tsv(action, media, duration, actor, images, clips, ts) AS b FROM usage)`)); got != "0\t0" {
		t.Errorf("rows unpriced, and rows priced otherwise in TabSeparated: %s", got)
	}

	// Totals per plan, old and new, against ratecard reprice.
	want := map[string][2]*big.Rat{}
	for i, rules := range []string{"", draft} {
		for plan, sum := range repriceByPlan(t, filepath.Join(dir, "ratecard"), rules, usage) {
			w := want[plan]
			w[i] = sum
			want[plan] = w
		}
	}
	lines := strings.Split(strings.TrimSpace(query(statements[1])), "\n")
	t.Logf("per plan (plan, old, new, change):\n%s", strings.Join(lines, "\n"))
	if len(lines) != len(want) {
		t.Fatalf("%d plans from ClickHouse, %d from ratecard:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
	for _, line := range lines {
		f := strings.Split(line, "\t") // plan, old, new, change
		w, ok := want[f[0]]
		if !ok || len(f) != 4 || !equal(f[1], w[0]) || !equal(f[2], w[1]) {
			t.Errorf("plan %s: ClickHouse %v, ratecard reprice %v and %v", f[0], f[1:], w[0].FloatString(2), w[1].FloatString(2))
		}
	}

	// The quantiles of the per-record change: a row of quantiles and the
	// largest, which no quantile passes.
	f := strings.Split(strings.TrimSpace(query(statements[2])), "\t")
	if len(f) != 2 || !strings.HasPrefix(f[0], "[") {
		t.Fatalf("quantiles: %q", f)
	}
	largest := rat(t, f[1])
	for _, q := range strings.Split(strings.Trim(f[0], "[]"), ",") {
		if rat(t, q).Cmp(largest) > 0 {
			t.Errorf("a quantile (%s) above the largest change (%s)", q, f[1])
		}
	}
	if largest.Sign() <= 0 {
		t.Errorf("the draft raises no price: largest change %s", f[1])
	}
}

// repriceByPlan sums each plan's credits as ratecard reprice prices the
// usage, each record as of its instant.
func repriceByPlan(t *testing.T, ratecard, rules, usage string) map[string]*big.Rat {
	t.Helper()
	args := []string{"reprice", "-usage", usage, "-at-column", "ts", "-group-by", "plan", "-period", "year", "-format", "jsonl"}
	if rules != "" {
		args = append(args, "-rules", rules)
	}
	out, err := exec.Command(ratecard, args...).Output()
	if err != nil {
		t.Fatalf("ratecard %s: %v", strings.Join(args, " "), err)
	}
	var rep struct {
		Rows []struct {
			Group string
			Total []string
		}
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	sums := map[string]*big.Rat{}
	for _, r := range rep.Rows {
		if sums[r.Group] == nil {
			sums[r.Group] = new(big.Rat)
		}
		sums[r.Group].Add(sums[r.Group], rat(t, r.Total[0]))
	}
	return sums
}

func rat(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		t.Fatalf("%q is not a number", s)
	}
	return r
}

func equal(s string, r *big.Rat) bool {
	v, ok := new(big.Rat).SetString(s)
	return ok && r != nil && v.Cmp(r) == 0
}

// splitSQL splits a file of statements ended by ";", without its comments.
func splitSQL(text string) []string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line + "\n")
		}
	}
	var out []string
	for _, s := range strings.Split(b.String(), ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

const tsvFunction = `<functions>
    <function>
        <type>executable</type>
        <name>ratecard_credits_tsv</name>
        <return_type>Nullable(Decimal(18, 2))</return_type>
        <argument><type>String</type></argument>
        <argument><type>Nullable(String)</type></argument>
        <argument><type>Nullable(Decimal(12, 3))</type></argument>
        <argument><type>Nullable(String)</type></argument>
        <argument><type>Nullable(UInt32)</type></argument>
        <argument><type>Array(Decimal(12, 3))</type></argument>
        <argument><type>DateTime</type></argument>
        <format>TabSeparated</format>
        <command>ratecard pipe -columns action,media,duration,actor,images,clips,ts -at-column ts</command>
    </function>
</functions>
`

package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"ratecard/rules"
)

// manyLists returns n generated price lists: copies of the shipped
// video-credits list (its first version), each under its own name and
// description, with extra rates up to rates in all (the list has 5), for
// measuring how loading, checking and testing grow with a rules
// directory. Their prices are the list's, so that its examples pass.
func manyLists(t testing.TB, n, rates int) []rules.File {
	t.Helper()
	data, err := os.ReadFile("../rules.d/video-credits.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base, _, _ := strings.Cut(string(data), "\n---\n") // the first version alone
	var files []rules.File
	for i := range n {
		text := strings.Replace(base, "name: video-credits", fmt.Sprintf("name: list-%04d", i), 1)
		text = strings.Replace(text, "description: Credits charged", fmt.Sprintf("description: (copy %d) Credits charged", i), 1)
		var extra strings.Builder
		for k := 5; k < rates; k++ {
			fmt.Fprintf(&extra, "\n  - name: extra_%d\n    description: an extra charge for edits with more than %d images\n    meter: credits\n    when: action == \"edit\" and images > %d\n    amount: (images - %d) * 0.01\n", k, 100+k, 100+k, 100+k)
		}
		text = strings.Replace(text, "\n# Properties of the price list", extra.String()+"\n# Properties of the price list", 1)
		files = append(files, rules.File{Path: fmt.Sprintf("list-%04d.yaml", i), Data: []byte(text)})
	}
	return files
}

// writeLists writes files into a new directory and returns it.
func writeLists(t testing.TB, files []rules.File) string {
	dir := t.TempDir()
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Path), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// BenchmarkLoadLists loads a directory of 1,000 generated price lists of
// 5 and of 50 rates: the time and allocations of one load (ms a list),
// and the heap the rule set keeps.
func BenchmarkLoadLists(b *testing.B) {
	for _, rates := range []int{5, 50} {
		b.Run(fmt.Sprintf("rates=%d", rates), func(b *testing.B) {
			const n = 1000
			dir := writeLists(b, manyLists(b, n, rates))
			var rs *RuleSet
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if rs, err = LoadDir(dir); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/n, "ms/list")
			rs = nil
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			rs, _ = LoadDir(dir)
			runtime.GC()
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(rs)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB-kept")
		})
	}
}

// BenchmarkReloadOneOf1000 reloads a live directory of 1,000 lists of 50
// rates after one file changed, as the watch does: what the caches leave
// to do (listing the directory and stating each file, reading, parsing and
// compiling the one that changed, checking its examples, swapping).
func BenchmarkReloadOneOf1000(b *testing.B) {
	files := manyLists(b, 1000, 50)
	dir := writeLists(b, files)
	live, err := NewLive(dir, LiveOptions{})
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, files[500].Path)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		text := strings.Replace(string(files[500].Data), "Credits charged", fmt.Sprintf("Credits charged (edit %d)", i), 1)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := live.reload("watch", false); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if st := live.cache.Stats(); st.Compiled != 1 {
		b.Fatalf("a reload compiled %d lists", st.Compiled)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/reload")
}

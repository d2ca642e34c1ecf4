package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"ratecard/internal/genlists"
	"ratecard/rules"
)

// manyLists returns n generated copies of the shipped list, of rates
// rates each (see genlists).
func manyLists(t testing.TB, n, rates int) []rules.File {
	t.Helper()
	data, err := os.ReadFile("../rules.d/video-credits.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return genlists.Lists(data, n, rates)
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
		b.Run(fmt.Sprintf("rates=%d", rates), func(b *testing.B) { benchLoadLists(b, rates) })
	}
}

// BenchmarkLoadListsOneCore is BenchmarkLoadLists of 50 rates on one core
// (GOMAXPROCS=1), as a sidecar given one CPU starts.
func BenchmarkLoadListsOneCore(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	benchLoadLists(b, 50)
}

func benchLoadLists(b *testing.B, rates int) {
	const n = 1000
	dir := writeLists(b, manyLists(b, n, rates))
	benchLoad(b, func() (*RuleSet, error) { return LoadDir(dir) })
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/n, "ms/list")
}

// BenchmarkReloadOneOf1000 reloads a live directory of 1,000 lists of 50
// rates after one file changed: what the caches leave to do (reading,
// parsing and compiling the one that changed, checking its examples,
// swapping). named is the watch's reload, after events that named the
// file: only it is asked about; stat is a poll's (or a reload after
// events it cannot trust): the directory is listed and every file stated.
func BenchmarkReloadOneOf1000(b *testing.B) {
	b.Run("named", func(b *testing.B) { benchReloadOneOf1000(b, true) })
	b.Run("stat", func(b *testing.B) { benchReloadOneOf1000(b, false) })
}

func benchReloadOneOf1000(b *testing.B, named bool) {
	files := manyLists(b, 1000, 50)
	dir := writeLists(b, files)
	// Written an hour ago, as a directory a sidecar serves is: a file
	// modified within the reader's racy window is read again at every
	// reload, which would measure a fresh checkout, not one change.
	old := time.Now().Add(-time.Hour)
	for _, f := range files {
		if err := os.Chtimes(filepath.Join(dir, f.Path), old, old); err != nil {
			b.Fatal(err)
		}
	}
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
		reload := func() (bool, error) { return live.reload("watch", false) }
		if named {
			reload = func() (bool, error) { return live.reloadNamed("watch", []string{files[500].Path}) }
		}
		if _, err := reload(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if st := live.cache.Stats(); st.Compiled != 1 {
		b.Fatalf("a reload compiled %d lists", st.Compiled)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/reload")
}

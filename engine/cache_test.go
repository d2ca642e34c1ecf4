package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestIncrementalReload keeps the cache honest: in a directory of 1,000
// price lists and three overlays of one of them, a reload after one file
// changed parses, decodes and compiles that file's list and the lists
// that extend it, nothing else, and prices with the change.
func TestIncrementalReload(t *testing.T) {
	defer func(c func() time.Time) { Clock = c }(Clock)
	Clock = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
	files := manyLists(t, 1000, 5)
	dir := writeLists(t, files)
	for i := range 3 {
		text := fmt.Sprintf("name: plan-%d\nextends: list-0001\nadjustments:\n  - {name: plan_discount, meter: credits, amount: \"-credits * 0.0%d\"}\n", i, i+1)
		writeFile(t, filepath.Join(dir, fmt.Sprintf("plan-%d.yaml", i)), text)
	}
	live, err := NewLive(dir, LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var last ReloadResult
	live.Subscribe(func(r ReloadResult) { last = r })
	credits := func(list string) string {
		q, err := live.Quote(list, Request{"duration": "60"})
		if err != nil {
			t.Fatal(err)
		}
		return q.Total("credits").StringFixed(2)
	}
	if got := credits("plan-0"); got != "19.80" { // 20 credits a minute on list-0001, 1% off
		t.Fatalf("plan-0 before: %s", got)
	}
	edit := func(name, from, to string) {
		t.Helper()
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(data), from, to, 1)
		if text == string(data) {
			t.Fatalf("%s holds no %q", name, from)
		}
		writeFile(t, path, text)
		if err := live.Reload(); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		file, from, to string
		want           CacheStats
	}{
		// The base of three overlays: it and they are built again (their
		// files are parsed again, for their YAML is not kept).
		{"list-0001.yaml", "\n# Properties of the price list", "\n  - {name: big_edit, meter: credits, when: images > 1000, amount: 7}\n# Properties of the price list",
			CacheStats{Parsed: 4, Decoded: 4, Compiled: 4, Lists: 1003}},
		// A list nothing extends: itself alone.
		{"list-0500.yaml", "Credits charged", "Credits still charged", CacheStats{Parsed: 1, Decoded: 1, Compiled: 1, Lists: 1003}},
		// An overlay: itself alone.
		{"plan-2.yaml", "0.03", "0.05", CacheStats{Parsed: 1, Decoded: 1, Compiled: 1, Lists: 1003}},
	} {
		edit(c.file, c.from, c.to)
		if last.Cache != c.want || last.Err != nil {
			t.Errorf("after editing %s: %+v (%v), want %+v", c.file, last.Cache, last.Err, c.want)
		}
	}
	for list, want := range map[string]string{"list-0001": "407.00", "plan-0": "402.93", "plan-2": "386.65", "list-0002": "400.00"} {
		q, err := live.Quote(list, Request{"action": "edit", "images": "2000"}) // 400 credits, and big_edit's 7 on list-0001
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Total("credits").StringFixed(2); got != want {
			t.Errorf("%s: %s credits, want %s", list, got, want)
		}
	}
	// A file that breaks leaves the cache as the last good load left it:
	// with the file restored and another changed, only the other is built.
	writeFile(t, filepath.Join(dir, "list-0700.yaml"), "name: list-0700\nmeters: {credits: {places: 2}}\nrates: [{name: r, meter: credits, amount: durr}]\n")
	if err := live.Reload(); err == nil {
		t.Fatal("a broken file reloaded")
	}
	writeFile(t, filepath.Join(dir, "list-0700.yaml"), strings.Replace(string(files[700].Data), "billed * 20 / 60", "billed * 21 / 60", 1))
	if err := live.Reload(); err == nil || !strings.Contains(err.Error(), "fails") {
		t.Fatalf("a list whose examples fail reloaded: %v", err)
	}
	writeFile(t, filepath.Join(dir, "list-0700.yaml"), string(files[700].Data))
	edit("list-0600.yaml", "Credits charged", "Credits still charged")
	if want := (CacheStats{Parsed: 1, Decoded: 1, Compiled: 1, Lists: 1003}); last.Cache != want || last.Err != nil {
		t.Errorf("after a failed reload: %+v (%v), want %+v", last.Cache, last.Err, want)
	}
}

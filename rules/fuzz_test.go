package rules

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse loads arbitrary bytes as a rule file: it returns a price list
// or errors with positions, never panics and never hangs.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/bad/*.yaml")
	seeds = append(seeds, "../rules.d/video-credits.yaml")
	for _, path := range seeds {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
	if base, err := os.ReadFile("../rules.d/video-credits.yaml"); err == nil {
		if plans, err := os.ReadFile("../rules.d/plans.yaml"); err == nil {
			f.Add(append(append(base, "\n---\n"...), plans...)) // versions and overlays in one file
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := Parse([]File{{Path: "f.yaml", Data: data}})
		if err == nil && (set == nil || len(set.Lists) == 0 || len(set.Schedule) == 0) {
			t.Fatalf("no error, but %v", set)
		}
		if err == nil {
			for name, spans := range set.Schedule {
				for i := 1; i < len(spans); i++ {
					if spans[i].From.Before(spans[i-1].Until) {
						t.Fatalf("%s: spans overlap: %v", name, spans)
					}
				}
			}
		}
		if list, ok := err.(ErrorList); ok {
			for _, e := range list {
				if e.Pos.Line < 1 || e.Pos.Col < 1 {
					t.Fatalf("error without a position: %v", e)
				}
			}
		}
	})
}

package rules

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// loadBoth loads dir with the fast YAML path and with yaml.v3 alone.
func loadBoth(t *testing.T, dir string) (fast, v3 *Set, fastErr, v3Err error) {
	t.Helper()
	fast, fastErr = LoadDir(dir)
	onlyYAMLv3 = true
	defer func() { onlyYAMLv3 = false }()
	v3, v3Err = LoadDir(dir)
	return
}

// TestFastLoadSameAsYAMLv3 loads directories both ways and wants the same
// rule sets, value for value and position for position: the shipped
// rules, the examples, and a directory of files read by one worker after
// another, some with overlays (whose nodes a worker keeps) between others
// written whole (whose nodes it makes again of the next file's).
func TestFastLoadSameAsYAMLv3(t *testing.T) {
	dirs := []string{"../rules.d"}
	examples, _ := filepath.Glob("../examples/*")
	for _, d := range examples {
		if info, err := os.Stat(d); err == nil && info.IsDir() {
			dirs = append(dirs, d)
		}
	}
	mixed := t.TempDir()
	shipped, err := os.ReadFile("../rules.d/video-credits.yaml")
	if err != nil {
		t.Fatal(err)
	}
	plans, err := os.ReadFile("../rules.d/plans.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		name := "list-" + string(rune('a'+i))
		text := strings.ReplaceAll(string(shipped), "video-credits", name)
		if err := os.WriteFile(filepath.Join(mixed, name+".yaml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		overlays := strings.ReplaceAll(string(plans), "video-credits", name)
		if err := os.WriteFile(filepath.Join(mixed, name+"-plans.yaml"), []byte(overlays), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dirs = append(dirs, mixed)
	for _, dir := range dirs {
		fast, v3, fastErr, v3Err := loadBoth(t, dir)
		if (fastErr == nil) != (v3Err == nil) || fastErr != nil && fastErr.Error() != v3Err.Error() {
			t.Fatalf("%s: errors differ:\nfast:    %v\nyaml.v3: %v", dir, fastErr, v3Err)
		}
		if fast == nil || len(fast.Lists) == 0 {
			t.Fatalf("%s: nothing loaded (%v)", dir, fastErr)
		}
		if !reflect.DeepEqual(fast, v3) {
			t.Errorf("%s: the rule sets differ", dir)
		}
	}
}

// TestFastLoadSameErrors: every bad file of testdata/bad gets the same
// errors either way.
func TestFastLoadSameErrors(t *testing.T) {
	files, _ := filepath.Glob("../testdata/bad/*.yaml")
	if len(files) < 50 {
		t.Fatalf("%d bad files", len(files))
	}
	for _, f := range files {
		_, _, fastErr, v3Err := loadBoth(t, f)
		if (fastErr == nil) != (v3Err == nil) || fastErr != nil && fastErr.Error() != v3Err.Error() {
			t.Errorf("%s: errors differ:\nfast:    %v\nyaml.v3: %v", f, fastErr, v3Err)
		}
	}
}

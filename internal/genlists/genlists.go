// Package genlists generates directories of price lists for measuring how
// loading, checking and testing grow with the number of lists: copies of a
// price list, each under its own name and description, with extra rates.
package genlists

import (
	"fmt"
	"strings"

	"ratecard/rules"
)

// Lists returns n copies of the price list written in base (its first
// YAML document), each named list-NNNN, with extra rates up to rates in
// all when base has fewer. An extra rate charges edits with many images,
// which no example of the video-credits list makes, so its examples pass
// in every copy.
func Lists(base []byte, n, rates int) []rules.File {
	text, _, _ := strings.Cut(string(base), "\n---\n")
	name := "video-credits"
	if i := strings.Index(text, "\nname: "); i >= 0 {
		name, _, _ = strings.Cut(text[i+len("\nname: "):], "\n")
	}
	have := 0 // the rates base has: the list items between rates: and the next section
	if _, after, ok := strings.Cut(text, "\nrates:\n"); ok {
		section, _, _ := strings.Cut(after, "\n# Properties of the price list")
		have = strings.Count(section, "\n  - name: ") + 1
	}
	var files []rules.File
	for i := range n {
		t := strings.Replace(text, "name: "+name, fmt.Sprintf("name: list-%04d", i), 1)
		t = strings.Replace(t, "\ndescription: ", fmt.Sprintf("\ndescription: (copy %d) ", i), 1)
		var extra strings.Builder
		for k := have; k < rates; k++ {
			fmt.Fprintf(&extra, "\n  - name: extra_%d\n    description: an extra charge for edits with more than %d images\n    meter: credits\n    when: action == \"edit\" and images > %d\n    amount: (images - %d) * 0.01\n", k, 100+k, 100+k, 100+k)
		}
		t = strings.Replace(t, "\n# Properties of the price list", extra.String()+"\n# Properties of the price list", 1)
		files = append(files, rules.File{Path: fmt.Sprintf("list-%04d.yaml", i), Data: []byte(t)})
	}
	return files
}

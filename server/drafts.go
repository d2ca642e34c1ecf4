package server

import (
	"sync"

	"ratecard/engine"
	"ratecard/rules"
)

// drafts loads drafts beside the live rule files, reusing what the last
// draft's load read and built: a draft check over a directory of a
// thousand lists states the files and compiles the draft's own list (and
// the lists extending it), not the thousand, at each keystroke the
// studio sends. Drafts are loaded one at a time.
type drafts struct {
	mu     sync.Mutex
	reader *rules.DirReader
	cache  *engine.Cache
}

func newDrafts(dir string) *drafts {
	return &drafts{reader: rules.NewDirReader(dir), cache: engine.NewCache()}
}

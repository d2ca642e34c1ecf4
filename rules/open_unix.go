//go:build unix

package rules

import (
	"io/fs"
	"syscall"
)

// openNonBlocking opens a named pipe without waiting for a writer.
const openNonBlocking = syscall.O_NONBLOCK

// fileID is a file's inode: a file replaced by rename (as editors save)
// is another file, whatever its size and time.
func fileID(info fs.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}

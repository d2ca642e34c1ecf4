//go:build !unix

package rules

import "io/fs"

// openNonBlocking is not needed where there are no named pipes to open.
const openNonBlocking = 0

// fileID is 0 where the file system gives no inode: size and time decide.
func fileID(fs.FileInfo) uint64 { return 0 }

//go:build !unix

package rules

// openNonBlocking is not needed where there are no named pipes to open.
const openNonBlocking = 0

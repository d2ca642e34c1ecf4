package server

// The -update flag of golden files is defined by internal/golden; this
// package has no golden file, but `go test ./... -update` passes the flag
// to every test binary, which must know it.
import _ "ratecard/internal/golden"

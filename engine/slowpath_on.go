//go:build ratecard_slowpath

package engine

// slowPathOnly: see slowpath_off.go. This build computes every number in
// math/big.
const slowPathOnly = true

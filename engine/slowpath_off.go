//go:build !ratecard_slowpath

package engine

// slowPathOnly keeps every number from inputs and literals as a big.Rat,
// and every result too, when the engine is built with the tag
// ratecard_slowpath: the exact slow path, which most quotes never reach,
// is then what every test and benchmark runs (`go test -tags
// ratecard_slowpath ./engine`, in CI). A constant, so that the normal build
// pays nothing for it.
const slowPathOnly = false

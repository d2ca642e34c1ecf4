// Package testclock fixes the engine's clock for a package's tests, so
// that the shipped rules' scheduled change cannot change a test's outcome
// the day it takes effect.
package testclock

import (
	"os"
	"testing"
	"time"

	"ratecard/engine"
)

// Now is the instant the tests price as of.
var Now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// Main fixes engine.Clock at Now and runs the tests: a TestMain's body.
func Main(m *testing.M) {
	engine.Clock = func() time.Time { return Now }
	os.Exit(m.Run())
}

package server

import (
	"os"
	"testing"
	"time"

	"ratecard/engine"
)

// TestMain prices every test as of one fixed instant, so that the shipped
// rules' scheduled change cannot change a test's outcome the day it takes
// effect.
func TestMain(m *testing.M) {
	fixed := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	engine.Clock = func() time.Time { return fixed }
	os.Exit(m.Run())
}

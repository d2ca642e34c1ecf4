package server

import (
	"testing"

	"ratecard/internal/testclock"
)

func TestMain(m *testing.M) { testclock.Main(m) }

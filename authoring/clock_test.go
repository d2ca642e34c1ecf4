package authoring

import (
	"testing"

	"ratecard/internal/testclock"
)

func TestMain(m *testing.M) { testclock.Main(m) }

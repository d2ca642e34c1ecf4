// Package wait is the one polling helper of the tests: they wait for
// something another goroutine or process does (a reload, a server
// answering) by checking it until it holds, never by sleeping a fixed time
// and hoping.
package wait

import (
	"testing"
	"time"
)

// Timeout is how long Until waits before failing the test: far longer than
// anything it waits for takes, so that a slow machine passes, and a hang
// still fails.
const Timeout = 5 * time.Second

// Until calls cond every few milliseconds until it returns true, failing
// the test after Timeout; what names the wait in the failure.
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", Timeout, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

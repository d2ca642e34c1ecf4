package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"ratecard/engine"
	"ratecard/rules"
)

// clockVar names the environment variable that fixes the instant the
// command takes as now (RFC 3339), so that a run can be reproduced later:
// the README's examples and the tests of a scheduled change use it.
const clockVar = "RATECARD_NOW"

// now is the instant the command prices as of when -at is not given.
func now() (time.Time, error) {
	s := os.Getenv(clockVar)
	if s == "" {
		return time.Now(), nil
	}
	t, err := rules.ParseInstant(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %v", clockVar, err)
	}
	return t, nil
}

// termsFlags are the flags that say under what terms a request is priced.
type termsFlags struct {
	at, since, remaining *string
}

func (c *command) termsFlags() *termsFlags {
	return &termsFlags{
		at:        c.flags.String("at", "", "price as of this `INSTANT` (RFC 3339, such as 2027-01-01T00:00:00Z); default now"),
		since:     c.flags.String("since", "", "the customer signed at this `INSTANT`, for grandfathered prices"),
		remaining: c.flags.String("remaining", "", "what is left of allowances to draw on, as `NAME=AMOUNT,...`"),
	}
}

// terms reads the flags into engine terms.
func (f *termsFlags) terms() (engine.Terms, error) {
	var t engine.Terms
	var err error
	if *f.at != "" {
		if t.At, err = rules.ParseInstant(*f.at); err != nil {
			return t, fmt.Errorf("-at: %v", err)
		}
	} else if t.At, err = now(); err != nil {
		return t, err
	}
	if *f.since != "" {
		if t.CustomerSince, err = rules.ParseInstant(*f.since); err != nil {
			return t, fmt.Errorf("-since: %v", err)
		}
	}
	if *f.remaining != "" {
		t.Remaining = map[string]decimal.Decimal{}
		for _, part := range strings.Split(*f.remaining, ",") {
			name, amount, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok {
				return t, fmt.Errorf("-remaining: %q is not NAME=AMOUNT", part)
			}
			v, err := rules.ParseNumber(amount)
			if err != nil {
				return t, fmt.Errorf("-remaining %s: %v", name, err)
			}
			if _, dup := t.Remaining[name]; dup {
				return t, fmt.Errorf("-remaining: %s is given twice", name)
			}
			t.Remaining[name] = v
		}
	}
	return t, nil
}

// instantFlag reads an instant flag, or now when it is empty.
func instantFlag(name, value string) (time.Time, error) {
	if value == "" {
		return now()
	}
	t, err := rules.ParseInstant(value)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %v", name, err)
	}
	return t, nil
}

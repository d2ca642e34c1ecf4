package engine_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/shopspring/decimal"
	"ratecard"
	"ratecard/engine"
)

func ExampleRuleSet_Quote() {
	rs, err := engine.LoadFS(ratecard.ShippedRules, ratecard.ShippedRulesDir)
	if err != nil {
		log.Fatal(err) // a rules.ErrorList: every problem, at file:line:col
	}
	q, err := rs.Quote("video-credits", engine.Request{
		"duration": decimal.NewFromInt(90),
		"actor":    "library",
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range q.Lines {
		fmt.Println(l.Rate, l.Amount.String(), l.Meter)
	}
	fmt.Println("total", q.Total("credits").StringFixed(2))
	// Output:
	// generative 30.00 credits
	// actor 15.00 credits
	// total 45.00
}

func ExampleNewLive() {
	dir, _ := os.MkdirTemp("", "rules")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "api.yaml"), []byte(`name: api
meters: {usd: {places: 2}}
inputs: {calls: {type: whole, min: 0, default: 0}}
rates: [{name: calls, meter: usd, amount: calls * 0.002}]
`), 0o644)

	// NewLive fails unless the rules load and their examples pass.
	live, err := engine.NewLive(dir, engine.LiveOptions{}) // Logger: slog.Default() logs each reload
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() { _ = live.Watch(ctx) }() // reload on every change, keeping the last good rules on error

	// Each request takes the live rule set once and uses it throughout.
	q, err := live.Quote("api", engine.Request{"calls": 1500})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(q.Total("usd").StringFixed(2), q.Digest == live.Status().Digest)
	// Output: 3.00 true
}

// Inputs is the hot-path form of a request: one per goroutine, reused
// from quote to quote with a reused Quote, it prices without building a
// map and without allocating for common amounts.
func ExampleInputs() {
	rs, err := engine.LoadFS(ratecard.ShippedRules, ratecard.ShippedRulesDir)
	if err != nil {
		log.Fatal(err)
	}
	list, err := rs.List("video-credits")
	if err != nil {
		log.Fatal(err)
	}
	in, q := list.NewInputs(), &engine.Quote{}
	for _, seconds := range []int64{20, 90, 301} {
		in.Reset()
		in.SetText("actor", "library")
		if err := in.SetInt("duration", seconds); err != nil {
			log.Fatal(err) // a *engine.RequestError, as for a Request
		}
		if err := in.QuoteInto(q); err != nil {
			log.Fatal(err)
		}
		fmt.Println(seconds, "s:", q.Total("credits").StringFixed(2))
	}
	// Output:
	// 20 s: 15.00
	// 90 s: 45.00
	// 301 s: 155.33
}

// ExampleInputs_Records adds a month of calls to an Inputs one record at
// a time, for the telecom tariff of examples/telecom.
func ExampleInputs_Records() {
	rs, err := engine.LoadDir("../examples/telecom")
	if err != nil {
		log.Fatal(err)
	}
	list, err := rs.List("telecom")
	if err != nil {
		log.Fatal(err)
	}
	type call struct {
		dialed  string
		seconds int64
	}
	month := []call{{"14155550100", 61}, {"18005550100", 600}, {"442079460000", 30}}
	in, q := list.NewInputs(), &engine.Quote{}
	calls := in.Records("calls")
	for _, c := range month {
		calls.Add() // fields left unset take their defaults
		calls.SetText("dialed", c.dialed)
		calls.SetInt("seconds", c.seconds)
	}
	if err := in.QuoteInto(q); err != nil { // also reports the first failed Add or Set
		log.Fatal(err)
	}
	for _, l := range q.Lines {
		fmt.Println(l.Rate, l.Item, l.Amount)
	}
	// Output:
	// call 1 0.04
	// call 3 0.25
	// cap 0 0.00
}

package engine_test

import (
	"fmt"
	"log"

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
		fmt.Println(l.Rate, l.Amount.StringFixed(l.Places), l.Meter)
	}
	fmt.Println("total", q.Total("credits").StringFixed(2))
	// Output:
	// generative 30.00 credits
	// actor 15.00 credits
	// total 45.00
}

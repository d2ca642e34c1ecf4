package engine

import (
	"strings"
	"testing"
)

// TestRatesReadMeterTotals: a rate reads a meter's total by its name, the
// total of the lines above it; so a minimum charge, a cap, a discount on a
// subtotal and a tax on the discounted total are rates like the others.
func TestRatesReadMeterTotals(t *testing.T) {
	rs := mustCompile(t, `name: bill
meters:
  usd: {places: 2}
  seen: {places: 2}
inputs:
  hours: {type: decimal, min: 0, default: 0}
rates:
  - {name: seen_before, meter: seen, amount: usd}            # no line above: 0
  - {name: usage, meter: usd, amount: hours * 3.333}
  - {name: minimum, meter: usd, amount: "max(10 - usd, 0)"}  # at least 10
  - {name: cap, meter: usd, amount: "min(200 - usd, 0)"}     # at most 200
  - {name: discount, meter: usd, when: usd > 100, amount: -usd * 0.1}
  - {name: tax, meter: usd, amount: usd * 0.2}               # on the discounted total
  - {name: seen_after, meter: seen, amount: usd}
`)
	for _, c := range []struct{ hours, usd, lines string }{
		{"0", "12.00", "seen_before=0.00 usage=0.00 minimum=10.00 cap=0.00 tax=2.00 seen_after=12.00"},
		{"10", "40.00", "seen_before=0.00 usage=33.33 minimum=0.00 cap=0.00 tax=6.67 seen_after=40.00"},
		{"40", "143.99", "seen_before=0.00 usage=133.32 minimum=0.00 cap=0.00 discount=-13.33 tax=24.00 seen_after=143.99"},
		{"100", "216.00", "seen_before=0.00 usage=333.30 minimum=0.00 cap=-133.30 discount=-20.00 tax=36.00 seen_after=216.00"},
	} {
		q, err := rs.Quote("", Request{"hours": c.hours})
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range q.Lines {
			lines = append(lines, l.Rate+"="+l.Amount.String())
		}
		if got := q.Totals[0].Amount.String(); got != c.usd || strings.Join(lines, " ") != c.lines {
			t.Errorf("hours=%s: usd %s, lines %s; want %s, %s", c.hours, got, strings.Join(lines, " "), c.usd, c.lines)
		}
	}
	e, err := rs.Explain("", Request{"hours": "40"})
	if err != nil {
		t.Fatal(err)
	}
	if u := e.Lines[3].Uses; len(u) != 1 || u[0].Name != "usd" || u[0].Value != "133.32" {
		t.Errorf("the discount's explanation reads %v, want usd = 133.32", u)
	}
}

// TestRoundOnceAtTheTotal: a card fee of 2.9% + 30¢ + 1.5% + 1% on 10.10,
// one line per component, lost a cent when each line was rounded (0.29 +
// 0.30 + 0.15 + 0.10 = 0.84); with round: total the lines keep 4 places
// and the fee is 0.8454, rounded once to 0.85. The payout reads the fee's
// rounded total.
func TestRoundOnceAtTheTotal(t *testing.T) {
	list := func(round string) *RuleSet {
		return mustCompile(t, `name: card
meters:
  fee: {places: 2`+round+`}
  payout: {places: 2}
inputs:
  charge: {type: decimal, min: 0, default: 0}
rates:
  - {name: percent, meter: fee, amount: charge * 0.029}
  - {name: fixed, meter: fee, amount: 0.30}
  - {name: international, meter: fee, amount: charge * 0.015}
  - {name: conversion, meter: fee, amount: charge * 0.01}
  - {name: payout, meter: payout, amount: charge - fee}
`)
	}
	for round, want := range map[string]string{
		"":                               "fee 0.84 payout 9.26 lines 0.29 0.30 0.15 0.10",
		", round: total, line_places: 4": "fee 0.85 payout 9.25 lines 0.2929 0.3000 0.1515 0.1010",
		", round: total":                 "fee 0.85 payout 9.25 lines 0.292900 0.300000 0.151500 0.101000",
	} {
		q, err := list(round).Quote("", Request{"charge": "10.10"})
		if err != nil {
			t.Fatal(err)
		}
		got := "fee " + q.Totals[0].Amount.String() + " payout " + q.Totals[1].Amount.String() + " lines"
		for _, l := range q.Lines[:4] {
			got += " " + l.Amount.String()
		}
		if got != want {
			t.Errorf("%q: %s, want %s", round, got, want)
		}
	}
	e, err := list(", round: total, line_places: 4").Explain("", Request{"charge": "10.10"})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.RoundedTotals; len(r) != 1 || r[0].Lines != "0.8454" || r[0].Total != "0.85" {
		t.Errorf("rounded totals %+v", r)
	}
}

// TestItemsReadTheRunningTotal: a rate for each item that reads its own
// meter sees the total of the lines above each item, its own earlier
// items' included: here, each order is free once the month passes 25.
func TestItemsReadTheRunningTotal(t *testing.T) {
	rs := mustCompile(t, `name: orders
meters:
  usd: {places: 2}
inputs:
  orders: {type: list, min: 0, default: []}
rates:
  - {name: order, meter: usd, for_each: orders, as: o, amount: "usd >= 25 ? 0 : o"}
`)
	q, err := rs.Quote("", Request{"orders": "10,10,10,10"})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range q.Lines {
		lines = append(lines, l.Amount.String())
	}
	if got := strings.Join(lines, " "); got != "10.00 10.00 10.00 0.00" || q.Totals[0].Amount.String() != "30.00" {
		t.Errorf("lines %s, total %s; want 10.00 10.00 10.00 0.00, 30.00", got, q.Totals[0].Amount)
	}
}

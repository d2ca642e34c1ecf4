// Package ratecard holds the shipped rule files, embedded so that the
// ratecard command prices with them from any folder, with no flags.
// The engine lives in package engine, the rule-file format in package rules.
package ratecard

import "embed"

// ShippedRules holds rules.d's rule files (and any grid data); load it with
// engine.LoadFS(ratecard.ShippedRules, ratecard.ShippedRulesDir).
//
//go:embed rules.d
var ShippedRules embed.FS

// ShippedRulesDir is the directory of ShippedRules that holds the files.
const ShippedRulesDir = "rules.d"

// Package engine compiles ratecard rule sets and quotes requests against
// them.
//
// A RuleSet is compiled once from rule files (see package rules): every
// expression is parsed with expr's parser, type-checked against the declared
// inputs and named values, and compiled into Go closures over exact
// rational numbers, so that evaluating a quote does no parsing, no map
// look-ups of names and no floating point. A RuleSet is immutable and safe
// for concurrent use; to change prices, compile a new one and swap it in.
package engine

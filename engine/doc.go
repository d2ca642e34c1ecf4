// Package engine compiles ratecard rule sets and quotes requests against
// them.
//
// A RuleSet is compiled once from rule files (see package rules): every
// expression is parsed with expr's parser, type-checked against the declared
// inputs and named values, and compiled into Go closures over exact
// rational numbers, so that evaluating a quote does no parsing, no map
// look-ups of names and no floating point. A RuleSet is immutable and safe
// for concurrent use; to change prices, compile a new one and swap it in
// (Live does, on every change of the rule files).
//
// A request comes in one of two forms: a Request, a map of input names to
// values, for convenience; or an Inputs, a reusable request of one price
// list set by typed setters, for hot paths: priced into a reused Quote it
// allocates nothing for common amounts. Both check values with the same
// messages and give the same quotes.
package engine

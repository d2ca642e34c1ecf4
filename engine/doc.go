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
// allocates nothing for common amounts. Both go through the one way in for
// values (value.go), with the same checks and messages, and give the same
// quotes.
//
// The exported API, by purpose:
//
//   - Loading: LoadDir, LoadFS, CompileFiles, Compile give a RuleSet (or a
//     rules.ErrorList of every problem, each at file:line:col).
//   - Quoting: RuleSet.Quote and PriceList.Quote take a Request;
//     PriceList.NewInputs gives an Inputs (Set, SetText, SetDecimal, SetInt,
//     SetDecimals, SetJSON, SetValue, Records, Reset) priced by Inputs.Quote
//     or Inputs.QuoteInto; Records gives a RecordList (Add, SetText, SetInt,
//     SetDecimal, SetBool) that adds a records input's records one at a
//     time. A Quote holds Lines and Totals as exact Amounts.
//     Errors are a *RequestError (a bad request, naming the input), an
//     *EvalError (a failure while pricing, at its position) or an
//     *UnknownListError.
//   - Explaining: RuleSet.Explain and PriceList.Explain give an Explanation:
//     the inputs, the named values, each line's expression, the values it
//     read, and its exact amount before rounding.
//   - Checking a rule set's own promises: RunExamples and CheckExamples
//     (examples and test files); for authoring tools, PriceList.Unused,
//     PriceList.CheckValue and Inputs.Holds (package authoring builds the
//     sampler, warnings and tables on them).
//   - Live rules: NewLive loads a directory and Live.Watch reloads it as it
//     changes, all or nothing; Live.RuleSet, Live.Quote, Live.Explain use the
//     rules live now; Live.Reload, Live.ReloadFrom, Live.Status,
//     Live.Subscribe, Live.Dir.
package engine

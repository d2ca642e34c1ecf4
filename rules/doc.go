// Package rules defines the rule-file format of ratecard: the Go types of a
// price list, loading a directory of YAML files into them, and validating
// them with errors that carry file, line and column.
//
// It knows nothing of how expressions are evaluated: an expression is kept as
// its text plus a map from each character back to its place in the file, so
// that the engine can report its own errors at the right position.
package rules

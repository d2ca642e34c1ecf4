// Package authoring holds the tools for the people who write price lists,
// over the engine's public API: `ratecard check`'s sampler, which tries a
// price list's invariants on requests drawn from its inputs' domains and
// warns of likely mistakes, and the rendering of price tables, declared or
// asked for. It is kept apart from package engine (as OPA keeps its tester
// apart from its evaluator), so that a service embedding the engine carries
// only quoting, explaining and reloading.
package authoring

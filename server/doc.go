// Package server is ratecard's HTTP API over a live rule set
// (engine.Live): quotes, explanations, the live status, a reload endpoint
// and Prometheus metrics. `ratecard serve` runs it as a sidecar; a Go
// service mounts the same handler on its own mux:
//
//	live, err := engine.NewLive("rules.d", engine.LiveOptions{})
//	...
//	api, err := server.New(live, server.Options{Registerer: prometheus.DefaultRegisterer})
//	mux.Handle("/pricing/", http.StripPrefix("/pricing", api))
//
// # Endpoints
//
//	POST /v1/quote     {"list": "...", "input": {...}} -> the quote
//	POST /v1/explain   the same body -> the quote with its working
//	GET  /v1/rules     the live status: digest, versions, lists, last reload error
//	POST /-/reload     reload now (an admin endpoint, see Options)
//	GET  /healthz      the process is up
//	GET  /readyz       rules are loaded
//	GET  /metrics      Prometheus metrics, when Options asks for them
//
// # Errors
//
// Every error is JSON, {"error": "...", "input": "...", "list": "..."},
// with these statuses (part of the API: clients may rely on them):
//
//	400 Bad Request            a malformed body (not JSON, a key given twice,
//	                           an unknown field, fields are matched exactly),
//	                           or an input the rules refuse: unknown, of the
//	                           wrong type, out of bounds ("input" names it)
//	401 Unauthorized           an admin endpoint without the bearer token
//	404 Not Found              an unknown price list ("list" names it), or path
//	405 Method Not Allowed     a known path with another method (Allow says which)
//	413 Content Too Large      a body over 1 MiB
//	422 Unprocessable Content  the request priced to an error (a division by
//	                           zero, a number past 1,000 digits), or no list
//	                           named while the rules hold several; for
//	                           /-/reload, rules that do not load
//	503 Service Unavailable    /readyz before rules are loaded
//
// A request is never answered 500: the engine turns any fault into an error.
// Messages name rule files relative to the rule directory and quote no more
// than a short excerpt of them.
package server

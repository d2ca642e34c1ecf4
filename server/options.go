package server

import (
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
)

// Options tune the HTTP API. The zero value serves every endpoint with
// metrics on a registry of its own, served at /metrics.
type Options struct {
	// Logger receives a record of admin actions. Default: none.
	Logger *slog.Logger
	// Registerer is where the metrics are registered. When nil, they go
	// to a new registry of the server's own (with the Go and process
	// collectors), served at /metrics.
	Registerer prometheus.Registerer
	// Gatherer, with Registerer set, is served at /metrics; when nil,
	// /metrics is not served (the embedding service has its own).
	Gatherer prometheus.Gatherer
	// AdminToken, when set, must be given as "Authorization: Bearer
	// TOKEN" to reach an admin endpoint (/-/reload).
	AdminToken string
	// NoAdmin turns the admin endpoints off: they answer 404.
	NoAdmin bool
	// NoStudio turns the studio (the page at /) off.
	NoStudio bool
	// Samples are usage files (CSV, or JSON lines by their extension) a
	// what-if of POST /v1/diff may name, by base name, in place of usage
	// it sends: the studio offers them. Each is read when asked (the
	// operator's own files: they are not capped as a request is).
	Samples []string
}

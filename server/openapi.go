package server

import _ "embed"

// OpenAPI is the OpenAPI 3.1 document of every endpoint, served at
// /openapi.json and printed by `ratecard openapi`; a test checks each
// handler's real answers, success and every error status, against it.
//
//go:embed openapi.json
var OpenAPI []byte

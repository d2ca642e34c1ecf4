package rules

import _ "embed"

// Schema is the JSON Schema of rule files (draft-07, as editors with the
// YAML language server read it): `ratecard schema` prints it, and a rule
// file that starts with
//
//	# yaml-language-server: $schema=PATH/TO/schema.json
//
// gets completion and checks as it is typed. The loader's own checks are
// stricter (expressions, cross references); tests keep the two agreeing
// on every key.
//
//go:embed schema.json
var Schema []byte

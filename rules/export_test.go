package rules

// For the tests of package rules_test, which may import what imports
// rules (internal/genlists).
var (
	FastYAML     = fastYAML
	YAMLv3       = yamlV3
	SameNodes    = sameNodes
	NewTextTable = func() texts { return texts{} }
)

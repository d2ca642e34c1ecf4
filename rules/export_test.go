package rules

import "gopkg.in/yaml.v3"

// For the tests of package rules_test, which may import what imports
// rules (internal/genlists).
var (
	FastYAML  = func(data []byte) ([]*yaml.Node, bool) { return fastYAML(data, &yamlScratch{strs: texts{}}) }
	YAMLv3    = yamlV3
	SameNodes = sameNodes
)

package rules

import (
	"math"
	"slices"
	"strings"
)

// kind says how a condition compares the value at its ComparisonValue.
type kind int

const (
	kindID      kind = iota // identifiers, ARNs, free strings: exact comparison
	kindEnum                // as kindID, and operands must come from enum
	kindText                // words and phrases: case-insensitive whole-word match
	kindPattern             // Contact Lens pattern-match operands
	kindNumber              // numbers
	kindTime                // numbers, or RFC 3339 date-times compared as epoch seconds
)

// spec is one documented ComparisonValue of an event source: which operators it takes,
// what its operands must be, which filters fit, and how values compare.
type spec struct {
	path      string // exact path, or the prefix of a keyed path
	keyed     bool   // one more step follows: a key the rule author picks
	operators []string
	kind      kind
	enum      []string
	min, max  float64 // inclusive bounds of number operands
	integer   bool    // number operands must be whole
	noValue   bool    // EQUALS may carry no operand ("no value" conditions)
	filters   []filterDef
	metric    *metricDef // OnMetricDataUpdate metric rules
}

var numberOps = []string{OpNumberGreaterOrEqualTo, OpNumberLessOrEqualTo}

// ids is a CONTAINS_ANY condition on identifiers or ARNs (agent, queue, hierarchy
// group, routing profile, template ...).
func ids(path string) spec {
	return spec{path: path, operators: []string{OpContainsAny}, kind: kindID}
}

// enumSpec is a condition whose operands are "A validated enum set of possible values".
func enumSpec(path string, ops []string, values ...string) spec {
	return spec{path: path, operators: ops, kind: kindEnum, enum: values}
}

// equalsOne is an EQUALS condition with "An array of string, array length can only be 1".
func equalsOne(path string) spec {
	return spec{path: path, operators: []string{OpEquals}, kind: kindID}
}

// textSpec is a words-or-phrases condition.
func textSpec(path string, ops []string, filters ...filterDef) spec {
	return spec{path: path, operators: ops, kind: kindText, filters: filters}
}

// numberSpec is a NumberLessOrEqualTo | NumberGreaterOrEqualTo condition whose operand
// lies in [lo, hi] (and is whole when integer is set).
func numberSpec(path string, lo, hi float64, integer bool, filters ...filterDef) spec {
	return spec{path: path, operators: numberOps, kind: kindNumber, min: lo, max: hi, integer: integer, filters: filters}
}

// anyInt and friends name the documented operand ranges.
func anyInt(path string, filters ...filterDef) spec {
	return numberSpec(path, math.Inf(-1), math.Inf(1), true, filters...)
}
func atLeast(path string, lo float64) spec { return numberSpec(path, lo, math.Inf(1), true) }
func anyNumber(path string) spec           { return numberSpec(path, math.Inf(-1), math.Inf(1), false) }

// keyed marks s as ending in a key the author picks (contact attributes, user-defined
// segment attributes, Salesforce custom attributes, case custom fields).
func keyed(s spec) spec { s.keyed = true; return s }

// withNoValue allows EQUALS with no operand, as the "no queue" conditions and
// PotentialDisconnectIssue ("EQUALS where the operand has to have no value") need.
func withNoValue(s spec) spec {
	if !slices.Contains(s.operators, OpEquals) {
		s.operators = append(s.operators, OpEquals)
	}
	s.noValue = true
	return s
}

// lookupSpec finds the spec for a ComparisonValue among specs: an exact path wins over
// a keyed one, so $.Case.Fields.status is the status condition and
// $.Case.Fields.my_field the custom field condition.
func lookupSpec(specs []spec, segs []segment) *spec {
	var keyedMatch *spec
	for i := range specs {
		s := &specs[i]
		want, err := parsePath(s.path)
		if err != nil {
			continue
		}
		switch {
		case !s.keyed && sameSegments(want, segs):
			return s
		case s.keyed && keyedMatch == nil && len(segs) == len(want)+1 && sameSegments(want, segs[:len(want)]) && !segs[len(want)].isIndex:
			keyedMatch = s
		}
	}
	return keyedMatch
}

func sameSegments(a, b []segment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// genericSpec is what an event source without a conditions page accepts: any operator
// on any $. path. Decision: the comparison kind is read off the path's shape, the way
// the documented pages name things: ...PatternMatch... paths take pattern operands,
// paths ending in Transcript, Text or Phrase compare words, number operators compare
// numbers, anything else compares exactly. Every filter type the docs define is
// accepted with its documented Data, except the metric grouping, which belongs to
// groups.
func genericSpec(path string) spec {
	s := spec{path: path, kind: kindID, min: math.Inf(-1), max: math.Inf(1),
		operators: []string{OpContainsAny, OpEquals, OpContains, OpNumberGreaterOrEqualTo, OpNumberLessOrEqualTo}}
	switch {
	case strings.Contains(path, ".PatternMatch."):
		s.kind = kindPattern
	case strings.HasSuffix(path, ".Transcript"), strings.HasSuffix(path, ".Text"), strings.HasSuffix(path, ".Phrase"):
		s.kind = kindText
	}
	s.filters = append(s.filters, anyRole(), contactPeriod("PostCallContactPeriodSeconds"),
		contactPeriod("PostChatContactPeriodSeconds"), pastSeconds("RealTimeCallContactPeriodSeconds", math.Inf(1)),
		patternLanguage())
	ai := aiAgentFilters()
	ai[0].required = false // no documented condition to require it for
	s.filters = append(s.filters, ai...)
	s.filters = append(s.filters, metricFilters()...)
	return s
}

package rules

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
)

// operands checks a condition's Operands against its operator and ComparisonValue:
// CONTAINS_ANY takes a non-empty list (of strings, or of pattern-match operands);
// EQUALS and CONTAINS take exactly one string ("array length can only be 1"), EQUALS
// none on "no value" conditions; the Number operators take exactly one number in the
// documented range.
func operands(n *Node, v any, path string) error {
	s := n.spec
	list, ok := v.([]any)
	if v == nil && n.Operator == OpEquals && s.noValue {
		list, ok = []any{}, true // "Operands – No value." may also mean no Operands at all
	}
	if !ok {
		return errorf(path, "is required and must be a list")
	}
	n.Operands = list
	switch n.Operator {
	case OpContainsAny:
		if len(list) == 0 {
			return errorf(path, "CONTAINS_ANY needs at least one operand")
		}
		for i, el := range list {
			elPath := sprintf("%s[%d]", path, i)
			if s.kind == kindPattern {
				pm, err := parsePatternOperand(el, elPath)
				if err != nil {
					return err
				}
				n.patterns = append(n.patterns, pm)
				continue
			}
			if err := stringOperand(s, el, elPath, false); err != nil {
				return err
			}
		}
	case OpEquals, OpContains:
		if len(list) == 0 && n.Operator == OpEquals && s.noValue {
			return nil
		}
		if len(list) != 1 {
			return errorf(path, "%s takes exactly 1 operand, got %d", n.Operator, len(list))
		}
		return stringOperand(s, list[0], path+"[0]", n.Operator == OpEquals && s.noValue)
	case OpNumberGreaterOrEqualTo, OpNumberLessOrEqualTo:
		if len(list) != 1 {
			return errorf(path, "%s takes exactly 1 operand, got %d", n.Operator, len(list))
		}
		f, err := numberOperand(s, list[0], path+"[0]")
		if err != nil {
			return err
		}
		n.numbers = []float64{f}
	}
	return nil
}

// stringOperand checks one string operand; enum paths take only their documented
// values. emptyOK allows "" (a "no value" EQUALS).
func stringOperand(s *spec, v any, path string, emptyOK bool) error {
	str, ok := v.(string)
	if !ok {
		return errorf(path, "must be a string")
	}
	if str == "" {
		if emptyOK {
			return nil
		}
		return errorf(path, "must not be empty")
	}
	if s.kind == kindText && len(words(str)) == 0 {
		return errorf(path, "must contain at least one word")
	}
	if s.kind == kindEnum && !slices.Contains(s.enum, str) {
		return errorf(path, "%q is not a valid value for %s (allowed: %s)", str, s.path, strings.Join(s.enum, ", "))
	}
	return nil
}

// numberOperand checks one number operand against the spec's range. Case date/time
// conditions also take date-time strings (see timeNumber).
func numberOperand(s *spec, v any, path string) (float64, error) {
	var f float64
	ok := false
	switch x := v.(type) {
	case json.Number:
		f, ok = jsonNumber(x)
	case string:
		if s.kind == kindTime {
			f, ok = timeNumber(x)
		}
	}
	if !ok {
		if s.kind == kindTime {
			return 0, errorf(path, "must be a number or an RFC 3339 date-time")
		}
		return 0, errorf(path, "must be a number")
	}
	if (s.integer && f != math.Trunc(f)) || f < s.min || f > s.max {
		return 0, errorf(path, "must be %s", describeRange(s))
	}
	return f, nil
}

// describeRange says in words what a number operand must be.
func describeRange(s *spec) string {
	what := "a number"
	if s.integer {
		what = "an integer"
	}
	lo, hi := !math.IsInf(s.min, -1), !math.IsInf(s.max, 1)
	switch {
	case lo && hi:
		return sprintf("%s between %v and %v", what, s.min, s.max)
	case lo:
		return sprintf("%s of at least %v", what, s.min)
	case hi:
		return sprintf("%s of at most %v", what, s.max)
	}
	return what
}

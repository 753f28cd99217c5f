package rules

import (
	"math"
	"strings"
)

// patternMatch is one PatternMatch operand: "Each operand is an array of Pattern match
// objects" ("PatternMatch Operands" page). Objects are PLAIN (a string), LIST (an array
// of PLAIN objects, any of which may match), NUMERICAL ({"Decimal": bool}, a number)
// and PROXIMITY ({"Distance": n, "IsWithin": bool}).
//
// Decision: the page gives the object shapes but not how they combine. Here the
// non-PROXIMITY objects are terms that must occur in order; two terms with nothing
// between them must be adjacent words; a PROXIMITY between two terms puts at most
// Distance words between them when IsWithin is true, and more than Distance when it
// is false. NUMERICAL matches one number word (with a fraction only when Decimal is
// true).
type patternMatch struct {
	terms []patternTerm
	gaps  []patternGap // gaps[i] lies between terms[i] and terms[i+1]
}

type patternTerm struct {
	alternatives [][]string // PLAIN: one word sequence; LIST: several
	numerical    bool
	decimal      bool
}

type patternGap struct{ min, max int }

// parsePatternOperand validates and compiles one pattern-match operand.
func parsePatternOperand(v any, path string) (patternMatch, error) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return patternMatch{}, errorf(path, "must be a non-empty array of pattern match objects")
	}
	var pm patternMatch
	var gap *patternGap // the PROXIMITY read since the last term, if any
	for i, el := range list {
		elPath := sprintf("%s[%d]", path, i)
		typ, value, err := patternObject(el, elPath)
		if err != nil {
			return patternMatch{}, err
		}
		if typ == "PROXIMITY" {
			if len(pm.terms) == 0 || gap != nil {
				return patternMatch{}, errorf(elPath, "PROXIMITY must stand between two terms")
			}
			g, err := proximity(value, join(elPath, "Value"))
			if err != nil {
				return patternMatch{}, err
			}
			gap = &g
			continue
		}
		t, err := term(typ, value, join(elPath, "Value"))
		if err != nil {
			return patternMatch{}, err
		}
		if len(pm.terms) > 0 {
			g := patternGap{} // adjacent words
			if gap != nil {
				g = *gap
			}
			pm.gaps = append(pm.gaps, g)
		}
		pm.terms = append(pm.terms, t)
		gap = nil
	}
	if gap != nil {
		return patternMatch{}, errorf(path, "must not end with PROXIMITY")
	}
	return pm, nil
}

// patternObject reads {"Type": ..., "Value": ...}.
func patternObject(v any, path string) (string, any, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return "", nil, errorf(path, "must be a pattern match object")
	}
	if err := onlyKeys(obj, path, "Type", "Value"); err != nil {
		return "", nil, err
	}
	typ, _ := obj["Type"].(string)
	switch typ {
	case "PLAIN", "LIST", "PROXIMITY", "NUMERICAL":
	default:
		return "", nil, errorf(join(path, "Type"), "must be PLAIN, LIST, PROXIMITY or NUMERICAL")
	}
	value, ok := obj["Value"]
	if !ok {
		return "", nil, errorf(join(path, "Value"), "is required")
	}
	return typ, value, nil
}

func term(typ string, value any, path string) (patternTerm, error) {
	switch typ {
	case "PLAIN":
		w, err := plainWords(value, path)
		return patternTerm{alternatives: [][]string{w}}, err
	case "LIST":
		list, ok := value.([]any)
		if !ok || len(list) == 0 {
			return patternTerm{}, errorf(path, "must be a non-empty array of PLAIN objects")
		}
		var t patternTerm
		for i, el := range list {
			elPath := sprintf("%s[%d]", path, i)
			typ, v, err := patternObject(el, elPath)
			if err != nil {
				return patternTerm{}, err
			}
			if typ != "PLAIN" {
				return patternTerm{}, errorf(join(elPath, "Type"), "a LIST holds only PLAIN objects")
			}
			w, err := plainWords(v, join(elPath, "Value"))
			if err != nil {
				return patternTerm{}, err
			}
			t.alternatives = append(t.alternatives, w)
		}
		return t, nil
	default: // NUMERICAL
		obj, ok := value.(map[string]any)
		dec, okDec := obj["Decimal"].(bool)
		if !ok || len(obj) != 1 || !okDec {
			return patternTerm{}, errorf(path, `must be {"Decimal": true|false}`)
		}
		return patternTerm{numerical: true, decimal: dec}, nil
	}
}

func plainWords(v any, path string) ([]string, error) {
	s, ok := v.(string)
	w := words(s)
	if !ok || len(w) == 0 {
		return nil, errorf(path, "must be a string with at least one word")
	}
	return w, nil
}

func proximity(v any, path string) (patternGap, error) {
	obj, ok := v.(map[string]any)
	d, okD := nonNegative(obj["Distance"])
	within, okW := obj["IsWithin"].(bool)
	if !ok || len(obj) != 2 || !okD || !okW || d != math.Trunc(d) {
		return patternGap{}, errorf(path, `must be {"Distance": whole number >= 0, "IsWithin": true|false}`)
	}
	if within {
		return patternGap{min: 0, max: int(d)}, nil
	}
	return patternGap{min: int(d) + 1, max: math.MaxInt32}, nil
}

// match says whether the pattern occurs in the word tokens.
func (pm patternMatch) match(tokens []string) bool {
	for start := range tokens {
		if pm.from(tokens, 0, start) {
			return true
		}
	}
	return false
}

func (pm patternMatch) from(tokens []string, k, pos int) bool {
	for _, end := range pm.terms[k].ends(tokens, pos) {
		if k == len(pm.terms)-1 {
			return true
		}
		g := pm.gaps[k]
		for next := end + g.min; next < len(tokens) && next-end <= g.max; next++ {
			if pm.from(tokens, k+1, next) {
				return true
			}
		}
	}
	return false
}

// ends lists where the term ends when it starts at pos.
func (t patternTerm) ends(tokens []string, pos int) []int {
	if pos >= len(tokens) {
		return nil
	}
	if t.numerical {
		if isNumberWord(tokens[pos], t.decimal) {
			return []int{pos + 1}
		}
		return nil
	}
	var out []int
	for _, alt := range t.alternatives {
		if phraseAt(tokens, pos, alt) {
			out = append(out, pos+len(alt))
		}
	}
	return out
}

// isNumberWord says whether a word token is a number: digits, with "," thousands
// separators, and a "." fraction only when decimal is allowed.
func isNumberWord(w string, decimal bool) bool {
	intPart, frac, hasFrac := strings.Cut(strings.ReplaceAll(w, ",", ""), ".")
	if hasFrac && (!decimal || !allDigits(frac)) {
		return false
	}
	return allDigits(intPart)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

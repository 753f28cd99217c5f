package rules

import (
	"errors"
	"strconv"
	"strings"
)

// segment is one step of a JSONPath: a key of an object, or an index into a list.
type segment struct {
	key     string
	index   int
	isIndex bool
}

// parsePath reads the JSONPath subset the rules language uses: "$" followed by
// ".Name" steps, with bracket steps ['key'], ["key"], [key] or [0] for keys a dot
// cannot carry and for list indexes. ".[KEY]" is accepted too, because the condition
// pages write segment attribute paths that way ("SegmentAttributes.UserDefined.[KEY]").
func parsePath(p string) ([]segment, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, errors.New("must start with $")
	}
	var segs []segment
	rest := p[1:]
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, ".["):
			rest = rest[1:]
			continue
		case rest[0] == '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			name := rest[1 : 1+end]
			if name == "" || strings.ContainsAny(name, "] \t\n") {
				return nil, errors.New("has an empty or malformed name after a dot")
			}
			segs = append(segs, segment{key: name})
			rest = rest[1+end:]
		case rest[0] == '[':
			seg, n, err := parseBracket(rest)
			if err != nil {
				return nil, err
			}
			segs = append(segs, seg)
			rest = rest[n:]
		default:
			return nil, errors.New("has an unexpected character " + strconv.Quote(rest[:1]))
		}
	}
	if len(segs) == 0 {
		return nil, errors.New("names no field")
	}
	return segs, nil
}

// parseBracket reads one [..] step at the start of s and says how many bytes it used.
func parseBracket(s string) (segment, int, error) {
	if len(s) > 1 && (s[1] == '\'' || s[1] == '"') {
		q := s[1]
		end := strings.IndexByte(s[2:], q)
		if end < 0 || len(s) < end+4 || s[end+3] != ']' {
			return segment{}, 0, errors.New("has an unterminated quoted key")
		}
		key := s[2 : 2+end]
		if key == "" {
			return segment{}, 0, errors.New("has an empty quoted key")
		}
		return segment{key: key}, end + 4, nil
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return segment{}, 0, errors.New("has an unterminated [")
	}
	inner := s[1:end]
	if inner == "" {
		return segment{}, 0, errors.New("has an empty []")
	}
	if n, err := strconv.Atoi(inner); err == nil && n >= 0 {
		return segment{index: n, isIndex: true}, end + 1, nil
	}
	return segment{key: inner}, end + 1, nil
}

// pathString is the canonical spelling of segs, used to name list positions that a
// group of conditions binds together (see match.go).
func pathString(segs []segment) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range segs {
		if s.isIndex {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		} else {
			b.WriteString("['" + s.key + "']")
		}
	}
	return b.String()
}

// Lookup resolves a JSONPath such as $.ContactLens.Email.InitiationMethod or
// $.ContactLens.PostCall.ContactAttribute.foo in an event document. A key step applied
// to a list is applied to each element, and the results are returned as a list
// (JSONPath's projection), so $.ContactLens.ContactEvaluation.Section.Score yields
// every section's score. ok is false when nothing is found or the path is malformed.
func Lookup(event map[string]any, path string) (any, bool) {
	segs, err := parsePath(path)
	if err != nil {
		return nil, false
	}
	return resolve(event, segs, nil)
}

// resolve walks segs through v. bound pins lists met on the way to one element: the
// key is the pathString of the list's own path, the value the element's index.
func resolve(v any, segs []segment, bound map[string]int) (any, bool) {
	return walk(v, segs, 0, bound)
}

func walk(v any, segs []segment, i int, bound map[string]int) (any, bool) {
	if i == len(segs) {
		return v, v != nil
	}
	s := segs[i]
	switch x := v.(type) {
	case map[string]any:
		if s.isIndex {
			return nil, false
		}
		next, ok := x[s.key]
		if !ok {
			return nil, false
		}
		return walk(next, segs, i+1, bound)
	case []any:
		if s.isIndex {
			if s.index >= len(x) {
				return nil, false
			}
			return walk(x[s.index], segs, i+1, bound)
		}
		if at, ok := bound[pathString(segs[:i])]; ok {
			if at >= len(x) {
				return nil, false
			}
			return walk(x[at], segs, i, bound)
		}
		var out []any
		for _, el := range x {
			r, ok := walk(el, segs, i, bound)
			if !ok {
				continue
			}
			if list, isList := r.([]any); isList {
				out = append(out, list...)
			} else {
				out = append(out, r)
			}
		}
		return out, len(out) > 0
	}
	return nil, false
}

// firstUnboundList reports how many leading steps of segs lead to the first list the
// event holds inside segs (not at its end) that bound does not pin yet, or -1. Those
// lists are what a group of conditions can bind together (see match.go).
func firstUnboundList(v any, segs []segment, bound map[string]int) int {
	for i := 0; i < len(segs); i++ {
		switch x := v.(type) {
		case map[string]any:
			if segs[i].isIndex {
				return -1
			}
			v = x[segs[i].key]
		case []any:
			if segs[i].isIndex {
				if segs[i].index >= len(x) {
					return -1
				}
				v = x[segs[i].index]
				continue
			}
			at, ok := bound[pathString(segs[:i])]
			if !ok {
				return i
			}
			if at >= len(x) {
				return -1
			}
			v = x[at]
			i-- // apply the same key step to the element
		default:
			return -1
		}
	}
	return -1
}

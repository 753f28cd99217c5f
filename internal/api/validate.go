package api

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// validate checks a request document against its input shape the way Connect does before
// any business logic: required members, lengths, ranges, enums and patterns. A value of the
// wrong JSON type is a SerializationException; constraint failures are collected into one
// message in AWS's form ("2 validation errors detected: Value ... at 'name' failed to
// satisfy constraint: ...").
func validate(op *Operation, doc map[string]any) error {
	if op.Input < 0 {
		return nil
	}
	v := &validator{at: make([]segment, 0, 8)} // room for the usual depth
	v.structure(&shapes[op.Input], doc)
	if v.typeErr != nil {
		return v.typeErr
	}
	if len(v.failures) == 0 {
		return nil
	}
	plural := "s"
	if len(v.failures) == 1 {
		plural = ""
	}
	err := Errorf(validationCode(op), "%d validation error%s detected: %s", len(v.failures), plural, strings.Join(v.failures, "; "))
	if reason, ok := validationReasons[op.Name][v.paths[0]]; ok {
		err = err.With("Reason", reason)
	}
	return err
}

// validationReasons are the Reason unions operations document for failures of their own
// members: a StartAttachedFileUpload whose file name or size breaks the model's
// constraints is as much an INVALID_FILE_NAME or INVALID_FILE_SIZE as one the attachment
// settings refuse.
var validationReasons = map[string]map[string]any{
	"StartAttachedFileUpload": {
		"fileName":        map[string]string{"AttachedFileInvalidRequestExceptionReason": "INVALID_FILE_NAME"},
		"fileSizeInBytes": map[string]string{"AttachedFileInvalidRequestExceptionReason": "INVALID_FILE_SIZE"},
	},
}

type validator struct {
	failures []string
	paths    []string // the member path of each failure
	typeErr  error
	// at is where the value being checked sits in the request, spelt out (by path)
	// only for a message: spelling out each value's path as the walk went cost a
	// string for every member of every valid request.
	at []segment
}

// A segment is one step of a path: a member, a list element or a map's key or value.
type segment struct {
	name   string // a member's name, a map key, or "key" for a map's key
	elem   int    // a list element's position from 1; name is then unused
	member bool   // name is a member's, shown with its first letter lowered
}

// path is where the value being checked sits, as AWS's messages give it:
// "emailMessage.rawMessage.subject", "list.1.member", "map.key", "map.someKey".
func (v *validator) path() string {
	var b strings.Builder
	for i, s := range v.at {
		if i > 0 {
			b.WriteByte('.')
		}
		switch {
		case s.elem > 0:
			b.WriteString(strconv.Itoa(s.elem) + ".member")
		case s.member:
			b.WriteString(lowerFirst(s.name))
		default:
			b.WriteString(s.name)
		}
	}
	return b.String()
}

// pathTo is the path of a value one step further into the request.
func (v *validator) pathTo(step segment) string {
	v.at = append(v.at, step)
	defer func() { v.at = v.at[:len(v.at)-1] }()
	return v.path()
}

// in checks a value one step further into the request.
func (v *validator) in(step segment, s *Shape, value any) {
	v.at = append(v.at, step)
	v.value(s, value)
	v.at = v.at[:len(v.at)-1]
}

func (v *validator) fail(s *Shape, value any, constraint string) {
	path := v.path()
	v.paths = append(v.paths, path)
	shown := "Value " + render(value)
	if s.Sensitive {
		shown = "Value"
	}
	v.failures = append(v.failures, fmt.Sprintf("%s at '%s' failed to satisfy constraint: %s", shown, path, constraint))
}

func (v *validator) wrongType(want string) {
	if v.typeErr == nil {
		v.typeErr = Errorf(SerializationException, "Expected %s at '%s'", want, v.path())
	}
}

func (v *validator) value(s *Shape, value any) {
	switch s.Kind {
	case KindStructure:
		obj, ok := value.(map[string]any)
		if !ok {
			v.wrongType("an object")
			return
		}
		v.structure(s, obj)
	case KindList:
		list, ok := value.([]any)
		if !ok {
			v.wrongType("a list")
			return
		}
		v.length(s, value, len(list))
		for i, e := range list {
			if e == nil {
				continue
			}
			v.in(segment{elem: i + 1}, &shapes[s.Elem], e)
		}
	case KindMap:
		m, ok := value.(map[string]any)
		if !ok {
			v.wrongType("a map")
			return
		}
		v.length(s, value, len(m))
		for _, k := range sortedMapKeys(m) {
			v.in(segment{name: "key"}, &shapes[s.Key], k)
			if m[k] != nil {
				v.in(segment{name: k}, &shapes[s.Elem], m[k])
			}
		}
	case KindString, KindBlob:
		str, ok := value.(string)
		if !ok {
			v.wrongType("a string")
			return
		}
		v.str(s, str)
	case KindInteger, KindLong, KindDouble:
		n, ok := value.(json.Number)
		if !ok {
			v.wrongType("a number")
			return
		}
		f, err := n.Float64()
		if err != nil {
			v.wrongType("a number")
			return
		}
		if s.Kind != KindDouble {
			if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
				v.wrongType("an integer")
				return
			}
		}
		if s.Min != nil && f < *s.Min {
			v.fail(s, value, "Member must have value greater than or equal to "+num(*s.Min))
		}
		if s.Max != nil && f > *s.Max {
			v.fail(s, value, "Member must have value less than or equal to "+num(*s.Max))
		}
	case KindBoolean:
		if _, ok := value.(bool); !ok {
			v.wrongType("a boolean")
		}
	case KindTimestamp:
		switch t := value.(type) {
		case json.Number:
		case string:
			if _, err := parseTimeString(t); err != nil {
				v.wrongType("a timestamp")
			}
		default:
			v.wrongType("a timestamp")
		}
	}
}

func (v *validator) structure(s *Shape, obj map[string]any) {
	set := 0
	for _, m := range s.Members {
		value, present := obj[m.Name]
		if !present || value == nil {
			if m.Required {
				path := v.pathTo(segment{name: m.Name, member: true})
				v.paths = append(v.paths, path)
				v.failures = append(v.failures, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", path))
			}
			continue
		}
		set++
		v.in(segment{name: m.Name, member: true}, &shapes[m.Shape], value)
	}
	if s.Union && set != 1 && len(v.at) > 0 {
		path := v.path()
		v.paths = append(v.paths, path)
		v.failures = append(v.failures, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Union must have exactly one member set, found %d", path, set))
	}
}

func (v *validator) length(s *Shape, value any, n int) {
	if s.Min != nil && float64(n) < *s.Min {
		v.fail(s, value, "Member must have length greater than or equal to "+num(*s.Min))
	}
	if s.Max != nil && float64(n) > *s.Max {
		v.fail(s, value, "Member must have length less than or equal to "+num(*s.Max))
	}
}

func (v *validator) str(s *Shape, str string) {
	v.length(s, str, utf8.RuneCountInString(str))
	if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
		v.fail(s, str, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
		return
	}
	for _, p := range s.NotPrefix {
		if strings.HasPrefix(str, p) {
			v.fail(s, str, fmt.Sprintf("Member must not start with '%s'", p))
			return
		}
	}
	if slices.Contains(s.NotExact, str) {
		v.fail(s, str, fmt.Sprintf("Member must not be '%s'", str))
		return
	}
	if s.Pattern != nil && (!s.Pattern.MatchString(str) || !patternLength(s, str)) {
		v.fail(s, str, "Member must satisfy regular expression pattern: "+s.PatternText)
	}
}

// patternLength checks the length in runes that a shape's pattern demands besides
// what Pattern matches.
func patternLength(s *Shape, str string) bool {
	if s.PatternMaxRunes == 0 {
		return true
	}
	n := utf8.RuneCountInString(str)
	return n >= s.PatternMinRunes && n <= s.PatternMaxRunes
}

// render shows a value the way AWS's validation messages do: 'text', numbers bare, lists
// and maps in Java's notation.
func render(value any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(value any) {
		switch t := value.(type) {
		case string:
			b.WriteString(t)
		case []any:
			b.WriteString("[")
			for i, e := range t {
				if i > 0 {
					b.WriteString(", ")
				}
				walk(e)
			}
			b.WriteString("]")
		case map[string]any:
			b.WriteString("{")
			for i, k := range sortedMapKeys(t) {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(k + "=")
				walk(t[k])
			}
			b.WriteString("}")
		default:
			fmt.Fprint(&b, t)
		}
	}
	walk(value)
	return "'" + b.String() + "'"
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func sortedMapKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

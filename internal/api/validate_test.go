package api

import (
	"strings"
	"testing"
)

func shapeNamed(t *testing.T, name string) *Shape {
	t.Helper()
	for i := range shapes {
		if shapes[i].Name == name {
			return &shapes[i]
		}
	}
	t.Fatalf("no shape %s", name)
	return nil
}

// TestCountedClassPattern: ^[\P{C}\r\n\t]{1,250}$ is compiled as the class repeated any
// number of times plus a rune count (see apigen's translatePattern), and must accept and
// refuse exactly what the model's pattern does.
func TestCountedClassPattern(t *testing.T) {
	s := shapeNamed(t, "CommonHumanReadableDescription")
	if s.PatternMinRunes != 1 || s.PatternMaxRunes != 250 {
		t.Fatalf("rune bounds = %d..%d, want 1..250", s.PatternMinRunes, s.PatternMaxRunes)
	}
	for _, c := range []struct {
		value string
		ok    bool
	}{
		{"a", true},
		{strings.Repeat("é", 250), true}, // runes, not bytes
		{"line one\nline two\ttab", true},
		{"", false},
		{strings.Repeat("a", 251), false},
		{strings.Repeat("é", 251), false},
		{"bell\a", false},          // a control character
		{"zero\u200bwidth", false}, // a format character (Cf) is in \p{C}
	} {
		v := &validator{at: []segment{{name: "Description", member: true}}}
		v.str(s, c.value)
		if got := len(v.failures) == 0; got != c.ok {
			t.Errorf("%q: accepted = %v, want %v (%v)", c.value, got, c.ok, v.failures)
		}
		if !c.ok && len(v.failures) == 1 && !strings.Contains(v.failures[0], "Member must satisfy regular expression pattern: ^[\\P{C}\\r\\n\\t]{1,250}$") {
			t.Errorf("%q: message %q", c.value, v.failures[0])
		}
	}
}

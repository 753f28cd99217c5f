package piieval

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is an expected or detected entity in an email's plain text.
type Span struct {
	Type       string
	Start, End int
	Text       string
}

// ExpectedSpans finds every occurrence of the labels in text (see the
// package documentation for the rule). It fails when a label does not occur,
// which catches labels that drifted from their email.
func ExpectedSpans(text string, labels []Label) ([]Span, error) {
	var all []Span
	for _, l := range labels {
		found := findAll(text, l.Text)
		if len(found) == 0 {
			return nil, fmt.Errorf("label %s %q not found in the plain text", l.Type, l.Text)
		}
		for _, f := range found {
			all = append(all, Span{Type: l.Type, Start: f[0], End: f[1], Text: text[f[0]:f[1]]})
		}
	}
	var out []Span
	for i, s := range all {
		inside := false
		for j, o := range all {
			if i != j && o.Start <= s.Start && s.End <= o.End && (o.End-o.Start > s.End-s.Start || j < i) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, s)
		}
	}
	return out, nil
}

// findAll returns the word-bounded occurrences of label in text, letting
// whitespace in the label match any run of whitespace and '>' markers.
func findAll(text, label string) [][2]int {
	parts := strings.Fields(label)
	if len(parts) == 0 {
		return nil
	}
	var out [][2]int
	for off := 0; ; {
		i := strings.Index(text[off:], parts[0])
		if i < 0 {
			return out
		}
		s := off + i
		off = s + 1
		e := s + len(parts[0])
		ok := true
		for _, p := range parts[1:] {
			j := e
			for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '>') {
				j++
			}
			if j == e || !strings.HasPrefix(text[j:], p) {
				ok = false
				break
			}
			e = j + len(p)
		}
		if ok && !wordCharBefore(text, s) && !wordCharAt(text, e) {
			out = append(out, [2]int{s, e})
		}
	}
}

func wordCharBefore(t string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(t[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func wordCharAt(t string, i int) bool {
	if i >= len(t) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

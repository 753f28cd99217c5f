package rules

import (
	"strings"
	"unicode"
)

// words splits text into lower-cased word tokens for keyword matching: runs of letters,
// digits and apostrophes, with a '.' or ',' kept inside a number ("12.50", "1,000").
//
// Decision: the pages say nothing about how "Exact match" compares words. This package
// matches case-insensitively on whole words, so "refund" matches "Refund!" but not
// "refunds", and a phrase matches consecutive words whatever punctuation lies between.
func words(text string) []string {
	var out []string
	var cur []rune
	rs := []rune(text)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’':
			cur = append(cur, unicode.ToLower(r))
		case (r == '.' || r == ',') && len(cur) > 0 && unicode.IsDigit(cur[len(cur)-1]) &&
			i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// containsPhrase says whether the word sequence phrase occurs in tokens.
func containsPhrase(tokens, phrase []string) bool {
	if len(phrase) == 0 {
		return false
	}
	for i := 0; i+len(phrase) <= len(tokens); i++ {
		if phraseAt(tokens, i, phrase) {
			return true
		}
	}
	return false
}

func phraseAt(tokens []string, i int, phrase []string) bool {
	if i+len(phrase) > len(tokens) {
		return false
	}
	for j, w := range phrase {
		if tokens[i+j] != w {
			return false
		}
	}
	return true
}

// sameText compares two texts as the natural-language EQUALS does: case-insensitive,
// on words.
func sameText(a, b string) bool {
	return strings.Join(words(a), " ") == strings.Join(words(b), " ")
}

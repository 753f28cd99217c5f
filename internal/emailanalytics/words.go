package emailanalytics

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// word is one run of letters and digits in the text, with what the name and
// address detectors ask about it precomputed.
type word struct {
	start, end int32
	flags      uint8
}

const (
	wCap       uint8 = 1 << iota // starts with an upper-case letter
	wUpper                       // every letter is upper-case
	wDigits                      // only digits
	wHasDigit                    // has at least one digit
	wLineStart                   // first word on its line, after quote markers
	wLetters                     // only letters (and inner apostrophes or hyphens)
	wNonASCII                    // has a non-ASCII upper-case letter
)

// tokenize splits text into words. Apostrophes and hyphens between letters
// stay inside a word ("O'Brien", "Al-Sayed"); everything else separates.
func tokenize(t string) []word {
	words := make([]word, 0, len(t)/5)
	lineStart := true
	for i := 0; i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf {
			if c == '\n' {
				lineStart = true
			}
			if !isASCIIAlnum(c) {
				i++
				continue
			}
		} else if r, n := utf8.DecodeRuneInString(t[i:]); !isWordRune(r) {
			i += n
			continue
		}
		var w word
		w, i = scanWord(t, i)
		if lineStart {
			w.flags |= wLineStart
			lineStart = false
		}
		words = append(words, w)
	}
	return words
}

// scanWord reads the word starting at i and returns it with the offset after it.
func scanWord(t string, i int) (word, int) {
	w := word{start: int32(i), flags: wUpper | wDigits | wLetters}
	hasLetter := false
	first := true
	for i < len(t) {
		c := t[i]
		if c >= 'a' && c <= 'z' {
			// The common case: a run of lower-case ASCII letters.
			hasLetter = true
			w.flags &^= wDigits | wUpper
			first = false
			for i++; i < len(t) && t[i] >= 'a' && t[i] <= 'z'; i++ {
			}
			continue
		}
		if c < utf8.RuneSelf {
			switch {
			case isDigit(c):
				w.flags = (w.flags | wHasDigit) &^ wLetters
			case c >= 'a' && c <= 'z':
				hasLetter = true
				w.flags &^= wDigits | wUpper
			case c >= 'A' && c <= 'Z':
				hasLetter = true
				w.flags &^= wDigits
				if first {
					w.flags |= wCap
				}
			case (c == '\'' || c == '-') && i+1 < len(t) && letterBefore(t, i) && letterAt(t, i+1):
				w.flags &^= wDigits
			default:
				w.end = int32(i)
				return finishWord(w, hasLetter), i
			}
			first = false
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(t[i:])
		switch {
		case unicode.IsLetter(r):
			hasLetter = true
			w.flags &^= wDigits
			if unicode.IsLower(r) {
				w.flags &^= wUpper
			} else {
				w.flags |= wNonASCII
				if first {
					w.flags |= wCap
				}
			}
		case unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			w.flags &^= wDigits | wLetters
		case r == '’' && i+n < len(t) && letterBefore(t, i) && letterAt(t, i+n):
			w.flags &^= wDigits
		default:
			w.end = int32(i)
			return finishWord(w, hasLetter), i
		}
		first = false
		i += n
	}
	w.end = int32(i)
	return finishWord(w, hasLetter), i
}

func finishWord(w word, hasLetter bool) word {
	if !hasLetter {
		w.flags &^= wUpper
	}
	return w
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func letterAt(t string, i int) bool {
	r, _ := utf8.DecodeRuneInString(t[i:])
	return unicode.IsLetter(r)
}

func letterBefore(t string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(t[:i])
	return unicode.IsLetter(r)
}

func (d *detector) wordText(i int) string { return d.text[d.words[i].start:d.words[i].end] }

// gap returns the text between word i and word i+1.
func (d *detector) gap(i int) string {
	if i+1 >= len(d.words) {
		return d.text[d.words[i].end:]
	}
	return d.text[d.words[i].end:d.words[i+1].start]
}

// lowerWord returns word i lower-cased, as a slice of the lower-cased text
// unless it has non-ASCII capitals.
func (d *detector) lowerWord(i int) string {
	w := d.words[i]
	if w.flags&wNonASCII != 0 {
		return strings.ToLower(d.text[w.start:w.end])
	}
	return d.lower[w.start:w.end]
}

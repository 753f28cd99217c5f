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
	words := make([]word, 0, len(t)/6)
	lineStart := true
	for i := 0; i < len(t); {
		c := t[i]
		if c == '\n' {
			lineStart = true
			i++
			continue
		}
		r, n := rune(c), 1
		if c >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(t[i:])
		}
		if !isWordRune(r) {
			i += n
			continue
		}
		w := word{start: int32(i), flags: wUpper | wDigits | wLetters}
		if unicode.IsUpper(r) {
			w.flags |= wCap
		}
		hasLetter := false
		for i < len(t) {
			c := t[i]
			r, n := rune(c), 1
			if c >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(t[i:])
			}
			if isWordRune(r) {
				switch {
				case r < utf8.RuneSelf && isDigit(byte(r)):
					w.flags |= wHasDigit
					w.flags &^= wLetters
				case unicode.IsLetter(r):
					hasLetter = true
					w.flags &^= wDigits
					if unicode.IsLower(r) {
						w.flags &^= wUpper
					} else if r >= utf8.RuneSelf {
						w.flags |= wNonASCII
					}
				default:
					w.flags &^= wDigits | wLetters
				}
				i += n
				continue
			}
			if (r == '\'' || r == '’' || r == '-') && i > int(w.start) && i+n < len(t) && letterAt(t, i+n) && letterBefore(t, i) {
				i += n
				continue
			}
			break
		}
		w.end = int32(i)
		if !hasLetter {
			w.flags &^= wUpper
		}
		if lineStart {
			w.flags |= wLineStart
			lineStart = false
		}
		words = append(words, w)
	}
	return words
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

package emailanalytics

import (
	"encoding/binary"
	"strings"
	"unicode"
	"unicode/utf8"
)

func isDigit(c byte) bool       { return c >= '0' && c <= '9' }
func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isASCIIAlnum(c byte) bool  { return isDigit(c) || isASCIILetter(c) }
func isUpperASCII(c byte) bool  { return c >= 'A' && c <= 'Z' }

// alnumBefore reports whether the rune ending at i is a letter or digit,
// which means a match starting at i would begin mid-word.
func alnumBefore(t string, i int) bool {
	if i <= 0 {
		return false
	}
	c := t[i-1]
	if c < utf8.RuneSelf {
		return isASCIIAlnum(c)
	}
	r, _ := utf8.DecodeLastRuneInString(t[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// alnumAt reports whether the rune starting at i is a letter or digit.
func alnumAt(t string, i int) bool {
	if i >= len(t) {
		return false
	}
	c := t[i]
	if c < utf8.RuneSelf {
		return isASCIIAlnum(c)
	}
	r, _ := utf8.DecodeRuneInString(t[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// digitRun returns the end of the run of ASCII digits starting at i.
func digitRun(t string, i int) int {
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	return i
}

// dashWidth returns the byte width of a dash-like separator at i (ASCII
// hyphen or the Unicode hyphens and dashes typographic emails use), or 0.
func dashWidth(t string, i int) int {
	if i >= len(t) {
		return 0
	}
	if t[i] == '-' {
		return 1
	}
	if t[i] == 0xe2 && i+2 < len(t) && t[i+1] == 0x80 && t[i+2] >= 0x90 && t[i+2] <= 0x93 {
		return 3 // U+2010 to U+2013
	}
	return 0
}

// sepWidth returns the width of a one-character digit-group separator at i:
// a space, a dot or a dash.
func sepWidth(t string, i int) int {
	if i >= len(t) {
		return 0
	}
	switch t[i] {
	case ' ', '.':
		return 1
	}
	return dashWidth(t, i)
}

// sepKind folds the dash variants together so that "consistent separator"
// checks treat a hyphen and a non-breaking hyphen alike.
func sepKind(t string, i int) byte {
	if dashWidth(t, i) > 0 {
		return '-'
	}
	return t[i]
}

// lineStartAt returns the offset where the line containing i starts.
func lineStartAt(t string, i int) int {
	for i > 0 && t[i-1] != '\n' {
		i--
	}
	return i
}

// asciiLower lower-cases the ASCII letters of s, keeping every byte offset,
// so that one copy of the text serves all vocabulary look-ups. It works on
// eight bytes at a time, through a small buffer so that the result is
// copied only once: the text is large and mostly ASCII.
func asciiLower(s string) string {
	var out strings.Builder
	out.Grow(len(s))
	var chunk [4096]byte
	for len(s) > 0 {
		n := min(len(s), len(chunk))
		lowerInto(chunk[:n], s[:n])
		out.Write(chunk[:n])
		s = s[n:]
	}
	return out.String()
}

// lowerInto writes s to b with ASCII letters lower-cased; len(b) == len(s).
func lowerInto(b []byte, s string) {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if x&0x8080808080808080 == 0 {
			geA := x + 0x3f3f3f3f3f3f3f3f // high bit set where byte >= 'A'
			gtZ := x + 0x2525252525252525 // high bit set where byte > 'Z'
			x |= (geA &^ gtZ & 0x8080808080808080) >> 2
			binary.LittleEndian.PutUint64(b[i:], x)
			continue
		}
		for j := i; j < i+8; j++ {
			b[j] = lowerByte(s[j])
		}
	}
	for ; i < len(s); i++ {
		b[i] = lowerByte(s[i])
	}
}

func lowerByte(c byte) byte {
	if isUpperASCII(c) {
		return c + 'a' - 'A'
	}
	return c
}

package emailanalytics

import (
	"strings"
)

// localityAfter matches the city, state and ZIP (or city and UK postcode)
// that may follow a street, on the same line after a comma or on the next
// line.
func (d *detector) localityAfter(j int) (end, next int, ok bool) {
	w := d.words
	if j >= len(w) || j == 0 {
		return 0, 0, false
	}
	g := strings.TrimPrefix(d.text[w[j-1].end:w[j].start], ".")
	if !localityGap(g) {
		return 0, 0, false
	}
	return d.locality(j)
}

// localityGap accepts ", ", " ", or a line break with quote markers and
// indentation between an address's parts.
func localityGap(g string) bool {
	newlines := 0
	for i := 0; i < len(g); i++ {
		switch g[i] {
		case ' ', ',', '\t', '>':
		case '\n':
			newlines++
		default:
			return false
		}
	}
	return newlines <= 1 && len(g) > 0
}

// locality matches "City, ST 12345(-6789)", "City ST 12345", a Canadian
// "City, ON K1A 0B1" or a UK "City SW1A 2AA", starting at word i.
func (d *detector) locality(i int) (end, next int, ok bool) {
	w := d.words
	j := i
	for n := 0; n < 3 && j < len(w) && w[j].flags&wLetters != 0 && w[j].flags&wCap != 0 && w[j].flags&wUpper == 0; n++ {
		j++
		if j < len(w) && d.text[w[j-1].end:w[j].start] != " " {
			break
		}
	}
	if j == i || j >= len(w) {
		return 0, 0, false
	}
	g := d.text[w[j-1].end:w[j].start]
	if g != ", " && g != " " && g != "," {
		return 0, 0, false
	}
	if e, n, ok := d.ukPostcode(j); ok {
		return e, n, true
	}
	if !isUSState(d.wordText(j)) || j+1 >= len(w) {
		return 0, 0, false
	}
	g = d.text[w[j].end:w[j+1].start]
	if g != " " && g != "  " && g != ", " {
		return 0, 0, false
	}
	z := d.wordText(j + 1)
	if len(z) == 5 && w[j+1].flags&wDigits != 0 {
		end, next = int(w[j+1].end), j+2
		if next < len(w) && d.text[w[j+1].end:w[next].start] == "-" && len(d.wordText(next)) == 4 && w[next].flags&wDigits != 0 {
			end, next = int(w[next].end), next+1
		}
		return end, next, true
	}
	if len(z) == 3 && j+2 < len(w) && d.text[w[j+1].end:w[j+2].start] == " " && len(d.wordText(j+2)) == 3 {
		a, b := z, d.wordText(j+2)
		if isUpperASCII(a[0]) && isDigit(a[1]) && isUpperASCII(a[2]) && isDigit(b[0]) && isUpperASCII(b[1]) && isDigit(b[2]) {
			return int(w[j+2].end), j + 3, true
		}
	}
	return 0, 0, false
}

// ukPostcode matches a UK postcode such as "NW1 6XE" or "SW1A 2AA" at word j.
func (d *detector) ukPostcode(j int) (end, next int, ok bool) {
	w := d.words
	if j+1 >= len(w) || d.text[w[j].end:w[j+1].start] != " " {
		return 0, 0, false
	}
	out, in := d.wordText(j), d.wordText(j+1)
	if len(in) != 3 || !isDigit(in[0]) || !isUpperASCII(in[1]) || !isUpperASCII(in[2]) {
		return 0, 0, false
	}
	if len(out) < 2 || len(out) > 4 || !isUpperASCII(out[0]) {
		return 0, 0, false
	}
	k := 1
	if isUpperASCII(out[1]) {
		k = 2
	}
	if k >= len(out) || !isDigit(out[k]) {
		return 0, 0, false
	}
	for _, c := range []byte(out[k+1:]) {
		if !isDigit(c) && !isUpperASCII(c) {
			return 0, 0, false
		}
	}
	return int(w[j+1].end), j + 2, true
}

// isCityStart reports whether word i can begin a stand-alone locality: the
// first capitalised word after a line start, a comma or a colon.
func (d *detector) isCityStart(i int) bool {
	w := d.words
	if w[i].flags&wLineStart != 0 || i == 0 {
		return true
	}
	g := strings.TrimSpace(d.text[w[i-1].end:w[i].start])
	return g == "," || g == ":" || g == "|"
}

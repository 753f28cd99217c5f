package emailanalytics

import (
	"strings"
)

// findAddresses finds postal addresses: US-style street addresses
// ("1234 Main Street, Apt 5, Springfield, IL 62704"), UK-style ones ending
// in a postcode, PO boxes, and a "City, ST 12345" line on its own.
func (d *detector) findAddresses() {
	w := d.words
	for i := 0; i < len(w); i++ {
		if w[i].flags&wHasDigit != 0 {
			if end, next, ok := d.streetAddress(i); ok {
				d.add(kAddress, d.unitPrefix(i), end)
				i = next - 1
			}
			continue
		}
		if w[i].flags&wCap == 0 {
			continue
		}
		lw := d.lowerWord(i)
		if lw == "po" || lw == "p" || lw == "pob" || lw == "post" {
			if end, next, ok := d.poBox(i); ok {
				d.add(kAddress, int(w[i].start), end)
				i = next - 1
				continue
			}
		}
		if end, next, ok := d.locality(i); ok && d.isCityStart(i) {
			d.add(kAddress, int(w[i].start), end)
			i = next - 1
		}
	}
}

// houseNumber reports a house number: 1 to 6 digits, optionally with one
// letter ("221B"), not preceded by a currency sign, '#' or a digit group.
func (d *detector) houseNumber(i int) bool {
	s := d.wordText(i)
	n := digitRun(s, 0)
	if n == 0 || n > 6 || len(s)-n > 1 || (len(s) > n && !isASCIILetter(s[n])) {
		return false
	}
	st := int(d.words[i].start)
	return numberMayStart(d.text, st) && (st == 0 || d.text[st-1] != '#')
}

// streetAddress matches a house number, an optional directional, one to
// four street-name words, a street suffix, then an optional unit and
// locality. It returns the end offset and the index of the next word.
func (d *detector) streetAddress(i int) (end, next int, ok bool) {
	w := d.words
	if !d.houseNumber(i) {
		return 0, 0, false
	}
	j := i + 1
	if j < len(w) && d.sameLine(j-1, j) && isDirectional(d.lowerWord(j)) && w[j].flags&wCap != 0 {
		j++
	}
	names := 0
	suffix := -1
	for ; j < len(w) && names <= 4 && d.sameLine(j-1, j); j++ {
		lw := d.lowerWord(j)
		if names >= 1 && w[j].flags&wCap != 0 && isStreetSuffix(lw) {
			suffix = j
			break
		}
		if !d.streetNameWord(j) {
			break
		}
		names++
	}
	if suffix < 0 {
		return 0, 0, false
	}
	j = suffix + 1
	for j < len(w) && d.text[w[j-1].end:w[j].start] == " " && w[j].flags&wCap != 0 {
		lw := d.lowerWord(j)
		if !isStreetSuffix(lw) && !isDirectional(lw) {
			break
		}
		j++
	}
	end = d.afterAbbrevDot(j - 1)
	if e, n, ok := d.unit(j); ok {
		end, j = e, n
	}
	if e, n, ok := d.localityAfter(j); ok {
		end, j = e, n
	}
	return end, j, true
}

// streetNameWord reports a word that can be part of a street name: a
// capitalised word or an ordinal such as 5th or 42nd.
func (d *detector) streetNameWord(j int) bool {
	w := d.words[j]
	if w.flags&wLetters != 0 {
		return w.flags&wCap != 0
	}
	s := d.wordText(j)
	n := digitRun(s, 0)
	if n == 0 || n > 3 || len(s) != n+2 {
		return false
	}
	switch strings.ToLower(s[n:]) {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}

// unit matches ", Apt 5", " Suite 210", ", Floor 3" or " #12" after a street.
func (d *detector) unit(j int) (end, next int, ok bool) {
	w := d.words
	if j >= len(w) {
		return 0, 0, false
	}
	g := d.text[w[j-1].end:w[j].start]
	g = strings.TrimPrefix(strings.TrimPrefix(g, "."), ",")
	if g == " #" || g == "#" {
		return int(w[j].end), j + 1, w[j].flags&wHasDigit != 0
	}
	if g != " " && g != "" {
		return 0, 0, false
	}
	if !isUnitWord(d.lowerWord(j)) || j+1 >= len(w) {
		return 0, 0, false
	}
	g2 := d.text[w[j].end:w[j+1].start]
	if g2 != " " && g2 != ". " && g2 != " #" && g2 != ". #" {
		return 0, 0, false
	}
	if w[j+1].flags&wHasDigit == 0 && !(len(d.wordText(j+1)) <= 2 && w[j+1].flags&wUpper != 0) {
		return 0, 0, false
	}
	return int(w[j+1].end), j + 2, true
}

// poBox matches "PO Box 4471", "P.O. Box 4471" or "Post Office Box 4471",
// with an optional locality after it.
func (d *detector) poBox(i int) (end, next int, ok bool) {
	w := d.words
	j := i + 1
	switch d.lowerWord(i) {
	case "p":
		if j >= len(w) || d.lowerWord(j) != "o" {
			return 0, 0, false
		}
		j++
	case "post":
		if j >= len(w) || d.lowerWord(j) != "office" {
			return 0, 0, false
		}
		j++
	}
	if j+1 >= len(w) || d.lowerWord(j) != "box" || w[j+1].flags&wDigits == 0 {
		return 0, 0, false
	}
	end, next = int(w[j+1].end), j+2
	if e, n, ok := d.localityAfter(next); ok {
		end, next = e, n
	}
	return end, next, true
}

// unitPrefix extends an address back over "Flat 3, " or "Unit 4, " written
// before the house number, as UK addresses do.
func (d *detector) unitPrefix(i int) int {
	w := d.words
	start := int(w[i].start)
	if i < 2 {
		return start
	}
	g := d.text[w[i-1].end:w[i].start]
	if (g == ", " || g == " ") && w[i-1].flags&wHasDigit != 0 && d.text[w[i-2].end:w[i-1].start] == " " &&
		isUnitWord(d.lowerWord(i-2)) && w[i-2].flags&wCap != 0 {
		return int(w[i-2].start)
	}
	return start
}

// afterAbbrevDot includes the period of an abbreviated suffix ("St.").
func (d *detector) afterAbbrevDot(j int) int {
	e := int(d.words[j].end)
	if e < len(d.text) && d.text[e] == '.' && len(d.wordText(j)) <= 4 {
		return e + 1
	}
	return e
}

// sameLine reports whether words a and b are separated only by spaces.
func (d *detector) sameLine(a, b int) bool {
	g := d.text[d.words[a].end:d.words[b].start]
	for i := 0; i < len(g); i++ {
		if g[i] != ' ' && g[i] != '\t' && g[i] != '.' {
			return false
		}
	}
	return len(g) > 0 && len(g) <= 3
}

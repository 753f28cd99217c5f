package emailanalytics

import (
	"strings"
)

// salutation handles "Dear Jane Doe,", "Hi Maria and Tom,", "Good morning
// Ms. Alvarez," and "Thanks Zoe, …": a name that ends the greeting.
func (d *detector) salutation(i int, lw string) {
	w := d.words
	switch lw {
	case "morning", "afternoon", "evening":
		if i == 0 || d.lowerWord(i-1) != "good" || w[i-1].flags&wLineStart == 0 {
			return
		}
	default:
		if w[i].flags&wLineStart == 0 {
			return
		}
	}
	j := i + 1
	if lw == "thank" {
		if j >= len(w) || d.lowerWord(j) != "you" {
			return
		}
		j++
	}
	if j >= len(w) {
		return
	}
	if g := d.gap(j - 1); g != " " && g != ", " {
		return
	}
	j = d.afterTitle(j)
	end := d.nameSpan(j, false)
	if end == j || !d.greetingEnds(end) {
		return
	}
	d.addName(j, end)
	if end < len(w) {
		if g := d.gap(end - 1); g == " and " || g == " & " {
			k := d.afterTitle(end)
			if e := d.nameSpan(k, false); e > k && d.greetingEnds(e) {
				d.addName(k, e)
			}
		}
	}
}

// greetingEnds reports whether the greeting's name ends before word j:
// punctuation, a line break, the end of the text, or "and" another name.
func (d *detector) greetingEnds(j int) bool {
	e := int(d.words[j-1].end)
	if e >= len(d.text) {
		return true
	}
	switch d.text[e] {
	case ',', '!', ':', '.', ';', '\n', '\r':
		return true
	}
	rest := d.text[e:min(len(d.text), e+5)]
	return strings.HasPrefix(rest, " and ") || strings.HasPrefix(rest, " & ") ||
		strings.HasPrefix(rest, " -") || strings.HasPrefix(rest, " –") || strings.HasPrefix(rest, " —")
}

// title handles "Mr. Okafor", "Dr. Nair", "Prof. Adaeze Okonkwo"; the span
// leaves the title out.
func (d *detector) title(i int) {
	j := d.afterTitle(i)
	if j == i {
		return
	}
	if end := d.nameSpan(j, false); end > j {
		d.addName(j, end)
	}
}

// label handles "Name: Jane Doe", "Cardholder | Daniel Kowalski" and header
// lines such as "From: Aiko Tanaka <…>".
func (d *detector) label(i int) {
	w := d.words
	if i+1 >= len(w) {
		return
	}
	g := strings.TrimSpace(d.gap(i))
	if g != ":" && g != "|" && g != ":\"" && g != ": \"" {
		return
	}
	if end := d.nameSpan(i+1, false); end > i+1 {
		d.addName(i+1, end)
	}
}

// phrase handles "my name is X", "me llamo X" (certain) and "this is X",
// "I'm X", "it's X" (only for known given names).
func (d *detector) phrase(i int, lw string) {
	w := d.words
	if i+1 >= len(w) || d.gap(i) != " " {
		return
	}
	strong := false
	switch lw {
	case "is":
		if i == 0 || d.gap(i-1) != " " {
			return
		}
		switch d.lowerWord(i - 1) {
		case "name":
			strong = true
		case "this", "it":
		default:
			return
		}
	case "am":
		if i == 0 || d.lowerWord(i-1) != "i" {
			return
		}
	case "llamo":
		strong = i > 0 && d.lowerWord(i-1) == "me"
		if !strong {
			return
		}
	}
	j := i + 1
	end := d.nameSpan(j, false)
	if end == j {
		return
	}
	if !strong && !isFirstName(possessiveBase(d.lowerWord(j))) {
		return
	}
	d.addName(j, end)
}

// listName handles a known given name without a cue: it takes the surnames
// after it and up to two name words before it ("Nguyen Thi Lan"). An
// ambiguous given name ("May", "Grace") needs a surname.
func (d *detector) listName(i int, ambiguous bool) {
	w := d.words
	if !d.nameWord(i) {
		return
	}
	start := i
	if !ambiguous {
		for k := 0; k < 2 && start > 0 && d.gap(start-1) == " " && d.nameWord(start-1) &&
			!d.sentenceStart(start-1); k++ {
			start--
		}
	}
	end := d.nameSpan(i, false)
	if end == i {
		return
	}
	if ambiguous && end-start < 2 {
		return
	}
	if start > 0 && w[start-1].flags&wHasDigit != 0 && d.gap(start-1) == " " {
		return // "12 Jackson …" belongs to an address
	}
	if start < i && d.orgFollows(start, end) {
		return
	}
	d.addName(start, end)
}

// sentenceStart reports whether word i begins a sentence.
func (d *detector) sentenceStart(i int) bool {
	if i == 0 {
		return true
	}
	g := strings.TrimRight(d.gap(i-1), " ")
	return strings.HasSuffix(g, ".") || strings.HasSuffix(g, "!") || strings.HasSuffix(g, "?")
}

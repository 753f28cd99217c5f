package emailanalytics

import (
	"sort"
	"strings"
)

// findNames finds person names. Cues make a name certain whatever it is:
// greetings ("Dear Jane Doe,"), sign-offs ("Thanks,\nJohn Smith"), titles
// ("Dr. Chen"), phrases ("my name is …"), form labels ("Cardholder: …") and
// display names ("Jane Doe <jane@…>", "Jane wrote:"). Without a cue, a
// capitalised word must be a known given name, optionally with surnames.
func (d *detector) findNames() {
	w := d.words
	d.displayNames()
	for i := 0; i < len(w); i++ {
		f := w[i].flags
		if f&wLetters == 0 {
			if f&wLineStart != 0 && i > 0 && strings.Contains(d.gap(i-1), "--") {
				d.afterSigDelimiter(i)
			}
			continue
		}
		lw := d.lowerWord(i)
		if f&wLineStart != 0 {
			if i > 0 && strings.Contains(d.gap(i-1), "--") {
				d.afterSigDelimiter(i)
			}
			if isSignOffStart(lw) {
				d.signOff(i, lw)
			}
		}
		switch {
		case isSalutation(lw):
			d.salutation(i, lw)
		case f&wCap != 0 && isTitle(lw):
			d.title(i)
		case isNameLabel(lw):
			d.label(i)
		case lw == "is" || lw == "am" || lw == "llamo" || lw == "i'm" || lw == "it's" || lw == "im":
			d.phrase(i, lw)
		}
		if f&wCap != 0 && f&wUpper == 0 {
			base := possessiveBase(lw)
			if h := strings.IndexByte(base, '-'); h > 0 && !isFirstName(base) {
				base = base[:h] // "Mary-Kate", "Jean-Luc"
			}
			if isFirstName(base) {
				d.listName(i, isAmbiguousName(base))
			}
		}
	}
}

// nameWord reports a capitalised word that can be part of a name: letters
// only, not an acronym, not a common word, organisation word or brand.
func (d *detector) nameWord(i int) bool {
	f := d.words[i].flags
	if f&wLetters == 0 || f&wCap == 0 || f&wUpper != 0 {
		return false
	}
	s := d.wordText(i)
	if len(s) < 2 {
		return false
	}
	lw := possessiveBase(d.lowerWord(i))
	if isStopWord(lw) || isOrgWord(lw) || isBrandWord(lw) {
		return false
	}
	return !isStreetSuffix(lw) || isSurnameLikeStreetWord(lw)
}

// possessiveBase strips a possessive "'s" for look-ups.
func possessiveBase(lw string) string {
	if strings.HasSuffix(lw, "'s") {
		return lw[:len(lw)-2]
	}
	if strings.HasSuffix(lw, "’s") {
		return lw[:len(lw)-len("’s")]
	}
	return lw
}

// isInitial reports a single capital letter followed by a period.
func (d *detector) isInitial(i int) bool {
	w := d.words[i]
	return w.end-w.start == 1 && w.flags&wCap != 0 && int(w.end) < len(d.text) && d.text[w.end] == '.'
}

// nameSpan returns the index after the last word of a name starting at word
// i (first name, initials, particles, surnames, a generation suffix), or i
// when word i cannot start a name. A lower-case first word is accepted only
// if allowLower is set and it is a known given name.
func (d *detector) nameSpan(i int, allowLower bool) int {
	w := d.words
	if i >= len(w) {
		return i
	}
	if !d.nameWord(i) {
		// A cue vouches for a known given name that is also a word ("it's
		// Bill"), and after a sign-off for one written in lower case.
		f := w[i].flags
		if f&wLetters == 0 || (f&wCap == 0 && !allowLower) || !isFirstName(d.lowerWord(i)) {
			return i
		}
	}
	j := i + 1
	for j < len(w) && j-i < 5 {
		g := d.gap(j - 1)
		if g != " " && !(g == ". " && d.isInitial(j-1)) {
			break
		}
		if d.nameWord(j) || d.isInitial(j) {
			j++
			continue
		}
		lw := d.lowerWord(j)
		if isGenerationSuffix(lw) && w[j].flags&wCap != 0 {
			j++
			break
		}
		if isNameParticle(lw) && j+1 < len(w) && d.gap(j) == " " {
			k := j + 1
			if isNameParticle(d.lowerWord(k)) && k+1 < len(w) && d.gap(k) == " " {
				k++
			}
			if d.nameWord(k) {
				j = k + 1
				continue
			}
		}
		break
	}
	if d.orgFollows(i, j) {
		return i
	}
	return j
}

// orgFollows reports names that are really organisations or streets: the
// next word is an organisation word or street suffix ("Acme Support",
// "Jackson Street"), or the words form a known company ("Morgan Stanley").
func (d *detector) orgFollows(i, j int) bool {
	w := d.words
	if j < len(w) && j > i {
		g := d.gap(j - 1)
		if g == " " || g == ", " {
			lw := d.lowerWord(j)
			if isOrgWord(lw) || (w[j].flags&wCap != 0 && isStreetSuffix(lw) && g == " ") {
				return true
			}
		}
		if g == " & " || g == " and " {
			return isKnownOrg(d.lowerWord(j-1) + " " + d.lowerWord(j))
		}
	}
	if j-i == 2 {
		a := d.lowerWord(i)
		return isKnownOrg(a + " " + d.lowerWord(i+1))
	}
	return false
}

// addName records the words [i, j) as a name.
func (d *detector) addName(i, j int) {
	if j > i {
		d.add(TypeName, int(d.words[i].start), int(d.words[j-1].end))
	}
}

// afterTitle skips an honorific ("Dr.", "Ms") at word i and returns the
// index of the word after it.
func (d *detector) afterTitle(i int) int {
	if i < len(d.words) && d.words[i].flags&wCap != 0 && isTitle(d.lowerWord(i)) && i+1 < len(d.words) {
		if g := d.gap(i); g == " " || g == ". " {
			return i + 1
		}
	}
	return i
}

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

// signOff handles a closing line ("Best regards,", "Thanks,", "Cheers") and
// takes the name on the same line after a comma or dash, or on the next
// non-blank line.
func (d *detector) signOff(i int, lw string) {
	w := d.words
	t := d.text
	lineEnd := strings.IndexByte(t[w[i].start:], '\n')
	if lineEnd < 0 {
		lineEnd = len(t)
	} else {
		lineEnd += int(w[i].start)
	}
	last := i
	for last+1 < len(w) && int(w[last+1].start) < lineEnd {
		last++
	}
	n := last - i + 1
	maxWords := 4
	if lw == "thanks" || lw == "thank" {
		maxWords = 7
	}
	line := t[w[i].start:lineEnd]
	if strings.ContainsAny(line, "0123456789@") {
		return
	}
	// Same line: "Regards, Priya Patel" or "Thanks - Sam".
	for k := i + 1; k <= last; k++ {
		g := d.gap(k - 1)
		if g != ", " && g != " - " && g != " – " && g != " — " && g != ",  " {
			continue
		}
		k2 := d.afterTitle(k)
		if end := d.nameSpan(k2, false); end == last+1 {
			d.addName(k2, end)
			return
		}
	}
	if n > maxWords {
		return
	}
	if c := strings.TrimRight(line, " \t\r"); len(c) > 0 {
		switch c[len(c)-1] {
		case ',', '!', '.':
		default:
			if !isASCIILetter(c[len(c)-1]) {
				return
			}
		}
	}
	d.nameLineAfter(last)
}

// nameLineAfter takes a name that fills the start of the first non-blank
// line after word last (one blank line may intervene).
func (d *detector) nameLineAfter(last int) {
	w := d.words
	k := last + 1
	if k >= len(w) || strings.Count(d.gap(last), "\n") > 3 || w[k].flags&wLineStart == 0 {
		return
	}
	if strings.Count(d.gap(last), "\n") == 0 {
		return
	}
	k = d.afterTitle(k)
	end := d.nameSpan(k, true)
	if end == k || end-k > 4 {
		return
	}
	e := int(w[end-1].end)
	rest := d.text[e:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimSpace(rest)
	if rest == "" || rest[0] == ',' || rest[0] == '|' || rest[0] == '(' || rest[0] == '-' ||
		strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, "—") || rest == "." {
		d.addName(k, end)
	}
}

// afterSigDelimiter handles the "-- " signature delimiter: the line after
// it starts with the sender's name.
func (d *detector) afterSigDelimiter(i int) {
	g := d.gap(i - 1)
	lines := strings.Split(g, "\n")
	if len(lines) < 3 {
		return
	}
	delim := strings.TrimSpace(strings.TrimLeft(lines[len(lines)-2], "> "))
	if delim != "--" {
		return
	}
	d.nameLineAfter(i - 1)
}

// displayNames handles "Jane Doe <jane@example.com>" and "Jane wrote:".
func (d *detector) displayNames() {
	t := d.text
	for _, e := range d.cands {
		if e.Type != TypeEmail || e.Start < 2 || t[e.Start-1] != '<' {
			continue
		}
		d.nameBefore(e.Start - 1)
	}
	for off := 0; ; {
		k := strings.Index(t[off:], " wrote:")
		if k < 0 {
			return
		}
		d.nameBefore(off + k + 1)
		off += k + len(" wrote:")
	}
}

// nameBefore takes the name words that end just before offset pos, on the
// same line, separated from it by a space or a quote.
func (d *detector) nameBefore(pos int) {
	w := d.words
	k := sort.Search(len(w), func(i int) bool { return int(w[i].end) > pos }) - 1
	if k < 0 {
		return
	}
	g := d.text[w[k].end:pos]
	if g != " " && g != "\" " && g != "' " && g != "" && g != "\"" {
		return
	}
	start := k
	for start >= 0 && k-start < 4 && d.nameWord(start) {
		if start > 0 && d.gap(start-1) != " " {
			start--
			break
		}
		start--
	}
	start++
	if start > k || !d.nameWord(start) {
		for start <= k && !d.nameWord(start) {
			start++
		}
	}
	if start > k {
		return
	}
	if d.nameSpan(start, false) < k+1 {
		return
	}
	d.addName(start, k+1)
}

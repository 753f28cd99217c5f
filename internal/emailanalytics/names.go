package emailanalytics

import (
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
		// Vocabulary look-ups only where the cue can apply: most words
		// are lower-case, mid-line and followed by a space.
		switch {
		case (f&wLineStart != 0 || len(lw) >= 7) && isSalutation(lw):
			d.salutation(i, lw)
		case f&wCap != 0 && len(lw) <= 5 && isTitle(lw):
			d.title(i)
		case d.labelGapAfter(i) && isNameLabel(lw):
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

// labelGapAfter reports whether word i is followed by ':' or '|', as a
// form label is.
func (d *detector) labelGapAfter(i int) bool {
	t := d.text
	for e := int(d.words[i].end); e < len(t); e++ {
		switch t[e] {
		case ' ', '\t':
			continue
		case ':', '|':
			return true
		}
		return false
	}
	return false
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
		d.add(kName, int(d.words[i].start), int(d.words[j-1].end))
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

package emailanalytics

// findNumbers looks at every place a number starts and tries, in order of
// certainty, the shapes of card numbers, SSNs, phone numbers and card
// expiry dates, and then the numbers that only their cue words identify
// (routing, account, PIN, CVV, unformatted SSN and phone numbers).
func (d *detector) findNumbers() {
	t := d.text
	for i := 0; i < len(t); {
		c := t[i]
		if !isDigit(c) && !((c == '+' || c == '(') && i+1 < len(t) && isDigit(t[i+1])) {
			i++
			continue
		}
		if !numberMayStart(t, i) {
			// Mid-word ("cvv2", "A10123"): skip the word, not what follows.
			for i < len(t) && (isASCIIAlnum(t[i]) || t[i] == '+' || t[i] == '(') {
				i++
			}
			if i < len(t) && !isDigit(t[i]) {
				i++
			}
			continue
		}
		i = d.numberAt(i)
	}
}

// numberAt classifies the number starting at i and returns where scanning
// resumes.
func (d *detector) numberAt(i int) int {
	c := cueBefore(d.lower, i)
	if c.blocks() {
		return chunkEnd(d.text, i)
	}
	if e, ok := d.card(i); ok {
		d.add(kCard, i, e)
		d.lastCardEnd = e
		return e
	}
	if e, ok := ssnFormatted(d.text, i); ok {
		d.add(kSSN, i, e)
		return e
	}
	if e, ok := phoneAt(d.text, i, c); ok {
		d.add(kPhone, i, e)
		return e
	}
	if c.kind == cueNegative {
		return chunkEnd(d.text, i)
	}
	if e, ok := d.expiry(i, c); ok {
		d.add(kExpiry, i, e)
		return e
	}
	if k, e := d.cued(i, c); e > 0 {
		d.add(k, i, e)
		return e
	}
	return chunkEnd(d.text, i)
}

// numberMayStart rejects positions inside a larger token: after a letter or
// digit, after a currency sign, or after a decimal point, comma, slash or
// dash that follows a digit.
func numberMayStart(t string, i int) bool {
	if i == 0 {
		return true
	}
	if alnumBefore(t, i) {
		return false
	}
	switch t[i-1] {
	case '$', '_', '@', '=', '&', '%':
		return false
	case '.', ',', '/', '-', ':':
		return !(i >= 2 && isDigit(t[i-2]))
	}
	if i >= 2 && (t[i-2] == 0xc2 && (t[i-1] == 0xa3 || t[i-1] == 0xa5)) { // £ ¥
		return false
	}
	if i >= 3 && t[i-3] == 0xe2 && t[i-2] == 0x82 && t[i-1] == 0xac { // €
		return false
	}
	return true
}

// numberEnds reports whether a number may end at e: not followed by a letter
// or digit, nor by a decimal point, comma, slash or dash and another digit.
func numberEnds(t string, e int) bool {
	if e >= len(t) {
		return true
	}
	if alnumAt(t, e) {
		return false
	}
	switch t[e] {
	case '.', ',', '/', ':':
		return !(e+1 < len(t) && isDigit(t[e+1]))
	}
	if w := dashWidth(t, e); w > 0 {
		return !(e+w < len(t) && isDigit(t[e+w]))
	}
	return true
}

// chunkEnd returns the end of the run of digit groups starting at i, joined
// by single separators, so that a rejected number is skipped as a whole.
func chunkEnd(t string, i int) int {
	if t[i] == '+' || t[i] == '(' {
		i++
	}
	for {
		i = digitRun(t, i)
		if i < len(t) && t[i] == ')' {
			i++
		}
		w := sepWidth(t, i)
		if w == 0 && i < len(t) && (t[i] == '/' || t[i] == ',') {
			w = 1
		}
		if w == 0 || i+w >= len(t) || !isDigit(t[i+w]) {
			return max(i, 1)
		}
		i += w
	}
}

// digitGroups splits the number at i into groups of digits joined by one
// consistent separator from seps (space, dash), up to max groups.
func digitGroups(t string, i int, allowSpace bool, groups [][2]int) int {
	n := 0
	var sep byte
	for n < len(groups) {
		e := digitRun(t, i)
		groups[n] = [2]int{i, e}
		n++
		w := dashWidth(t, e)
		if w == 0 && allowSpace && e < len(t) && t[e] == ' ' {
			w = 1
		}
		if w == 0 || e+w >= len(t) || !isDigit(t[e+w]) {
			break
		}
		k := sepKind(t, e)
		if sep == 0 {
			sep = k
		} else if k != sep {
			break
		}
		i = e + w
	}
	return n
}

// groupDigits appends the digits of the first k groups to buf.
func groupDigits(t string, groups [][2]int, buf []byte) []byte {
	for _, g := range groups {
		buf = append(buf, t[g[0]:g[1]]...)
	}
	return buf
}

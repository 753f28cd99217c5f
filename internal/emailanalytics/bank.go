package emailanalytics

// cued matches numbers that only the words before them identify: nine-digit
// SSNs, ABA routing numbers, bank account numbers, PINs and CVVs. It returns
// the kind and the end, or an end of 0 when the cue and the number do not
// fit together.
func (d *detector) cued(i int, c cue) (kind, int) {
	t := d.text
	if !isDigit(t[i]) {
		return 0, 0
	}
	var gs [6][2]int
	n := digitGroups(t, i, c.kind == cueAccount || c.kind == cueSSN, gs[:])
	end := gs[n-1][1]
	if !numberEnds(t, end) {
		return 0, 0
	}
	var buf [24]byte
	digits := string(groupDigits(t, gs[:n], buf[:0]))
	nd := len(digits)
	switch c.kind {
	case cueSSN:
		if nd == 9 && (n == 1 || n == 3) && ssnValid(digits[:3], digits[3:5], digits[5:]) {
			return kSSN, end
		}
	case cueRouting:
		if n == 1 && abaValid(digits) {
			return kRouting, end
		}
	case cueAccount:
		if n == 1 && nd == 9 && abaValid(digits) && d.lastAccountEnd >= 0 && i-d.lastAccountEnd <= 40 {
			return kRouting, end
		}
		if nd >= 6 && nd <= 17 {
			d.lastAccountEnd = end
			return kAccount, end
		}
	case cuePIN:
		if n == 1 && nd >= 4 && nd <= 6 {
			return kPIN, end
		}
	case cueCVV:
		if n == 1 && nd >= 3 && nd <= 4 {
			return kCVV, end
		}
	}
	// "card 3714 496353 98431, code 6042": a code right after a card.
	if c.prevWord == "code" && n == 1 && (nd == 3 || nd == 4) &&
		d.lastCardEnd >= 0 && i-d.lastCardEnd <= 40 {
		return kCVV, end
	}
	return 0, 0
}

// findIBANs finds International Bank Account Numbers (two letters, two check
// digits, up to 30 letters and digits, optionally in groups of four) that
// pass the mod-97 check. They are reported as bank account numbers. Only
// words that start like an IBAN ("GB82", "DE89…") are examined.
func (d *detector) findIBANs() {
	t := d.text
	for wi := range d.words {
		w := d.words[wi]
		i := int(w.start)
		if w.flags&wHasDigit == 0 || w.end-w.start < 4 || !isUpperASCII(t[i]) || !isUpperASCII(t[i+1]) ||
			!isDigit(t[i+2]) || !isDigit(t[i+3]) {
			continue
		}
		var buf [34]byte
		n := 0
		j := i
		best := -1
		for j < len(t) && n < len(buf) {
			c := t[j]
			switch {
			case isDigit(c) || isUpperASCII(c):
				buf[n] = c
				n++
				j++
				if !alnumAt(t, j) && n >= 15 && ibanValid(string(buf[:n])) {
					best = j
				}
				continue
			case c == ' ' && j+1 < len(t) && (isDigit(t[j+1]) || isUpperASCII(t[j+1])) && n%4 == 0:
				j++
				continue
			}
			break
		}
		if best > 0 {
			d.add(kAccount, i, best)
		}
	}
}

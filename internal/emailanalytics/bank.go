package emailanalytics

// cued matches numbers that only the words before them identify: nine-digit
// SSNs, ABA routing numbers, bank account numbers, PINs and CVVs. It returns
// the type, or "" when the cue and the number do not fit together.
func (d *detector) cued(i int, c cue) (string, int) {
	t := d.text
	if !isDigit(t[i]) {
		return "", 0
	}
	var gs [6][2]int
	n := digitGroups(t, i, c.kind == cueAccount || c.kind == cueSSN, gs[:])
	end := gs[n-1][1]
	if !numberEnds(t, end) {
		return "", 0
	}
	var buf [24]byte
	digits := string(groupDigits(t, gs[:n], buf[:0]))
	nd := len(digits)
	switch c.kind {
	case cueSSN:
		if nd == 9 && (n == 1 || n == 3) && ssnValid(digits[:3], digits[3:5], digits[5:]) {
			return TypeSSN, end
		}
	case cueRouting:
		if n == 1 && abaValid(digits) {
			return TypeBankRouting, end
		}
	case cueAccount:
		if n == 1 && nd == 9 && abaValid(digits) && d.lastAccountEnd >= 0 && i-d.lastAccountEnd <= 40 {
			return TypeBankRouting, end
		}
		if nd >= 6 && nd <= 17 {
			d.lastAccountEnd = end
			return TypeBankAccountNumber, end
		}
	case cuePIN:
		if n == 1 && nd >= 4 && nd <= 6 {
			return TypePIN, end
		}
	case cueCVV:
		if n == 1 && nd >= 3 && nd <= 4 {
			return TypeCreditDebitCVV, end
		}
	}
	// "card 3714 496353 98431, code 6042": a code right after a card.
	if c.prevWord == "code" && n == 1 && (nd == 3 || nd == 4) &&
		d.lastCardEnd >= 0 && i-d.lastCardEnd <= 40 {
		return TypeCreditDebitCVV, end
	}
	return "", 0
}

// findIBANs finds International Bank Account Numbers (two letters, two check
// digits, up to 30 letters and digits, optionally in groups of four) that
// pass the mod-97 check. They are reported as bank account numbers.
func (d *detector) findIBANs() {
	t := d.text
	for i := 0; i+4 < len(t); i++ {
		if !isUpperASCII(t[i]) || !isUpperASCII(t[i+1]) || !isDigit(t[i+2]) || !isDigit(t[i+3]) || alnumBefore(t, i) {
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
			d.add(TypeBankAccountNumber, i, best)
			i = best
		}
	}
}

package emailanalytics

// luhnValid reports whether a digit string passes the Luhn check that every
// payment card number carries.
func luhnValid(digits string) bool {
	if len(digits) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// abaValid reports whether nine digits pass the ABA routing number checksum:
// 3×(d1+d4+d7) + 7×(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10).
func abaValid(digits string) bool {
	if len(digits) != 9 {
		return false
	}
	w := [3]int{3, 7, 1}
	sum := 0
	for i := 0; i < 9; i++ {
		d := int(digits[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		sum += w[i%3] * d
	}
	// 000000000 passes the arithmetic but is no routing number.
	return sum%10 == 0 && digits != "000000000"
}

// ibanValid reports whether an IBAN (spaces removed, upper case) passes the
// ISO 13616 mod-97 check.
func ibanValid(iban string) bool {
	if len(iban) < 15 || len(iban) > 34 {
		return false
	}
	rem := 0
	add := func(c byte) bool {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
		return true
	}
	for i := 4; i < len(iban); i++ {
		if !add(iban[i]) {
			return false
		}
	}
	for i := 0; i < 4; i++ {
		if !add(iban[i]) {
			return false
		}
	}
	return rem == 1
}

// ssnValid reports whether area-group-serial could be an issued SSN: area
// 000, 666 and 900-999, group 00 and serial 0000 are never issued.
func ssnValid(area, group, serial string) bool {
	if len(area) != 3 || len(group) != 2 || len(serial) != 4 {
		return false
	}
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}

// cardIssuerKnown reports whether a card number's leading digits and length
// belong to a known card scheme (Visa, Mastercard, Amex, Discover, Diners,
// JCB, UnionPay, Maestro, Mir).
func cardIssuerKnown(d string) bool {
	n := len(d)
	p := func(k int) int {
		v := 0
		for i := 0; i < k && i < n; i++ {
			v = v*10 + int(d[i]-'0')
		}
		return v
	}
	switch {
	case d[0] == '4':
		return n == 13 || n == 16 || n == 19
	case p(2) >= 51 && p(2) <= 55, p(4) >= 2221 && p(4) <= 2720:
		return n == 16
	case p(2) == 34 || p(2) == 37:
		return n == 15
	case p(4) == 6011, p(3) >= 644 && p(3) <= 649, p(2) == 65, p(6) >= 622126 && p(6) <= 622925:
		return n >= 16 && n <= 19
	case p(3) >= 300 && p(3) <= 305, p(4) == 3095, p(2) == 36, p(2) == 38, p(2) == 39:
		return n >= 14 && n <= 19
	case p(4) >= 3528 && p(4) <= 3589:
		return n >= 16 && n <= 19
	case p(2) == 62:
		return n >= 16 && n <= 19
	case p(4) == 5018, p(4) == 5020, p(4) == 5038, p(4) == 5893, p(4) == 6304,
		p(4) == 6759, p(4) >= 6761 && p(4) <= 6763:
		return n >= 12 && n <= 19
	case p(4) >= 2200 && p(4) <= 2204:
		return n == 16
	}
	return false
}

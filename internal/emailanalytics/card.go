package emailanalytics

// card matches a payment card number at i: 13 to 19 digits, unformatted or
// in groups (4-4-4-4, 4-6-5, 4-6-4 ...) joined by spaces or dashes, with a
// known issuer prefix and a valid Luhn check digit.
func (d *detector) card(i int) (int, bool) {
	t := d.text
	if !isDigit(t[i]) {
		return 0, false
	}
	var gs [8][2]int
	n := digitGroups(t, i, true, gs[:])
	var buf [24]byte
	for k := n; k >= 1; k-- {
		g := gs[:k]
		total := 0
		ok := true
		for j, s := range g {
			l := s[1] - s[0]
			total += l
			if k > 1 && (l > 6 || (j < k-1 && l < 3)) {
				ok = false
			}
		}
		if !ok || total < 13 || total > 19 || (k > 1 && g[0][1]-g[0][0] != 4) {
			continue
		}
		end := g[k-1][1]
		if k < n {
			// Only an expiry glued on ("… 1111 08/29") may follow.
			if next := gs[k][1]; next >= len(t) || t[next] != '/' {
				continue
			}
		} else if !numberEnds(t, end) {
			continue
		}
		digits := groupDigits(t, g, buf[:0])
		if cardIssuerKnown(string(digits)) && luhnValid(string(digits)) {
			return end, true
		}
	}
	return 0, false
}

// expiry matches MM/YY or MM/YYYY (or with a dash) when a cue such as "exp"
// or "valid thru" precedes it, or when it follows a card number closely.
func (d *detector) expiry(i int, c cue) (int, bool) {
	t := d.text
	afterCard := d.lastCardEnd >= 0 && i-d.lastCardEnd <= 30 && !containsNewline(t[d.lastCardEnd:i])
	if c.kind != cueExpiry && !afterCard {
		return 0, false
	}
	m := digitRun(t, i)
	if m-i < 1 || m-i > 2 || m >= len(t) || (t[m] != '/' && t[m] != '-') {
		return 0, false
	}
	month := atoi(t[i:m])
	if month < 1 || month > 12 {
		return 0, false
	}
	y := digitRun(t, m+1)
	switch y - (m + 1) {
	case 2:
	case 4:
		if t[m+1:m+3] != "20" {
			return 0, false
		}
	default:
		return 0, false
	}
	if !numberEnds(t, y) {
		return 0, false
	}
	return y, true
}

func containsNewline(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

package emailanalytics

// phoneAt matches a phone number at i: international numbers written with
// '+', North American numbers in their usual formats, and, after a phone cue
// ("call", "mobile", "tel" ...), unformatted ten-digit numbers and national
// numbers with a leading 0. Dates, prices and order numbers never take these
// shapes or carry a negative cue.
func phoneAt(t string, i int, c cue) (int, bool) {
	if t[i] == '+' {
		if e, ok := intlPhone(t, i); ok {
			return withExtension(t, e), true
		}
		return 0, false
	}
	if e, ok := nanpPhone(t, i); ok {
		return withExtension(t, e), true
	}
	if c.kind != cuePhone && !c.weakPhone {
		return 0, false
	}
	if !isDigit(t[i]) {
		return 0, false
	}
	var gs [6][2]int
	n := digitGroups(t, i, true, gs[:])
	end := gs[n-1][1]
	if !numberEnds(t, end) {
		return 0, false
	}
	var buf [24]byte
	digits := string(groupDigits(t, gs[:n], buf[:0]))
	switch {
	case n == 1 && len(digits) == 10 && nanpValid(digits):
	case n == 1 && len(digits) == 11 && digits[0] == '1' && nanpValid(digits[1:]):
	case digits[0] == '0' && len(digits) >= 10 && len(digits) <= 11 && n >= 2:
	case c.kind == cuePhone && n == 2 && len(digits) == 7 && gs[0][1]-gs[0][0] == 3 && t[gs[0][1]] == '-':
	default:
		return 0, false
	}
	return withExtension(t, end), true
}

// nanpValid checks a ten-digit NANP number: area code and exchange start
// with 2-9.
func nanpValid(d string) bool { return d[0] >= '2' && d[3] >= '2' }

// nanpPhone matches (415) 555-0100, 415-555-0100, 415.555.0100,
// 415 555 0100 and the same with a leading "1 " or "1-".
func nanpPhone(t string, i int) (int, bool) {
	j := i
	if t[j] == '1' && j+1 < len(t) {
		if w := sepWidth(t, j+1); w > 0 && j+1+w < len(t) && (isDigit(t[j+1+w]) || t[j+1+w] == '(') {
			j += 1 + w
		}
	}
	var area string
	var sep byte
	paren := false
	if t[j] == '(' {
		e := digitRun(t, j+1)
		if e-(j+1) != 3 || e >= len(t) || t[e] != ')' {
			return 0, false
		}
		area, j, paren = t[j+1:e], e+1, true
		if j < len(t) && t[j] == ' ' {
			j++
		}
	} else {
		e := digitRun(t, j)
		w := sepWidth(t, e)
		if e-j != 3 || w == 0 {
			return 0, false
		}
		area, sep, j = t[j:e], sepKind(t, e), e+w
	}
	e := digitRun(t, j)
	if e-j != 3 {
		return 0, false
	}
	exch := t[j:e]
	w := sepWidth(t, e)
	if w == 0 || (!paren && sepKind(t, e) != sep) {
		return 0, false
	}
	if paren && t[e] == '.' {
		return 0, false
	}
	j = e + w
	e = digitRun(t, j)
	if e-j != 4 || !numberEnds(t, e) {
		return 0, false
	}
	if area[0] < '2' || exch[0] < '2' {
		return 0, false
	}
	if sep == ' ' && e+1 < len(t) && t[e] == ' ' && isDigit(t[e+1]) {
		return 0, false
	}
	return e, true
}

// intlPhone matches +CC followed by digit groups (spaces, dashes, dots,
// parentheses, a "(0)" trunk prefix), 8 to 15 digits in all as E.164 allows.
func intlPhone(t string, i int) (int, bool) {
	j := digitRun(t, i+1)
	total := j - (i + 1)
	if total == 0 {
		return 0, false
	}
	if total >= 8 {
		return j, total <= 15 && numberEnds(t, j)
	}
	if total > 3 {
		return 0, false
	}
	for {
		k := j
		w := sepWidth(t, k)
		if w > 0 && t[k] == '.' && !(k+1 < len(t) && isDigit(t[k+1])) {
			break
		}
		k += w
		if k < len(t) && t[k] == '(' {
			e := digitRun(t, k+1)
			if e == k+1 || e-(k+1) > 4 || e >= len(t) || t[e] != ')' {
				break
			}
			if t[k+1:e] != "0" {
				total += e - (k + 1)
			}
			j = e + 1
			if j < len(t) && isDigit(t[j]) {
				e := digitRun(t, j)
				total += e - j
				j = e
			}
			continue
		}
		if w == 0 || k >= len(t) || !isDigit(t[k]) {
			break
		}
		e := digitRun(t, k)
		if e-k > 8 {
			return 0, false
		}
		total += e - k
		j = e
		if total > 15 {
			return 0, false
		}
	}
	if total < 8 || !numberEnds(t, j) {
		return 0, false
	}
	return j, true
}

// withExtension extends a phone number over " x12" or " ext. 220".
func withExtension(t string, e int) int {
	j := e
	for j < len(t) && j-e < 2 && (t[j] == ' ' || t[j] == ',') {
		j++
	}
	k := j
	switch {
	case k+3 <= len(t) && (t[k:k+3] == "ext" || t[k:k+3] == "Ext" || t[k:k+3] == "EXT"):
		k += 3
		if k < len(t) && t[k] == '.' {
			k++
		}
	case k < len(t) && (t[k] == 'x' || t[k] == 'X'):
		k++
	default:
		return e
	}
	if k < len(t) && t[k] == ' ' {
		k++
	}
	d := digitRun(t, k)
	if d == k || d-k > 6 || !numberEnds(t, d) {
		return e
	}
	return d
}

package emailanalytics

import "strings"

// findEmails finds local@domain.tld addresses, including inside mailto:
// links. It anchors on '@' and grows outwards, which is cheaper than trying
// every start position.
func (d *detector) findEmails() {
	t := d.text
	for off := 0; ; {
		k := strings.IndexByte(t[off:], '@')
		if k < 0 {
			return
		}
		at := off + k
		off = at + 1
		s := at
		for s > 0 && isLocalByte(t[s-1]) {
			s--
		}
		for s < at && (t[s] == '.' || t[s] == '\'') {
			s++
		}
		if s == at || t[at-1] == '.' {
			continue
		}
		e := domainEnd(t, at+1)
		if e < 0 {
			continue
		}
		d.add(kEmail, s, e)
		off = e
	}
}

// isLocalByte reports characters allowed in the local part. RFC 5322 allows
// more, but '=', '/' and '?' would swallow URL query text before the address.
func isLocalByte(c byte) bool {
	return isASCIIAlnum(c) || c == '.' || c == '_' || c == '+' || c == '-' || c == '\''
}

// domainEnd returns the end of a domain starting at i (labels of letters,
// digits and hyphens, at least two, with an alphabetic TLD of two or more
// letters), or -1.
func domainEnd(t string, i int) int {
	end, labels, lastStart := i, 0, i
	j := i
	for {
		s := j
		for j < len(t) && (isASCIIAlnum(t[j]) || t[j] == '-') {
			j++
		}
		if j == s || t[s] == '-' || t[j-1] == '-' {
			break
		}
		labels++
		lastStart, end = s, j
		if j+1 < len(t) && t[j] == '.' && isASCIIAlnum(t[j+1]) {
			j++
			continue
		}
		break
	}
	if labels < 2 || end-lastStart < 2 {
		return -1
	}
	for k := lastStart; k < end; k++ {
		if !isASCIILetter(t[k]) {
			return -1
		}
	}
	return end
}

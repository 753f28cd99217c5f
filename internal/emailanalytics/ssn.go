package emailanalytics

// ssnFormatted matches ddd-dd-dddd or ddd dd dddd outside the never-issued
// ranges. The shape is distinctive enough to need no cue; nine bare digits
// are handled by cued, because they need one.
func ssnFormatted(t string, i int) (int, bool) {
	a := digitRun(t, i)
	if a-i != 3 {
		return 0, false
	}
	w := dashWidth(t, a)
	if w == 0 && a < len(t) && t[a] == ' ' {
		w = 1
	}
	if w == 0 {
		return 0, false
	}
	b := digitRun(t, a+w)
	if b-(a+w) != 2 || b >= len(t) || sepKind(t, b) != sepKind(t, a) {
		return 0, false
	}
	w2 := dashWidth(t, b)
	if w2 == 0 && t[b] == ' ' {
		w2 = 1
	}
	c := digitRun(t, b+w2)
	if c-(b+w2) != 4 || !numberEnds(t, c) {
		return 0, false
	}
	if t[a] == ' ' && c+1 < len(t) && t[c] == ' ' && isDigit(t[c+1]) {
		return 0, false // part of a longer space-separated number
	}
	if !ssnValid(t[i:a], t[a+w:b], t[b+w2:c]) {
		return 0, false
	}
	return c, true
}

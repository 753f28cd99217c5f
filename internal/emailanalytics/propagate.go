package emailanalytics

import "strings"

// propagate finds further mentions of values already detected with a cue:
// "Hi Maria," makes every other "Maria" a name, and an account number
// given once with "account" is the same account where it is repeated bare.
// Short values (PINs, CVVs, expiry dates) are not propagated: they collide
// with other numbers too easily.
func (d *detector) propagate(ents []Entity) []Entity {
	known := map[string][]Entity{} // by first word
	for _, e := range ents {
		switch e.Type {
		case TypeName:
			d.learnName(known, e)
		case TypeBankAccountNumber, TypeBankRouting, TypeSSN, TypeCreditDebitNumber, TypePhone:
			if len(digitsOf(e.Text)) >= 6 && isDigit(e.Text[0]) {
				first := e.Text[:wordLen(e.Text)]
				known[first] = append(known[first], e)
			}
		}
	}
	if len(known) == 0 {
		return ents
	}
	var added []Entity
	next := 0 // index into ents of the next entity at or after the current word
	w := d.words
	for i := 0; i < len(w); i++ {
		s, e := int(w[i].start), int(w[i].end)
		for next < len(ents) && ents[next].End <= s {
			next++
		}
		if next < len(ents) && ents[next].Start < e {
			continue // inside a detected entity
		}
		vals, ok := known[d.text[s:e]]
		if !ok {
			continue
		}
		limit := len(d.text)
		if next < len(ents) {
			limit = ents[next].Start
		}
		for _, v := range vals {
			end := s + len(v.Text)
			if end > limit || !strings.HasPrefix(d.text[s:], v.Text) || alnumAt(d.text, end) {
				continue
			}
			added = append(added, Entity{Type: v.Type, Start: s, End: end, Text: v.Text})
			for i+1 < len(w) && int(w[i+1].start) < end {
				i++
			}
			break
		}
	}
	if len(added) == 0 {
		return ents
	}
	return resolve(d.text, append(ents, added...))
}

// learnName records a detected name and, for names of several words, each
// word that is unambiguous on its own, longest first.
func (d *detector) learnName(known map[string][]Entity, e Entity) {
	first := e.Text[:wordLen(e.Text)]
	known[first] = insertLongestFirst(known[first], e)
	parts := strings.Fields(e.Text)
	if len(parts) < 2 {
		return
	}
	for _, p := range parts {
		p = strings.TrimRight(p, ".,")
		lp := strings.ToLower(p)
		if len(p) < 3 || isNameParticle(lp) || isGenerationSuffix(lp) || isAmbiguousName(lp) ||
			isStopWord(lp) || strings.ContainsAny(p, ".'’") {
			continue
		}
		known[p] = insertLongestFirst(known[p], Entity{Type: TypeName, Text: p})
	}
}

func insertLongestFirst(list []Entity, e Entity) []Entity {
	for _, x := range list {
		if x.Text == e.Text && x.Type == e.Type {
			return list
		}
	}
	list = append(list, e)
	for k := len(list) - 1; k > 0 && len(list[k].Text) > len(list[k-1].Text); k-- {
		list[k], list[k-1] = list[k-1], list[k]
	}
	return list
}

// wordLen returns the length of the first word of s, as tokenize splits it.
func wordLen(s string) int {
	ws := tokenize(s)
	if len(ws) == 0 {
		return len(s)
	}
	return int(ws[0].end)
}

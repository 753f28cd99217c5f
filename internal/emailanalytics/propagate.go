package emailanalytics

import (
	"strings"
	"unicode/utf8"
)

// propagate finds further mentions of values already detected with a cue:
// "Hi Maria," makes every other "Maria" a name, and an account number
// given once with "account" is the same account where it is repeated bare.
// Short values (PINs, CVVs, expiry dates) are not propagated: they collide
// with other numbers too easily.
func (d *detector) propagate(ents []Entity) []Entity {
	k := learnKnown(ents)
	if k == nil {
		return ents
	}
	added := d.repeats(ents, k, 0, 0, len(d.text))
	if len(added) == 0 {
		return ents
	}
	return mergeByStart(ents, added)
}

// knownSet holds the values to look for again, by their first word.
type knownSet struct {
	byWord    map[string][]Entity
	keyMask   [256]uint64 // first byte → bit per key length: skips most map look-ups
	lowerKeys bool        // some key starts with a lower-case letter
}

// learnKnown collects the values of ents worth propagating, or nil.
func learnKnown(ents []Entity) *knownSet {
	if len(ents) == 0 {
		return nil
	}
	byWord := map[string][]Entity{}
	seen := map[Entity]bool{} // a value is often found many times
	for _, e := range ents {
		v := Entity{Type: e.Type, Text: e.Text}
		if seen[v] {
			continue
		}
		seen[v] = true
		switch e.Type {
		case TypeName:
			learnName(byWord, e)
		case TypeBankAccountNumber, TypeBankRouting, TypeSSN, TypeCreditDebitNumber, TypePhone:
			if countDigits(e.Text) >= 6 && isDigit(e.Text[0]) {
				first := e.Text[:wordLen(e.Text)]
				byWord[first] = insertLongestFirst(byWord[first], Entity{Type: e.Type, Text: e.Text})
			}
		}
	}
	if len(byWord) == 0 {
		return nil // before the set and its 2 KiB mask are made: most texts end here
	}
	k := &knownSet{byWord: byWord}
	for key := range k.byWord {
		if key == "" {
			continue
		}
		if key[0] >= 'a' && key[0] <= 'z' {
			k.lowerKeys = true
		}
		k.keyMask[key[0]] |= 1 << min(len(key), 63)
	}
	return k
}

// repeats returns the new mentions of known values among d's words whose
// start, shifted by off into the offsets of ents, lies in [from, to). The
// entities returned are in those offsets too.
func (d *detector) repeats(ents []Entity, k *knownSet, off, from, to int) []Entity {
	var added []Entity
	w := d.words
	next := 0 // index into ents of the next entity at or after the current word
	for i := 0; i < len(w); i++ {
		if w[i].flags&(wCap|wHasDigit) == 0 && !k.lowerKeys {
			continue
		}
		s, e := int(w[i].start), int(w[i].end)
		if gs := s + off; gs < from || gs >= to || k.keyMask[d.text[s]]&(1<<min(e-s, 63)) == 0 {
			continue
		}
		for next < len(ents) && ents[next].End <= s+off {
			next++
		}
		if next < len(ents) && ents[next].Start < e+off {
			continue // inside a detected entity
		}
		vals, ok := k.byWord[d.text[s:e]]
		if !ok {
			continue
		}
		limit := len(d.text)
		if next < len(ents) {
			limit = min(limit, ents[next].Start-off)
		}
		for _, v := range vals {
			end := s + len(v.Text)
			if end > limit || !strings.HasPrefix(d.text[s:], v.Text) || alnumAt(d.text, end) {
				continue
			}
			j := i + 1
			for j < len(w) && int(w[j].start) < end {
				j++
			}
			if v.Type == TypeName && d.orgFollows(i, j) {
				break // "Mendoza Landscaping LLC" is a company
			}
			added = append(added, Entity{Type: v.Type, Start: s + off, End: end + off, Text: v.Text})
			i = j - 1
			break
		}
	}
	return added
}

// mergeByStart merges two sorted, mutually non-overlapping entity lists.
func mergeByStart(a, b []Entity) []Entity {
	out := make([]Entity, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0].Start <= b[0].Start {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// learnName records a detected name and, for names of several words, each
// word that is unambiguous on its own, longest first.
func learnName(known map[string][]Entity, e Entity) {
	first := e.Text[:wordLen(e.Text)]
	known[first] = insertLongestFirst(known[first], e)
	if !strings.Contains(e.Text, " ") {
		return
	}
	for rest := e.Text; rest != ""; {
		p, r, _ := strings.Cut(rest, " ")
		rest = r
		p = strings.TrimRight(p, ".,")
		lp := strings.ToLower(p)
		if len(p) < 3 || isNameParticle(lp) || isGenerationSuffix(lp) || isAmbiguousName(lp) ||
			isStopWord(lp) || strings.ContainsAny(p, ".'’") {
			continue
		}
		known[p] = insertLongestFirst(known[p], Entity{Type: TypeName, Text: p})
	}
}

// insertLongestFirst adds e to list once, keeping longer texts first so that
// "Ingrid Johansson" is tried before "Ingrid".
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
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if isASCIIAlnum(c) {
				i++
				continue
			}
			if (c == '\'' || c == '-') && i > 0 && i+1 < len(s) && letterBefore(s, i) && letterAt(s, i+1) {
				i++
				continue
			}
			return i
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) && !(r == '’' && i > 0 && i+n < len(s) && letterBefore(s, i) && letterAt(s, i+n)) {
			return i
		}
		i += n
	}
	return len(s)
}

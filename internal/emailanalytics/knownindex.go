package emailanalytics

import (
	"strings"
)

// knownIndex finds, in attribute values, the values redacted from the text,
// so that they are removed there too when no cue identifies them: by their
// first word, also with spaces URL-encoded ("Yuki%20Sato"), and numbers by
// their digits whatever the separators ("tel:+13055550182").
type knownIndex struct {
	byWord   map[string][]Entity
	byDigits map[string]string // digits → type
	encoded  []Entity          // values with spaces written as %20 or +
}

func newKnownIndex(ents []Entity) knownIndex {
	k := knownIndex{byWord: map[string][]Entity{}, byDigits: map[string]string{}}
	seen := map[Entity]bool{}
	for _, e := range ents {
		e = Entity{Type: e.Type, Text: e.Text}
		if len(e.Text) < 3 || (len(e.Text) < 4 && e.Type != TypeCreditDebitCVV) || seen[e] {
			continue
		}
		seen[e] = true
		if s := wordStart(e.Text); s < len(e.Text) {
			first := e.Text[s : s+wordLen(e.Text[s:])]
			k.byWord[first] = insertLongestFirst(k.byWord[first], Entity{Type: e.Type, Text: e.Text, Start: s})
		}
		if strings.Contains(e.Text, " ") {
			k.encoded = append(k.encoded,
				Entity{Type: e.Type, Text: strings.ReplaceAll(e.Text, " ", "%20")},
				Entity{Type: e.Type, Text: strings.ReplaceAll(e.Text, " ", "+")})
		}
		if countDigits(e.Text) >= 6 {
			k.byDigits[digitsOf(e.Text)] = e.Type
		}
	}
	return k
}

// find returns the known values in v.
func (k knownIndex) find(v string) []Entity {
	var out []Entity
	for i := 0; len(k.byWord) > 0 && i < len(v); {
		ws := i + wordStart(v[i:])
		if ws >= len(v) {
			break
		}
		we := ws + max(wordLen(v[ws:]), 1)
		for _, e := range k.byWord[v[ws:we]] {
			s := ws - e.Start
			if s >= 0 && strings.HasPrefix(v[s:], e.Text) {
				out = append(out, Entity{Type: e.Type, Start: s, End: s + len(e.Text), Text: e.Text})
				break
			}
		}
		i = we
	}
	if len(k.byDigits) > 0 {
		out = append(out, k.digitRuns(v)...)
	}
	if strings.ContainsAny(v, "%+") {
		for _, e := range k.encoded {
			for off := 0; ; {
				i := strings.Index(v[off:], e.Text)
				if i < 0 {
					break
				}
				s := off + i
				out = append(out, Entity{Type: e.Type, Start: s, End: s + len(e.Text), Text: e.Text})
				off = s + len(e.Text)
			}
		}
	}
	return out
}

// digitRuns matches runs of digits and separators whose digits are a known
// number, possibly behind a country code.
func (k knownIndex) digitRuns(v string) []Entity {
	var out []Entity
	for i := 0; i < len(v); {
		if !isDigit(v[i]) {
			i++
			continue
		}
		j := i
		var ds []byte
		for j < len(v) && (isDigit(v[j]) || strings.IndexByte(" -.()/", v[j]) >= 0) {
			if isDigit(v[j]) {
				ds = append(ds, v[j])
			}
			j++
		}
		for j > i && !isDigit(v[j-1]) {
			j--
		}
		for cc := 0; cc <= 3 && cc < len(ds); cc++ {
			if typ, ok := k.byDigits[string(ds[cc:])]; ok {
				out = append(out, Entity{Type: typ, Start: i, End: j, Text: v[i:j]})
				break
			}
		}
		i = max(j, i+1)
	}
	return out
}

// wordStart returns the offset of the first letter or digit of s.
func wordStart(s string) int {
	for i, r := range s {
		if isWordRune(r) {
			return i
		}
	}
	return len(s)
}

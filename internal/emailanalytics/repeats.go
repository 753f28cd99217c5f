package emailanalytics

import "strings"

// withRepeats adds the other occurrences of short redacted values. Detect
// propagates names and long numbers itself but not PINs, CVVs and expiry
// dates, which alone look like any other small number; once one is known
// to be a PIN, leaving a copy of it elsewhere in the message would undo the
// redaction. ents must be sorted and non-overlapping; so is the result.
func withRepeats(text string, ents []Entity) []Entity {
	var values []Entity
	for _, e := range ents {
		switch e.Type {
		case TypePIN, TypeCreditDebitCVV, TypeCreditDebitExpiry:
			if !containsValue(values, e) && len(values) < 64 {
				values = append(values, Entity{Type: e.Type, Text: e.Text})
			}
		}
	}
	if len(values) == 0 {
		return ents
	}
	var added []Entity
	for _, v := range values {
		for off := 0; ; {
			i := strings.Index(text[off:], v.Text)
			if i < 0 {
				break
			}
			s := off + i
			e := s + len(v.Text)
			off = e
			if alnumBefore(text, s) || alnumAt(text, e) || overlapsAny(ents, s, e) || overlapsAny(added, s, e) {
				continue
			}
			added = append(added, Entity{Type: v.Type, Start: s, End: e, Text: v.Text})
		}
	}
	if len(added) == 0 {
		return ents
	}
	return resolveEntities(text, append(append([]Entity(nil), ents...), added...))
}

func containsValue(list []Entity, e Entity) bool {
	for _, x := range list {
		if x.Text == e.Text {
			return true
		}
	}
	return false
}

// overlapsAny reports whether [s, e) overlaps an entity of the sorted list.
func overlapsAny(ents []Entity, s, e int) bool {
	lo, hi := 0, len(ents)
	for lo < hi {
		m := (lo + hi) / 2
		if ents[m].End <= s {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(ents) && ents[lo].Start < e
}

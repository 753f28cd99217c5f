package emailanalytics

import (
	"strings"

	"golang.org/x/net/html"
)

// knownIndex finds, in attribute values, the values redacted from the text,
// so that they are removed there too when no cue identifies them: by their
// first word, also with spaces URL-encoded ("Yuki%20Sato"), and numbers by
// their digits whatever the separators ("tel:+13055550182").
type knownIndex struct {
	byWord   map[string][]Entity
	byDigits map[string]string // digits → type
}

func newKnownIndex(ents []Entity) knownIndex {
	k := knownIndex{byWord: map[string][]Entity{}, byDigits: map[string]string{}}
	for _, e := range ents {
		if len(e.Text) < 4 {
			continue
		}
		for _, v := range []string{e.Text, strings.ReplaceAll(e.Text, " ", "%20"), strings.ReplaceAll(e.Text, " ", "+")} {
			ws := tokenize(v)
			if len(ws) == 0 {
				continue
			}
			first := v[ws[0].start:ws[0].end]
			k.byWord[first] = insertLongestFirst(k.byWord[first], Entity{Type: e.Type, Text: v, Start: int(ws[0].start)})
		}
		if ds := digitsOf(e.Text); len(ds) >= 6 {
			k.byDigits[ds] = e.Type
		}
	}
	return k
}

// find returns the known values in v.
func (k knownIndex) find(v string) []Entity {
	var out []Entity
	if len(k.byWord) > 0 {
		for _, w := range tokenize(v) {
			for _, e := range k.byWord[v[w.start:w.end]] {
				s := int(w.start) - e.Start
				if s >= 0 && strings.HasPrefix(v[s:], e.Text) {
					out = append(out, Entity{Type: e.Type, Start: s, End: s + len(e.Text), Text: e.Text})
					break
				}
			}
		}
	}
	if len(k.byDigits) > 0 {
		out = append(out, k.digitRuns(v)...)
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

// redactTag redacts the attribute values of a start tag. Changed tags are
// re-serialised; the others are kept as they were.
func (r Redactor) redactTag(t *htmlTok, known knownIndex) (string, []Entity) {
	z := html.NewTokenizer(strings.NewReader(t.raw))
	z.Next()
	tok := z.Token()
	var found []Entity
	changed := false
	for i := range tok.Attr {
		a := &tok.Attr[i]
		if skipAttr(a.Key) || !mayHoldPII(a.Val) {
			continue
		}
		v, ents := r.redactValue(a.Key, a.Val, known)
		if len(ents) == 0 {
			continue
		}
		a.Val = v
		changed = true
		for _, e := range ents {
			found = append(found, Entity{Type: e.Type, Start: t.rawStart, End: t.rawStart + len(t.raw), Text: e.Text})
		}
	}
	if !changed {
		return t.raw, nil
	}
	return tok.String(), found
}

// redactValue redacts one attribute value: what Detect finds in it (URLs
// only when they look like they could hold an address or a number), a tel:
// target as a whole, and the values already redacted from the text.
func (r Redactor) redactValue(key, v string, known knownIndex) (string, []Entity) {
	var cands []Entity
	if !isURLAttr(key) || urlMayHoldPII(v) {
		for _, e := range Detect(v) {
			if r.wants(e.Type) {
				cands = append(cands, e)
			}
		}
	}
	if lv := strings.ToLower(v); strings.HasPrefix(lv, "tel:") || strings.HasPrefix(lv, "sms:") {
		if r.wants(TypePhone) && len(digitsOf(v)) >= 7 {
			cands = append(cands, Entity{Type: TypePhone, Start: 4, End: len(v), Text: v[4:]})
		}
	}
	cands = append(cands, known.find(v)...)
	if len(cands) == 0 {
		return v, nil
	}
	ents := resolve(v, cands)
	var b strings.Builder
	last := 0
	for _, e := range ents {
		b.WriteString(v[last:e.Start])
		b.WriteString(r.mask(e.Type))
		last = e.End
	}
	b.WriteString(v[last:])
	return b.String(), ents
}

// isURLAttr reports attributes holding URLs, which are full of digits that
// are not personal data.
func isURLAttr(key string) bool {
	switch key {
	case "href", "src", "action", "background", "cite", "poster", "longdesc", "usemap", "formaction":
		return true
	}
	return false
}

// urlMayHoldPII reports URLs worth running detection on: mailto:, tel: and
// sms: targets, or an '@' or a long digit run anywhere (a query parameter).
func urlMayHoldPII(v string) bool {
	if strings.IndexByte(v, '@') >= 0 {
		return true
	}
	lv := strings.ToLower(v[:min(len(v), 7)])
	if strings.HasPrefix(lv, "mailto:") || strings.HasPrefix(lv, "tel:") || strings.HasPrefix(lv, "sms:") {
		return true
	}
	run := 0
	for i := 0; i < len(v); i++ {
		if isDigit(v[i]) {
			run++
			if run >= 7 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// skipAttr reports presentational attributes that never hold personal data.
func skipAttr(key string) bool {
	switch key {
	case "style", "class", "id", "width", "height", "align", "valign", "border",
		"cellpadding", "cellspacing", "bgcolor", "color", "dir", "lang", "role",
		"target", "rel", "type", "face", "size", "colspan", "rowspan", "charset",
		"http-equiv", "xmlns", "bordercolor", "background", "frameborder", "scope",
		"hspace", "vspace", "nowrap", "tabindex", "media", "loading", "decoding",
		"crossorigin", "referrerpolicy", "sizes", "srcset", "start", "method":
		return true
	}
	return false
}

// mayHoldPII is a cheap filter before looking at a value at all: an '@', a
// digit, an upper-case or non-ASCII letter must be there.
func mayHoldPII[T string | []byte](v T) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '@' || isDigit(c) || isUpperASCII(c) || c >= 0x80 {
			return true
		}
	}
	return false
}

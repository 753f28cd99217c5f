package emailanalytics

import (
	"strings"

	"golang.org/x/net/html"
)

// attrBatch gathers the attribute values worth running detection on into
// one text, so that Detect runs once per document rather than once per
// value. Values are separated by blank lines, which no cue or multi-line
// pattern crosses.
type attrBatch struct {
	text strings.Builder
	refs []attrRef // in text order
}

// attrRef is where one attribute value sits in the batch text.
type attrRef struct {
	attr       *html.Attribute
	start, end int
}

const attrSeparator = "\n\n\n\n\n"

func (b *attrBatch) add(a *html.Attribute) {
	s := b.text.Len()
	b.text.WriteString(a.Val)
	b.refs = append(b.refs, attrRef{attr: a, start: s, end: b.text.Len()})
	b.text.WriteString(attrSeparator)
}

// detectAttrs runs Detect over the searchable attribute values of the
// document and returns the entities found in each.
func (r Redactor) detectAttrs(d *redactDoc) map[*html.Attribute][]Entity {
	var b attrBatch
	for ti := range d.attrs {
		for i := range d.attrs[ti] {
			a := &d.attrs[ti][i]
			if !skipAttr(a.Key) && mayHoldPII(a.Val) && (!isURLAttr(a.Key) || urlMayHoldPII(a.Val)) {
				b.add(a)
			}
		}
	}
	if len(b.refs) == 0 {
		return nil
	}
	text := b.text.String()
	ents := r.filter(Detect(text))
	out := map[*html.Attribute][]Entity{}
	k := 0
	for _, e := range ents {
		for k < len(b.refs) && b.refs[k].end <= e.Start {
			k++
		}
		if k < len(b.refs) && e.Start >= b.refs[k].start && e.End <= b.refs[k].end {
			rg := b.refs[k]
			out[rg.attr] = append(out[rg.attr], Entity{Type: e.Type, Start: e.Start - rg.start, End: e.End - rg.start, Text: e.Text})
		}
	}
	return out
}

// redactTag redacts the attribute values of a start tag. Changed tags are
// re-serialised; the others are kept as they were.
func (r Redactor) redactTag(d *redactDoc, ti int, attrs []html.Attribute, detected map[*html.Attribute][]Entity, known knownIndex) (string, []Entity) {
	t := &d.toks[ti]
	var found []Entity
	changed := false
	for i := range attrs {
		a := &attrs[i]
		if skipAttr(a.Key) || !mayHoldPII(a.Val) {
			continue
		}
		v, ents := r.redactValue(a.Val, detected[a], known)
		if len(ents) == 0 {
			continue
		}
		a.Val = v
		changed = true
		for _, e := range ents {
			found = append(found, Entity{Type: e.Type, Start: int(t.start), End: d.end(ti), Text: e.Text})
		}
	}
	if !changed {
		return d.raw(ti), nil
	}
	tok := html.Token{Type: t.typ(), DataAtom: t.a, Data: tagName(d.raw(ti)), Attr: attrs}
	return tok.String(), found
}

// redactValue redacts one attribute value: the entities detection found in
// it, a tel: target as a whole, and the values already redacted from the
// text.
func (r Redactor) redactValue(v string, detected []Entity, known knownIndex) (string, []Entity) {
	cands := detected
	if lv := strings.ToLower(v[:min(len(v), 4)]); lv == "tel:" || lv == "sms:" {
		if r.wants(TypePhone) && countDigits(v) >= 7 {
			cands = append(cands, Entity{Type: TypePhone, Start: 4, End: len(v), Text: v[4:]})
		}
	}
	cands = append(cands, known.find(v)...)
	if len(cands) == 0 {
		return v, nil
	}
	ents := resolveEntities(v, cands)
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

// tagName returns the lower-cased name of a raw start tag.
func tagName(raw string) string {
	i := 1
	for i < len(raw) && !strings.ContainsRune(" \t\n\r\f/>", rune(raw[i])) {
		i++
	}
	return strings.ToLower(raw[1:i])
}

package emailanalytics

import (
	"sort"
	"strings"

	"golang.org/x/net/html"
)

// RedactHTML returns the HTML with personal data replaced by masks, keeping
// everything else byte for byte (a tag with a redacted attribute is written
// anew, attributes quoted and escaped the standard way). It reads the text of the whole document
// (hidden parts, titles and comments included, with block boundaries as line
// breaks) so that an entity split across inline elements, as in
// "4111 <b>1111</b> 1111 1111", is found whole; the mask goes where the
// entity starts and the rest of it is removed from the other text nodes.
// Attribute values (href="mailto:…", title, alt, value, data-* …) are
// searched too, both by detection and for every value redacted from the
// text, so no part of a redacted value survives anywhere.
//
// The entities returned carry offsets into doc: the span of the entity's
// text, or the whole tag for an entity found in an attribute.
func (r Redactor) RedactHTML(doc string) (string, []Entity) {
	return r.redactDoc(tokenizeHTML(doc, redactAttrs()))
}

// redactDoc is RedactHTML of a tokenized document.
func (r Redactor) redactDoc(d *redactDoc) (string, []Entity) {
	doc := d.src
	st := htmlSearchText(d)
	ents := r.filter(withRepeats(st.text, Detect(st.text)))
	var edits []textEdit // in token order, as the entities are in text order
	found := make([]Entity, 0, len(ents))
	for _, e := range ents {
		var out Entity
		out, edits = r.mapEntity(d, &st, e, edits)
		found = append(found, out)
	}
	known := newKnownIndex(ents)
	detected := r.detectAttrs(d)
	var b strings.Builder
	b.Grow(len(doc) + len(doc)/16)
	last := 0 // raw bytes before this offset are written
	replace := func(ti int, with string) {
		b.WriteString(doc[last:d.toks[ti].start])
		b.WriteString(with)
		last = d.end(ti)
	}
	for ti := range d.toks {
		k := 0
		for k < len(edits) && edits[k].tok == ti {
			k++
		}
		mine := edits[:k]
		edits = edits[k:]
		switch {
		case len(mine) > 0:
			b.WriteString(doc[last:d.toks[ti].start])
			d.applyEdits(&b, ti, mine)
			last = d.end(ti)
		case d.toks[ti].attrRef() >= 0:
			out, es := r.redactTag(d, ti, d.attrs[d.toks[ti].attrRef()], detected, known)
			if len(es) > 0 {
				replace(ti, out)
				found = append(found, es...)
			}
		}
	}
	b.WriteString(doc[last:])
	sort.SliceStable(found, func(i, j int) bool { return found[i].Start < found[j].Start })
	return b.String(), found
}

// textEdit replaces text[from:to] of token tok (decoded offsets).
type textEdit struct {
	tok      int
	from, to int
	repl     string
}

// applyEdits writes a text or comment token to b, splicing the masks into
// its raw bytes so that untouched text keeps its original escaping. The
// edits are in order: they come from entities sorted by position.
func (d *htmlDoc[A]) applyEdits(b *strings.Builder, ti int, es []textEdit) {
	raw := d.raw(ti)
	last := 0
	for _, e := range es {
		rf, rt := d.rawOffset(ti, e.from), d.rawOffset(ti, e.to)
		if rf < last {
			rf = last
		}
		b.WriteString(raw[last:rf])
		b.WriteString(html.EscapeString(e.repl))
		last = max(rt, last)
	}
	b.WriteString(raw[last:])
}

// rawOffset converts an offset in a token's decoded text into an offset in
// its raw bytes, stepping over character references and CRLF pairs.
func (d *htmlDoc[A]) rawOffset(ti int, off int) int {
	raw := d.raw(ti)
	t := &d.toks[ti]
	if t.textRef() < 0 {
		return min(off, len(raw))
	}
	text := d.texts[t.textRef()]
	i := 0
	if t.typ() == html.CommentToken {
		if !strings.HasPrefix(raw, "<!--") {
			return min(off, len(raw))
		}
		i = 4
	}
	if strings.HasPrefix(raw[i:], text) {
		return min(i+off, len(raw))
	}
	j := 0
	for j < off && i < len(raw) {
		switch raw[i] {
		case '&':
			k := refEnd(raw, i)
			if k > i+1 {
				dec := html.UnescapeString(raw[i:k])
				if dec != raw[i:k] {
					i = k
					j += len(dec)
					continue
				}
			}
		case '\r':
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
				continue
			}
		}
		i++
		j++
	}
	return i
}

// refEnd returns the end of the character reference starting at i.
func refEnd(s string, i int) int {
	k := i + 1
	if k < len(s) && s[k] == '#' {
		k++
		if k < len(s) && (s[k] == 'x' || s[k] == 'X') {
			k++
		}
	}
	for k < len(s) && k-i < 40 && isASCIIAlnum(s[k]) {
		k++
	}
	if k < len(s) && s[k] == ';' {
		k++
	}
	return k
}

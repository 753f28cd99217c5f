package emailanalytics

import (
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// RedactHTML returns the HTML with personal data replaced by masks, keeping
// everything else byte for byte. It reads the text of the whole document
// (hidden parts, titles and comments included, with block boundaries as line
// breaks) so that an entity split across inline elements, as in
// "4111 <b>1111</b> 1111 1111", is found whole; the mask goes where the
// entity starts and the rest of it is removed from the other text nodes.
// Attribute values (href="mailto:…", title, alt, value, data-* …) are
// searched too, both by detection and for every value redacted from the
// text, so no part of a redacted value survives anywhere.
//
// The entities returned carry offsets into html: the span of the entity's
// text, or the whole tag for an entity found in an attribute.
func (r Redactor) RedactHTML(doc string) (string, []Entity) {
	toks := tokenizeHTML(doc)
	text, srcMap, bases := htmlSearchText(toks)
	ents := r.filter(Detect(text))
	edits := map[int][]textEdit{}
	var found []Entity
	for _, e := range ents {
		found = append(found, r.mapEntity(doc, toks, bases, srcMap, e, edits))
	}
	known := newKnownIndex(ents)
	var b strings.Builder
	b.Grow(len(doc) + len(doc)/16)
	for ti := range toks {
		t := &toks[ti]
		switch {
		case len(edits[ti]) > 0:
			b.WriteString(applyEdits(t, edits[ti]))
		case t.checkAttrs:
			out, es := r.redactTag(t, known)
			b.WriteString(out)
			found = append(found, es...)
		default:
			b.WriteString(t.raw)
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Start < found[j].Start })
	return b.String(), found
}

// htmlTok is one token of the document with its raw bytes.
type htmlTok struct {
	kind       html.TokenType
	raw        string // exactly as in the input
	rawStart   int
	text       string // decoded text of text and comment tokens
	a          atom.Atom
	checkAttrs bool // has attribute values that may hold personal data
	inText     bool // text is part of the search text
}

// textEdit replaces text[from:to] of one token (decoded offsets).
type textEdit struct {
	from, to int
	repl     string
}

// tokenizeHTML splits the document into tokens, keeping raw byte ranges.
func tokenizeHTML(doc string) []htmlTok {
	z := html.NewTokenizer(strings.NewReader(doc))
	toks := make([]htmlTok, 0, len(doc)/24)
	off := 0
	inStyle := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		t := htmlTok{kind: tt, rawStart: off, raw: doc[off : off+len(raw)]}
		off += len(raw)
		switch tt {
		case html.TextToken:
			t.text = string(z.Text())
			t.inText = !inStyle
		case html.CommentToken:
			t.text = string(z.Text())
			t.inText = true
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			t.a = atom.Lookup(name)
			for hasAttr && tt != html.EndTagToken {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if !skipAttr(string(k)) && mayHoldPII(v) {
					t.checkAttrs = true
				}
			}
			if t.a == atom.Style {
				inStyle = tt == html.StartTagToken
			}
		}
		toks = append(toks, t)
	}
	if off < len(doc) {
		toks = append(toks, htmlTok{kind: html.TextToken, raw: doc[off:], rawStart: off})
	}
	return toks
}

// htmlSearchText builds the text Detect runs on: text nodes with whitespace
// collapsed as a browser would, and line breaks and cell separators for the
// markup. srcMap gives, for each byte, its offset in the concatenation of the
// tokens' decoded texts (bases holds where each token starts there), or -1
// for bytes the markup contributed.
func htmlSearchText(toks []htmlTok) (text string, srcMap []int32, bases []int32) {
	buf := make([]byte, 0, 1024)
	srcMap = make([]int32, 0, 1024)
	bases = make([]int32, len(toks))
	synth := func(s string) {
		for i := 0; i < len(s); i++ {
			if s[i] == '\n' && len(buf) > 0 && buf[len(buf)-1] == '\n' {
				continue
			}
			if s[i] == ' ' && (len(buf) == 0 || buf[len(buf)-1] == ' ' || buf[len(buf)-1] == '\n') {
				continue
			}
			buf = append(buf, s[i])
			srcMap = append(srcMap, -1)
		}
	}
	pre := 0
	var base int32
	for ti := range toks {
		t := &toks[ti]
		bases[ti] = base
		switch t.kind {
		case html.TextToken, html.CommentToken:
			if !t.inText {
				continue
			}
			if t.kind == html.CommentToken {
				synth("\n")
			}
			s := t.text
			for i := 0; i < len(s); i++ {
				c := s[i]
				space := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
				if c == 0xc2 && i+1 < len(s) && s[i+1] == 0xa0 {
					space = true
				}
				if space && pre == 0 {
					if len(buf) > 0 && buf[len(buf)-1] != ' ' && buf[len(buf)-1] != '\n' {
						buf = append(buf, ' ')
						srcMap = append(srcMap, base+int32(i))
					}
					if c == 0xc2 {
						i++
					}
					continue
				}
				buf = append(buf, c)
				srcMap = append(srcMap, base+int32(i))
			}
			base += int32(len(s))
			if t.kind == html.CommentToken {
				synth("\n")
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			switch {
			case t.a == atom.Br:
				buf = append(buf, '\n')
				srcMap = append(srcMap, -1)
			case t.a == atom.Td || t.a == atom.Th:
				if t.kind != html.EndTagToken {
					synth(" | ")
				}
			case blockBreak(t.a) > 0:
				synth("\n")
			}
			if t.a == atom.Pre {
				if t.kind == html.StartTagToken {
					pre++
				} else if t.kind == html.EndTagToken && pre > 0 {
					pre--
				}
			}
		}
	}
	return string(buf), srcMap, bases
}

// mapEntity turns an entity found in the search text into edits of the
// tokens it came from: the first piece becomes the mask, the others vanish.
// It returns the entity with offsets into the document.
func (r Redactor) mapEntity(doc string, toks []htmlTok, bases, srcMap []int32, e Entity, edits map[int][]textEdit) Entity {
	out := Entity{Type: e.Type, Text: e.Text, Start: -1}
	ti := -1
	from, to := 0, 0
	flush := func() {
		if ti < 0 {
			return
		}
		repl := ""
		if out.Start < 0 {
			repl = r.mask(e.Type)
			out.Start = toks[ti].rawStart + rawOffset(&toks[ti], from)
		}
		out.End = toks[ti].rawStart + rawOffset(&toks[ti], to)
		edits[ti] = append(edits[ti], textEdit{from: from, to: to, repl: repl})
	}
	for p := e.Start; p < e.End; p++ {
		src := srcMap[p]
		if src < 0 {
			continue
		}
		k := sort.Search(len(bases), func(i int) bool { return bases[i] > src }) - 1
		for k > 0 && !toks[k].inText {
			k--
		}
		local := int(src - bases[k])
		if k != ti {
			flush()
			ti, from = k, local
		}
		to = local + 1
	}
	flush()
	if out.Start < 0 {
		out.Start, out.End = 0, 0
	}
	return out
}

// applyEdits rewrites a text or comment token, splicing the masks into its
// raw bytes so that untouched text keeps its original escaping.
func applyEdits(t *htmlTok, es []textEdit) string {
	sort.Slice(es, func(i, j int) bool { return es[i].from < es[j].from })
	var b strings.Builder
	last := 0
	for _, e := range es {
		rf, rt := rawOffset(t, e.from), rawOffset(t, e.to)
		if rf < last {
			rf = last
		}
		b.WriteString(t.raw[last:rf])
		b.WriteString(html.EscapeString(e.repl))
		last = max(rt, last)
	}
	b.WriteString(t.raw[last:])
	return b.String()
}

// rawOffset converts an offset in a token's decoded text into an offset in
// its raw bytes, stepping over character references and CRLF pairs.
func rawOffset(t *htmlTok, off int) int {
	raw := t.raw
	i := 0
	if t.kind == html.CommentToken {
		if !strings.HasPrefix(raw, "<!--") {
			return min(off, len(raw))
		}
		i = 4
	}
	if raw[i:] == t.text || (t.kind == html.CommentToken && strings.HasPrefix(raw[i:], t.text)) {
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

package emailanalytics

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlDoc is a tokenized document: every token keeps its raw byte range, so
// RedactHTML can write untouched tokens back exactly as they were. A is what
// the reader keeps of a tag's attributes: all of them for redaction, the few
// that change the rendering for PlainText.
type htmlDoc[A any] struct {
	src   string
	toks  []htmlTok
	texts []string // decoded texts that differ from their raw bytes
	attrs []A      // attributes of the tags the caller asked for
}

// redactDoc is the document RedactHTML works on.
type redactDoc = htmlDoc[[]html.Attribute]

// htmlTok is one token. It is small and pointer-free because an email of a
// megabyte has a hundred thousand of them; a token ends where the next one
// starts.
type htmlTok struct {
	start  int32 // offset of its raw bytes in src
	ref    int32 // text and comment tokens: index into texts; tags: into attrs; -1 for none
	a      atom.Atom
	kind   uint8 // an html.TokenType
	inText bool  // text is part of the search text
}

func (t *htmlTok) typ() html.TokenType { return html.TokenType(t.kind) }

// textRef returns the index of a text or comment token's decoded text in
// texts, or -1 when its raw bytes are its text.
func (t *htmlTok) textRef() int32 {
	if t.typ() == html.TextToken || t.typ() == html.CommentToken {
		return t.ref
	}
	return -1
}

// attrRef returns the index of a tag's attributes in attrs, or -1.
func (t *htmlTok) attrRef() int32 {
	if t.typ() == html.StartTagToken || t.typ() == html.SelfClosingTagToken {
		return t.ref
	}
	return -1
}

// end returns the offset just after token i's raw bytes.
func (d *htmlDoc[A]) end(i int) int {
	if i+1 < len(d.toks) {
		return int(d.toks[i+1].start)
	}
	return len(d.src)
}

// raw returns the raw bytes of token i.
func (d *htmlDoc[A]) raw(i int) string { return d.src[d.toks[i].start:d.end(i)] }

// text returns the decoded text of a text or comment token.
func (d *htmlDoc[A]) text(i int) string {
	if t := d.toks[i].textRef(); t >= 0 {
		return d.texts[t]
	}
	return d.raw(i)
}

// attrReader says which tags' attributes to read and what to keep of them.
// Attributes are read (which costs allocations in the tokenizer) only for
// the tags keep accepts, given the tag and its raw text.
type attrReader[A any] struct {
	keep func(a atom.Atom, raw string) bool
	read func(z *html.Tokenizer, a atom.Atom, raw string) A
}

// tokenizeHTML splits the document into tokens. Large documents are
// tokenized in parallel parts (see tokenizeParallel).
func tokenizeHTML[A any](src string, ar attrReader[A]) *htmlDoc[A] {
	if n := workers(len(src)); n > 1 {
		if d := tokenizeParallel(src, n, ar); d != nil {
			return d
		}
	}
	p := tokenizePart(src, 0, len(src), ar, nil)
	return &htmlDoc[A]{src: src, toks: p.toks, texts: p.texts, attrs: p.attrs}
}

// tokPart is the tokens of src[from:to].
type tokPart[A any] struct {
	toks  []htmlTok
	texts []string
	attrs []A
	clean bool // the part ends between tokens, outside comments and raw text
}

// maxTokens bounds the tokens of s: each '<' starts at most one tag, with at
// most one text token before it.
func maxTokens(s string) int { return 2*strings.Count(s, "<") + 1 }

// tokenizePart tokenizes src[from:to], with offsets into src, appending to
// dst (allocated when nil).
func tokenizePart[A any](src string, from, to int, ar attrReader[A], dst []htmlTok) tokPart[A] {
	part := src[from:to]
	if dst == nil {
		dst = make([]htmlTok, 0, maxTokens(part))
	}
	p := tokPart[A]{toks: dst}
	z := html.NewTokenizer(strings.NewReader(part))
	off := from
	inStyle := false
	var openRaw atom.Atom // raw-text element the tokenizer is inside, if any
	var last html.TokenType
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		last = tt
		n := len(z.Raw())
		t := htmlTok{kind: uint8(tt), start: int32(off), ref: -1}
		raw := src[off : off+n]
		off += n
		switch tt {
		case html.TextToken, html.CommentToken:
			t.inText = tt == html.CommentToken || !inStyle
			if text := z.Text(); tt == html.CommentToken || string(text) != raw {
				t.ref = int32(len(p.texts))
				p.texts = append(p.texts, string(text))
			}
			if tt == html.CommentToken && !commentClosed(raw) {
				last = html.ErrorToken // unterminated: cut inside the comment
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			t.a = tagAtom(raw)
			if t.a == atom.Style {
				inStyle = tt == html.StartTagToken
			}
			switch {
			case tt == html.StartTagToken && isRawText(t.a):
				openRaw = t.a
			case tt == html.EndTagToken && t.a == openRaw:
				openRaw = 0
			}
			if tt != html.EndTagToken && ar.keep(t.a, raw) {
				t.ref = int32(len(p.attrs))
				p.attrs = append(p.attrs, ar.read(z, t.a, raw))
			}
		}
		p.toks = append(p.toks, t)
	}
	p.clean = off == to && openRaw == 0 && last != html.ErrorToken
	if off < to {
		p.toks = append(p.toks, htmlTok{kind: uint8(html.TextToken), start: int32(off), ref: -1})
	}
	return p
}

// commentClosed reports whether a raw comment token was closed in the input
// rather than by its end. A bogus comment ("<!x", "<?x") ends at the first
// '>', a real one ("<!--") only at "-->".
func commentClosed(raw string) bool {
	if !strings.HasPrefix(raw, "<!--") {
		return strings.HasSuffix(raw, ">")
	}
	return raw == "<!-->" || raw == "<!--->" || strings.HasSuffix(raw[4:], "-->") || strings.HasSuffix(raw[4:], "--!>")
}

// isRawText reports elements whose content the tokenizer reads as one text
// token up to the end tag.
func isRawText(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Textarea, atom.Title, atom.Xmp, atom.Iframe,
		atom.Noembed, atom.Noframes, atom.Noscript, atom.Plaintext:
		return true
	}
	return false
}

// tokenizeParallel tokenizes n parts of the document at once, cutting just
// before tags. A cut is only a guess: the tokenizer might be inside a
// comment, a script or an attribute value there. Each part therefore checks
// that it ended cleanly, and if one did not, nil is returned and the caller
// tokenizes the whole document in one go, so the tokens are always those of
// one pass.
func tokenizeParallel[A any](src string, n int, ar attrReader[A]) *htmlDoc[A] {
	cuts := []int{0}
	for i := 1; i < n; i++ {
		if c := tagStartAfter(src, max(cuts[len(cuts)-1]+1, i*len(src)/n)); c > 0 {
			cuts = append(cuts, c)
		}
	}
	cuts = append(cuts, len(src))
	if len(cuts) < 3 {
		return nil
	}
	// One array for all tokens: each part fills its own region, bounded by
	// maxTokens, and the regions are then closed up in place.
	parts := make([]tokPart[A], len(cuts)-1)
	regions := make([]int, len(parts)+1)
	for i := range parts {
		regions[i+1] = regions[i] + maxTokens(src[cuts[i]:cuts[i+1]])
	}
	all := make([]htmlTok, regions[len(parts)])
	region := func(i int) []htmlTok { return all[regions[i]:regions[i]:regions[i+1]] }
	parallel(len(parts), func(i int) {
		parts[i] = tokenizePart(src, cuts[i], cuts[i+1], ar, region(i))
	})
	for i, p := range parts {
		if i < len(parts)-1 && !p.clean {
			return nil
		}
	}
	d := &htmlDoc[A]{src: src, toks: all[:0]}
	for _, p := range parts {
		textBase, attrBase := int32(len(d.texts)), int32(len(d.attrs))
		n := len(d.toks)
		d.toks = append(d.toks, p.toks...) // never past p.toks: regions only move down
		for k := n; k < len(d.toks); k++ {
			if t := &d.toks[k]; t.textRef() >= 0 {
				t.ref += textBase
			} else if t.attrRef() >= 0 {
				t.ref += attrBase
			}
		}
		d.texts = append(d.texts, p.texts...)
		d.attrs = append(d.attrs, p.attrs...)
	}
	return d
}

// tagStartAfter returns the offset of the first "<x" or "</x" (x a letter)
// at or after i, or -1.
func tagStartAfter(src string, i int) int {
	for i < len(src) {
		k := strings.IndexByte(src[i:], '<')
		if k < 0 {
			return -1
		}
		i += k
		j := i + 1
		if j < len(src) && src[j] == '/' {
			j++
		}
		if j < len(src) && isASCIILetter(src[j]) {
			return i
		}
		i++
	}
	return -1
}

// redactAttrs reads the attributes RedactHTML searches: all of them, of tags
// whose raw text suggests they may hold personal data.
func redactAttrs() attrReader[[]html.Attribute] {
	return attrReader[[]html.Attribute]{keep: rawAttrsMayHoldPII, read: readAttrList}
}

// readAttrList copies a tag's attributes.
func readAttrList(z *html.Tokenizer, _ atom.Atom, _ string) []html.Attribute {
	out := []html.Attribute{}
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		if k == nil {
			break
		}
		out = append(out, html.Attribute{Key: string(k), Val: string(v)})
	}
	return out
}

// tagAtom returns the atom of a start or end tag from its raw bytes, which
// always begin with "<" or "</" and the name, without the allocations of
// Tokenizer.TagName.
func tagAtom[T string | []byte](raw T) atom.Atom {
	i := 1
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	var buf [16]byte
	n := 0
	for ; i < len(raw) && n < len(buf); i++ {
		c := raw[i]
		if c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			break
		}
		if isUpperASCII(c) {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	if n == len(buf) {
		return 0
	}
	return atom.Lookup(buf[:n])
}

// rawAttrsMayHoldPII is a cheap look at a raw tag before its attributes are
// read: an '@', a tel: or sms: link, a run of seven digits, or an attribute
// that carries text (alt, title, value, data-*, aria-*, content …).
func rawAttrsMayHoldPII(_ atom.Atom, raw string) bool {
	run := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if isDigit(c) {
			if run++; run >= 7 {
				return true
			}
			continue
		}
		run = 0
		switch c {
		case '@':
			return true
		case ':':
			if i >= 3 && (containsFold(raw[i-3:i], "tel") || containsFold(raw[i-3:i], "sms")) {
				return true
			}
		case '=':
			j := i
			for j > 0 && raw[j-1] == ' ' {
				j--
			}
			k := j
			for k > 0 && (isASCIIAlnum(raw[k-1]) || raw[k-1] == '-' || raw[k-1] == '_' || raw[k-1] == ':') {
				k--
			}
			if textAttr(raw[k:j]) {
				return true
			}
		}
	}
	return false
}

// textAttr reports attribute names whose values are text a person wrote or
// reads, as opposed to styling and layout.
func textAttr(name string) bool {
	if len(name) > 5 && (containsFold(name[:5], "data-") || containsFold(name[:5], "aria-")) {
		return true
	}
	switch strings.ToLower(name) {
	case "alt", "title", "value", "content", "label", "placeholder", "summary", "abbr", "name":
		return true
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII needle,
// ignoring ASCII case.
func containsFold[T string | []byte](s T, needle string) bool {
	for i := 0; i+len(needle) <= len(s); i++ {
		j := 0
		for j < len(needle) {
			c := s[i+j]
			if isUpperASCII(c) {
				c += 'a' - 'A'
			}
			if c != needle[j] {
				break
			}
			j++
		}
		if j == len(needle) {
			return true
		}
	}
	return false
}

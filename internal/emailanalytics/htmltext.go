package emailanalytics

import (
	"bytes"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToText renders an HTML email as readable text. It runs the HTML
// tokenizer of golang.org/x/net/html and keeps its own small stack of open
// elements instead of building the full tree: tree construction costs four
// times as much, and rendering text only needs the implied-end-tag rules for
// p, li, tr and cells, which the stack applies.
func htmlToText(body string) string {
	r := &htmlRenderer{w: newTextWriter(len(body) / 2)}
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			r.closeAll()
			return r.w.String()
		case html.TextToken:
			r.text(z.Text())
		case html.StartTagToken:
			r.startTag(z, false)
		case html.SelfClosingTagToken:
			r.startTag(z, true)
		case html.EndTagToken:
			name, _ := z.TagName()
			r.endTag(atom.Lookup(name), name)
		}
	}
}

// openElem is one element on the renderer's stack with the state its end
// tag needs.
type openElem struct {
	a         atom.Atom
	name      string // only for elements without an atom, such as o:p
	hidden    bool
	prefix    bool // pushed a line prefix
	href      string
	linkMark  int
	ordered   bool
	counter   int
	cellMark  int
	rowFilled bool
}

// htmlRenderer holds the state of one htmlToText call.
type htmlRenderer struct {
	w             *textWriter
	stack         []openElem
	hiddenAt      int // stack index+1 of the outermost hidden element; 0 if visible
	preDepth      int
	preStart      bool
	hiddenClasses []string
}

// tagAttrs are the attributes the renderer looks at.
type tagAttrs struct {
	hidden bool
	href   string
	alt    string
	start  int
}

func (r *htmlRenderer) readAttrs(z *html.Tokenizer, a atom.Atom) tagAttrs {
	var at tagAttrs
	for {
		k, v, more := z.TagAttr()
		switch string(k) {
		case "hidden":
			at.hidden = true
		case "aria-hidden":
			at.hidden = at.hidden || bytes.EqualFold(bytes.TrimSpace(v), []byte("true"))
		case "style":
			at.hidden = at.hidden || styleHides(v)
		case "class":
			at.hidden = at.hidden || (len(r.hiddenClasses) > 0 && hasHiddenClass(v, r.hiddenClasses))
		case "type":
			at.hidden = at.hidden || (a == atom.Input && bytes.EqualFold(v, []byte("hidden")))
		case "href":
			if a == atom.A {
				at.href = strings.TrimSpace(string(v))
			}
		case "alt":
			if a == atom.Img || a == atom.Area {
				at.alt = string(v)
			}
		case "start":
			if a == atom.Ol {
				at.start, _ = strconv.Atoi(strings.TrimSpace(string(v)))
			}
		}
		if !more {
			return at
		}
	}
}

func (r *htmlRenderer) startTag(z *html.Tokenizer, selfClosing bool) {
	name, hasAttr := z.TagName()
	a := atom.Lookup(name)
	var at tagAttrs
	if hasAttr {
		at = r.readAttrs(z, a)
	}
	r.impliedEnds(a)
	if a == atom.Br {
		if r.hiddenAt == 0 {
			r.w.hardBreak()
		}
		return
	}
	if isVoid(a) {
		if r.hiddenAt == 0 && !at.hidden {
			r.void(a, at)
		}
		return
	}
	if selfClosing {
		return
	}
	e := openElem{a: a, hidden: at.hidden || isSkipped(a)}
	if a == 0 {
		e.name = string(name)
	}
	r.stack = append(r.stack, e)
	if e.hidden && r.hiddenAt == 0 {
		r.hiddenAt = len(r.stack)
	}
	if r.hiddenAt == 0 {
		r.open(&r.stack[len(r.stack)-1], at)
	}
}

// void renders elements without content: images by their alt text.
func (r *htmlRenderer) void(a atom.Atom, at tagAttrs) {
	switch a {
	case atom.Img, atom.Area:
		if alt := strings.TrimSpace(at.alt); alt != "" {
			r.w.writeString(alt)
		}
	case atom.Hr:
		r.w.breakLine(2)
	}
}

// open applies the start of a visible element.
func (r *htmlRenderer) open(e *openElem, at tagAttrs) {
	if n := blockBreak(e.a); n > 0 {
		r.w.breakLine(n)
	}
	switch e.a {
	case atom.Ul, atom.Ol:
		e.ordered = e.a == atom.Ol
		e.counter = 1
		if at.start != 0 {
			e.counter = at.start
		}
	case atom.Li:
		marker := "- "
		if l := r.nearest(atom.Ul, atom.Ol); l != nil {
			if l.ordered {
				marker = strconv.Itoa(l.counter) + ". "
			}
			l.counter++
		}
		r.w.pushPrefix(marker, strings.Repeat(" ", len(marker)))
		e.prefix = true
	case atom.Blockquote:
		r.w.pushPrefix("> ", "> ")
		e.prefix = true
	case atom.Pre:
		r.preDepth++
		r.preStart = true
	case atom.A:
		e.href = at.href
		e.linkMark = r.w.mark()
	case atom.Td, atom.Th:
		if row := r.nearest(atom.Tr, atom.Table); row != nil && row.a == atom.Tr && row.rowFilled {
			r.w.cellSeparator(" | ")
		}
		e.cellMark = r.w.mark()
	}
}

// close applies the end of a visible element.
func (r *htmlRenderer) close(e *openElem) {
	switch e.a {
	case atom.A:
		r.linkTarget(e)
	case atom.Pre:
		r.preDepth--
	case atom.Td, atom.Th:
		if r.w.mark() > e.cellMark {
			if row := r.nearest(atom.Tr, atom.Table); row != nil && row.a == atom.Tr {
				row.rowFilled = true
			}
		}
	}
	if e.prefix {
		r.w.popPrefix()
	}
	if n := blockBreak(e.a); n > 0 {
		r.w.breakLine(n)
	}
}

// linkTarget appends " (target)" after a link's text unless the text already
// says where the link goes.
func (r *htmlRenderer) linkTarget(e *openElem) {
	target := e.href
	if target == "" || target[0] == '#' || hasPrefixFold(target, "javascript:") {
		return
	}
	// The text may begin with the cell separator or space written before it.
	text := strings.TrimSpace(strings.TrimLeft(string(r.w.since(e.linkMark)), " |"))
	if text == "" || sameTarget(text, target) {
		return
	}
	r.w.writeString(" (" + target + ")")
}

// sameTarget reports whether a link's text already is its target, allowing
// for the scheme, "www.", a trailing slash, mailto: and tel: digits.
func sameTarget(text, target string) bool {
	switch {
	case hasPrefixFold(target, "mailto:"):
		addr, _, _ := strings.Cut(target[len("mailto:"):], "?")
		return strings.EqualFold(strings.TrimSpace(addr), text)
	case hasPrefixFold(target, "tel:"), hasPrefixFold(target, "sms:"):
		a, b := digitsOf(text), digitsOf(target)
		return a != "" && (a == b || strings.HasSuffix(a, b) || strings.HasSuffix(b, a))
	}
	return normalizeURL(text) == normalizeURL(target)
}

func normalizeURL(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"https://", "http://", "www."} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimRight(s, "/")
}

func (r *htmlRenderer) endTag(a atom.Atom, name []byte) {
	switch a {
	case atom.Br:
		if r.hiddenAt == 0 {
			r.w.hardBreak()
		}
		return
	case atom.P:
		if r.find(a, name, true) < 0 {
			if r.hiddenAt == 0 {
				r.w.breakLine(2) // a stray </p> is an empty paragraph
			}
			return
		}
	}
	boundary := true
	switch a {
	case atom.Table, atom.Tr, atom.Td, atom.Th, atom.Tbody, atom.Thead, atom.Tfoot,
		atom.Caption, atom.Head, atom.Body, atom.Html:
		boundary = false
	}
	if i := r.find(a, name, boundary); i >= 0 {
		r.popTo(i)
	}
}

// impliedEnds closes elements that a start tag ends without an end tag.
func (r *htmlRenderer) impliedEnds(a atom.Atom) {
	if len(r.stack) == 0 {
		return
	}
	if i := r.find(atom.Head, nil, false); i >= 0 && !inHeadContent(a) {
		r.popTo(i)
	}
	switch {
	case a == atom.Li:
		r.closeWithin(atom.Li, atom.Ul, atom.Ol)
	case a == atom.Tr:
		r.closeWithin(atom.Tr, atom.Table, 0)
	case a == atom.Td || a == atom.Th:
		r.closeWithin(atom.Td, atom.Tr, atom.Table)
		r.closeWithin(atom.Th, atom.Tr, atom.Table)
	case a == atom.Dd || a == atom.Dt:
		r.closeWithin(atom.Dd, atom.Dl, 0)
		r.closeWithin(atom.Dt, atom.Dl, 0)
	}
	if closesP(a) {
		if i := r.find(atom.P, nil, true); i >= 0 {
			r.popTo(i)
		}
	}
}

// closeWithin pops the nearest open target unless a stop element is nearer.
func (r *htmlRenderer) closeWithin(target, stop1, stop2 atom.Atom) {
	for i := len(r.stack) - 1; i >= 0; i-- {
		switch r.stack[i].a {
		case target:
			r.popTo(i)
			return
		case stop1, stop2, atom.Table:
			return
		}
	}
}

// find returns the stack index of the nearest open element with this name,
// or -1; with boundary set it does not look past table cells and the like.
func (r *htmlRenderer) find(a atom.Atom, name []byte, boundary bool) int {
	for i := len(r.stack) - 1; i >= 0; i-- {
		e := &r.stack[i]
		if e.a == a && (a != 0 || e.name == string(name)) {
			return i
		}
		if boundary && isScopeBoundary(e.a) {
			return -1
		}
	}
	return -1
}

// nearest returns the nearest open element that is one of a or b.
func (r *htmlRenderer) nearest(a, b atom.Atom) *openElem {
	for i := len(r.stack) - 1; i >= 0; i-- {
		if r.stack[i].a == a || r.stack[i].a == b {
			return &r.stack[i]
		}
	}
	return nil
}

// popTo closes the elements from the top of the stack down to index i.
func (r *htmlRenderer) popTo(i int) {
	for len(r.stack) > i {
		top := len(r.stack) - 1
		if r.hiddenAt == 0 {
			r.close(&r.stack[top])
		}
		if r.hiddenAt == top+1 {
			r.hiddenAt = 0
		}
		r.stack = r.stack[:top]
	}
}

func (r *htmlRenderer) closeAll() { r.popTo(0) }

func (r *htmlRenderer) text(t []byte) {
	if r.hiddenAt > 0 {
		if top := len(r.stack) - 1; top >= 0 && r.stack[top].a == atom.Style {
			r.hiddenClasses = append(r.hiddenClasses, hiddenClasses(string(t))...)
		}
		return
	}
	if r.preDepth > 0 {
		if r.preStart && len(t) > 0 && t[0] == '\n' {
			t = t[1:]
		}
		r.preStart = false
		r.w.writePre(t)
		return
	}
	r.w.writeText(t)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// digitsOf returns the ASCII digits of s.
func digitsOf(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

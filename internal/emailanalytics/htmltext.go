package emailanalytics

import (
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
	return renderText(tokenizeHTML(body, attrReader[tagAttrs]{keep: renderAttrsMatter, read: readRenderAttrs}))
}

// renderText renders a tokenized document as text.
func renderText(d *htmlDoc[tagAttrs]) string {
	r := &htmlRenderer{w: newTextWriter(len(d.src)/2 + len(d.src)/8)}
	for i := range d.toks {
		t := &d.toks[i]
		switch t.typ() {
		case html.TextToken:
			r.text(d.text(i))
		case html.StartTagToken, html.SelfClosingTagToken:
			r.startTag(d, i)
		case html.EndTagToken:
			name := ""
			if t.a == 0 {
				name = rawTagName(d.raw(i))
			}
			r.endTag(t.a, name)
		}
	}
	r.closeAll()
	return r.w.String()
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

// tagAttrs are what the renderer takes from a tag's attributes. Whether a
// class is hidden depends on style sheets read while rendering, so the class
// is kept as it is.
type tagAttrs struct {
	hidden bool
	class  string
	href   string
	alt    string
	start  int
}

// renderAttrsMatter reports whether a tag's attributes can change the
// rendering: links, images and ordered lists always; other tags only when
// their raw text mentions a way of hiding or a class (a style sheet may hide
// it). Reading attributes allocates in the tokenizer, and most tags in email
// HTML only carry styling.
func renderAttrsMatter(a atom.Atom, raw string) bool {
	if strings.IndexByte(raw, '=') < 0 && !containsFold(raw, "hidden") {
		return false
	}
	switch a {
	case atom.A, atom.Img, atom.Area, atom.Ol, atom.Input:
		return true
	}
	return containsFold(raw, "hidden") || containsFold(raw, "none") || containsFold(raw, "opacity") ||
		containsFold(raw, "class")
}

// readRenderAttrs reads the attributes the renderer looks at.
func readRenderAttrs(z *html.Tokenizer, a atom.Atom, _ string) tagAttrs {
	var at tagAttrs
	for {
		k, v, more := z.TagAttr()
		if k == nil {
			return at
		}
		applyRenderAttr(&at, a, k, v)
		if !more {
			return at
		}
	}
}

// renderAttrsOf is readRenderAttrs for attributes already read.
func renderAttrsOf(a atom.Atom, attrs []html.Attribute) tagAttrs {
	var at tagAttrs
	for _, kv := range attrs {
		applyRenderAttr(&at, a, kv.Key, kv.Val)
	}
	return at
}

// applyRenderAttr takes one attribute of a tag into at.
func applyRenderAttr[T string | []byte](at *tagAttrs, a atom.Atom, k, v T) {
	switch string(k) {
	case "hidden":
		at.hidden = true
	case "aria-hidden":
		at.hidden = at.hidden || strings.EqualFold(strings.TrimSpace(string(v)), "true")
	case "style":
		// Most styles hide nothing; only those that could are parsed.
		if containsFold(v, "none") || containsFold(v, "hidden") || containsFold(v, "opacity") {
			at.hidden = at.hidden || styleHides(string(v))
		}
	case "class":
		at.class = string(v)
	case "type":
		at.hidden = at.hidden || (a == atom.Input && strings.EqualFold(string(v), "hidden"))
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
}

// startTag applies implied end tags, then opens the element (or renders a
// void one); inside hidden content it only tracks nesting.
func (r *htmlRenderer) startTag(d *htmlDoc[tagAttrs], i int) {
	t := &d.toks[i]
	a := t.a
	selfClosing := t.typ() == html.SelfClosingTagToken
	var at tagAttrs
	if ref := t.attrRef(); ref >= 0 {
		at = d.attrs[ref]
		at.hidden = at.hidden || (at.class != "" && len(r.hiddenClasses) > 0 && hasHiddenClass(at.class, r.hiddenClasses))
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
		e.name = rawTagName(d.raw(i))
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

// text writes a text node unless it is hidden; <style> text is read for
// classes that hide elements.
func (r *htmlRenderer) text(t string) {
	if r.hiddenAt > 0 {
		if top := len(r.stack) - 1; top >= 0 && r.stack[top].a == atom.Style {
			r.hiddenClasses = append(r.hiddenClasses, hiddenClasses(t)...)
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

package emailanalytics

import (
	"strings"

	"golang.org/x/net/html/atom"
)

// rawTagName returns the lower-cased name of a raw tag ("<o:p>" → "o:p").
func rawTagName(raw string) string {
	i := 1
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	j := i
	for j < len(raw) && strings.IndexByte(" \t\n\r\f/>", raw[j]) < 0 {
		j++
	}
	return strings.ToLower(raw[i:j])
}

// endTag closes the nearest open element with this name, and everything
// opened inside it, as long as no table cell or similar boundary is crossed.
func (r *htmlRenderer) endTag(a atom.Atom, name string) {
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
	if i := r.find(atom.Head, "", false); i >= 0 && !inHeadContent(a) {
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
		if i := r.find(atom.P, "", true); i >= 0 {
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
func (r *htmlRenderer) find(a atom.Atom, name string, boundary bool) int {
	for i := len(r.stack) - 1; i >= 0; i-- {
		e := &r.stack[i]
		if e.a == a && (a != 0 || e.name == name) {
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

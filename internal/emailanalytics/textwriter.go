package emailanalytics

import (
	"unicode"
	"unicode/utf8"
)

// textWriter accumulates rendered text the way a browser lays it out:
// whitespace runs collapse to one space, block boundaries become line breaks
// (at most one blank line), and every line starts with the prefixes of the
// blocks it sits in (quote markers, list markers and indentation).
type textWriter struct {
	buf        []byte
	pendingNL  int  // line breaks requested before the next content (0-2)
	space      bool // a collapsed space is pending
	lineStart  bool // the current line has no content yet
	trailingNL int  // newlines at the end of buf
	sep        string
	prefixes   []linePrefix
}

// linePrefix is what one enclosing block puts in front of its lines: first
// on its first line (a list marker), rest on the others.
type linePrefix struct {
	first, rest string
	used        bool
}

func newTextWriter(sizeHint int) *textWriter {
	return &textWriter{buf: make([]byte, 0, sizeHint), lineStart: true}
}

// breakLine asks for n line breaks (1 = new line, 2 = blank line) before the
// next content; requests do not add up, so nested blocks give one break.
func (w *textWriter) breakLine(n int) {
	if n > w.pendingNL {
		w.pendingNL = n
	}
	w.space = false
}

// hardBreak is <br>: unlike block boundaries, consecutive ones add up, which
// is how emails make blank lines.
func (w *textWriter) hardBreak() {
	if w.pendingNL < 2 {
		w.pendingNL++
	}
	w.space = false
}

// cellSeparator puts sep between this table cell's text and the previous
// cell's text, if both end up on the same line.
func (w *textWriter) cellSeparator(sep string) { w.sep = sep }

func (w *textWriter) pushPrefix(first, rest string) {
	w.prefixes = append(w.prefixes, linePrefix{first: first, rest: rest})
}

func (w *textWriter) popPrefix() {
	if len(w.prefixes) > 0 {
		w.prefixes = w.prefixes[:len(w.prefixes)-1]
	}
}

// flush writes what must precede new content: pending line breaks, the line
// prefixes, and a pending space or cell separator.
func (w *textWriter) flush() {
	if len(w.buf) == 0 {
		w.pendingNL = 0
	}
	if w.pendingNL > 0 {
		for need := w.pendingNL - w.trailingNL; need > 0; need-- {
			if w.trailingNL > 0 {
				w.writeBlankPrefix()
			}
			w.buf = append(w.buf, '\n')
			w.trailingNL++
		}
		w.pendingNL = 0
		w.lineStart = true
	}
	if w.lineStart {
		for i := range w.prefixes {
			p := &w.prefixes[i]
			if !p.used {
				w.buf = append(w.buf, p.first...)
				p.used = true
			} else {
				w.buf = append(w.buf, p.rest...)
			}
		}
		w.lineStart = false
	} else if w.sep != "" {
		w.buf = append(w.buf, w.sep...)
	} else if w.space {
		w.buf = append(w.buf, ' ')
	}
	w.sep = ""
	w.space = false
	w.trailingNL = 0
}

// writeBlankPrefix gives a blank line inside a quote its quote marker.
func (w *textWriter) writeBlankPrefix() {
	n := len(w.buf)
	for _, p := range w.prefixes {
		if p.used {
			w.buf = append(w.buf, p.rest...)
		}
	}
	for len(w.buf) > n && w.buf[len(w.buf)-1] == ' ' {
		w.buf = w.buf[:len(w.buf)-1]
	}
}

// writeText writes text outside <pre>, collapsing whitespace and dropping the
// invisible characters that email templates use as padding.
func (w *textWriter) writeText(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' {
				w.space = true
				i++
				continue
			}
			j := i + 1
			for j < len(s) && s[j] > ' ' && s[j] < utf8.RuneSelf {
				j++
			}
			w.flush()
			w.buf = append(w.buf, s[i:j]...)
			i = j
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isInvisible(r):
		case r == 0xa0 && (w.lineStart || w.pendingNL > 0):
			// A line holding only &nbsp; still takes a line on screen:
			// it is how mail clients write blank lines.
			w.flush()
		case r == 0xa0 || unicode.IsSpace(r):
			w.space = true
		default:
			w.flush()
			w.buf = append(w.buf, s[i:i+n]...)
		}
		i += n
	}
}

// writePre writes <pre> text with its spaces and line breaks intact.
func (w *textWriter) writePre(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' {
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			c = '\n'
		}
		if c == '\n' {
			if w.lineStart && w.pendingNL > 0 {
				w.flush()
			}
			w.buf = append(w.buf, '\n')
			w.trailingNL++
			w.lineStart = true
			continue
		}
		if w.lineStart || w.pendingNL > 0 {
			w.space = false
			w.sep = ""
			w.flush()
		}
		w.buf = append(w.buf, c)
		w.trailingNL = 0
	}
}

// mark and since let the renderer read back what a link's text became.
func (w *textWriter) mark() int            { return len(w.buf) }
func (w *textWriter) since(m int) []byte   { return w.buf[min(m, len(w.buf)):] }
func (w *textWriter) String() string       { return string(trimSpaceBytes(w.buf)) }
func (w *textWriter) writeString(s string) { w.writeText(s) }

// isInvisible reports zero-width characters that render as nothing; email
// preheaders pad with them.
func isInvisible(r rune) bool {
	switch r {
	case 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x034f, 0x180e:
		return true
	}
	return false
}

func trimSpaceBytes(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\n') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\n' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

package emailanalytics

import (
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// searchText is the text RedactHTML runs Detect on, with a map back to the
// tokens it came from.
type searchText struct {
	text string
	runs []srcRun // the stretches of text copied from tokens, in order
}

// srcRun says that text[at:at+n] is the decoded text of token tok from
// offset off on. Bytes the markup contributed (line breaks, cell
// separators) belong to no run.
type srcRun struct {
	at, n, tok, off int32
}

// htmlSearchText builds the search text: text nodes with whitespace
// collapsed as a browser would, and line breaks and cell separators for the
// markup, so that detection sees what PlainText would show.
func htmlSearchText(d *redactDoc) searchText {
	var buf strings.Builder
	buf.Grow(len(d.src)/2 + len(d.src)/8)
	runs := make([]srcRun, 0, len(d.toks)/2)
	last := byte('\n') // the last byte written; a line break at the start
	// put appends byte c, taken from offset off of token tok (or from the
	// markup when tok < 0).
	put := func(c byte, tok, off int32) {
		at := int32(buf.Len())
		buf.WriteByte(c)
		last = c
		if tok < 0 {
			return
		}
		if n := len(runs); n > 0 {
			r := &runs[n-1]
			if r.tok == tok && r.at+r.n == at && r.off+r.n == off {
				r.n++
				return
			}
		}
		runs = append(runs, srcRun{at: at, n: 1, tok: tok, off: off})
	}
	synth := func(s string) {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if (c == '\n' && last == '\n') || (c == ' ' && (last == ' ' || last == '\n')) {
				continue
			}
			put(c, -1, 0)
		}
	}
	pre := 0
	for ti := range d.toks {
		t := &d.toks[ti]
		tok := int32(ti)
		switch t.typ() {
		case html.TextToken, html.CommentToken:
			if !t.inText {
				continue
			}
			if t.typ() == html.CommentToken {
				synth("\n")
			}
			s := d.text(ti)
			for i := 0; i < len(s); i++ {
				c := s[i]
				space := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
				nbsp := c == 0xc2 && i+1 < len(s) && s[i+1] == 0xa0
				if (space || nbsp) && pre == 0 {
					if last != ' ' && last != '\n' {
						put(' ', tok, int32(i))
					}
					if nbsp {
						i++
					}
					continue
				}
				put(c, tok, int32(i))
			}
			if t.typ() == html.CommentToken {
				synth("\n")
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			switch {
			case t.a == atom.Br:
				put('\n', -1, 0)
			case t.a == atom.Td || t.a == atom.Th:
				if t.typ() != html.EndTagToken {
					synth(" | ")
				}
			case blockBreak(t.a) > 0:
				synth("\n")
			}
			if t.a == atom.Pre {
				if t.typ() == html.StartTagToken {
					pre++
				} else if t.typ() == html.EndTagToken && pre > 0 {
					pre--
				}
			}
		}
	}
	return searchText{text: buf.String(), runs: runs}
}

// mapEntity turns an entity found in the search text into edits of the
// tokens it came from: the first piece becomes the mask, the others vanish.
// It returns the entity with offsets into the document.
func (r Redactor) mapEntity(d *redactDoc, st *searchText, e Entity, edits []textEdit) (Entity, []textEdit) {
	out := Entity{Type: e.Type, Text: e.Text, Start: -1}
	s, end := int32(e.Start), int32(e.End)
	k := sort.Search(len(st.runs), func(i int) bool { return st.runs[i].at+st.runs[i].n > s })
	ti, from, to := int32(-1), int32(0), int32(0)
	flush := func() {
		if ti < 0 {
			return
		}
		repl := ""
		if out.Start < 0 {
			repl = r.mask(e.Type)
			out.Start = int(d.toks[ti].start) + d.rawOffset(int(ti), int(from))
		}
		out.End = int(d.toks[ti].start) + d.rawOffset(int(ti), int(to))
		edits = append(edits, textEdit{tok: int(ti), from: int(from), to: int(to), repl: repl})
	}
	for ; k < len(st.runs) && st.runs[k].at < end; k++ {
		run := st.runs[k]
		lo, hi := max(s, run.at), min(end, run.at+run.n)
		a, b := run.off+lo-run.at, run.off+hi-run.at
		if run.tok != ti {
			flush()
			ti, from = run.tok, a
		}
		to = b
	}
	flush()
	if out.Start < 0 {
		out.Start, out.End = 0, 0
	}
	return out, edits
}

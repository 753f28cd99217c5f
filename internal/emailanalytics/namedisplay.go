package emailanalytics

import (
	"sort"
	"strings"
)

// displayNames handles "Jane Doe <jane@example.com>" and "Jane wrote:".
func (d *detector) displayNames() {
	t := d.text
	for _, e := range d.cands {
		if e.kind != kEmail || e.start < 2 || t[e.start-1] != '<' {
			continue
		}
		d.nameBefore(int(e.start) - 1)
	}
	for off := 0; ; {
		k := strings.Index(t[off:], " wrote:")
		if k < 0 {
			return
		}
		d.nameBefore(off + k + 1)
		off += k + len(" wrote:")
	}
}

// nameBefore takes the name words that end just before offset pos, on the
// same line, separated from it by a space or a quote.
func (d *detector) nameBefore(pos int) {
	w := d.words
	k := sort.Search(len(w), func(i int) bool { return int(w[i].end) > pos }) - 1
	if k < 0 {
		return
	}
	g := d.text[w[k].end:pos]
	if g != " " && g != "\" " && g != "' " && g != "" && g != "\"" {
		return
	}
	start := k
	for start >= 0 && k-start < 4 && d.nameWord(start) {
		if start > 0 && d.gap(start-1) != " " {
			start--
			break
		}
		start--
	}
	start++
	if start > k || !d.nameWord(start) {
		for start <= k && !d.nameWord(start) {
			start++
		}
	}
	if start > k {
		return
	}
	if d.nameSpan(start, false) < k+1 {
		return
	}
	d.addName(start, k+1)
}

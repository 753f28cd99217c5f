package emailanalytics

import (
	"strings"
)

// signOff handles a closing line ("Best regards,", "Thanks,", "Cheers") and
// takes the name on the same line after a comma or dash, or on the next
// non-blank line.
func (d *detector) signOff(i int, lw string) {
	w := d.words
	t := d.text
	lineEnd := strings.IndexByte(t[w[i].start:], '\n')
	if lineEnd < 0 {
		lineEnd = len(t)
	} else {
		lineEnd += int(w[i].start)
	}
	last := i
	for last+1 < len(w) && int(w[last+1].start) < lineEnd {
		last++
	}
	n := last - i + 1
	maxWords := 4
	if lw == "thanks" || lw == "thank" {
		maxWords = 7
	}
	line := t[w[i].start:lineEnd]
	if strings.ContainsAny(line, "0123456789@") {
		return
	}
	// Same line: "Regards, Priya Patel" or "Thanks - Sam".
	for k := i + 1; k <= last; k++ {
		g := d.gap(k - 1)
		if g != ", " && g != " - " && g != " – " && g != " — " && g != ",  " {
			continue
		}
		k2 := d.afterTitle(k)
		if end := d.nameSpan(k2, false); end == last+1 {
			d.addName(k2, end)
			return
		}
	}
	if n > maxWords {
		return
	}
	if c := strings.TrimRight(line, " \t\r"); len(c) > 0 {
		switch c[len(c)-1] {
		case ',', '!', '.':
		default:
			if !isASCIILetter(c[len(c)-1]) {
				return
			}
		}
	}
	d.nameLineAfter(last)
}

// nameLineAfter takes a name that fills the start of the first non-blank
// line after word last (one blank line may intervene).
func (d *detector) nameLineAfter(last int) {
	w := d.words
	k := last + 1
	if k >= len(w) || strings.Count(d.gap(last), "\n") > 3 || w[k].flags&wLineStart == 0 {
		return
	}
	if strings.Count(d.gap(last), "\n") == 0 {
		return
	}
	k = d.afterTitle(k)
	end := d.nameSpan(k, true)
	if end == k || end-k > 4 {
		return
	}
	e := int(w[end-1].end)
	rest := d.text[e:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimSpace(rest)
	if rest == "" || rest[0] == ',' || rest[0] == '|' || rest[0] == '(' || rest[0] == '-' ||
		strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, "—") || rest == "." {
		d.addName(k, end)
	}
}

// afterSigDelimiter handles the "-- " signature delimiter: the line after
// it starts with the sender's name.
func (d *detector) afterSigDelimiter(i int) {
	g := d.gap(i - 1)
	lines := strings.Split(g, "\n")
	if len(lines) < 3 {
		return
	}
	delim := strings.TrimSpace(strings.TrimLeft(lines[len(lines)-2], "> "))
	if delim != "--" {
		return
	}
	d.nameLineAfter(i - 1)
}

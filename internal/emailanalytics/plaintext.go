package emailanalytics

import "strings"

// PlainText returns the text a person would read in an email body of the
// given content type, because Connect stores a plain rendition of every
// message and the analysis reads it. HTML (text/html, matched ignoring case
// and parameters) is rendered: blocks and <br> break lines, lists keep their
// numbers or bullets, table cells are joined with " | ", links keep their
// target, images give their alt text, and scripts, styles and hidden content
// disappear (see htmlToText). Anything else is plain text and only
// normalised: LF line ends, no trailing blanks, at most one blank line.
func PlainText(contentType, body string) string {
	if isHTML(contentType, body) {
		return htmlToText(body)
	}
	return normalizePlain(body)
}

// isHTML reports whether the body is to be rendered as HTML. The content type
// decides (case-insensitively, ignoring parameters); an empty one is sniffed
// because some senders omit it.
func isHTML(contentType, body string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	switch mt {
	case "text/html", "application/xhtml+xml":
		return true
	case "":
		head := strings.ToLower(strings.TrimSpace(body[:min(len(body), 512)]))
		return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
			strings.Contains(head, "<body")
	}
	return false
}

// normalizePlain converts line endings to LF, trims trailing blanks from each
// line, keeps at most one blank line in a row and drops blank lines at both
// ends, so that offsets in the analysis do not depend on the sender's client.
func normalizePlain(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	blank := 0
	wrote := false
	for len(s) > 0 {
		line := s
		i := strings.IndexAny(s, "\r\n")
		if i >= 0 {
			line = s[:i]
			if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				s = s[i+2:]
			} else {
				s = s[i+1:]
			}
		} else {
			s = ""
		}
		line = strings.TrimRight(line, " \t\f\v\u00a0")
		if line == "" {
			blank++
			continue
		}
		if wrote {
			b.WriteByte('\n')
			if blank > 0 {
				b.WriteByte('\n')
			}
		}
		b.WriteString(line)
		wrote = true
		blank = 0
	}
	return b.String()
}

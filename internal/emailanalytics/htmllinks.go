package emailanalytics

import (
	"strings"
)

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

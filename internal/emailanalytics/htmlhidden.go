package emailanalytics

import "strings"

// styleHides reports whether an inline style hides the element. Email
// preheaders use display:none, often with max-height:0 and overflow:hidden.
func styleHides(style string) bool {
	maxHeight0, overflowHidden := false, false
	for len(style) > 0 {
		var decl string
		if i := strings.IndexByte(style, ';'); i >= 0 {
			decl, style = style[:i], style[i+1:]
		} else {
			decl, style = style, ""
		}
		prop, val, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		prop = strings.TrimSpace(prop)
		val = strings.TrimSpace(val)
		if i := strings.IndexByte(val, '!'); i >= 0 {
			val = strings.TrimSpace(val[:i])
		}
		switch {
		case strings.EqualFold(prop, "display"):
			if strings.EqualFold(val, "none") {
				return true
			}
		case strings.EqualFold(prop, "visibility"):
			if strings.EqualFold(val, "hidden") || strings.EqualFold(val, "collapse") {
				return true
			}
		case strings.EqualFold(prop, "opacity"):
			if isZeroLength(val) {
				return true
			}
		case strings.EqualFold(prop, "max-height"):
			maxHeight0 = isZeroLength(val)
		case strings.EqualFold(prop, "overflow"):
			overflowHidden = strings.EqualFold(val, "hidden")
		}
	}
	return maxHeight0 && overflowHidden
}

// isZeroLength reports CSS values such as 0, 0px, 0.0 or 0em.
func isZeroLength(v string) bool {
	v = strings.TrimRight(v, "abcdefghijklmnopqrstuvwxyz%")
	if len(v) == 0 {
		return false
	}
	for _, c := range []byte(v) {
		if c != '0' && c != '.' {
			return false
		}
	}
	return true
}

// hiddenClasses returns the class names that a <style> sheet hides with a
// top-level rule such as ".preheader { display: none !important }". Rules
// inside @media are ignored: they hide things only on some screens.
func hiddenClasses(css string) []string {
	var out []string
	depth := 0
	for len(css) > 0 {
		open := strings.IndexAny(css, "{}")
		if open < 0 {
			break
		}
		if css[open] == '}' {
			depth--
			css = css[open+1:]
			continue
		}
		selector := strings.TrimSpace(css[:open])
		css = css[open+1:]
		if strings.HasPrefix(selector, "@") {
			depth++
			continue
		}
		end := strings.IndexByte(css, '}')
		if end < 0 {
			break
		}
		body := css[:end]
		css = css[end+1:]
		if depth > 0 || !styleHides(body) {
			continue
		}
		for _, sel := range strings.Split(selector, ",") {
			sel = strings.TrimSpace(sel)
			dot := strings.LastIndexByte(sel, '.')
			if dot < 0 || strings.ContainsAny(sel, " >+~:[") {
				continue
			}
			out = append(out, sel[dot+1:])
		}
	}
	return out
}

// hasHiddenClass reports whether a class attribute names a hidden class.
func hasHiddenClass(class string, hidden []string) bool {
	for _, f := range strings.Fields(class) {
		for _, h := range hidden {
			if f == h {
				return true
			}
		}
	}
	return false
}

package emailanalytics

import "golang.org/x/net/html/atom"

// blockBreak returns the line breaks an element's start and end cause:
// 2 for paragraph-like blocks (a blank line), 1 for other blocks, 0 for
// inline elements.
func blockBreak(a atom.Atom) int {
	switch a {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Blockquote, atom.Pre, atom.Hr, atom.Dl, atom.Figure, atom.Address,
		atom.Fieldset:
		return 2
	case atom.Div, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Nav,
		atom.Aside, atom.Main, atom.Li, atom.Ul, atom.Ol, atom.Tr, atom.Table,
		atom.Dt, atom.Dd, atom.Figcaption, atom.Center, atom.Caption, atom.Details,
		atom.Summary, atom.Form, atom.Legend, atom.Body, atom.Html, atom.Tbody,
		atom.Thead, atom.Tfoot, atom.Menu, atom.Option, atom.Textarea, atom.Select,
		atom.Iframe, atom.Video, atom.Audio, atom.Canvas, atom.Title:
		return 1
	}
	return 0
}

// isVoid reports elements that never have content or an end tag.
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img,
		atom.Input, atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track,
		atom.Wbr, atom.Keygen:
		return true
	}
	return false
}

// isSkipped reports elements whose content is never shown to a reader.
func isSkipped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Head, atom.Template, atom.Noscript,
		atom.Title, atom.Object, atom.Svg, atom.Math, atom.Iframe, atom.Noframes,
		atom.Noembed, atom.Select, atom.Datalist:
		return true
	}
	return false
}

// inHeadContent reports elements that may appear in <head>; any other start
// tag ends the head, as in a browser.
func inHeadContent(a atom.Atom) bool {
	switch a {
	case atom.Meta, atom.Link, atom.Style, atom.Script, atom.Title, atom.Base,
		atom.Noscript, atom.Template, atom.Head:
		return true
	}
	return false
}

// closesP reports start tags that end an open <p>, per the HTML parsing rules.
func closesP(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Details,
		atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer,
		atom.Form, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header,
		atom.Hr, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Pre,
		atom.Section, atom.Summary, atom.Table, atom.Ul, atom.Li, atom.Dd, atom.Dt:
		return true
	}
	return false
}

// isScopeBoundary reports elements an implied or stray end tag never crosses.
func isScopeBoundary(a atom.Atom) bool {
	switch a {
	case atom.Table, atom.Td, atom.Th, atom.Caption, atom.Template, atom.Html,
		atom.Button, atom.Object, atom.Marquee, atom.Applet:
		return true
	}
	return false
}

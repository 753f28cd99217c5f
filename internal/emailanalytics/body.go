package emailanalytics

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Body is an email body read for the analysis, which needs both its plain text and its
// redaction: an HTML body is tokenized once for the two, the costliest step of each.
type Body struct {
	contentType, body string
	text              *htmlDoc[tagAttrs] // nil unless HTML
	redact            *redactDoc
}

// ParseBody reads a body of the given content type (see PlainText for how HTML is told).
func ParseBody(contentType, body string) *Body {
	b := &Body{contentType: contentType, body: body}
	if !isHTML(contentType, body) {
		return b
	}
	d := tokenizeHTML(body, bodyAttrReader())
	render := make([]tagAttrs, len(d.attrs))
	lists := make([][]html.Attribute, len(d.attrs))
	for i, a := range d.attrs {
		render[i], lists[i] = a.render, a.list
	}
	b.text = &htmlDoc[tagAttrs]{src: d.src, toks: d.toks, texts: d.texts, attrs: render}
	b.redact = &redactDoc{src: d.src, toks: d.toks, texts: d.texts, attrs: lists}
	return b
}

// PlainText is PlainText(contentType, body).
func (b *Body) PlainText() string {
	if b.text == nil {
		return normalizePlain(b.body)
	}
	return renderText(b.text)
}

// RedactBody is RedactHTML of an HTML body and RedactText of any other. It may be
// called once per Body: redaction rewrites the attributes it read.
func (r Redactor) RedactBody(b *Body) (string, []Entity) {
	if b.redact == nil {
		return r.RedactText(b.body)
	}
	return r.redactDoc(b.redact)
}

// Redaction is the two redacted renditions of a body.
type Redaction struct {
	PlainText string   // the plain text, redacted
	Entities  []Entity // what was redacted from the plain text (offsets into it)
	Body      string   // the body, redacted; HTML stays HTML
}

// Redact redacts the body's plain text (plain, from b.PlainText) and the body itself,
// which calls RedactBody. A large body has the two done at once: they read the text
// independently, and each alone leaves a processor idle for much of its time.
func (r Redactor) Redact(b *Body, plain string) Redaction {
	var out Redaction
	jobs := []func(){
		func() { out.PlainText, out.Entities = r.RedactText(plain) },
		func() { out.Body, _ = r.RedactBody(b) },
	}
	if workers(len(b.body)) > 1 {
		parallel(len(jobs), func(i int) { jobs[i]() })
	} else {
		for _, job := range jobs {
			job()
		}
	}
	return out
}

// bodyAttrs is what one pass keeps of a tag's attributes for both: what changes the
// rendering and, of a tag that may hold personal data, every attribute.
type bodyAttrs struct {
	render tagAttrs
	list   []html.Attribute // nil unless rawAttrsMayHoldPII
}

func bodyAttrReader() attrReader[bodyAttrs] {
	return attrReader[bodyAttrs]{
		keep: func(a atom.Atom, raw string) bool { return renderAttrsMatter(a, raw) || rawAttrsMayHoldPII(a, raw) },
		read: func(z *html.Tokenizer, a atom.Atom, raw string) bodyAttrs {
			if !rawAttrsMayHoldPII(a, raw) {
				return bodyAttrs{render: readRenderAttrs(z, a, raw)}
			}
			list := readAttrList(z, a, raw)
			var at bodyAttrs
			at.list = list
			if renderAttrsMatter(a, raw) {
				at.render = renderAttrsOf(a, list)
			}
			return at
		},
	}
}

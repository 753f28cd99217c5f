package emailanalytics

import (
	"reflect"

	"golang.org/x/net/html"
	"strings"
	"testing"
)

// TestTokenizeParallel checks that the parallel tokenizer gives exactly the
// tokens of one pass, or gives up, whatever the cuts land in.
func TestTokenizeParallel(t *testing.T) {
	unit := `<div class="m"><p title="a<b" data-x='1 > 0'>Hi <b>Maria</b>,</p><!-- a <p>comment</p> -->` +
		`<script>if (a < b) { x = "<div>"; }</script><style>p{}</style><textarea><p>raw</p></textarea>` +
		`<table><tr><td>Card 4111 1111 1111 1111</td></tr></table></div>` + "\n"
	tests := []struct {
		name   string
		doc    string
		mustOK bool
	}{
		{"many small elements", strings.Repeat(unit, 5000), false},
		{"cut inside a comment", "<p>a</p><!--" + strings.Repeat("<p>x</p>", 40000) + "--><p>b</p>", false},
		{"cut inside a script", "<p>a</p><script>" + strings.Repeat("<p>x</p>", 40000) + "</script><p>b</p>", false},
		{"plain paragraphs", strings.Repeat("<p>Hello <b>world</b></p>\n", 20000), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			serial := tokenizePart(tt.doc, 0, len(tt.doc), redactAttrs(), nil)
			for _, n := range []int{2, 3, 4} {
				d := tokenizeParallel(tt.doc, n, redactAttrs())
				if d == nil {
					if tt.mustOK {
						t.Errorf("%d parts: gave up", n)
					}
					continue
				}
				if !sameTokens(d, serial) {
					t.Errorf("%d parts: tokens differ from one pass", n)
				}
			}
		})
	}
}

// sameTokens compares tokens by kind, range, tag, text and attributes.
func sameTokens(d *redactDoc, p tokPart[[]html.Attribute]) bool {
	one := &redactDoc{src: d.src, toks: p.toks, texts: p.texts, attrs: p.attrs}
	if len(d.toks) != len(one.toks) {
		return false
	}
	for i := range d.toks {
		a, b := d.toks[i], one.toks[i]
		if a.kind != b.kind || a.start != b.start || d.end(i) != one.end(i) || a.a != b.a || a.inText != b.inText {
			return false
		}
		if d.text(i) != one.text(i) || (a.attrRef() >= 0) != (b.attrRef() >= 0) {
			return false
		}
		if a.attrRef() >= 0 && !reflect.DeepEqual(d.attrs[a.attrRef()], one.attrs[b.attrRef()]) {
			return false
		}
	}
	return true
}

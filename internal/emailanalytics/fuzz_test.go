package emailanalytics

import (
	"strings"
	"testing"
)

// FuzzRedactHTML checks invariants on arbitrary input: no panic, entities
// point into their text, and a detected card number leaves no digits of it.
func FuzzRedactHTML(f *testing.F) {
	for _, s := range []string{
		"", "<", "<p>Hi Maria,</p>", "<a href=\"mailto:a@b.co\">x</a>", "4111 <b>1111</b> 1111 1111",
		"<!-- unterminated", "<script>a<b", "<table><tr><td>SSN</td><td>536-22-1847</td>",
		"&#8209;&amp;&nbsp;", "<pre>\n a\r\n</pre>", "<ol start=x><li>a<li>b", "\x00<p\x00>",
		"Dear Dr. Jane Doe,\nThanks,\nJohn", "+44 (0)20 7946 0958 ext. 12",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plain := PlainText("text/html", s)
		for _, e := range Detect(plain) {
			if plain[e.Start:e.End] != e.Text {
				t.Fatalf("entity %v does not match its text", e)
			}
		}
		out, ents := Redactor{}.RedactHTML(s)
		for _, e := range ents {
			if e.Start < 0 || e.End > len(s) || e.Start > e.End {
				t.Fatalf("entity %v outside the input", e)
			}
			if e.Type == TypeCreditDebitNumber && strings.Contains(out, digitsOf(e.Text)) {
				t.Fatalf("card digits survived in %q", out)
			}
		}
		red, _ := Redactor{}.RedactText(plain)
		_ = red
	})
}

package emailanalytics

import "testing"

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, ct, body, want string
	}{
		{"plain CRLF and trailing spaces", "text/plain", "Hi Jane,  \r\n\r\n\r\n\r\nThanks \t\r\nBob\r\n", "Hi Jane,\n\nThanks\nBob"},
		{"plain keeps indentation", "text/plain; charset=utf-8", "\n\n  indented\n> quoted\n\n", "  indented\n> quoted"},
		{"plain lone CR", "text/plain", "a\rb", "a\nb"},
		{"content type case and params", "Text/HTML; Charset=UTF-8", "<p>Hi</p>", "Hi"},
		{"empty type sniffs html", "", "<!DOCTYPE html><html><body><p>x &amp; y</p></body></html>", "x & y"},
		{"empty type plain", "", "a & b <3", "a & b <3"},
		{"paragraphs", "text/html", "<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"divs and br", "text/html", "<div>Hi Jane,</div><div><br></div><div>Thanks<br>Bob</div>", "Hi Jane,\n\nThanks\nBob"},
		{"nbsp div is a blank line", "text/html", "<div>a</div><div>&nbsp;</div><div>b</div>", "a\n\nb"},
		{"headings and blockquote", "text/html", "<h1>Title</h1>text<blockquote>quoted<br>more</blockquote>after", "Title\n\ntext\n\n> quoted\n> more\n\nafter"},
		{"blank line inside quote", "text/html", "<blockquote><p>a</p><p>b</p></blockquote>", "> a\n>\n> b"},
		{"whitespace collapses", "text/html", "<p>  a \n\t b   c  </p>", "a b c"},
		{"at most one blank line", "text/html", "<p>a</p><p></p><p></p><br><br><br><p>b</p>", "a\n\nb"},
		{"entities", "text/html", "<p>Tom &amp; Jerry&#8217;s caf&eacute;&nbsp;bar &lt;ok&gt; &#x41;</p>", "Tom & Jerry’s café bar <ok> A"},
		{"ordered list", "text/html", "<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"},
		{"ordered list start", "text/html", "<ol start=\"3\"><li>c<li>d</ol>", "3. c\n4. d"},
		{"unordered list", "text/html", "<ul><li>a</li><li>b</li></ul>", "- a\n- b"},
		{"nested lists indent", "text/html", "<ol><li>a<ul><li>x</li><li>y</li></ul></li><li>b</li></ol>", "1. a\n   - x\n   - y\n2. b"},
		{"table cells", "text/html", "<table><tr><th>Item</th><th>Price</th></tr><tr><td>Tent</td><td>$9</td></tr></table>", "Item | Price\nTent | $9"},
		{"empty cells take no separator", "text/html", "<table><tr><td></td><td>a</td><td>&nbsp;</td><td>b</td></tr></table>", "a | b"},
		{"link target", "text/html", `<p>See <a href="https://example.com/help">help</a>.</p>`, "See help (https://example.com/help)."},
		{"link text is target", "text/html", `<a href="https://www.example.com/">example.com</a>`, "example.com"},
		{"mailto target", "text/html", `<a href="mailto:jane@example.com">Email Jane</a>`, "Email Jane (mailto:jane@example.com)"},
		{"mailto text is address", "text/html", `<a href="mailto:jane@example.com?subject=x">jane@example.com</a>`, "jane@example.com"},
		{"tel text is number", "text/html", `<a href="tel:+14155550100">(415) 555-0100</a>`, "(415) 555-0100"},
		{"anchor link without target", "text/html", `<a href="#top">Top</a> <a href="javascript:void(0)">x</a>`, "Top x"},
		{"image alt", "text/html", `<p><img src="logo.png" alt="Acme Outdoor"> <img src="px.gif" alt=""></p>`, "Acme Outdoor"},
		{"image link", "text/html", `<a href="https://example.com/r"><img src="b.png" alt="Redeem now"></a>`, "Redeem now (https://example.com/r)"},
		{"script style head template noscript", "text/html",
			`<html><head><title>T</title><style>p{color:red}</style></head><body><script>var a="<p>x</p>";</script><template><p>tpl</p></template><noscript>nojs</noscript><p>shown</p></body></html>`, "shown"},
		{"hidden attribute", "text/html", `<div hidden>secret</div><p>shown</p>`, "shown"},
		{"aria-hidden", "text/html", `<span aria-hidden="true">icon</span>shown`, "shown"},
		{"display none", "text/html", `<div style="display: none !important;">gone</div>shown`, "shown"},
		{"visibility hidden", "text/html", `<p style="visibility:hidden">gone</p><p>shown</p>`, "shown"},
		{"preheader", "text/html", `<span style="color:#fff;max-height:0px;overflow:hidden;mso-hide:all">Preview text&zwnj;&nbsp;</span><p>Body</p>`, "Body"},
		{"class hidden by style sheet", "text/html", `<style>.preheader{display:none}@media (max-width:600px){.col{display:none}}</style><span class="x preheader">pre</span><div class="col">col</div>`, "col"},
		{"hidden nested same tag", "text/html", `<div style="display:none"><div>a</div><div>b</div></div><div>c</div>`, "c"},
		{"hidden input", "text/html", `<input type="hidden" value="x"><p>y</p>`, "y"},
		{"pre keeps whitespace", "text/html", "<p>out</p><pre>\n  a  b\n    c\n</pre><p>after</p>", "out\n\n  a  b\n    c\n\nafter"},
		{"hr breaks", "text/html", "a<hr>b", "a\n\nb"},
		{"unclosed p and li", "text/html", "<p>one<p>two<ul><li>a<li>b</ul>", "one\n\ntwo\n\n- a\n- b"},
		{"zero width removed", "text/html", "<p>a&#8203;b&zwnj;c</p>", "abc"},
		{"inline elements join", "text/html", "<p>4111 <b>1111</b> 11<i>11</i></p>", "4111 1111 1111"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.ct, tt.body); got != tt.want {
				t.Errorf("PlainText(%q, %q)\n got %q\nwant %q", tt.ct, tt.body, got, tt.want)
			}
		})
	}
}

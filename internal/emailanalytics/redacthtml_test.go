package emailanalytics

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestRedactHTML(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		gone    []string // must not appear anywhere in the output
		entTyps []string // types of the entities reported, in order
	}{
		{
			name: "structure kept, text redacted",
			in:   `<p class="x">Hi <b>Maria</b>,</p><p>Call <span style="color:red">415-555-0100</span>.</p>`,
			want: `<p class="x">Hi <b>[NAME]</b>,</p><p>Call <span style="color:red">[PHONE]</span>.</p>`,
			gone: []string{"Maria", "0100"}, entTyps: []string{TypeName, TypePhone},
		},
		{
			name: "card split across inline elements",
			in:   `<p>Card: 4111 <b>1111</b> 11<i>11</i> 1111, thanks</p>`,
			want: `<p>Card: [CREDIT_DEBIT_NUMBER]<b></b><i></i>, thanks</p>`,
			gone: []string{"4111", "1111", "11"}, entTyps: []string{TypeCreditDebitNumber},
		},
		{
			name: "card split by dashes in spans",
			in:   `<p>Card: <span>4000</span>-<span>0566</span>-<span>5566</span>-<span>5556</span><br>Expiry: 06/28</p>`,
			want: `<p>Card: <span>[CREDIT_DEBIT_NUMBER]</span><span></span><span></span><span></span><br>Expiry: [CREDIT_DEBIT_EXPIRY]</p>`,
			gone: []string{"0566", "5566", "5556", "06/28"}, entTyps: []string{TypeCreditDebitNumber, TypeCreditDebitExpiry},
		},
		{
			name: "mailto href, title and text",
			in:   `<a href="mailto:jane@example.com?subject=Hi" title="Email jane@example.com">jane@example.com</a>`,
			want: `<a href="mailto:[EMAIL]?subject=Hi" title="Email [EMAIL]">[EMAIL]</a>`,
			gone: []string{"jane@"}, entTyps: []string{TypeEmail, TypeEmail, TypeEmail},
		},
		{
			name: "tel href in another format",
			in:   `<a href="tel:+13055550182">305-555-0182</a>`,
			want: `<a href="tel:[PHONE]">[PHONE]</a>`,
			gone: []string{"3055550182", "555"}, entTyps: []string{TypePhone, TypePhone},
		},
		{
			name: "data attributes and input values",
			in:   `<div data-email="lucia@example.com" data-phone="+39 06 6982 0123"><input type="hidden" value="Lucia Ferrari">Ciao Lucia,</div>`,
			want: `<div data-email="[EMAIL]" data-phone="[PHONE]"><input type="hidden" value="[NAME]">Ciao [NAME],</div>`,
			gone: []string{"lucia", "Lucia", "6982"}, entTyps: []string{TypeEmail, TypePhone, TypeName, TypeName},
		},
		{
			name: "value redacted in text also removed from attributes",
			in:   `<p>Account number: 4400981122</p><img src="x.png" alt="acct 4400-981-122">`,
			want: `<p>Account number: [BANK_ACCOUNT_NUMBER]</p><img src="x.png" alt="acct [BANK_ACCOUNT_NUMBER]">`,
			gone: []string{"4400", "981"}, entTyps: []string{TypeBankAccountNumber, TypeBankAccountNumber},
		},
		{
			name: "hidden text and comments are redacted too",
			in:   `<div style="display:none">SSN 536-22-1847</div><!-- customer: jane@example.com --><p>ok</p>`,
			want: `<div style="display:none">SSN [SSN]</div><!-- customer: [EMAIL] --><p>ok</p>`,
			gone: []string{"536-22", "jane@"}, entTyps: []string{TypeSSN, TypeEmail},
		},
		{
			name: "entities in text keep their escaping",
			in:   `<p>Hi&nbsp;Jos&eacute;, salt &amp; pepper&#8217;s</p>`,
			want: `<p>Hi&nbsp;[NAME], salt &amp; pepper&#8217;s</p>`,
			gone: []string{"Jos"}, entTyps: []string{TypeName},
		},
		{
			name: "nothing to redact leaves the document untouched",
			in:   "<!DOCTYPE html>\n<html><head><style>p{margin:0}</style></head><body><P CLASS=a>Order #123456789</P></body></html>",
			want: "<!DOCTYPE html>\n<html><head><style>p{margin:0}</style></head><body><P CLASS=a>Order #123456789</P></body></html>",
		},
	}
	r := Redactor{Mode: MaskEntityType}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ents := r.RedactHTML(tt.in)
			if got != tt.want {
				t.Errorf("RedactHTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			for _, g := range tt.gone {
				if strings.Contains(got, g) {
					t.Errorf("%q survived in %q", g, got)
				}
			}
			var types []string
			for _, e := range ents {
				types = append(types, e.Type)
				if e.Start < 0 || e.End > len(tt.in) || e.Start > e.End {
					t.Errorf("entity %v has offsets outside the input", e)
				}
			}
			if strings.Join(types, ",") != strings.Join(tt.entTyps, ",") {
				t.Errorf("entity types %v, want %v", types, tt.entTyps)
			}
			if _, err := html.Parse(strings.NewReader(got)); err != nil {
				t.Errorf("output does not parse: %v", err)
			}
		})
	}
}

// TestRedactHTMLOffsets checks that a text entity's offsets cover its raw
// bytes in the input, character references included.
func TestRedactHTMLOffsets(t *testing.T) {
	in := `<p>Hi Jos&eacute;, call 866&#8209;555&#8209;0119.</p>`
	_, ents := Redactor{}.RedactHTML(in)
	var raws []string
	for _, e := range ents {
		raws = append(raws, in[e.Start:e.End])
	}
	want := "Jos&eacute;|866&#8209;555&#8209;0119"
	if got := strings.Join(raws, "|"); got != want {
		t.Errorf("raw spans %q, want %q", got, want)
	}
}

func TestRedactHTMLTypesFilter(t *testing.T) {
	in := `<p>Hi Maria, card 4111 1111 1111 1111, <a href="mailto:maria@example.com">maria@example.com</a></p>`
	got, _ := Redactor{Types: []string{TypeCreditDebitNumber}}.RedactHTML(in)
	want := `<p>Hi Maria, card [PII], <a href="mailto:maria@example.com">maria@example.com</a></p>`
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

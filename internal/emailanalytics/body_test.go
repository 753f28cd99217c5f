package emailanalytics_test

import (
	"slices"
	"testing"

	"github.com/connectlocal/connectlocal/internal/emailanalytics"
	"github.com/connectlocal/connectlocal/internal/emailanalytics/piieval"
)

// The one tokenizer pass of ParseBody must give exactly what PlainText and RedactHTML
// give on their own, for every email of the corpora and the 1 MB bench document.
func TestParseBodyMatchesTheSeparatePasses(t *testing.T) {
	var emails []piieval.Email
	for _, dir := range []string{"testdata/corpus", "testdata/holdout"} {
		es, err := piieval.LoadCorpus(dir)
		if err != nil {
			t.Fatal(err)
		}
		emails = append(emails, es...)
	}
	emails = append(emails, piieval.Email{Name: "bench", ContentType: "text/html", Body: piieval.BenchDocument(emails, 1<<20)})
	for _, e := range emails {
		checkParseBody(t, e.Name, e.ContentType, e.Body)
	}
}

func checkParseBody(t *testing.T, name, contentType, body string) {
	t.Helper()
	for _, red := range []emailanalytics.Redactor{{}, {Mode: emailanalytics.MaskEntityType}} {
		b := emailanalytics.ParseBody(contentType, body)
		if got, want := b.PlainText(), emailanalytics.PlainText(contentType, body); got != want {
			t.Errorf("%s: ParseBody(...).PlainText() differs from PlainText:\n%q\n%q", name, got, want)
		}
		var want string
		var wantEnts []emailanalytics.Entity
		if contentType == "text/html" { // the corpora's and the fuzzer's only HTML type
			want, wantEnts = red.RedactHTML(body)
		} else {
			want, wantEnts = red.RedactText(body)
		}
		got, gotEnts := red.RedactBody(b)
		if got != want || !slices.Equal(gotEnts, wantEnts) {
			t.Errorf("%s: RedactBody differs from the separate redaction:\n%q\n%q", name, got, want)
		}
	}
}

func FuzzParseBodyMatchesTheSeparatePasses(f *testing.F) {
	for _, s := range []string{
		"", "<", "<p class=x>Hi Maria,</p>", "<a href=\"mailto:a@b.co\" class=\"hidden\">x</a>", "4111 <b>1111</b> 1111 1111",
		"<img alt=\"Call 555-867-5309\" style=\"display:none\">", "<ol start=3 title=\"jane@x.org\"><li>a<li>b",
		"<div hidden data-phone=\"+1 415 555 0100\">x</div>", "<!-- unterminated", "<style>.h{display:none}</style><p class=h>536-22-1847",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkParseBody(t, "fuzz", "text/html", s)
	})
}

package emailanalytics_test

import (
	"sync"
	"testing"

	"github.com/connectlocal/connectlocal/internal/emailanalytics"
	"github.com/connectlocal/connectlocal/internal/emailanalytics/piieval"
)

// benchDoc builds the ~1 MB HTML email once per test binary.
var benchDoc = sync.OnceValues(func() (string, error) {
	emails, err := piieval.LoadCorpus("testdata/corpus")
	if err != nil {
		return "", err
	}
	return piieval.BenchDocument(emails, 1<<20), nil
})

// BenchmarkAnalyze1MBHTML times the whole analysis of a large HTML email:
// PlainText, Detect, RedactHTML and RedactText.
func BenchmarkAnalyze1MBHTML(b *testing.B) {
	doc, err := benchDoc()
	if err != nil {
		b.Fatal(err)
	}
	r := emailanalytics.Redactor{Mode: emailanalytics.MaskEntityType}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		text := emailanalytics.PlainText("text/html", doc)
		emailanalytics.Detect(text)
		r.RedactHTML(doc)
		r.RedactText(text)
	}
}

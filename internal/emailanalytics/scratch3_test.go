package emailanalytics_test

import (
	"testing"

	"github.com/connectlocal/connectlocal/internal/emailanalytics"
)

func BenchmarkScratchDetect(b *testing.B) {
	doc, _ := benchDoc()
	text := emailanalytics.PlainText("text/html", doc)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		emailanalytics.Detect(text)
	}
}
func BenchmarkScratchPlain(b *testing.B) {
	doc, _ := benchDoc()
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		emailanalytics.PlainText("text/html", doc)
	}
}

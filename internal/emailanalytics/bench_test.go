package emailanalytics_test

import (
	"sync"
	"syscall"
	"testing"
	"time"

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

// BenchmarkAnalyze1MBHTML times the analysis of a large HTML email's body as the service
// runs it: ParseBody, PlainText and Redact.
func BenchmarkAnalyze1MBHTML(b *testing.B) {
	benchAnalysis(b, func(r emailanalytics.Redactor, doc string) {
		body := emailanalytics.ParseBody("text/html", doc)
		r.Redact(body, body.PlainText())
	})
}

// BenchmarkAnalyze1MBHTMLSeparatePasses is the same analysis with PlainText and
// RedactHTML each tokenizing the document, as before ParseBody.
func BenchmarkAnalyze1MBHTMLSeparatePasses(b *testing.B) {
	benchAnalysis(b, func(r emailanalytics.Redactor, doc string) {
		r.RedactText(emailanalytics.PlainText("text/html", doc))
		r.RedactHTML(doc)
	})
}

func benchAnalysis(b *testing.B, analyse func(emailanalytics.Redactor, string)) {
	doc, err := benchDoc()
	if err != nil {
		b.Fatal(err)
	}
	r := emailanalytics.Redactor{Mode: emailanalytics.MaskEntityType}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		analyse(r, doc)
	}
}

// reportCPU reports the process CPU time per operation when the returned
// function runs: on a shared machine it is steadier than wall time.
func reportCPU(b *testing.B) func() {
	cpu0 := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op") }
}

// cpuTime returns the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkDetect(b *testing.B) {
	doc, err := benchDoc()
	if err != nil {
		b.Fatal(err)
	}
	text := emailanalytics.PlainText("text/html", doc)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		emailanalytics.Detect(text)
	}
}

func BenchmarkRedactHTML(b *testing.B) {
	doc, err := benchDoc()
	if err != nil {
		b.Fatal(err)
	}
	r := emailanalytics.Redactor{}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		r.RedactHTML(doc)
	}
}

func BenchmarkPlainText(b *testing.B) {
	doc, err := benchDoc()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		emailanalytics.PlainText("text/html", doc)
	}
}

package piieval

import (
	"slices"
	"strings"
	"time"

	"github.com/connectlocal/connectlocal/internal/emailanalytics"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// BenchDocument builds an HTML email of at least size bytes by repeating
// the bodies of the corpus's HTML emails inside one document.
func BenchDocument(emails []Email, size int) string {
	var parts []string
	for _, m := range emails {
		if m.ContentType == "text/html" {
			parts = append(parts, bodyContent(m.Body))
		}
	}
	var sb strings.Builder
	sb.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Thread</title></head><body>\n")
	for i := 0; sb.Len() < size && len(parts) > 0; i++ {
		sb.WriteString("<div class=\"message\">\n")
		sb.WriteString(parts[i%len(parts)])
		sb.WriteString("\n</div>\n")
	}
	sb.WriteString("</body></html>\n")
	return sb.String()
}

// Stages are the durations of one analysis of a document. CPU is the
// process CPU time of the whole run (all cores, garbage collection
// included), zero where it is not measured.
type Stages struct {
	Parse, PlainText, Redact, Total, CPU time.Duration
}

// Timing summarises several runs.
type Timing struct {
	Bytes    int
	Runs     int
	Min, Med Stages
}

// Time analyses doc runs times, doing to the body what the service's analysis of an
// HTML email does (internal/connect, analyze): ParseBody (the one tokenizer pass),
// PlainText, and Redact (the redacted plain text file, the entity counts, and the
// redacted message document's body). It keeps the minimum and median of each stage.
func Time(doc string, runs int) Timing {
	r := emailanalytics.Redactor{Mode: emailanalytics.MaskEntityType}
	all := make([]Stages, 0, runs)
	for i := 0; i < runs; i++ {
		var s Stages
		c0 := cpuTime()
		t0 := time.Now()
		body := emailanalytics.ParseBody("text/html; charset=utf-8", doc)
		t1 := time.Now()
		text := body.PlainText()
		t2 := time.Now()
		r.Redact(body, text)
		t3 := time.Now()
		s.CPU = cpuTime() - c0
		s.Parse, s.PlainText, s.Redact, s.Total = t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t3.Sub(t0)
		all = append(all, s)
	}
	pick := func(f func(Stages) time.Duration) (time.Duration, time.Duration) {
		ds := make([]time.Duration, len(all))
		for i, s := range all {
			ds[i] = f(s)
		}
		slices.Sort(ds)
		return ds[0], ds[len(ds)/2]
	}
	t := Timing{Bytes: len(doc), Runs: runs}
	t.Min.Parse, t.Med.Parse = pick(func(s Stages) time.Duration { return s.Parse })
	t.Min.PlainText, t.Med.PlainText = pick(func(s Stages) time.Duration { return s.PlainText })
	t.Min.Redact, t.Med.Redact = pick(func(s Stages) time.Duration { return s.Redact })
	t.Min.Total, t.Med.Total = pick(func(s Stages) time.Duration { return s.Total })
	t.Min.CPU, t.Med.CPU = pick(func(s Stages) time.Duration { return s.CPU })
	return t
}

// bodyContent returns the markup of a document without its html, head and
// body tags and without the head's content, so that bodies can be nested.
func bodyContent(doc string) string {
	var sb strings.Builder
	z := html.NewTokenizer(strings.NewReader(doc))
	inHead := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return sb.String()
		}
		raw := z.Raw()
		switch tt {
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Head:
				inHead = tt == html.StartTagToken
				continue
			case atom.Html, atom.Body:
				inHead = false
				continue
			}
		case html.DoctypeToken:
			continue
		}
		if !inHead {
			sb.Write(raw)
		}
	}
}

package piieval

import (
	"sort"

	"github.com/connectlocal/connectlocal/internal/emailanalytics"
)

// Counts are the tallies for one entity type or for all.
type Counts struct {
	Expected int // labelled entities
	Recalled int // labelled entities overlapped by a detection of the same type
	Exact    int // labelled entities detected with exactly the same span
	Detected int // detections
	TruePos  int // detections overlapping a labelled entity of the same type
	FalsePos int // Detected - TruePos
	FalseNeg int // Expected - Recalled
}

// Precision is TruePos/Detected (1 when nothing was detected).
func (c Counts) Precision() float64 { return ratio(c.TruePos, c.Detected) }

// Recall is Recalled/Expected (1 when nothing was expected).
func (c Counts) Recall() float64 { return ratio(c.Recalled, c.Expected) }

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Finding is one miss or false positive, for the report.
type Finding struct {
	Email string
	Span
}

// Result is the evaluation of the corpus.
type Result struct {
	Emails  int
	ByType  map[string]*Counts
	Overall Counts
	Misses  []Finding // labelled entities not recalled
	Extra   []Finding // detections that match no label
}

// Evaluate runs PlainText and Detect over every email and scores them.
func Evaluate(emails []Email) (Result, error) {
	res := Result{Emails: len(emails), ByType: map[string]*Counts{}}
	for _, t := range emailanalytics.EntityTypes() {
		res.ByType[t] = &Counts{}
	}
	for _, m := range emails {
		text := emailanalytics.PlainText(m.ContentType, m.Body)
		want, err := ExpectedSpans(text, m.Labels)
		if err != nil {
			return res, errorf(m.Name, err)
		}
		var got []Span
		for _, e := range emailanalytics.Detect(text) {
			got = append(got, Span{Type: e.Type, Start: e.Start, End: e.End, Text: e.Text})
		}
		res.score(m.Name, want, got)
	}
	for _, c := range res.ByType {
		c.FalsePos = c.Detected - c.TruePos
		c.FalseNeg = c.Expected - c.Recalled
		res.Overall.Expected += c.Expected
		res.Overall.Recalled += c.Recalled
		res.Overall.Exact += c.Exact
		res.Overall.Detected += c.Detected
		res.Overall.TruePos += c.TruePos
	}
	res.Overall.FalsePos = res.Overall.Detected - res.Overall.TruePos
	res.Overall.FalseNeg = res.Overall.Expected - res.Overall.Recalled
	return res, nil
}

// score applies the matching rule to one email.
func (res *Result) score(name string, want, got []Span) {
	counts := func(t string) *Counts {
		c, ok := res.ByType[t]
		if !ok {
			c = &Counts{}
			res.ByType[t] = c
		}
		return c
	}
	for _, w := range want {
		c := counts(w.Type)
		c.Expected++
		hit, exact := false, false
		for _, g := range got {
			if g.Type == w.Type && overlaps(g, w) {
				hit = true
				exact = exact || (g.Start == w.Start && g.End == w.End)
			}
		}
		if hit {
			c.Recalled++
		} else {
			res.Misses = append(res.Misses, Finding{Email: name, Span: w})
		}
		if exact {
			c.Exact++
		}
	}
	for _, g := range got {
		c := counts(g.Type)
		c.Detected++
		hit := false
		for _, w := range want {
			if g.Type == w.Type && overlaps(g, w) {
				hit = true
				break
			}
		}
		if hit {
			c.TruePos++
		} else {
			res.Extra = append(res.Extra, Finding{Email: name, Span: g})
		}
	}
}

func overlaps(a, b Span) bool { return a.Start < b.End && b.Start < a.End }

// Types returns the entity types in the result, in a stable order.
func (res Result) Types() []string {
	var ts []string
	for t := range res.ByType {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	return ts
}

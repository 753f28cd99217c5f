package piieval

import (
	"slices"
	"testing"
)

func TestExpectedSpans(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		labels []Label
		want   []string
	}{
		{"every occurrence", "Jane Doe wrote. Thanks, Jane Doe", []Label{{"NAME", "Jane Doe"}}, []string{"Jane Doe", "Jane Doe"}},
		{"word bounded", "Janet and Jane", []Label{{"NAME", "Jane"}}, []string{"Jane"}},
		{"contained occurrence dropped", "Hi Jane,\nJane Doe", []Label{{"NAME", "Jane"}, {"NAME", "Jane Doe"}}, []string{"Jane", "Jane Doe"}},
		{"whitespace and quote markers", "> 500 Oak Avenue\n> Portland, OR 97205", []Label{{"ADDRESS", "500 Oak Avenue\nPortland, OR 97205"}},
			[]string{"500 Oak Avenue\n> Portland, OR 97205"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans, err := ExpectedSpans(tt.text, tt.labels)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range spans {
				got = append(got, s.Text)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := ExpectedSpans("nothing here", []Label{{"NAME", "Jane"}}); err == nil {
		t.Error("a missing label must be an error")
	}
}

func TestScore(t *testing.T) {
	want := []Span{{Type: "NAME", Start: 0, End: 8}, {Type: "PHONE", Start: 20, End: 32}}
	got := []Span{
		{Type: "NAME", Start: 0, End: 4},    // overlaps: true positive, not exact
		{Type: "PHONE", Start: 40, End: 52}, // no label: false positive
	}
	res := Result{ByType: map[string]*Counts{}}
	res.score("e", want, got)
	name, phone := res.ByType["NAME"], res.ByType["PHONE"]
	if name.Recalled != 1 || name.TruePos != 1 || name.Exact != 0 {
		t.Errorf("NAME counts %+v", *name)
	}
	if phone.Recalled != 0 || phone.TruePos != 0 || phone.Detected != 1 || phone.Expected != 1 {
		t.Errorf("PHONE counts %+v", *phone)
	}
	if len(res.Misses) != 1 || len(res.Extra) != 1 {
		t.Errorf("misses %v extra %v", res.Misses, res.Extra)
	}
}

package main

import (
	"strings"
	"testing"
)

// TestRun runs the bench on the corpus with a small document, so it stays
// quick; the full-size figures come from running the command. Speed is a figure the
// command prints, not something a test on a shared machine can assert.
func TestRun(t *testing.T) {
	var out strings.Builder
	err := run([]string{
		"-corpus", "../../internal/emailanalytics/testdata/corpus",
		"-holdout", "../../internal/emailanalytics/testdata/holdout",
		"-size", "65536", "-runs", "1", "-speed-target", "0",
	}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"OVERALL", "held out", "ParseBody", "Redact (plain text and HTML)", "all targets met"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

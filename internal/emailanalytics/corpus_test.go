package emailanalytics_test

import (
	"strings"
	"testing"

	"github.com/connectlocal/connectlocal/internal/emailanalytics/piieval"
)

// TestCorpusMeetsTargets scores the detector on the labelled corpus with the
// same code as connectlocal-pii-bench and fails below the targets: recall
// 0.99 for EMAIL, PHONE, SSN, CREDIT_DEBIT_NUMBER and BANK_ROUTING, 0.90 for
// NAME and ADDRESS, and precision 0.95 over all types.
func TestCorpusMeetsTargets(t *testing.T) {
	emails, err := piieval.LoadCorpus("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	if len(emails) < 60 {
		t.Errorf("corpus has %d emails, want at least 60", len(emails))
	}
	res, err := piieval.Evaluate(emails)
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	res.WriteTable(&table)
	t.Logf("\n%s", table.String())
	if failures := res.Failures(); len(failures) > 0 {
		var findings strings.Builder
		res.WriteFindings(&findings)
		t.Errorf("targets missed: %s\n%s", strings.Join(failures, "; "), findings.String())
	}
}

// TestHoldoutLabelsMatch checks that every held-out label occurs in its
// email; the held-out scores themselves are reported by the bench command,
// not enforced, because the detector is never tuned on them.
func TestHoldoutLabelsMatch(t *testing.T) {
	emails, err := piieval.LoadCorpus("testdata/holdout")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := piieval.Evaluate(emails); err != nil {
		t.Error(err)
	}
}

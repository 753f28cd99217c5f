package piieval

import (
	"fmt"

	"github.com/connectlocal/connectlocal/internal/emailanalytics"
)

// The quality targets the detector is held to on the corpus.
const (
	MinStructuredRecall = 0.99 // EMAIL, PHONE, SSN, CREDIT_DEBIT_NUMBER, BANK_ROUTING
	MinFuzzyRecall      = 0.90 // NAME, ADDRESS
	MinPrecision        = 0.95 // all types together
)

// Failures lists the targets the result misses; empty means all are met.
func (res Result) Failures() []string {
	var out []string
	check := func(typ string, min float64) {
		c := res.ByType[typ]
		if c != nil && c.Recall() < min {
			out = append(out, fmt.Sprintf("%s recall %.3f < %.2f", typ, c.Recall(), min))
		}
	}
	for _, t := range []string{emailanalytics.TypeEmail, emailanalytics.TypePhone, emailanalytics.TypeSSN,
		emailanalytics.TypeCreditDebitNumber, emailanalytics.TypeBankRouting} {
		check(t, MinStructuredRecall)
	}
	check(emailanalytics.TypeName, MinFuzzyRecall)
	check(emailanalytics.TypeAddress, MinFuzzyRecall)
	if p := res.Overall.Precision(); p < MinPrecision {
		out = append(out, fmt.Sprintf("overall precision %.3f < %.2f", p, MinPrecision))
	}
	return out
}

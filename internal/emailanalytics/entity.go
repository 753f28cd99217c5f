package emailanalytics

import (
	"cmp"
	"slices"
)

// Entity is one piece of personal data found in a text.
type Entity struct {
	Type       string // one of the Type* constants
	Start, End int    // byte offsets into the text
	Text       string // the text between Start and End
}

// The entity types, named as Amazon Transcribe and Comprehend name them,
// which is the set Contact Lens redaction configurations list.
const (
	TypeName              = "NAME"
	TypeEmail             = "EMAIL"
	TypePhone             = "PHONE"
	TypeAddress           = "ADDRESS"
	TypeSSN               = "SSN"
	TypeCreditDebitNumber = "CREDIT_DEBIT_NUMBER"
	TypeCreditDebitCVV    = "CREDIT_DEBIT_CVV"
	TypeCreditDebitExpiry = "CREDIT_DEBIT_EXPIRY"
	TypeBankAccountNumber = "BANK_ACCOUNT_NUMBER"
	TypeBankRouting       = "BANK_ROUTING"
	TypePIN               = "PIN"
)

// EntityTypes returns every entity type Detect can report.
func EntityTypes() []string {
	return []string{TypeName, TypeEmail, TypePhone, TypeAddress, TypeSSN,
		TypeCreditDebitNumber, TypeCreditDebitCVV, TypeCreditDebitExpiry,
		TypeBankAccountNumber, TypeBankRouting, TypePIN}
}

// priority orders entity types when candidates overlap: checksum-validated
// numbers are the most certain, names the least.
func priority(typ string) int {
	switch typ {
	case TypeCreditDebitNumber:
		return 100
	case TypeSSN:
		return 95
	case TypeBankRouting:
		return 92
	case TypeEmail:
		return 90
	case TypeBankAccountNumber:
		return 85
	case TypePhone:
		return 80
	case TypeCreditDebitCVV, TypeCreditDebitExpiry, TypePIN:
		return 70
	case TypeAddress:
		return 60
	}
	return 50
}

// resolve keeps a non-overlapping subset of the candidates: within each
// cluster of overlapping candidates the most specific type wins, then the
// longest span. The result is sorted by Start.
func resolve(text string, cands []Entity) []Entity {
	slices.SortFunc(cands, func(a, b Entity) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End))
	})
	out := make([]Entity, 0, len(cands))
	for i := 0; i < len(cands); {
		j, end := i+1, cands[i].End
		for j < len(cands) && cands[j].Start < end {
			end = max(end, cands[j].End)
			j++
		}
		if j == i+1 {
			out = append(out, cands[i])
		} else {
			out = append(out, pickNonOverlapping(cands[i:j])...)
		}
		i = j
	}
	slices.SortFunc(out, func(a, b Entity) int { return cmp.Compare(a.Start, b.Start) })
	for i := range out {
		out[i].Text = text[out[i].Start:out[i].End]
	}
	return out
}

// pickNonOverlapping chooses greedily from one small cluster.
func pickNonOverlapping(cluster []Entity) []Entity {
	c := slices.Clone(cluster)
	slices.SortStableFunc(c, func(a, b Entity) int {
		return cmp.Or(cmp.Compare(priority(b.Type), priority(a.Type)),
			cmp.Compare(b.End-b.Start, a.End-a.Start))
	})
	var kept []Entity
	for _, e := range c {
		ok := true
		for _, k := range kept {
			if e.Start < k.End && k.Start < e.End {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, e)
		}
	}
	return kept
}

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

// kind is an entity type as a small number, so that candidates are small,
// pointer-free values that sort fast.
type kind uint8

const (
	kName kind = iota
	kEmail
	kPhone
	kAddress
	kSSN
	kCard
	kCVV
	kExpiry
	kAccount
	kRouting
	kPIN
)

// String returns the entity type name.
func (k kind) String() string {
	switch k {
	case kEmail:
		return TypeEmail
	case kPhone:
		return TypePhone
	case kAddress:
		return TypeAddress
	case kSSN:
		return TypeSSN
	case kCard:
		return TypeCreditDebitNumber
	case kCVV:
		return TypeCreditDebitCVV
	case kExpiry:
		return TypeCreditDebitExpiry
	case kAccount:
		return TypeBankAccountNumber
	case kRouting:
		return TypeBankRouting
	case kPIN:
		return TypePIN
	}
	return TypeName
}

// kindOf returns the kind of an entity type name.
func kindOf(typ string) kind {
	for k := kName; k <= kPIN; k++ {
		if k.String() == typ {
			return k
		}
	}
	return kName
}

// priority orders kinds when candidates overlap: checksum-validated numbers
// are the most certain, names the least.
func (k kind) priority() int {
	switch k {
	case kCard:
		return 100
	case kSSN:
		return 95
	case kRouting:
		return 92
	case kEmail:
		return 90
	case kAccount:
		return 85
	case kPhone:
		return 80
	case kCVV, kExpiry, kPIN:
		return 70
	case kAddress:
		return 60
	}
	return 50
}

// cand is a candidate entity found by one detector.
type cand struct {
	start, end int32
	kind       kind
}

// resolve keeps a non-overlapping subset of the candidates: within each
// cluster of overlapping candidates the most specific type wins, then the
// longest span. The result is sorted by Start.
func resolve(text string, cands []cand) []Entity {
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end))
	})
	out := make([]Entity, 0, len(cands))
	var scratch []cand
	emit := func(c cand) {
		out = append(out, Entity{Type: c.kind.String(), Start: int(c.start), End: int(c.end), Text: text[c.start:c.end]})
	}
	for i := 0; i < len(cands); {
		j, end := i+1, cands[i].end
		for j < len(cands) && cands[j].start < end {
			end = max(end, cands[j].end)
			j++
		}
		if j == i+1 {
			emit(cands[i])
		} else {
			scratch = pickNonOverlapping(cands[i:j], scratch[:0])
			for _, c := range scratch {
				emit(c)
			}
		}
		i = j
	}
	return out
}

// resolveEntities is resolve for entities gathered from several sources.
func resolveEntities(text string, ents []Entity) []Entity {
	cs := make([]cand, len(ents))
	for i, e := range ents {
		cs[i] = cand{start: int32(e.Start), end: int32(e.End), kind: kindOf(e.Type)}
	}
	return resolve(text, cs)
}

// pickNonOverlapping chooses greedily from one small cluster (which it
// reorders) and appends the chosen candidates, sorted by start, to kept.
func pickNonOverlapping(c []cand, kept []cand) []cand {
	slices.SortStableFunc(c, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.kind.priority(), a.kind.priority()),
			cmp.Compare(b.end-b.start, a.end-a.start))
	})
	for _, e := range c {
		ok := true
		for _, k := range kept {
			if e.start < k.end && k.start < e.end {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, e)
		}
	}
	slices.SortFunc(kept, func(a, b cand) int { return cmp.Compare(a.start, b.start) })
	return kept
}

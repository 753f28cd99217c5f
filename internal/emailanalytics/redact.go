package emailanalytics

import "strings"

// MaskMode says what replaces a redacted entity, as in Contact Lens
// redaction configurations.
type MaskMode string

const (
	// MaskPII replaces every entity with "[PII]". It is the default.
	MaskPII MaskMode = "PII"
	// MaskEntityType replaces an entity with its type, e.g. "[EMAIL]".
	MaskEntityType MaskMode = "EntityType"
)

// Redactor removes personal data from text and HTML.
type Redactor struct {
	Mode  MaskMode // zero value means MaskPII
	Types []string // entity types to redact; empty means all
}

// mask returns the replacement for an entity of type typ.
func (r Redactor) mask(typ string) string {
	if r.Mode != MaskEntityType {
		return "[PII]"
	}
	switch typ {
	case TypeName:
		return "[NAME]"
	case TypeEmail:
		return "[EMAIL]"
	case TypePhone:
		return "[PHONE]"
	case TypeAddress:
		return "[ADDRESS]"
	case TypeSSN:
		return "[SSN]"
	case TypeCreditDebitNumber:
		return "[CREDIT_DEBIT_NUMBER]"
	case TypeCreditDebitCVV:
		return "[CREDIT_DEBIT_CVV]"
	case TypeCreditDebitExpiry:
		return "[CREDIT_DEBIT_EXPIRY]"
	case TypeBankAccountNumber:
		return "[BANK_ACCOUNT_NUMBER]"
	case TypeBankRouting:
		return "[BANK_ROUTING]"
	case TypePIN:
		return "[PIN]"
	}
	return "[" + typ + "]"
}

// wants reports whether entities of type typ are to be redacted.
func (r Redactor) wants(typ string) bool {
	if len(r.Types) == 0 {
		return true
	}
	for _, t := range r.Types {
		if t == typ {
			return true
		}
	}
	return false
}

// filter keeps the entities of the wanted types.
func (r Redactor) filter(ents []Entity) []Entity {
	if len(r.Types) == 0 {
		return ents
	}
	out := ents[:0:0]
	for _, e := range ents {
		if r.wants(e.Type) {
			out = append(out, e)
		}
	}
	return out
}

// RedactText returns text with each detected entity of the wanted types
// replaced by its mask, and the entities it replaced (offsets into text).
// Other occurrences of a redacted PIN, CVV or expiry date are replaced too.
func (r Redactor) RedactText(text string) (string, []Entity) {
	ents := r.filter(withRepeats(text, Detect(text)))
	if len(ents) == 0 {
		return text, nil
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, e := range ents {
		b.WriteString(text[last:e.Start])
		b.WriteString(r.mask(e.Type))
		last = e.End
	}
	b.WriteString(text[last:])
	return b.String(), ents
}

package emailanalytics

import (
	"slices"
	"strings"
	"testing"
)

func TestRedactText(t *testing.T) {
	const text = "Hi Maria,\nmy card is 4111 1111 1111 1111 and my email jane@example.com.\nThanks,\nJohn Smith"
	tests := []struct {
		name  string
		r     Redactor
		want  string
		types []string
	}{
		{"PII mask", Redactor{Mode: MaskPII},
			"Hi [PII],\nmy card is [PII] and my email [PII].\nThanks,\n[PII]",
			[]string{TypeName, TypeCreditDebitNumber, TypeEmail, TypeName}},
		{"zero value is PII mask", Redactor{},
			"Hi [PII],\nmy card is [PII] and my email [PII].\nThanks,\n[PII]",
			[]string{TypeName, TypeCreditDebitNumber, TypeEmail, TypeName}},
		{"EntityType mask", Redactor{Mode: MaskEntityType},
			"Hi [NAME],\nmy card is [CREDIT_DEBIT_NUMBER] and my email [EMAIL].\nThanks,\n[NAME]",
			[]string{TypeName, TypeCreditDebitNumber, TypeEmail, TypeName}},
		{"only some types", Redactor{Mode: MaskEntityType, Types: []string{TypeEmail, TypeCreditDebitNumber}},
			"Hi Maria,\nmy card is [CREDIT_DEBIT_NUMBER] and my email [EMAIL].\nThanks,\nJohn Smith",
			[]string{TypeCreditDebitNumber, TypeEmail}},
		{"type not present", Redactor{Types: []string{TypeSSN}}, text, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ents := tt.r.RedactText(text)
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			var types []string
			for _, e := range ents {
				types = append(types, e.Type)
				if text[e.Start:e.End] != e.Text {
					t.Errorf("entity %v does not point into the input", e)
				}
			}
			if !slices.Equal(types, tt.types) {
				t.Errorf("entity types %v, want %v", types, tt.types)
			}
		})
	}
}

func TestRedactTextNothingFound(t *testing.T) {
	const text = "Your order #123456789 shipped on 2026-04-10."
	got, ents := Redactor{}.RedactText(text)
	if got != text || len(ents) != 0 {
		t.Errorf("got %q, %v", got, ents)
	}
}

func TestRedactRepeatedShortValues(t *testing.T) {
	const text = "Your PIN is 4821. Please do not share 4821 with anyone; 48213 is fine."
	got, _ := Redactor{Mode: MaskEntityType}.RedactText(text)
	want := "Your PIN is [PIN]. Please do not share [PIN] with anyone; 48213 is fine."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	gotHTML, _ := Redactor{}.RedactHTML(`<p>CVV: 737</p><p>again <b>737</b></p>`)
	if strings.Contains(gotHTML, "737") {
		t.Errorf("CVV survived: %q", gotHTML)
	}
}

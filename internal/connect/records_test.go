package connect

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// decodeRecord is not encoding/json (see its comment), so it must read every stored
// contact exactly as encoding/json would: a task with references and attributes, and
// an analysed email (its message, headers, times, analysis file, chain).
func TestRecordsDecodeAsEncodingJSONDoes(t *testing.T) {
	for i, data := range storedContacts(t) {
		var want, got contactRecord
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		if err := decodeRecord(data, &got); err != nil {
			t.Fatalf("contact %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("contact %d decodes as\n%+v\nwant (encoding/json)\n%+v", i, got, want)
		}
	}
}

// storedContacts returns, as the store holds them, a task contact with references and
// attributes and an email contact after its analysis.
func storedContacts(tb testing.TB) [][]byte {
	html, err := os.ReadFile("../../cmd/connectlocal-bench/email.html") // the bench's email
	if err != nil {
		tb.Fatal(err)
	}
	s, d, ctx := inMemoryService(tb)
	task, err := s.StartTaskContact(ctx, &api.StartTaskContactRequest{
		ClientToken: "task", InstanceId: d.InstanceID, ContactFlowId: d.ContactFlowID,
		Name: "Callback request", Description: "The customer asked for a call back about order 4471.",
		References: map[string]api.Reference{
			"ticket": {Type: "URL", Value: "https://tickets.example.com/T-1"},
			"note":   {Type: "STRING", Value: "Prefers mornings"},
		},
		Attributes: map[string]string{"customerId": "C-1", "priority": "high"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	email, err := s.StartEmailContact(ctx, &api.StartEmailContactRequest{
		ClientToken: "email", InstanceId: d.InstanceID, DestinationEmailAddress: d.EmailAddress,
		FromEmailAddress: &api.EmailAddressInfo{EmailAddress: "maria.garcia@example.com", DisplayName: "Maria Garcia"},
		EmailMessage: &api.InboundEmailContent{MessageSourceType: "RAW", RawMessage: &api.InboundRawMessage{
			Subject: "Order #4471-2209 has not arrived", Body: string(html), ContentType: "text/html",
			Headers: map[string]string{"MESSAGE_ID": "<1@mail.example.com>"},
		}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	if analysed, err := s.ProcessEmailAnalytics(ctx); err != nil || analysed != 1 {
		tb.Fatalf("analysed %d emails: %v", analysed, err)
	}
	var records [][]byte
	err = s.store.View(ctx, func(tx store.Tx) error {
		for _, id := range []string{task.ContactId, email.ContactId} {
			rec, err := tx.Get(ctx, contactKey(DefaultAccount, d.InstanceID, id))
			if err != nil {
				return err
			}
			records = append(records, rec.Data)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return records
}

package connect

import (
	"errors"
	"strings"
	"testing"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// bodyOf returns what the store keeps of an email contact's body: its email-body record
// (nil if none) and the body emailBody reads.
func bodyOf(t *testing.T, s *Service, d Defaults, contactID string) (record []byte, body string) {
	t.Helper()
	err := s.store.View(bg, func(tx store.Tx) error {
		rec, err := tx.Get(bg, store.Key{Account: DefaultAccount, Kind: kindEmailBody, Instance: d.InstanceID, ID: contactID})
		if err == nil {
			record = rec.Data
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		var c contactRecord
		if err := load(bg, tx, contactKey(DefaultAccount, d.InstanceID, contactID), &c, "Contact"); err != nil {
			return err
		}
		body, err = s.emailBody(bg, tx, DefaultAccount, d.InstanceID, &c)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return record, body
}

// redactedPlainText returns the contact's EMAIL_MESSAGE_PLAIN_TEXT_REDACTED file.
func redactedPlainText(t *testing.T, s *Service, d Defaults, contactID string) string {
	t.Helper()
	refs, err := s.ListContactReferences(bg, &api.ListContactReferencesRequest{
		InstanceId: d.InstanceID, ContactId: contactID, ReferenceTypes: []string{"EMAIL_MESSAGE_PLAIN_TEXT_REDACTED"},
	})
	if err != nil || len(refs.ReferenceSummaryList) != 1 {
		t.Fatalf("the contact's redacted plain text: %+v, %v", refs, err)
	}
	key := fileBlobKey(t, s, d.InstanceID, idFromARN(refs.ReferenceSummaryList[0].EmailMessagePlainTextRedacted.Arn))
	return string(readBlob(t, s.blobs, key))
}

// An email's body is stored once. When the database holds the EMAIL_MESSAGE file (a small
// email, as the server keeps files; see newTxBlobsService), the file is where the body
// is, and the analysis reads it there in its own transaction; a second copy in an
// email-body record was a fifth of the bytes every email wrote. A larger email's file is kept outside the database, where
// a transaction cannot read it, so its body has a record as before.
func TestAnEmailsBodyIsStoredOnceInItsMessageFile(t *testing.T) {
	s, _, d := newTxBlobsService(t)
	const small = "Please call me back on 415-555-0100 about my order."
	large := strings.Repeat("The parcel has not arrived. ", txBlobsLimit/28) + "Call me on 415-555-0100."
	for _, tc := range []struct {
		name, body string
		record     bool
		redacted   string // in the redacted plain text
	}{{"small", small, false, "about my order"}, {"large", large, true, "Call me on [PHONE]"}} {
		id := startPlainEmail(t, s, d, "Order", tc.body)
		record, body := bodyOf(t, s, d, id)
		if (record != nil) != tc.record || body != tc.body {
			t.Errorf("%s email: an email-body record %v (want %v), the body read %.40q…", tc.name, record != nil, tc.record, body)
		}
		if n, err := s.ProcessEmailAnalytics(bg); err != nil || n != 1 {
			t.Fatalf("%s email: analysed %d (%v)", tc.name, n, err)
		}
		if text := redactedPlainText(t, s, d, id); !strings.Contains(text, tc.redacted) || strings.Contains(text, "415-555") {
			t.Errorf("%s email: the redacted plain text is not the body's: %.80q", tc.name, text)
		}
	}
}

// Under Policy RedactedOnly the analysis removes the EMAIL_MESSAGE file, and the body an
// email keeps, which the thread summaries of later emails read, is the redacted one.
func TestARedactedOnlyEmailKeepsTheRedactedBody(t *testing.T) {
	s, _, d := newTxBlobsService(t)
	settings := defaultAnalyticsSettings()
	settings.Policy = "RedactedOnly"
	if err := s.SetEmailAnalyticsSettings(bg, DefaultAccount, d.InstanceID, settings); err != nil {
		t.Fatal(err)
	}
	id := startPlainEmail(t, s, d, "Order", "Please call me back on 415-555-0100 about my order.")
	if n, err := s.ProcessEmailAnalytics(bg); err != nil || n != 1 {
		t.Fatalf("analysed %d (%v)", n, err)
	}
	record, body := bodyOf(t, s, d, id)
	if strings.Contains(body, "415-555") || !strings.Contains(body, "about my order") || string(record) != body {
		t.Errorf("the body kept: %q, its record %q", body, record)
	}
	refs, err := s.ListContactReferences(bg, &api.ListContactReferencesRequest{InstanceId: d.InstanceID, ContactId: id, ReferenceTypes: []string{"EMAIL_MESSAGE"}})
	if err != nil || len(refs.ReferenceSummaryList) != 0 {
		t.Errorf("the EMAIL_MESSAGE references after the analysis: %+v, %v", refs, err)
	}
}

// The analysis reads an email where StartEmailContact stored it, as Contact Lens reads
// the file Connect stored. An email whose EMAIL_MESSAGE file was deleted before its
// analysis (DeleteAttachedFile takes system files too) is analysed as an empty email,
// and the job goes on to the next.
func TestAnEmailWhoseMessageFileWasDeletedIsAnalysedEmpty(t *testing.T) {
	s, _, d := newTxBlobsService(t)
	first := startPlainEmail(t, s, d, "First", "Call me on 415-555-0100.")
	refs, err := s.ListContactReferences(bg, &api.ListContactReferencesRequest{InstanceId: d.InstanceID, ContactId: first, ReferenceTypes: []string{"EMAIL_MESSAGE"}})
	if err != nil || len(refs.ReferenceSummaryList) != 1 {
		t.Fatalf("the EMAIL_MESSAGE reference: %+v, %v", refs, err)
	}
	contact, err := s.DescribeContact(bg, &api.DescribeContactRequest{InstanceId: d.InstanceID, ContactId: first})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.DeleteAttachedFile(bg, &api.DeleteAttachedFileRequest{
		InstanceId: d.InstanceID, FileId: idFromARN(refs.ReferenceSummaryList[0].EmailMessage.Arn), AssociatedResourceArn: contact.Contact.Arn,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, body := bodyOf(t, s, d, first); body != "" {
		t.Errorf("the body read after the file's deletion: %q", body)
	}
	second := startPlainEmail(t, s, d, "Second", "second body")
	if n, err := s.ProcessEmailAnalytics(bg); err != nil || n != 2 {
		t.Errorf("analysed %d emails (%v), want both", n, err)
	}
	if text := redactedPlainText(t, s, d, second); text != "second body" {
		t.Errorf("the second email's redacted plain text: %q", text)
	}
}

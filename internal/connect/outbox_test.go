package connect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
	"github.com/connectlocal/connectlocal/internal/store/sqlite"
)

// The service's outbox and timers are checked here, against the real SQLite store,
// because no API exposes them directly.

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newTestService(t *testing.T) (*Service, *clock, store.Store, Defaults) {
	t.Helper()
	clk := &clock{now: time.Date(2026, 4, 10, 9, 0, 0, 0, time.UTC)}
	st, err := sqlite.Open(sqlite.MemoryPath, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := New(Config{Store: st, Now: clk.Now})
	d, err := s.Bootstrap(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s, clk, st, d
}

func eventsOf(t *testing.T, st store.Store, subject string) []string {
	t.Helper()
	var types []string
	err := st.View(context.Background(), func(tx store.Tx) error {
		events, err := tx.Events(context.Background(), 0, 0)
		for _, e := range events {
			if e.Subject == subject {
				types = append(types, e.Type)
				var c contactEvent
				if err := json.Unmarshal(e.Payload, &c); err != nil || c.Channel == "" {
					t.Errorf("event %s payload %s is not a contact event: %v", e.Type, e.Payload, err)
				}
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return types
}

func TestContactChangesWriteOutboxEvents(t *testing.T) {
	s, _, st, d := newTestService(t)
	ctx := context.Background()
	out, err := s.StartTaskContact(ctx, &api.StartTaskContactRequest{InstanceId: d.InstanceID, ContactFlowId: d.ContactFlowID, Name: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateContact(ctx, &api.UpdateContactRequest{InstanceId: d.InstanceID, ContactId: out.ContactId, Name: "renamed"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StopContact(ctx, &api.StopContactRequest{InstanceId: d.InstanceID, ContactId: out.ContactId}); err != nil {
		t.Fatal(err)
	}
	got := eventsOf(t, st, out.ContactId)
	want := []string{EventContactCreated, EventContactUpdated, EventContactEnded}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("events = %v, want %v", got, want)
	}
	// A refused change writes nothing.
	if _, err := s.StopContact(ctx, &api.StopContactRequest{InstanceId: d.InstanceID, ContactId: out.ContactId}); err == nil {
		t.Fatal("second stop succeeded")
	}
	if n := len(eventsOf(t, st, out.ContactId)); n != 3 {
		t.Errorf("%d events after a refused stop, want 3", n)
	}
}

// A contact's events say which contact changed and how, not what it now holds: no job
// reads the contact from them, and a copy of it in every event was a third of what a
// task wrote. The analysis job still tells an email's events from the others by their
// payload alone, both the events written now and those of data dirs written when
// events carried the whole contact.
func TestContactEventsCarryNoCopyOfTheContact(t *testing.T) {
	s, _, st, d := newTestService(t)
	const description = "The customer asked for a call back about order 4471."
	task, err := s.StartTaskContact(bg, &api.StartTaskContactRequest{InstanceId: d.InstanceID, ContactFlowId: d.ContactFlowID,
		Name: "Callback", Description: description})
	if err != nil {
		t.Fatal(err)
	}
	email := startPlainEmail(t, s, d, "Order", "Where is my order?")
	err = st.View(bg, func(tx store.Tx) error {
		events, err := tx.Events(bg, 0, 0)
		for _, e := range events {
			switch e.Subject {
			case task.ContactId:
				if string(e.Payload) != `{"Channel":"TASK"}` || emailEvent(e) {
					t.Errorf("task's %s event: payload %s, an email's: %v", e.Type, e.Payload, emailEvent(e))
				}
			case email:
				if e.Type == EventContactCreated && (string(e.Payload) != `{"Channel":"EMAIL","EmailMessage":true}` || !emailEvent(e)) {
					t.Errorf("email's %s event: payload %s, an email's: %v", e.Type, e.Payload, emailEvent(e))
				}
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	before := []struct {
		payload string
		email   bool
	}{
		{`{"Arn":"arn:aws:connect:us-east-1:000000000000:instance/i/contact/c","Channel":"TASK","Description":"a \"EmailMessage\" in the text","Id":"c"}`, false},
		{`{"Arn":"arn:aws:connect:us-east-1:000000000000:instance/i/contact/c","Channel":"EMAIL","Id":"c","EmailMessage":{"Subject":"Order"}}`, true},
	}
	for _, b := range before {
		if got := emailEvent(store.Event{Type: EventContactCreated, Payload: []byte(b.payload)}); got != b.email {
			t.Errorf("emailEvent(%s) = %v, want %v", b.payload, got, b.email)
		}
	}
}

// An email contact's record and events (ContactCreated, ContactUpdated, ContactEnded)
// leave out the message's body, which the EMAIL_MESSAGE file holds (and, when the
// database does not hold that file, as here, an email-body record): a body can be
// megabytes, which every read and change of the contact would otherwise decode and
// write again, and the outbox keeps every event. The analysis job still knows the event
// for an email's, and reads the body from its record. (The rule event
// OnEmailAnalysisAvailable carries the text its rules match.)
func TestEmailContactRecordAndEventsLeaveOutTheBody(t *testing.T) {
	s, _, st, d := newTestService(t)
	const body = "Please call me back on 415-555-0100 about my order."
	contactID := startPlainEmail(t, s, d, "Order", body)
	if _, err := s.ProcessEmailAnalytics(bg); err != nil {
		t.Fatal(err)
	}
	var types []string
	err := st.View(bg, func(tx store.Tx) error {
		events, err := tx.Events(bg, 0, 0)
		for _, e := range events {
			if e.Subject != contactID {
				continue
			}
			types = append(types, e.Type)
			contactEvent := e.Type == EventContactCreated || e.Type == EventContactUpdated || e.Type == EventContactEnded
			if contactEvent && bytes.Contains(e.Payload, []byte("415-555")) {
				t.Errorf("%s event carries the body: %s", e.Type, e.Payload)
			}
			if e.Type == EventContactCreated && !emailEvent(e) {
				t.Errorf("the ContactCreated event is not known for an email's: %s", e.Payload)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(types, EventContactUpdated) { // the analysis recorded
		t.Errorf("events %v: the email was not analysed", types)
	}
	var c contactRecord
	var stored string
	err = st.View(bg, func(tx store.Tx) error {
		rec, err := tx.Get(bg, contactKey(DefaultAccount, d.InstanceID, contactID))
		if err != nil {
			return err
		}
		if bytes.Contains(rec.Data, []byte("415-555")) {
			t.Errorf("the contact's record carries the body: %s", rec.Data)
		}
		if err := json.Unmarshal(rec.Data, &c); err != nil {
			return err
		}
		stored, err = s.emailBody(bg, tx, DefaultAccount, d.InstanceID, &c)
		return err
	})
	if err != nil || c.EmailMessage == nil || c.EmailMessage.Subject != "Order" || stored != body {
		t.Errorf("the record's message: %+v, its body %q, %v", c.EmailMessage, stored, err)
	}
}

// startPlainEmail starts an inbound text/plain email from jane@example.com to the default
// instance's address and returns its contact's ID.
func startPlainEmail(t *testing.T, s *Service, d Defaults, subject, body string) string {
	t.Helper()
	out, err := s.StartEmailContact(bg, &api.StartEmailContactRequest{
		InstanceId: d.InstanceID, DestinationEmailAddress: "support@connectlocal.email.connect.aws",
		FromEmailAddress: &api.EmailAddressInfo{EmailAddress: "jane@example.com"},
		EmailMessage: &api.InboundEmailContent{MessageSourceType: "RAW", RawMessage: &api.InboundRawMessage{
			Subject: subject, ContentType: "text/plain", Body: body,
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.ContactId
}

// An email contact with no email-body record (one stored with an empty body gets none)
// is analysed as an empty email, and the job goes on to the next: failing on it would
// stop the job at that event for good.
func TestEmailWithoutABodyRecordIsAnalysedEmpty(t *testing.T) {
	s, _, st, d := newTestService(t)
	first := startPlainEmail(t, s, d, "First", "first body")
	err := st.Update(bg, func(tx store.Tx) error {
		return tx.Delete(bg, store.Key{Account: DefaultAccount, Kind: kindEmailBody, Instance: d.InstanceID, ID: first})
	})
	if err != nil {
		t.Fatal(err)
	}
	startPlainEmail(t, s, d, "Second", "second body")
	if n, err := s.ProcessEmailAnalytics(bg); err != nil || n != 2 {
		t.Errorf("analysed %d emails (%v), want both", n, err)
	}
}

// A contact stored before email bodies had records of their own holds its body in the
// contact record. The analysis still reads it there, and the next save of the contact
// moves it to an email-body record.
func TestEmailStoredWithItsBodyMovesItOnItsNextSave(t *testing.T) {
	s, _, st, d := newTestService(t)
	const body = "My card 4111 1111 1111 1111 was charged twice."
	contactID := startPlainEmail(t, s, d, "Refund", body)
	key := contactKey(DefaultAccount, d.InstanceID, contactID)
	bodyKey := store.Key{Account: DefaultAccount, Kind: kindEmailBody, Instance: d.InstanceID, ID: contactID}
	// Rewrite the contact as an older version stored it: the body inline, no body record.
	err := st.Update(bg, func(tx store.Tx) error {
		var c contactRecord
		if err := load(bg, tx, key, &c, "Contact"); err != nil {
			return err
		}
		c.EmailMessage.Body = body
		if err := save(bg, tx, key, "", &c); err != nil {
			return err
		}
		return tx.Delete(bg, bodyKey)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.ProcessEmailAnalytics(bg); err != nil || n != 1 {
		t.Fatalf("analysed %d emails (%v), want 1", n, err)
	}
	err = st.View(bg, func(tx store.Tx) error {
		var c contactRecord
		if err := load(bg, tx, key, &c, "Contact"); err != nil {
			return err
		}
		if c.EmailMessage.Body != "" {
			t.Errorf("the analysed contact's record still holds the body")
		}
		if c.AnalysisFileArn == "" {
			t.Errorf("the contact has no analysis file")
		}
		rec, err := tx.Get(bg, bodyKey)
		if err != nil || string(rec.Data) != body {
			t.Errorf("the email-body record: %q, %v", rec.Data, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The analysis redacted the body it found in the old record.
	var f fileRecord
	err = st.View(bg, func(tx store.Tx) error {
		var c contactRecord
		if err := load(bg, tx, key, &c, "Contact"); err != nil {
			return err
		}
		for _, r := range c.References {
			if r.Type == "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED" {
				return load(bg, tx, fileKey(DefaultAccount, d.InstanceID, idFromARN(r.Arn)), &f, "File")
			}
		}
		return errors.New("no EMAIL_MESSAGE_PLAIN_TEXT_REDACTED reference")
	})
	if err != nil {
		t.Fatal(err)
	}
	if redacted := readBlob(t, s.blobs, f.BlobKey); bytes.Contains(redacted, []byte("4111")) || !bytes.Contains(redacted, []byte("charged twice")) {
		t.Errorf("the redacted plain text: %q", redacted)
	}
}

func TestExpiredContactEndsThroughItsTimerOnce(t *testing.T) {
	s, clk, st, d := newTestService(t)
	ctx := context.Background()
	out, err := s.CreateContact(ctx, &api.CreateContactRequest{InstanceId: d.InstanceID, Channel: "TASK", InitiationMethod: "API", ExpiryDurationInMinutes: api.Int32(5)})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.FireTimers(ctx); err != nil || n != 0 {
		t.Fatalf("fired %d before expiry (%v)", n, err)
	}
	clk.Add(6 * time.Minute)
	if n, err := s.FireTimers(ctx); err != nil || n != 1 {
		t.Fatalf("fired %d at expiry (%v)", n, err)
	}
	if n, _ := s.FireTimers(ctx); n != 0 {
		t.Errorf("fired %d again", n)
	}
	got := eventsOf(t, st, out.ContactId)
	if len(got) != 2 || got[1] != EventContactEnded {
		t.Errorf("events = %v", got)
	}
	c, err := s.DescribeContact(ctx, &api.DescribeContactRequest{InstanceId: d.InstanceID, ContactId: out.ContactId})
	if err != nil {
		t.Fatal(err)
	}
	if c.Contact.DisconnectReason != "EXPIRED" || !c.Contact.DisconnectTimestamp.Equal(clk.Now().Add(-time.Minute)) {
		t.Errorf("ended contact: reason %s at %v", c.Contact.DisconnectReason, c.Contact.DisconnectTimestamp)
	}
}

func TestStoppedContactCancelsItsExpiry(t *testing.T) {
	s, clk, _, d := newTestService(t)
	ctx := context.Background()
	out, _ := s.StartTaskContact(ctx, &api.StartTaskContactRequest{InstanceId: d.InstanceID, ContactFlowId: d.ContactFlowID, Name: "t"})
	if _, err := s.StopContact(ctx, &api.StopContactRequest{InstanceId: d.InstanceID, ContactId: out.ContactId}); err != nil {
		t.Fatal(err)
	}
	clk.Add(8 * 24 * time.Hour)
	if n, _ := s.FireTimers(ctx); n != 0 {
		t.Errorf("a stopped contact's expiry fired (%d timers)", n)
	}
}

// The analysis prepared outside the job's transaction is used only for the contact and
// the settings it was prepared with; otherwise the transaction redacts afresh.
func TestPreparedRedactionIsUsedOnlyForItsContactAndSettings(t *testing.T) {
	c := &contactRecord{Contact: api.Contact{Id: "c1"}}
	settings := EmailAnalyticsSettings{Enabled: true, Policy: "RedactedAndOriginal", MaskMode: "PII", Entities: []string{"EMAIL"}}
	red := &redactedEmail{contactID: "c1", settings: settings}
	other := settings
	other.Entities = []string{"EMAIL", "PHONE"}
	for _, tc := range []struct {
		name     string
		red      *redactedEmail
		c        *contactRecord
		settings EmailAnalyticsSettings
		want     bool
	}{
		{"same", red, c, settings, true},
		{"nothing prepared", nil, c, settings, false},
		{"another contact", red, &contactRecord{Contact: api.Contact{Id: "c2"}}, settings, false},
		{"other entities", red, c, other, false},
	} {
		if got := tc.red.matches(tc.c, tc.settings); got != tc.want {
			t.Errorf("%s: matches = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// corruptRecord overwrites a stored record with bytes no version of connectlocal wrote,
// which every read of it fails to decode, as a record damaged on disk would.
func corruptRecord(t *testing.T, st store.Store, key store.Key) {
	t.Helper()
	err := st.Update(bg, func(tx store.Tx) error {
		rec, err := tx.Get(bg, key)
		if err != nil {
			return err
		}
		rec.Data = []byte(`{"Id": [not json`)
		return tx.Put(bg, rec)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An event a job fails on every time holds up the events after it only until the job
// has tried it eventAttempts times over at least eventRetryFor; then the job gives it up
// and goes on. Before, one email whose contact could not be read stopped the analysis of
// every email after it for good.
func TestAJobGivesUpAnEventThatAlwaysFails(t *testing.T) {
	s, clk, st, d := newTestService(t)
	bad := startPlainEmail(t, s, d, "Damaged", "its record is not JSON")
	good := startPlainEmail(t, s, d, "Fine", "please call me back")
	corruptRecord(t, st, contactKey(DefaultAccount, d.InstanceID, bad))
	analysed := func() bool {
		t.Helper()
		var c contactRecord
		if err := st.View(bg, func(tx store.Tx) error {
			return load(bg, tx, contactKey(DefaultAccount, d.InstanceID, good), &c, "Contact")
		}); err != nil {
			t.Fatal(err)
		}
		return c.AnalysisFileArn != ""
	}
	for i := 1; i <= eventAttempts; i++ {
		if n, err := s.ProcessEmailAnalytics(bg); err == nil || n != 0 {
			t.Fatalf("attempt %d: analysed %d, err %v; want the damaged email's error", i, n, err)
		}
	}
	if analysed() {
		t.Fatal("the email after the damaged one was analysed while the job still retried it")
	}
	clk.Add(eventRetryFor)
	if _, err := s.ProcessEmailAnalytics(bg); err == nil {
		t.Fatal("the damaged email did not fail once more")
	}
	if n, err := s.ProcessEmailAnalytics(bg); err != nil || n != 1 {
		t.Fatalf("after giving the damaged email up: analysed %d, err %v; want the next one", n, err)
	}
	if !analysed() {
		t.Error("the email after the damaged one has no analysis")
	}
}

// A failure that passes before eventRetryFor costs the event nothing, however often it
// was tried: here the damaged contact is mended after many attempts in a few seconds.
func TestAJobKeepsAnEventWhoseFailurePasses(t *testing.T) {
	s, clk, st, d := newTestService(t)
	id := startPlainEmail(t, s, d, "Mended", "its record comes back")
	key := contactKey(DefaultAccount, d.InstanceID, id)
	var saved store.Record
	if err := st.View(bg, func(tx store.Tx) (err error) { saved, err = tx.Get(bg, key); return err }); err != nil {
		t.Fatal(err)
	}
	corruptRecord(t, st, key)
	for range 3 * eventAttempts {
		clk.Add(time.Second)
		if _, err := s.ProcessEmailAnalytics(bg); err == nil {
			t.Fatal("the damaged email did not fail")
		}
	}
	if err := st.Update(bg, func(tx store.Tx) error { return tx.Put(bg, saved) }); err != nil {
		t.Fatal(err)
	}
	if n, err := s.ProcessEmailAnalytics(bg); err != nil || n != 1 {
		t.Fatalf("after the mend: analysed %d, err %v", n, err)
	}
}

// A panic in a job's handling of an event, in its transaction or in what it prepares
// outside one, is an error of that event: it does not take the server down, and so does
// not again at every start, when the job would come back to the same event.
func TestAJobsPanicIsAnErrorOfItsEvent(t *testing.T) {
	for _, where := range []string{"prepare", "handle"} {
		t.Run(where, func(t *testing.T) {
			s, clk, _, d := newTestService(t)
			first := startPlainEmail(t, s, d, "First", "one")
			second := startPlainEmail(t, s, d, "Second", "two")
			var handled []string
			prepare := func(_ context.Context, e store.Event) (any, error) {
				if where == "prepare" && e.Subject == first {
					panic("prepare: " + e.Subject)
				}
				return nil, nil
			}
			handle := func(_ context.Context, _ store.Tx, e store.Event, _ any) (bool, error) {
				if e.Type != EventContactCreated {
					return false, nil
				}
				if where == "handle" && e.Subject == first {
					panic("handle: " + e.Subject)
				}
				handled = append(handled, e.Subject)
				return true, nil
			}
			for range eventAttempts {
				n, err := s.consumePrepared(bg, "test", prepare, handle)
				if n != 0 || err == nil || !strings.Contains(err.Error(), "panic: "+where+": "+first) {
					t.Fatalf("handled %d, err %v; want the panic as an error", n, err)
				}
			}
			clk.Add(eventRetryFor)
			s.consumePrepared(bg, "test", prepare, handle)
			if n, err := s.consumePrepared(bg, "test", prepare, handle); err != nil || n != 1 || !slices.Equal(handled, []string{second}) {
				t.Errorf("handled %d (%v), err %v; want only the second email", n, handled, err)
			}
		})
	}
}

// A job prepares the next event it has work for while the transaction of the one before
// runs, and each transaction gets what was prepared for its own event: the analysis job
// redacts the next email while the store commits and syncs the last.
func TestAJobPreparesTheNextEventWhileItsTransactionRuns(t *testing.T) {
	s, _, _, d := newTestService(t)
	emails := []string{
		startPlainEmail(t, s, d, "First", "one"),
		startPlainEmail(t, s, d, "Second", "two"),
		startPlainEmail(t, s, d, "Third", "three"),
	}
	preparing := make(chan string, len(emails))
	prepare := func(_ context.Context, e store.Event) (any, error) {
		if e.Type != EventContactCreated {
			return nil, nil
		}
		preparing <- e.Subject
		return "prepared for " + e.Subject, nil
	}
	var handled []string
	handle := func(_ context.Context, _ store.Tx, e store.Event, prepared any) (bool, error) {
		if e.Type != EventContactCreated {
			return false, nil
		}
		if want := "prepared for " + e.Subject; prepared != want {
			t.Errorf("handle(%s) got %v, want %q", e.Subject, prepared, want)
		}
		if <-preparing != e.Subject {
			t.Errorf("handle(%s) came before its own preparation", e.Subject)
		}
		if i := slices.Index(emails, e.Subject); i+1 < len(emails) {
			select { // the next email's preparation starts while this transaction is open
			case next := <-preparing:
				if next != emails[i+1] {
					t.Errorf("prepared %s while handling %s, want %s", next, e.Subject, emails[i+1])
				}
				preparing <- next // for its own handle to find
			case <-time.After(5 * time.Second):
				t.Errorf("the next email was not prepared while %s's transaction ran", e.Subject)
			}
		}
		handled = append(handled, e.Subject)
		return true, nil
	}
	if n, err := s.consumePrepared(bg, "test", prepare, handle); err != nil || n != 3 || !slices.Equal(handled, emails) {
		t.Errorf("handled %d (%v), err %v; want the three emails in order", n, handled, err)
	}
}

// An event whose preparation fails while the transaction before it runs fails as it
// would have failed in its turn: the transaction before it commits, the failure counts
// once for its event, and the job gives that event up in time as any other.
func TestAJobsPreparationAheadFailsOnlyItsOwnEvent(t *testing.T) {
	s, clk, _, d := newTestService(t)
	first := startPlainEmail(t, s, d, "First", "one")
	bad := startPlainEmail(t, s, d, "Bad", "two")
	last := startPlainEmail(t, s, d, "Last", "three")
	prepare := func(_ context.Context, e store.Event) (any, error) {
		if e.Type != EventContactCreated {
			return nil, nil
		}
		if e.Subject == bad {
			return nil, errors.New("cannot prepare " + e.Subject)
		}
		return e.Subject, nil
	}
	var handled []string
	handle := func(_ context.Context, _ store.Tx, e store.Event, _ any) (bool, error) {
		if e.Type != EventContactCreated {
			return false, nil
		}
		handled = append(handled, e.Subject)
		return true, nil
	}
	if n, err := s.consumePrepared(bg, "test", prepare, handle); n != 1 || err == nil || !strings.Contains(err.Error(), "cannot prepare "+bad) {
		t.Fatalf("handled %d, err %v; want the first email, then the second's error", n, err)
	}
	for i := 2; i <= eventAttempts; i++ {
		if n, err := s.consumePrepared(bg, "test", prepare, handle); n != 0 || err == nil {
			t.Fatalf("attempt %d: handled %d, err %v; want the failure again", i, n, err)
		}
	}
	clk.Add(eventRetryFor)
	if n, err := s.consumePrepared(bg, "test", prepare, handle); n != 0 || err == nil {
		t.Fatalf("after %d failures over %v: handled %d, err %v; want one more failure, the one that gives it up", eventAttempts, eventRetryFor, n, err)
	}
	if n, err := s.consumePrepared(bg, "test", prepare, handle); err != nil || n != 1 || !slices.Equal(handled, []string{first, last}) {
		t.Errorf("handled %d (%v), err %v; want the last email after the first", n, handled, err)
	}
}

// A timer that fails leaves the others to fire: timers are read in the order they fall
// due, and the first failure used to end the run, so one damaged contact stopped every
// expiry after its own.
func TestAFailingTimerHoldsUpNoOther(t *testing.T) {
	s, clk, st, d := newTestService(t)
	var ids []string
	for range 2 {
		out, err := s.CreateContact(bg, &api.CreateContactRequest{InstanceId: d.InstanceID, Channel: "TASK", InitiationMethod: "API", ExpiryDurationInMinutes: api.Int32(5)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.ContactId)
	}
	corruptRecord(t, st, contactKey(DefaultAccount, d.InstanceID, ids[0]))
	clk.Add(6 * time.Minute)
	if n, err := s.FireTimers(bg); n != 1 || err == nil || !strings.Contains(err.Error(), "1 of 2 due timers failed") {
		t.Fatalf("fired %d, err %v; want the second fired and the first's error", n, err)
	}
	if got := eventsOf(t, st, ids[1]); !slices.Contains(got, EventContactEnded) {
		t.Errorf("the second contact's events: %v; want it ended", got)
	}
}

// With Policy RedactedOnly "only these are kept": once the email is analysed, neither its
// body record nor its contact record holds the original text, which the original files'
// removal alone left behind (the body, the subject, the sender's name, the headers).
func TestRedactedOnlyKeepsNoOriginalText(t *testing.T) {
	s, _, st, d := newTestService(t)
	settings := defaultAnalyticsSettings()
	settings.Policy = "RedactedOnly"
	if err := s.SetEmailAnalyticsSettings(bg, DefaultAccount, d.InstanceID, settings); err != nil {
		t.Fatal(err)
	}
	out, err := s.StartEmailContact(bg, &api.StartEmailContactRequest{
		InstanceId: d.InstanceID, DestinationEmailAddress: "support@connectlocal.email.connect.aws",
		FromEmailAddress: &api.EmailAddressInfo{EmailAddress: "maria.garcia@example.com", DisplayName: "Maria Garcia"},
		EmailMessage: &api.InboundEmailContent{MessageSourceType: "RAW", RawMessage: &api.InboundRawMessage{
			Subject: "Refund for Maria Garcia", ContentType: "text/plain",
			Body:    "Please call me back on 415-555-0100, my card 4111 1111 1111 1111 was charged twice.",
			Headers: map[string]string{"REPLY_TO": "maria.garcia@example.com"},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.ProcessEmailAnalytics(bg); err != nil || n != 1 {
		t.Fatalf("analysed %d (%v)", n, err)
	}
	originals := []string{"415-555", "4111", "Maria", "maria.garcia@"}
	err = st.View(bg, func(tx store.Tx) error {
		for _, k := range []store.Key{contactKey(DefaultAccount, d.InstanceID, out.ContactId), {Account: DefaultAccount, Kind: kindEmailBody, Instance: d.InstanceID, ID: out.ContactId}} {
			rec, err := tx.Get(bg, k)
			if err != nil {
				return err
			}
			var c contactRecord
			if k.Kind == kindContact {
				// The contact's endpoint is the contact's own, shown whatever the policy.
				if err := json.Unmarshal(rec.Data, &c); err != nil {
					return err
				}
				c.CustomerEndpoint = nil
				rec.Data, _ = json.Marshal(c)
			}
			for _, o := range originals {
				if bytes.Contains(rec.Data, []byte(o)) {
					t.Errorf("the %s record keeps %q: %s", k.Kind, o, rec.Data)
				}
			}
			if k.Kind == kindEmailBody && !bytes.Contains(rec.Data, []byte("charged twice")) {
				t.Errorf("the body record lost the text around the PII: %s", rec.Data)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.DescribeContact(bg, &api.DescribeContactRequest{InstanceId: d.InstanceID, ContactId: out.ContactId})
	if err != nil || c.Contact.CustomerEndpoint.Address != "maria.garcia@example.com" {
		t.Errorf("the contact's customer endpoint: %+v, %v", c.Contact.CustomerEndpoint, err)
	}
}

// The delivery job gives up a delivery whose record it cannot read as the other jobs give
// up an event, and sends the ones after it: before, a damaged delivery record stopped
// every webhook delivery after it for good.
func TestTheDeliveryJobGivesUpADamagedDelivery(t *testing.T) {
	s, clk, st, d := newTestService(t)
	for _, id := range []string{"damaged", "fine"} {
		err := st.Update(bg, func(tx store.Tx) error {
			data := []byte(`{"Id": [not json`)
			if id == "fine" {
				data, _ = json.Marshal(Delivery{Id: id, Kind: deliveryNotification, Status: "PENDING"})
			}
			if err := tx.Put(bg, store.Record{Account: DefaultAccount, Kind: kindDelivery, Instance: d.InstanceID, ID: id, Data: data}); err != nil {
				return err
			}
			_, err := tx.AppendEvent(bg, store.Event{Type: eventDelivery, Account: DefaultAccount, Instance: d.InstanceID, Subject: id, Time: clk.Now()})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var sent []string
	send := func(_ context.Context, d Delivery) error { sent = append(sent, d.Id); return nil }
	for range eventAttempts {
		if n, err := s.ProcessDeliveries(bg, send, 1, time.Millisecond); n != 0 || err == nil {
			t.Fatalf("sent %d, err %v; want the damaged delivery's error", n, err)
		}
	}
	clk.Add(eventRetryFor)
	s.ProcessDeliveries(bg, send, 1, time.Millisecond)
	if n, err := s.ProcessDeliveries(bg, send, 1, time.Millisecond); err != nil || n != 1 || !slices.Equal(sent, []string{"fine"}) {
		t.Errorf("sent %d (%v), err %v; want only the fine delivery", n, sent, err)
	}
}

// A job that fails at every wake-up (stuck on an event it cannot handle) logs the error
// once, and then only every errorRepeatEvery with how often it recurred, not at every
// wake-up; a different error, or one after a success, is logged at once.
func TestARecurringJobErrorIsLoggedOncePerInterval(t *testing.T) {
	s, clk, _, _ := newTestService(t)
	var log lockedBuffer
	s.logger = slog.New(slog.NewTextHandler(&log, nil))
	// A run takes its result from next, or first answers synced: the loop starts a run
	// only once it has logged the one before, so a receive from synced waits for that.
	next, synced := make(chan error), make(chan struct{})
	result := func(ctx context.Context) (int, error) {
		select {
		case err := <-next:
			return 0, err
		case synced <- struct{}{}:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		select {
		case err := <-next:
			return 0, err
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	ctx, cancel := context.WithCancel(bg)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s.runLoop(ctx, time.Millisecond, "job", s.outbox.wait, result)
	}()
	stuck, other := errors.New("event 7: record damaged"), errors.New("event 9: panic")
	for _, err := range []error{stuck, stuck, stuck, stuck} {
		next <- err
	}
	<-synced
	clk.Add(errorRepeatEvery)
	for _, err := range []error{stuck, stuck, other, nil, other} {
		next <- err
	}
	<-synced
	cancel()
	<-stopped

	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	want := []string{`err="event 7: record damaged"$`, `err="event 7: record damaged" repeats=3$`, `err="event 9: panic"$`, `err="event 9: panic"$`}
	if len(lines) != len(want) {
		t.Fatalf("logged %d lines, want %d:\n%s", len(lines), len(want), log.String())
	}
	for i, w := range want {
		if !regexp.MustCompile(w).MatchString(lines[i]) {
			t.Errorf("line %d = %s, want it to match %s", i, lines[i], w)
		}
	}
}

// lockedBuffer is a bytes.Buffer that a logger may write to from another goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

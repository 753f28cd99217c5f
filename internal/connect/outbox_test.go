package connect

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
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
				var c api.Contact
				if err := json.Unmarshal(e.Payload, &c); err != nil || c.Id != subject {
					t.Errorf("event %s payload is not the contact: %v", e.Type, err)
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

// An email contact's events (ContactCreated, ContactUpdated, ContactEnded) carry the
// contact without the message's body, which the record and the EMAIL_MESSAGE file hold
// already: the outbox keeps every event, and a body can be megabytes. The analysis job
// still knows the event for an email's, and loads the body from the record. (The rule
// event OnEmailAnalysisAvailable carries the text its rules match.)
func TestEmailContactEventsLeaveOutTheBody(t *testing.T) {
	s, _, st, d := newTestService(t)
	const body = "Please call me back on 415-555-0100 about my order."
	out, err := s.StartEmailContact(bg, &api.StartEmailContactRequest{
		InstanceId: d.InstanceID, DestinationEmailAddress: "support@connectlocal.email.connect.aws",
		FromEmailAddress: &api.EmailAddressInfo{EmailAddress: "jane@example.com"},
		EmailMessage: &api.InboundEmailContent{MessageSourceType: "RAW", RawMessage: &api.InboundRawMessage{
			Subject: "Order", ContentType: "text/plain", Body: body,
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ProcessEmailAnalytics(bg); err != nil {
		t.Fatal(err)
	}
	var types []string
	err = st.View(bg, func(tx store.Tx) error {
		events, err := tx.Events(bg, 0, 0)
		for _, e := range events {
			if e.Subject != out.ContactId {
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
	err = st.View(bg, func(tx store.Tx) error {
		return load(bg, tx, contactKey(DefaultAccount, d.InstanceID, out.ContactId), &c, "Contact")
	})
	if err != nil || c.EmailMessage == nil || c.EmailMessage.Body != body {
		t.Errorf("the record's message: %+v, %v", c.EmailMessage, err)
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

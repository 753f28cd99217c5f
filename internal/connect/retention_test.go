package connect

import (
	"errors"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// outboxSeqs returns the Seqs of the events in the outbox.
func outboxSeqs(t *testing.T, st store.Store) []int64 {
	t.Helper()
	var seqs []int64
	err := st.View(bg, func(tx store.Tx) error {
		events, err := tx.Events(bg, 0, 0)
		for _, e := range events {
			seqs = append(seqs, e.Seq)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return seqs
}

func sweep(t *testing.T, s *Service) int {
	t.Helper()
	n, err := s.SweepRetired(bg)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTheSweepKeepsEveryEventAConsumerHasNotPassed(t *testing.T) {
	s, _, st, d := newTestService(t)
	start := func() string {
		out, err := s.StartTaskContact(bg, &api.StartTaskContactRequest{InstanceId: d.InstanceID, ContactFlowId: d.ContactFlowID, Name: "t"})
		if err != nil {
			t.Fatal(err)
		}
		return out.ContactId
	}
	start()
	start()
	before := outboxSeqs(t, st)
	if len(before) == 0 {
		t.Fatal("no events in the outbox")
	}
	// Two of the three consumers have passed every event, the webhook sender none.
	if _, err := s.ProcessEmailAnalytics(bg); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ProcessRuleEvents(bg); err != nil {
		t.Fatal(err)
	}
	if n := sweep(t, s); n != 0 {
		t.Errorf("the sweep removed %d rows before the webhook sender ran, want none", n)
	}
	if got := outboxSeqs(t, st); len(got) != len(before) {
		t.Errorf("the outbox holds %d events after the sweep, want all %d", len(got), len(before))
	}

	if _, err := s.ProcessDeliveries(bg, nil, 1, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if n := sweep(t, s); n != len(before) {
		t.Errorf("the sweep removed %d rows once every consumer had passed the events, want %d", n, len(before))
	}
	if got := outboxSeqs(t, st); len(got) != 0 {
		t.Errorf("the outbox still holds events %v", got)
	}

	// What comes after the sweep is kept, and the consumers still find it.
	id := start()
	if n := sweep(t, s); n != 0 {
		t.Errorf("the sweep removed %d rows of a new event no consumer has read", n)
	}
	if got := eventsOf(t, st, id); len(got) != 1 || got[0] != EventContactCreated {
		t.Errorf("the new contact's events are %v, want its ContactCreated", got)
	}
	if _, err := s.ProcessRuleEvents(bg); err != nil {
		t.Fatal(err)
	}
	want := outboxSeqs(t, st)
	err := st.View(bg, func(tx store.Tx) error {
		cursor, err := tx.Cursor(bg, rulesConsumer)
		if err == nil && (len(want) != 1 || cursor != want[0]) {
			t.Errorf("the rules job's cursor is at %d after the sweep, want the new event's %v", cursor, want)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTheSweepForgetsClientTokensAfterSevenDays(t *testing.T) {
	s, clk, st, d := newTestService(t)
	start := func() string {
		out, err := s.StartTaskContact(bg, &api.StartTaskContactRequest{InstanceId: d.InstanceID, ContactFlowId: d.ContactFlowID, Name: "t", ClientToken: "tok"})
		if err != nil {
			t.Fatal(err)
		}
		return out.ContactId
	}
	remembered := func() bool {
		t.Helper()
		err := st.View(bg, func(tx store.Tx) error {
			_, err := tx.GetIdempotency(bg, DefaultAccount, "StartTaskContact", "tok")
			return err
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	first := start()
	clk.Add(idempotencyWindow - time.Second)
	sweep(t, s)
	if !remembered() {
		t.Fatal("the sweep forgot a client token inside its seven days")
	}
	if again := start(); again != first {
		t.Errorf("a retry inside the seven days started contact %s, want %s", again, first)
	}
	clk.Add(time.Second) // exactly seven days: still valid, so still kept
	sweep(t, s)
	if again := start(); again != first || !remembered() {
		t.Errorf("a retry at exactly seven days started contact %s, want %s", again, first)
	}
	clk.Add(time.Nanosecond)
	sweep(t, s)
	if remembered() {
		t.Error("the sweep kept a client token over seven days old")
	}
	if again := start(); again == first {
		t.Errorf("the token, forgotten, still answered contact %s", first)
	}
}

func TestTheSweepWorksThroughABacklogInSteps(t *testing.T) {
	s, _, st, d := newTestService(t)
	const backlog = 2*sweepStep + 7
	err := st.Update(bg, func(tx store.Tx) error {
		var last int64
		for range backlog {
			var err error
			if last, err = tx.AppendEvent(bg, store.Event{Type: "Test", Account: DefaultAccount, Instance: d.InstanceID, Subject: "s"}); err != nil {
				return err
			}
		}
		for _, c := range outboxConsumers {
			if err := tx.SetCursor(bg, c, last); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all := len(outboxSeqs(t, st)) // the backlog, and the default instance's events
	if n := sweep(t, s); n != all {
		t.Errorf("the sweep removed %d rows, want all %d", n, all)
	}
	if got := outboxSeqs(t, st); len(got) != 0 {
		t.Errorf("%d events are left", len(got))
	}
}

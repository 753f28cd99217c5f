package connect

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"testing"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// A chain's shared record (attributes, linked-task count) lives on its initial
// contact; data dirs written before that keep it in a record of its own, which must
// go on counting.
func TestChainStoredInItsOwnRecordStillCounts(t *testing.T) {
	s, _, st, d := newTestService(t)
	ctx := context.Background()
	first, err := s.StartTaskContact(ctx, &api.StartTaskContactRequest{InstanceId: d.InstanceID, ContactFlowId: d.ContactFlowID, Name: "t",
		Attributes: map[string]string{"a": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	// Rewrite the chain into the old layout: the contact without it, the chain apart,
	// with a linked-task count only the old record knows.
	err = st.Update(ctx, func(tx store.Tx) error {
		k := contactKey(DefaultAccount, d.InstanceID, first.ContactId)
		rec, err := tx.Get(ctx, k)
		if err != nil {
			return err
		}
		var c contactRecord
		if err := json.Unmarshal(rec.Data, &c); err != nil {
			return err
		}
		if c.Chain == nil || c.Chain.Attributes["a"] != "1" {
			t.Errorf("new contact's chain = %+v, want its attributes on it", c.Chain)
		}
		c.Chain = nil
		if err := save(ctx, tx, k, "", &c); err != nil {
			return err
		}
		return save(ctx, tx, store.Key{Account: DefaultAccount, Kind: kindChain, Instance: d.InstanceID, ID: first.ContactId}, "",
			&chainRecord{Attributes: map[string]string{"a": "old"}, Tasks: maxTaskChain - 2})
	})
	if err != nil {
		t.Fatal(err)
	}

	attributes := func(id string) map[string]string {
		t.Helper()
		out, err := s.DescribeContact(ctx, &api.DescribeContactRequest{InstanceId: d.InstanceID, ContactId: id})
		if err != nil {
			t.Fatal(err)
		}
		return out.Contact.Attributes
	}
	if got := attributes(first.ContactId); !maps.Equal(got, map[string]string{"a": "old"}) {
		t.Errorf("attributes of the old contact = %v, want those of the old chain record", got)
	}
	// One more linked task fits (the chain holds 12 with the first), then the chain is full.
	linked, err := s.StartTaskContact(ctx, &api.StartTaskContactRequest{InstanceId: d.InstanceID, ContactFlowId: d.ContactFlowID, Name: "t",
		PreviousContactId: first.ContactId, Attributes: map[string]string{"b": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartTaskContact(ctx, &api.StartTaskContactRequest{InstanceId: d.InstanceID, ContactFlowId: d.ContactFlowID, Name: "t",
		PreviousContactId: linked.ContactId}); !isCode(err, api.ServiceQuotaExceeded) {
		t.Errorf("task beyond the old record's count: err = %v, want %s", err, api.ServiceQuotaExceeded)
	}
	if _, err := s.UpdateContactAttributes(ctx, &api.UpdateContactAttributesRequest{InstanceId: d.InstanceID, InitialContactId: linked.ContactId,
		Attributes: map[string]string{"c": "3"}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "old", "b": "2", "c": "3"}
	for _, id := range []string{first.ContactId, linked.ContactId} {
		if got := attributes(id); !maps.Equal(got, want) {
			t.Errorf("attributes of %s = %v, want %v", id, got, want)
		}
	}

	// The chain is bookkeeping: events report the contact without it.
	err = st.View(ctx, func(tx store.Tx) error {
		events, err := tx.Events(ctx, 0, 0)
		for _, e := range events {
			if bytes.Contains(e.Payload, []byte(`"Chain"`)) {
				t.Errorf("event %s of %s carries the chain: %s", e.Type, e.Subject, e.Payload)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func isCode(err error, code string) bool {
	e, ok := err.(*api.Error)
	return ok && e.Code == code
}

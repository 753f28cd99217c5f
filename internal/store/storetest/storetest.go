// Package storetest is the conformance suite for store.Store
// implementations: every implementation's tests call Run.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

// Run runs the conformance suite. open must return a new, empty store for
// each subtest; Run closes it when the subtest ends.
//
// Times given to the store are whole microseconds, so implementations that
// keep microseconds (PostgreSQL) pass as well as those keeping nanoseconds.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"Put/Get round trip", testRoundTrip},
		{"Get missing is ErrNotFound", testGetMissing},
		{"Nil Data round trips as empty", testNilData},
		{"Put rejects empty Kind or ID", testPutInvalid},
		{"GetByName", testGetByName},
		{"Put keeps Created and position", testPutKeepsCreatedAndPosition},
		{"Put name conflict is ErrConflict", testNameConflict},
		{"Delete missing is ErrNotFound", testDeleteMissing},
		{"Delete removes the record and frees its name", testDelete},
		{"List pages in insertion order with cursor", testListPages},
		{"List cursor survives inserts", testListCursorSurvivesInserts},
		{"List invalid cursor is ErrInvalidCursor", testListInvalidCursor},
		{"Accounts are isolated", testAccountsIsolated},
		{"DeleteInstance removes only that instance's records", testDeleteInstance},
		{"Transaction sees its own writes", testReadYourWrites},
		{"Update rollback on error leaves nothing and returns fn's error", testRollback},
		{"Update panic rolls back and the store stays usable", testPanic},
		{"View panic ends the read and the store stays usable", testViewPanic},
		{"Update with cancelled context fails", testCancelled},
		{"Writes in View fail", testViewReadOnly},
		{"Idempotency put/get/conflict/expiry", testIdempotency},
		{"Events append in order and cursor per consumer", testEvents},
		{"Expired entries and passed events go in steps, oldest first", testDeleteInSteps},
		{"Event written in a rolled-back tx is gone", testEventRollback},
		{"Concurrent updates do not fail", testConcurrentUpdates},
		{"Concurrent read-modify-write loses no update", testSerialisedUpdates},
		{"Timers come due in order, replace and delete by key", testTimers},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

// t0 returns a fixed time in whole microseconds.
func t0() time.Time { return time.Date(2024, 3, 1, 12, 30, 45, 123456000, time.UTC) }

func update(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func put(t *testing.T, s store.Store, rs ...store.Record) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for _, r := range rs {
			if err := tx.Put(t.Context(), r); err != nil {
				return fmt.Errorf("Put %v: %w", r.Key(), err)
			}
		}
		return nil
	})
}

func get(t *testing.T, s store.Store, k store.Key) (store.Record, error) {
	t.Helper()
	var r store.Record
	err := s.View(t.Context(), func(tx store.Tx) error {
		var err error
		r, err = tx.Get(t.Context(), k)
		return err
	})
	return r, err
}

func mustGet(t *testing.T, s store.Store, k store.Key) store.Record {
	t.Helper()
	r, err := get(t, s, k)
	if err != nil {
		t.Fatalf("Get %v: %v", k, err)
	}
	return r
}

func list(t *testing.T, s store.Store, p store.Page) store.ListResult {
	t.Helper()
	var res store.ListResult
	view(t, s, func(tx store.Tx) error {
		var err error
		res, err = tx.List(t.Context(), p)
		return err
	})
	return res
}

// ids returns the IDs of rs, in order.
func ids(rs []store.Record) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// queue returns a queue record of instance "i1" in account "111111111111".
func queue(id, name string) store.Record {
	return store.Record{
		Account: "111111111111", Kind: "queue", Instance: "i1", ID: id, Name: name,
		Data: []byte(`{"Id":"` + id + `"}`),
	}
}

func testRoundTrip(t *testing.T, s store.Store) {
	in := store.Record{
		Account: "111111111111", Kind: "contact-flow", Instance: "i1", ID: "f1", Name: "Main flow",
		Data: []byte(`{"Name":"Main flow","Content":"{}"}`), Created: t0(),
	}
	put(t, s, in)
	got := mustGet(t, s, in.Key())
	if got.Key() != in.Key() || got.Name != in.Name || !bytes.Equal(got.Data, in.Data) {
		t.Errorf("Get = %+v, want %+v", got, in)
	}
	if !got.Created.Equal(t0()) {
		t.Errorf("Created = %v, want %v (given to Put)", got.Created, t0())
	}
	if got.Updated.IsZero() {
		t.Error("Updated is zero; Put must set it")
	}
	if got.Created.Location() != time.UTC || got.Updated.Location() != time.UTC {
		t.Errorf("times not in UTC: Created %v, Updated %v", got.Created, got.Updated)
	}

	// Created defaults to the clock.
	before := time.Now().Add(-time.Minute)
	put(t, s, queue("q1", ""))
	q := mustGet(t, s, queue("q1", "").Key())
	if q.Created.Before(before) || q.Updated.Before(before) {
		t.Errorf("zero Created not set from the clock: Created %v, Updated %v", q.Created, q.Updated)
	}
}

func testGetMissing(t *testing.T, s store.Store) {
	put(t, s, queue("q1", "Sales"))
	for _, k := range []store.Key{
		{Account: "111111111111", Kind: "queue", Instance: "i1", ID: "q2"},
		{Account: "111111111111", Kind: "queue", Instance: "i2", ID: "q1"},
		{Account: "111111111111", Kind: "routing-profile", Instance: "i1", ID: "q1"},
		{Account: "222222222222", Kind: "queue", Instance: "i1", ID: "q1"},
		{Account: "111111111111", Kind: "queue", Instance: "i1", ID: "Sales"}, // a name is no ID
		{Account: "111111111111", Kind: "queue", Instance: "i1", ID: "q1\x00"},
		{Account: "111111111111", Kind: "queue", Instance: "i1", ID: "q1\xff"}, // not UTF-8
	} {
		if _, err := get(t, s, k); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get %v: err = %v, want ErrNotFound", k, err)
		}
		if exists(t, s, k) {
			t.Errorf("Exists %v = true for no record", k)
		}
	}
	if k := queue("q1", "").Key(); !exists(t, s, k) {
		t.Errorf("Exists %v = false for a record", k)
	}
	// A record deleted, or put in a transaction that rolls back, is not there.
	update(t, s, func(tx store.Tx) error { return tx.Delete(t.Context(), queue("q1", "").Key()) })
	if k := queue("q1", "").Key(); exists(t, s, k) {
		t.Errorf("Exists %v = true after its Delete", k)
	}
	rollback := errors.New("roll back")
	err := s.Update(t.Context(), func(tx store.Tx) error {
		if err := tx.Put(t.Context(), queue("q3", "")); err != nil {
			return err
		}
		if ok, err := tx.Exists(t.Context(), queue("q3", "").Key()); err != nil || !ok {
			t.Errorf("Exists in the transaction that put it = %v, %v", ok, err)
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if k := queue("q3", "").Key(); exists(t, s, k) {
		t.Errorf("Exists %v = true after its Put rolled back", k)
	}
}

func exists(t *testing.T, s store.Store, k store.Key) bool {
	t.Helper()
	var ok bool
	view(t, s, func(tx store.Tx) error {
		var err error
		ok, err = tx.Exists(t.Context(), k)
		return err
	})
	return ok
}

func testNilData(t *testing.T, s store.Store) {
	r := queue("q1", "")
	r.Data = nil
	put(t, s, r)
	if got := mustGet(t, s, r.Key()); len(got.Data) != 0 {
		t.Errorf("Data = %q, want empty", got.Data)
	}
}

func testPutInvalid(t *testing.T, s store.Store) {
	for _, r := range []store.Record{
		{Account: "111111111111", Kind: "", Instance: "i1", ID: "x"},
		{Account: "111111111111", Kind: "queue", Instance: "i1", ID: ""},
	} {
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.Put(t.Context(), r) })
		if err == nil {
			t.Errorf("Put %+v succeeded, want an error", r)
		}
	}
}

func testGetByName(t *testing.T, s store.Store) {
	put(t, s, queue("q1", "Sales"), queue("q2", "Support"), queue("q3", ""))
	view(t, s, func(tx store.Tx) error {
		ctx := t.Context()
		r, err := tx.GetByName(ctx, "111111111111", "queue", "i1", "Support")
		if err != nil || r.ID != "q2" || r.Name != "Support" {
			t.Errorf("GetByName Support = %+v, %v; want q2", r, err)
		}
		for _, c := range []struct{ account, kind, instance, name string }{
			{"111111111111", "queue", "i1", "Marketing"},
			{"111111111111", "queue", "i2", "Sales"},
			{"111111111111", "hours-of-operation", "i1", "Sales"},
			{"222222222222", "queue", "i1", "Sales"},
			{"111111111111", "queue", "i1", ""}, // q3 has no name
		} {
			if _, err := tx.GetByName(ctx, c.account, c.kind, c.instance, c.name); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("GetByName %+v: err = %v, want ErrNotFound", c, err)
			}
			if ok, err := tx.ExistsByName(ctx, c.account, c.kind, c.instance, c.name); ok || err != nil {
				t.Errorf("ExistsByName %+v = %v, %v; want false", c, ok, err)
			}
		}
		if ok, err := tx.ExistsByName(ctx, "111111111111", "queue", "i1", "Support"); !ok || err != nil {
			t.Errorf("ExistsByName Support = %v, %v; want true", ok, err)
		}
		return nil
	})

	// Renaming moves the name.
	put(t, s, queue("q1", "Sales EMEA"))
	view(t, s, func(tx store.Tx) error {
		if _, err := tx.GetByName(t.Context(), "111111111111", "queue", "i1", "Sales"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("old name after rename: err = %v, want ErrNotFound", err)
		}
		if r, err := tx.GetByName(t.Context(), "111111111111", "queue", "i1", "Sales EMEA"); err != nil || r.ID != "q1" {
			t.Errorf("new name after rename = %+v, %v; want q1", r, err)
		}
		if ok, err := tx.ExistsByName(t.Context(), "111111111111", "queue", "i1", "Sales"); ok || err != nil {
			t.Errorf("ExistsByName of the old name after rename = %v, %v; want false", ok, err)
		}
		return nil
	})
}

func testPutKeepsCreatedAndPosition(t *testing.T, s store.Store) {
	a, b, c := queue("a", "A"), queue("b", "B"), queue("c", "C")
	a.Created = t0()
	put(t, s, a, b, c)
	first := mustGet(t, s, a.Key())

	a.Data = []byte(`{"changed":true}`)
	a.Name = "A2"
	a.Created = t0().Add(time.Hour) // ignored on update
	put(t, s, a)
	put(t, s, queue("d", "D"))

	got := mustGet(t, s, a.Key())
	if !got.Created.Equal(t0()) {
		t.Errorf("Created after update = %v, want %v", got.Created, t0())
	}
	if got.Updated.Before(first.Updated) {
		t.Errorf("Updated went backwards: %v then %v", first.Updated, got.Updated)
	}
	if !bytes.Equal(got.Data, a.Data) || got.Name != "A2" {
		t.Errorf("update not applied: %+v", got)
	}
	res := list(t, s, store.Page{Account: a.Account, Kind: a.Kind, Instance: a.Instance})
	if want := []string{"a", "b", "c", "d"}; !equalStrings(ids(res.Records), want) {
		t.Errorf("List after update = %v, want %v", ids(res.Records), want)
	}
	for i := 1; i < len(res.Records); i++ {
		if res.Records[i].Seq <= res.Records[i-1].Seq {
			t.Errorf("List Seq not increasing: %s has %d after %s's %d", res.Records[i].ID, res.Records[i].Seq, res.Records[i-1].ID, res.Records[i-1].Seq)
		}
	}
}

func testNameConflict(t *testing.T, s store.Store) {
	put(t, s, queue("q1", "Sales"))

	// Another ID with the same name in the same scope conflicts.
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.Put(t.Context(), queue("q2", "Sales")) })
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Put duplicate name: err = %v, want ErrConflict", err)
	}

	// The same ID keeps its name; other scopes and empty names are free.
	other := func(r store.Record, f func(*store.Record)) store.Record { f(&r); return r }
	put(t, s,
		queue("q1", "Sales"),
		other(queue("q2", "Sales"), func(r *store.Record) { r.Instance = "i2" }),
		other(queue("q2", "Sales"), func(r *store.Record) { r.Kind = "routing-profile" }),
		other(queue("q2", "Sales"), func(r *store.Record) { r.Account = "222222222222" }),
		queue("q3", ""), queue("q4", ""),
	)

	// The transaction stays usable after ErrConflict.
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put(t.Context(), queue("q5", "Sales")); !errors.Is(err, store.ErrConflict) {
			t.Errorf("Put duplicate name: err = %v, want ErrConflict", err)
		}
		return tx.Put(t.Context(), queue("q6", "Support"))
	})
	if _, err := get(t, s, queue("q6", "").Key()); err != nil {
		t.Errorf("Put after ErrConflict in the same tx not committed: %v", err)
	}
	if _, err := get(t, s, queue("q5", "").Key()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("conflicting Put stored: err = %v", err)
	}
	if r := mustGet(t, s, queue("q1", "").Key()); r.Name != "Sales" {
		t.Errorf("holder of the name changed: %+v", r)
	}
}

func testDeleteMissing(t *testing.T, s store.Store) {
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.Delete(t.Context(), queue("q1", "").Key()) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Delete missing: err = %v, want ErrNotFound", err)
	}
}

func testDelete(t *testing.T, s store.Store) {
	put(t, s, queue("q1", "Sales"), queue("q2", "Support"))
	update(t, s, func(tx store.Tx) error { return tx.Delete(t.Context(), queue("q1", "").Key()) })
	if _, err := get(t, s, queue("q1", "").Key()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get deleted: err = %v, want ErrNotFound", err)
	}
	if _, err := get(t, s, queue("q2", "").Key()); err != nil {
		t.Errorf("Get other record: %v", err)
	}
	put(t, s, queue("q3", "Sales")) // the name is free again
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.Delete(t.Context(), queue("q1", "").Key()) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Delete twice: err = %v, want ErrNotFound", err)
	}
}

// pageAll lists p's scope limit records at a time and returns the pages' IDs.
func pageAll(t *testing.T, s store.Store, p store.Page) [][]string {
	t.Helper()
	var pages [][]string
	for i := 0; ; i++ {
		if i > 100 {
			t.Fatal("List never returned an empty Next")
		}
		res := list(t, s, p)
		pages = append(pages, ids(res.Records))
		if res.Next == "" {
			return pages
		}
		p.After = res.Next
	}
}

func testListPages(t *testing.T, s store.Store) {
	scope := store.Page{Account: "111111111111", Kind: "queue", Instance: "i1"}
	if res := list(t, s, scope); len(res.Records) != 0 || res.Next != "" {
		t.Errorf("List of an empty scope = %+v", res)
	}

	order := []string{"m", "c", "x", "a", "q", "b", "z"} // not sorted: insertion order wins
	for _, id := range order {
		put(t, s, queue(id, "name-"+id))
	}
	// Records of other scopes must not show up.
	noise := queue("n", "")
	noise.Instance = "i2"
	put(t, s, noise)
	noise = queue("n", "")
	noise.Kind = "user"
	put(t, s, noise)

	all := list(t, s, scope)
	if !equalStrings(ids(all.Records), order) || all.Next != "" {
		t.Errorf("List without limit = %v, Next %q; want %v, \"\"", ids(all.Records), all.Next, order)
	}
	for _, r := range all.Records {
		if r.Name != "name-"+r.ID || r.Account != scope.Account || r.Kind != scope.Kind || r.Instance != scope.Instance {
			t.Errorf("listed record incomplete: %+v", r)
		}
	}

	p := scope
	p.Limit = 3
	pages := pageAll(t, s, p)
	want := [][]string{{"m", "c", "x"}, {"a", "q", "b"}, {"z"}}
	if fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Errorf("pages of 3 = %v, want %v", pages, want)
	}

	// A last page that is exactly full has no Next.
	p.Limit = 7
	if res := list(t, s, p); len(res.Records) != 7 || res.Next != "" {
		t.Errorf("List limit 7 of 7 = %v, Next %q; want all, \"\"", ids(res.Records), res.Next)
	}
	p.Limit = 1
	if pages := pageAll(t, s, p); len(pages) != 7 {
		t.Errorf("pages of 1 = %v, want 7 pages", pages)
	}
}

func testListCursorSurvivesInserts(t *testing.T, s store.Store) {
	put(t, s, queue("a", ""), queue("b", ""), queue("c", ""))
	p := store.Page{Account: "111111111111", Kind: "queue", Instance: "i1", Limit: 2}
	first := list(t, s, p)
	if want := []string{"a", "b"}; !equalStrings(ids(first.Records), want) || first.Next == "" {
		t.Fatalf("first page = %v, Next %q; want %v and a cursor", ids(first.Records), first.Next, want)
	}

	// Add records, update listed ones, and delete the newest and the one the
	// cursor points at: the cursor still continues where it left off, and
	// new records sort after it even though the newest was deleted.
	put(t, s, queue("d", ""), queue("a", "renamed"))
	update(t, s, func(tx store.Tx) error {
		if err := tx.Delete(t.Context(), queue("b", "").Key()); err != nil {
			return err
		}
		return tx.Delete(t.Context(), queue("d", "").Key())
	})
	put(t, s, queue("e", ""))

	p.After = first.Next
	if pages, want := pageAll(t, s, p), [][]string{{"c", "e"}}; fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Errorf("pages after cursor = %v, want %v", pages, want)
	}

	// After deleting everything past a cursor, a new record still appears.
	update(t, s, func(tx store.Tx) error {
		if err := tx.Delete(t.Context(), queue("c", "").Key()); err != nil {
			return err
		}
		return tx.Delete(t.Context(), queue("e", "").Key())
	})
	put(t, s, queue("f", ""))
	if res := list(t, s, p); !equalStrings(ids(res.Records), []string{"f"}) {
		t.Errorf("page after cursor = %v, want [f]", ids(res.Records))
	}
}

func testListInvalidCursor(t *testing.T, s store.Store) {
	put(t, s, queue("a", ""))
	err := s.View(t.Context(), func(tx store.Tx) error {
		_, err := tx.List(t.Context(), store.Page{Account: "111111111111", Kind: "queue", Instance: "i1", After: "not a cursor!"})
		return err
	})
	if !errors.Is(err, store.ErrInvalidCursor) {
		t.Errorf("List with a bad cursor: err = %v, want ErrInvalidCursor", err)
	}
}

func testAccountsIsolated(t *testing.T, s store.Store) {
	a, b := queue("q1", "Sales"), queue("q1", "Sales")
	b.Account = "222222222222"
	b.Data = []byte(`{"account":"b"}`)
	put(t, s, a, b)
	if got := mustGet(t, s, a.Key()); !bytes.Equal(got.Data, a.Data) {
		t.Errorf("account a sees %s", got.Data)
	}
	if got := mustGet(t, s, b.Key()); !bytes.Equal(got.Data, b.Data) {
		t.Errorf("account b sees %s", got.Data)
	}
	res := list(t, s, store.Page{Account: b.Account, Kind: "queue", Instance: "i1"})
	if len(res.Records) != 1 || res.Records[0].Account != b.Account {
		t.Errorf("List of account b = %+v", res.Records)
	}
	update(t, s, func(tx store.Tx) error { return tx.Delete(t.Context(), a.Key()) })
	if _, err := get(t, s, b.Key()); err != nil {
		t.Errorf("deleting in account a removed account b's record: %v", err)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteInstance(t.Context(), a.Account, "i1") })
	if _, err := get(t, s, b.Key()); err != nil {
		t.Errorf("DeleteInstance in account a removed account b's record: %v", err)
	}
}

func testDeleteInstance(t *testing.T, s store.Store) {
	const acct = "111111111111"
	inst := func(id string) store.Record {
		return store.Record{Account: acct, Kind: "instance", ID: id, Name: "alias-" + id, Data: []byte(`{}`)}
	}
	in := func(kind, instance, id string) store.Record {
		return store.Record{Account: acct, Kind: kind, Instance: instance, ID: id, Data: []byte(`{}`)}
	}
	otherAcct := in("queue", "i1", "q1")
	otherAcct.Account = "222222222222"
	put(t, s,
		inst("i1"), inst("i2"),
		in("queue", "i1", "q1"), in("contact-flow", "i1", "f1"), in("contact", "i1", "c1"),
		in("queue", "i2", "q1"), in("contact", "i2", "c2"),
		otherAcct,
	)
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutIdempotency(t.Context(), store.Idempotency{Account: acct, Operation: "CreateQueue", Token: "t1", Response: []byte(`{}`)}); err != nil {
			return err
		}
		return tx.DeleteInstance(t.Context(), acct, "i1")
	})

	for _, r := range []store.Record{in("queue", "i1", "q1"), in("contact-flow", "i1", "f1"), in("contact", "i1", "c1")} {
		if _, err := get(t, s, r.Key()); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%v after DeleteInstance: err = %v, want ErrNotFound", r.Key(), err)
		}
	}
	for _, r := range []store.Record{inst("i1"), inst("i2"), in("queue", "i2", "q1"), in("contact", "i2", "c2"), otherAcct} {
		if _, err := get(t, s, r.Key()); err != nil {
			t.Errorf("%v after DeleteInstance(i1): %v", r.Key(), err)
		}
	}
	view(t, s, func(tx store.Tx) error {
		if _, err := tx.GetIdempotency(t.Context(), acct, "CreateQueue", "t1"); err != nil {
			t.Errorf("idempotency row after DeleteInstance: %v", err)
		}
		return nil
	})

	// Nothing left to delete is not an error; an empty instance ID is.
	update(t, s, func(tx store.Tx) error { return tx.DeleteInstance(t.Context(), acct, "i1") })
	err := s.Update(t.Context(), func(tx store.Tx) error { return tx.DeleteInstance(t.Context(), acct, "") })
	if err == nil {
		t.Error("DeleteInstance with an empty instance ID succeeded")
	}
	if _, err := get(t, s, inst("i2").Key()); err != nil {
		t.Errorf("instance record after DeleteInstance(\"\"): %v", err)
	}
}

func testReadYourWrites(t *testing.T, s store.Store) {
	update(t, s, func(tx store.Tx) error {
		ctx := t.Context()
		if err := tx.Put(ctx, queue("q1", "Sales")); err != nil {
			return err
		}
		if _, err := tx.Get(ctx, queue("q1", "").Key()); err != nil {
			t.Errorf("Get in the writing tx: %v", err)
		}
		if _, err := tx.GetByName(ctx, "111111111111", "queue", "i1", "Sales"); err != nil {
			t.Errorf("GetByName in the writing tx: %v", err)
		}
		res, err := tx.List(ctx, store.Page{Account: "111111111111", Kind: "queue", Instance: "i1"})
		if err != nil || len(res.Records) != 1 {
			t.Errorf("List in the writing tx = %v, %v", ids(res.Records), err)
		}
		return nil
	})
	if _, err := get(t, s, queue("q1", "").Key()); err != nil {
		t.Errorf("Get after commit: %v", err)
	}
}

// testError is a caller's own error type, which Update must pass through.
type testError struct{ msg string }

func (e *testError) Error() string { return e.msg }

func testRollback(t *testing.T, s store.Store) {
	put(t, s, queue("keep", "Keep"))
	want := &testError{"validation failed"}
	err := s.Update(t.Context(), func(tx store.Tx) error {
		ctx := t.Context()
		if err := tx.Put(ctx, queue("q1", "Sales")); err != nil {
			return err
		}
		if err := tx.Put(ctx, queue("keep", "Renamed")); err != nil {
			return err
		}
		if err := tx.PutIdempotency(ctx, store.Idempotency{Account: "111111111111", Operation: "CreateQueue", Token: "t"}); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(ctx, store.Event{Type: "QueueCreated"}); err != nil {
			return err
		}
		if err := tx.SetCursor(ctx, "c", 7); err != nil {
			return err
		}
		return want
	})
	if err != want {
		t.Errorf("Update returned %v (%T), want fn's error itself", err, err)
	}
	var te *testError
	if !errors.As(err, &te) {
		t.Errorf("errors.As(%v, *testError) = false", err)
	}

	if _, err := get(t, s, queue("q1", "").Key()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("record from rolled-back tx: err = %v, want ErrNotFound", err)
	}
	if r := mustGet(t, s, queue("keep", "").Key()); r.Name != "Keep" {
		t.Errorf("update from rolled-back tx visible: %+v", r)
	}
	view(t, s, func(tx store.Tx) error {
		ctx := t.Context()
		if _, err := tx.GetIdempotency(ctx, "111111111111", "CreateQueue", "t"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("idempotency from rolled-back tx: err = %v, want ErrNotFound", err)
		}
		if evs, err := tx.Events(ctx, 0, 0); err != nil || len(evs) != 0 {
			t.Errorf("events after rollback = %v, %v", evs, err)
		}
		if c, err := tx.Cursor(ctx, "c"); err != nil || c != 0 {
			t.Errorf("cursor after rollback = %d, %v; want 0", c, err)
		}
		return nil
	})
}

func testPanic(t *testing.T, s store.Store) {
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic in fn did not propagate")
			}
		}()
		_ = s.Update(t.Context(), func(tx store.Tx) error {
			if err := tx.Put(t.Context(), queue("q1", "")); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	if _, err := get(t, s, queue("q1", "").Key()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("record from panicking tx: err = %v, want ErrNotFound", err)
	}
	put(t, s, queue("q2", "")) // the store still works
	mustGet(t, s, queue("q2", "").Key())
}

func testViewPanic(t *testing.T, s store.Store) {
	put(t, s, queue("q1", ""))
	// More panics than a store is likely to have read connections: none may be lost.
	for range 20 {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("panic in View's fn did not propagate")
				}
			}()
			_ = s.View(t.Context(), func(tx store.Tx) error {
				if _, err := tx.Get(t.Context(), queue("q1", "").Key()); err != nil {
					return err
				}
				panic("boom")
			})
		}()
	}
	mustGet(t, s, queue("q1", "").Key()) // reads still work
	put(t, s, queue("q2", ""))           // and so do writes, which a reader left open would block
	mustGet(t, s, queue("q2", "").Key())
}

func testCancelled(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := s.Update(ctx, func(tx store.Tx) error { return tx.Put(ctx, queue("q1", "")) })
	if err == nil {
		t.Error("Update with a cancelled context succeeded")
	}
	// Whether or not fn ran, nothing may be committed.
	if _, err := get(t, s, queue("q1", "").Key()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("record from cancelled Update: err = %v, want ErrNotFound", err)
	}
	put(t, s, queue("q2", ""))
}

func testViewReadOnly(t *testing.T, s store.Store) {
	put(t, s, queue("q1", ""))
	ctx := t.Context()
	writes := map[string]func(store.Tx) error{
		"Put":            func(tx store.Tx) error { return tx.Put(ctx, queue("q2", "")) },
		"Delete":         func(tx store.Tx) error { return tx.Delete(ctx, queue("q1", "").Key()) },
		"DeleteInstance": func(tx store.Tx) error { return tx.DeleteInstance(ctx, "111111111111", "i1") },
		"PutIdempotency": func(tx store.Tx) error {
			return tx.PutIdempotency(ctx, store.Idempotency{Account: "a", Operation: "o", Token: "t"})
		},
		"DeleteIdempotencyBefore": func(tx store.Tx) error {
			_, err := tx.DeleteIdempotencyBefore(ctx, t0(), 0)
			return err
		},
		"DeleteEventsThrough": func(tx store.Tx) error {
			_, err := tx.DeleteEventsThrough(ctx, 1, 0)
			return err
		},
		"AppendEvent": func(tx store.Tx) error {
			_, err := tx.AppendEvent(ctx, store.Event{Type: "X"})
			return err
		},
		"SetCursor": func(tx store.Tx) error { return tx.SetCursor(ctx, "c", 1) },
	}
	for name, w := range writes {
		if err := s.View(ctx, w); err == nil {
			t.Errorf("%s in View succeeded", name)
		}
	}
	if _, err := get(t, s, queue("q1", "").Key()); err != nil {
		t.Errorf("record deleted by View: %v", err)
	}
	if _, err := get(t, s, queue("q2", "").Key()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("record written by View: err = %v", err)
	}
}

func testIdempotency(t *testing.T, s store.Store) {
	ctx := t.Context()
	first := store.Idempotency{
		Account: "111111111111", Operation: "StartOutboundVoiceContact", Token: "tok",
		RequestHash: "h1", Response: []byte(`{"ContactId":"c1"}`), Created: t0(),
	}
	update(t, s, func(tx store.Tx) error { return tx.PutIdempotency(ctx, first) })

	view(t, s, func(tx store.Tx) error {
		got, err := tx.GetIdempotency(ctx, first.Account, first.Operation, first.Token)
		if err != nil {
			t.Fatalf("GetIdempotency: %v", err)
		}
		if got.Account != first.Account || got.Operation != first.Operation || got.Token != first.Token ||
			got.RequestHash != first.RequestHash || !bytes.Equal(got.Response, first.Response) || !got.Created.Equal(t0()) {
			t.Errorf("GetIdempotency = %+v, want %+v", got, first)
		}
		for _, k := range [][3]string{
			{"222222222222", first.Operation, first.Token},
			{first.Account, "StartChatContact", first.Token},
			{first.Account, first.Operation, "other"},
		} {
			if _, err := tx.GetIdempotency(ctx, k[0], k[1], k[2]); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("GetIdempotency %v: err = %v, want ErrNotFound", k, err)
			}
		}
		return nil
	})

	// A second answer for the same token conflicts; the first one wins and
	// can be read in the same transaction.
	update(t, s, func(tx store.Tx) error {
		second := first
		second.RequestHash, second.Response = "h2", []byte(`{"ContactId":"c2"}`)
		if err := tx.PutIdempotency(ctx, second); !errors.Is(err, store.ErrConflict) {
			t.Errorf("PutIdempotency duplicate: err = %v, want ErrConflict", err)
		}
		got, err := tx.GetIdempotency(ctx, first.Account, first.Operation, first.Token)
		if err != nil || got.RequestHash != "h1" {
			t.Errorf("GetIdempotency after conflict = %+v, %v; want the first answer", got, err)
		}
		// Same token under another operation or account is independent.
		other := second
		other.Operation = "StartChatContact"
		if err := tx.PutIdempotency(ctx, other); err != nil {
			return err
		}
		other.Account, other.Created = "222222222222", time.Time{} // Created from the clock
		return tx.PutIdempotency(ctx, other)
	})

	// Expiry removes entries created strictly before the cut-off.
	update(t, s, func(tx store.Tx) error {
		later := first
		later.Token, later.Created = "later", t0().Add(time.Hour)
		if err := tx.PutIdempotency(ctx, later); err != nil {
			return err
		}
		exact := first
		exact.Token, exact.Created = "exact", t0().Add(30*time.Minute)
		if err := tx.PutIdempotency(ctx, exact); err != nil {
			return err
		}
		n, err := tx.DeleteIdempotencyBefore(ctx, t0().Add(30*time.Minute), 0)
		if err == nil && n != 2 {
			t.Errorf("DeleteIdempotencyBefore removed %d entries, want 2", n)
		}
		return err
	})
	view(t, s, func(tx store.Tx) error {
		if _, err := tx.GetIdempotency(ctx, first.Account, first.Operation, "tok"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired entry: err = %v, want ErrNotFound", err)
		}
		if _, err := tx.GetIdempotency(ctx, first.Account, "StartChatContact", "tok"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired entry (other operation): err = %v, want ErrNotFound", err)
		}
		for _, tok := range []string{"later", "exact"} {
			if _, err := tx.GetIdempotency(ctx, first.Account, first.Operation, tok); err != nil {
				t.Errorf("entry %q not yet expired: %v", tok, err)
			}
		}
		if _, err := tx.GetIdempotency(ctx, "222222222222", "StartChatContact", "tok"); err != nil {
			t.Errorf("entry created now, expired: %v", err)
		}
		return nil
	})
}

func testEvents(t *testing.T, s store.Store) {
	ctx := t.Context()
	in := []store.Event{
		{Type: "ContactCreated", Account: "111111111111", Instance: "i1", Subject: "c1", Payload: []byte(`{"n":1}`), Time: t0()},
		{Type: "ContactUpdated", Account: "111111111111", Instance: "i1", Subject: "c1", Payload: []byte(`{"n":2}`), Time: t0().Add(time.Second)},
	}
	var seqs []int64
	update(t, s, func(tx store.Tx) error {
		for _, e := range in {
			seq, err := tx.AppendEvent(ctx, e)
			if err != nil {
				return err
			}
			seqs = append(seqs, seq)
		}
		return nil
	})
	update(t, s, func(tx store.Tx) error {
		seq, err := tx.AppendEvent(ctx, store.Event{Type: "EmailAnalysisAvailable", Account: "222222222222", Instance: "i9", Subject: "e1"})
		seqs = append(seqs, seq)
		return err
	})
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Fatalf("Seqs not increasing: %v", seqs)
		}
	}

	view(t, s, func(tx store.Tx) error {
		all, err := tx.Events(ctx, 0, 0)
		if err != nil {
			return err
		}
		if len(all) != 3 {
			t.Fatalf("Events(0, 0) returned %d events, want 3", len(all))
		}
		for i, e := range all {
			if e.Seq != seqs[i] {
				t.Errorf("event %d Seq = %d, want %d", i, e.Seq, seqs[i])
			}
		}
		for i, want := range in {
			got := all[i]
			if got.Type != want.Type || got.Account != want.Account || got.Instance != want.Instance ||
				got.Subject != want.Subject || !bytes.Equal(got.Payload, want.Payload) || !got.Time.Equal(want.Time) {
				t.Errorf("event %d = %+v, want %+v", i, got, want)
			}
		}
		if all[2].Time.IsZero() || all[2].Time.Location() != time.UTC {
			t.Errorf("zero Time not set from the clock in UTC: %v", all[2].Time)
		}

		page, err := tx.Events(ctx, seqs[0], 1)
		if err != nil || len(page) != 1 || page[0].Seq != seqs[1] {
			t.Errorf("Events(after first, 1) = %+v, %v; want the second event", page, err)
		}
		if rest, err := tx.Events(ctx, seqs[2], 0); err != nil || len(rest) != 0 {
			t.Errorf("Events after the last = %+v, %v; want none", rest, err)
		}
		return nil
	})

	// Cursors are per consumer.
	update(t, s, func(tx store.Tx) error {
		if c, err := tx.Cursor(ctx, "webhooks"); err != nil || c != 0 {
			t.Errorf("Cursor of a new consumer = %d, %v; want 0", c, err)
		}
		if err := tx.SetCursor(ctx, "webhooks", seqs[1]); err != nil {
			return err
		}
		return tx.SetCursor(ctx, "contact-lens", seqs[0])
	})
	update(t, s, func(tx store.Tx) error { return tx.SetCursor(ctx, "webhooks", seqs[2]) })
	view(t, s, func(tx store.Tx) error {
		for consumer, want := range map[string]int64{"webhooks": seqs[2], "contact-lens": seqs[0], "other": 0} {
			if c, err := tx.Cursor(ctx, consumer); err != nil || c != want {
				t.Errorf("Cursor(%q) = %d, %v; want %d", consumer, c, err, want)
			}
		}
		return nil
	})
}

func testEventRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	var kept int64
	update(t, s, func(tx store.Tx) error {
		var err error
		kept, err = tx.AppendEvent(ctx, store.Event{Type: "Kept"})
		return err
	})
	errBoom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.AppendEvent(ctx, store.Event{Type: "RolledBack"}); err != nil {
			return err
		}
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("Update = %v, want fn's error", err)
	}
	var next int64
	update(t, s, func(tx store.Tx) error {
		var err error
		next, err = tx.AppendEvent(ctx, store.Event{Type: "Next"})
		return err
	})
	if next <= kept {
		t.Errorf("Seq after a rollback = %d, not above the committed %d", next, kept)
	}
	view(t, s, func(tx store.Tx) error {
		evs, err := tx.Events(ctx, 0, 0)
		if err != nil {
			return err
		}
		var types []string
		for _, e := range evs {
			types = append(types, e.Type)
		}
		if want := []string{"Kept", "Next"}; !equalStrings(types, want) {
			t.Errorf("events = %v, want %v", types, want)
		}
		return nil
	})
}

func testConcurrentUpdates(t *testing.T, s store.Store) {
	const writers, perWriter, readers = 8, 50, 4
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, writers+readers)
	stop := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				id := fmt.Sprintf("w%d-%d", w, i)
				err := s.Update(ctx, func(tx store.Tx) error {
					if err := tx.Put(ctx, queue(id, "name-"+id)); err != nil {
						return err
					}
					_, err := tx.AppendEvent(ctx, store.Event{Type: "QueueCreated", Subject: id})
					return err
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d Update %d: %w", w, i, err)
					return
				}
			}
		})
	}
	var rg sync.WaitGroup
	for r := range readers {
		rg.Go(func() {
			for {
				// Pause between reads: readers spinning flat out on a
				// small machine would only measure CPU starvation.
				select {
				case <-stop:
					return
				case <-time.After(time.Millisecond):
				}
				err := s.View(ctx, func(tx store.Tx) error {
					_, err := tx.List(ctx, store.Page{Account: "111111111111", Kind: "queue", Instance: "i1", Limit: 20})
					return err
				})
				if err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	rg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	res := list(t, s, store.Page{Account: "111111111111", Kind: "queue", Instance: "i1"})
	if len(res.Records) != writers*perWriter {
		t.Errorf("%d records after concurrent updates, want %d", len(res.Records), writers*perWriter)
	}
	view(t, s, func(tx store.Tx) error {
		evs, err := tx.Events(ctx, 0, 0)
		if err != nil {
			return err
		}
		if len(evs) != writers*perWriter {
			t.Errorf("%d events, want %d", len(evs), writers*perWriter)
		}
		// Each record's event order matches its List order: both reflect
		// commit order.
		for i, e := range evs {
			if i < len(res.Records) && e.Subject != res.Records[i].ID {
				t.Errorf("event %d is about %s, record %d is %s", i, e.Subject, i, res.Records[i].ID)
				break
			}
		}
		return nil
	})
}

func testSerialisedUpdates(t *testing.T, s store.Store) {
	const workers, increments = 8, 20
	ctx := t.Context()
	counter := store.Record{Account: "111111111111", Kind: "counter", ID: "n", Data: []byte("0")}
	put(t, s, counter)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for range increments {
				err := s.Update(ctx, func(tx store.Tx) error {
					r, err := tx.Get(ctx, counter.Key())
					if err != nil {
						return err
					}
					n, err := strconv.Atoi(string(r.Data))
					if err != nil {
						return err
					}
					r.Data = []byte(strconv.Itoa(n + 1))
					return tx.Put(ctx, r)
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Update: %v", err)
	}
	if got, want := string(mustGet(t, s, counter.Key()).Data), strconv.Itoa(workers*increments); got != want {
		t.Errorf("counter = %s, want %s: an update was lost", got, want)
	}
}

func testTimers(t *testing.T, s store.Store) {
	ctx := t.Context()
	base := t0()
	timer := func(subject string, due time.Duration) store.Timer {
		return store.Timer{Account: "a1", Kind: "expiry", Instance: "i1", Subject: subject, Due: base.Add(due)}
	}
	update(t, s, func(tx store.Tx) error {
		for _, tm := range []store.Timer{timer("late", 3*time.Minute), timer("early", time.Minute), timer("moved", 10*time.Minute), timer("gone", 2*time.Minute)} {
			if err := tx.SetTimer(ctx, tm); err != nil {
				return err
			}
		}
		if err := tx.SetTimer(ctx, timer("moved", 2*time.Minute+time.Second)); err != nil {
			return err
		}
		if err := tx.DeleteTimer(ctx, "a1", "expiry", "i1", "gone"); err != nil {
			return err
		}
		return tx.DeleteTimer(ctx, "a1", "expiry", "i1", "never-set")
	})
	subjects := func(now time.Time, limit int) []string {
		var got []string
		view(t, s, func(tx store.Tx) error {
			due, err := tx.DueTimers(ctx, now, limit)
			for _, tm := range due {
				got = append(got, tm.Subject)
				if tm.Account != "a1" || tm.Kind != "expiry" || tm.Instance != "i1" || tm.Due.Location() != time.UTC {
					t.Errorf("timer %+v", tm)
				}
			}
			return err
		})
		return got
	}
	if got := subjects(base, 0); len(got) != 0 {
		t.Errorf("due before any: %v", got)
	}
	if got := subjects(base.Add(time.Minute), 0); !equalStrings(got, []string{"early"}) {
		t.Errorf("due at the first deadline (inclusive): %v", got)
	}
	if got := subjects(base.Add(time.Hour), 0); !equalStrings(got, []string{"early", "moved", "late"}) {
		t.Errorf("all due, earliest first: %v", got)
	}
	if got := subjects(base.Add(time.Hour), 2); !equalStrings(got, []string{"early", "moved"}) {
		t.Errorf("limit 2: %v", got)
	}
	var err error
	update(t, s, func(tx store.Tx) error {
		err = tx.SetTimer(ctx, store.Timer{Account: "a1", Kind: "", Subject: "x", Due: base})
		return nil
	})
	if err == nil {
		t.Error("SetTimer without Kind succeeded")
	}
}

func testDeleteInSteps(t *testing.T, s store.Store) {
	ctx := t.Context()
	var seqs []int64
	update(t, s, func(tx store.Tx) error {
		for i := range 5 {
			err := tx.PutIdempotency(ctx, store.Idempotency{Account: "111111111111", Operation: "StartTaskContact",
				Token: fmt.Sprint("tok", i), RequestHash: "h", Response: []byte(`{}`), Created: t0().Add(time.Duration(i) * time.Minute)})
			if err != nil {
				return err
			}
			seq, err := tx.AppendEvent(ctx, store.Event{Type: "ContactCreated", Account: "111111111111", Instance: "i1", Subject: fmt.Sprint("c", i)})
			if err != nil {
				return err
			}
			seqs = append(seqs, seq)
		}
		return nil
	})
	deleted := func(fn func(tx store.Tx) (int, error)) int {
		t.Helper()
		var n int
		update(t, s, func(tx store.Tx) (err error) {
			n, err = fn(tx)
			return err
		})
		return n
	}
	tokens := func() []string {
		t.Helper()
		var kept []string
		view(t, s, func(tx store.Tx) error {
			for i := range 5 {
				if _, err := tx.GetIdempotency(ctx, "111111111111", "StartTaskContact", fmt.Sprint("tok", i)); err == nil {
					kept = append(kept, fmt.Sprint("tok", i))
				}
			}
			return nil
		})
		return kept
	}
	events := func() []int64 {
		t.Helper()
		var kept []int64
		view(t, s, func(tx store.Tx) error {
			all, err := tx.Events(ctx, 0, 0)
			for _, e := range all {
				kept = append(kept, e.Seq)
			}
			return err
		})
		return kept
	}

	// Four of five entries have expired (created before t0 + 3m30s); two go a step.
	before := t0().Add(3*time.Minute + 30*time.Second)
	tokensStep := func(limit int) int {
		return deleted(func(tx store.Tx) (int, error) { return tx.DeleteIdempotencyBefore(ctx, before, limit) })
	}
	eventsStep := func(through int64, limit int) int {
		return deleted(func(tx store.Tx) (int, error) { return tx.DeleteEventsThrough(ctx, through, limit) })
	}
	if n := tokensStep(2); n != 2 {
		t.Errorf("first step removed %d entries, want 2", n)
	}
	if got := tokens(); !slices.Equal(got, []string{"tok2", "tok3", "tok4"}) {
		t.Errorf("after the first step the tokens kept are %v, want tok2 to tok4", got)
	}
	if n := tokensStep(2); n != 2 {
		t.Errorf("second step removed %d entries, want 2", n)
	}
	if n := tokensStep(2); n != 0 {
		t.Errorf("third step removed %d entries, want none (tok4 has not expired)", n)
	}
	if got := tokens(); !slices.Equal(got, []string{"tok4"}) {
		t.Errorf("after the sweep the tokens kept are %v, want tok4", got)
	}

	// Events up to the third go, two a step; those after it stay.
	if n := eventsStep(seqs[2], 2); n != 2 {
		t.Errorf("first step removed %d events, want 2", n)
	}
	if got := events(); !slices.Equal(got, seqs[2:]) {
		t.Errorf("after the first step the events kept are %v, want %v", got, seqs[2:])
	}
	if n := eventsStep(seqs[2], 2); n != 1 {
		t.Errorf("second step removed %d events, want 1", n)
	}
	if n := eventsStep(seqs[2], 0); n != 0 {
		t.Errorf("third step removed %d events, want none", n)
	}
	if got := events(); !slices.Equal(got, seqs[3:]) {
		t.Errorf("after the sweep the events kept are %v, want %v", got, seqs[3:])
	}

	// A new event after a sweep that removed the newest one still gets a higher Seq.
	if n := eventsStep(seqs[4], 0); n != 2 {
		t.Errorf("removing the rest removed %d events, want 2", n)
	}
	update(t, s, func(tx store.Tx) error {
		seq, err := tx.AppendEvent(ctx, store.Event{Type: "ContactCreated", Account: "111111111111", Instance: "i1", Subject: "c5"})
		if err == nil && seq <= seqs[4] {
			t.Errorf("event appended after the sweep has Seq %d, want above %d", seq, seqs[4])
		}
		return err
	})
}

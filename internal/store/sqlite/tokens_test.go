package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

func token(tok string) store.Idempotency {
	return store.Idempotency{Account: "111111111111", Operation: "StartTaskContact", Token: tok, RequestHash: "h-" + tok, Response: []byte(`{"ContactId":"` + tok + `"}`)}
}

func putToken(ctx context.Context, tx store.Tx, tok string) error {
	return tx.PutIdempotency(ctx, token(tok))
}

// The index of idempotency rows lives in memory and is built from the table when the
// database opens: a token stored before a restart is found after it, and a second Put
// of it still conflicts.
func TestIdempotencyEntriesAreFoundAfterAReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connectlocal.db")
	db, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for i := range 100 {
		if err := db.Update(ctx, func(tx store.Tx) error { return putToken(ctx, tx, fmt.Sprint("tok-", i)) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db, err = Open(path, nil); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, i := range []int{0, 57, 99} {
		tok := fmt.Sprint("tok-", i)
		if got, err := getIdempotency(t, db, tok); err != nil || got.RequestHash != "h-"+tok {
			t.Errorf("after the reopen, entry %s = %q, %v", tok, got.RequestHash, err)
		}
	}
	err = db.Update(ctx, func(tx store.Tx) error { return putToken(ctx, tx, "tok-57") })
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("PutIdempotency of a token stored before the reopen: err = %v, want ErrConflict", err)
	}
}

// An Update that stores a token and then fails leaves no entry behind, although the
// index in memory kept the rolled-back row's: the Update queued behind it in the same
// batch stores another token in the row it would have had, and a lookup of the first
// token, pointed at that row, compares it and finds nothing. The first token can then
// be stored after all.
func TestARolledBackIdempotencyEntryIsNotFound(t *testing.T) {
	db := openBatched(t)
	ctx := t.Context()
	release := hold(t, db)
	failed, kept := make(chan error, 1), make(chan error, 1)
	queueUpdate(t, db, failed, func(tx store.Tx) error {
		if err := putToken(ctx, tx, "rolled-back"); err != nil {
			return err
		}
		return errors.New("the Update fails after its Put")
	})
	queueUpdate(t, db, kept, func(tx store.Tx) error { return putToken(ctx, tx, "kept") })
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if err := <-failed; err == nil {
		t.Fatal("the failing Update succeeded")
	}
	if err := <-kept; err != nil {
		t.Fatal(err)
	}
	rolledBack := db.tokens.rows(idempotencyKey("111111111111", "StartTaskContact", "rolled-back"))
	if keptRows := db.tokens.rows(idempotencyKey("111111111111", "StartTaskContact", "kept")); len(rolledBack) != 1 || len(keptRows) != 1 || rolledBack[0] != keptRows[0] {
		t.Fatalf("the index gives rows %v for the rolled-back token and %v for the kept one, want one and the same (the test relies on it)", rolledBack, keptRows)
	}
	if _, err := getIdempotency(t, db, "rolled-back"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetIdempotency of the rolled-back token: err = %v, want ErrNotFound", err)
	}
	if got, err := getIdempotency(t, db, "kept"); err != nil || got.RequestHash != "h-kept" {
		t.Errorf("GetIdempotency of the token stored after it = %q, %v", got.RequestHash, err)
	}
	if err := db.Update(ctx, func(tx store.Tx) error { return putToken(ctx, tx, "rolled-back") }); err != nil {
		t.Errorf("PutIdempotency of the rolled-back token: %v", err)
	}
	if got, err := getIdempotency(t, db, "rolled-back"); err != nil || got.RequestHash != "h-rolled-back" {
		t.Errorf("GetIdempotency once stored = %q, %v", got.RequestHash, err)
	}
}

// Once the sweep has removed as many rows as half the index holds entries, the index
// drops the entries of the rows before the table's first, so that a long-running
// server's index stays the size of its table; the entries that remain are still found.
func TestTheSweepPrunesTheTokenIndex(t *testing.T) {
	db := openBatched(t)
	ctx := t.Context()
	t0 := time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC)
	const old, recent = 3 * minPrune, 10
	err := db.Update(ctx, func(tx store.Tx) error {
		for i := range old + recent {
			e := token(fmt.Sprint("tok-", i))
			if e.Created = t0; i >= old {
				e.Created = t0.Add(2 * time.Hour)
			}
			if err := tx.PutIdempotency(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sweep := func(limit int) int {
		t.Helper()
		var n int
		err := db.Update(ctx, func(tx store.Tx) (err error) {
			n, err = tx.DeleteIdempotencyBefore(ctx, t0.Add(time.Hour), limit)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	size := func() int {
		db.tokens.mu.RLock()
		defer db.tokens.mu.RUnlock()
		return len(db.tokens.last)
	}
	// A first step removes too few rows to prune the index.
	if n := sweep(minPrune / 2); n != minPrune/2 {
		t.Fatalf("the first step removed %d rows, want %d", n, minPrune/2)
	}
	if got := size(); got != old+recent {
		t.Errorf("after the first step the index holds %d entries, want all %d", got, old+recent)
	}
	sweep(0)
	if got := size(); got != recent {
		t.Errorf("after the sweep the index holds %d entries, want the %d remaining rows'", got, recent)
	}
	for _, i := range []int{0, old - 1} {
		if _, err := getIdempotency(t, db, fmt.Sprint("tok-", i)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("swept entry %d: err = %v, want ErrNotFound", i, err)
		}
	}
	for _, i := range []int{old, old + recent - 1} {
		if _, err := getIdempotency(t, db, fmt.Sprint("tok-", i)); err != nil {
			t.Errorf("remaining entry %d: %v", i, err)
		}
	}
}

// The table keeps no index of its own for the lookup: that is the write tokenIndex
// saves (see migration 0005).
func TestTheIdempotencyTableHasNoIndex(t *testing.T) {
	db := openBatched(t)
	err := db.View(t.Context(), func(st store.Tx) error {
		var indexes []string
		err := st.(*tx).c.queryRows(1, func(row []driver.Value) bool {
			indexes = append(indexes, text(row[0]))
			return true
		}, `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'idempotency'`)
		if len(indexes) > 0 {
			t.Errorf("indexes of the idempotency table: %v, want none", indexes)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// OnTokenIndexGrowth hears the index's size at once, each time it doubles from growthStep
// entries on, and once it is built when the database opens again.
func TestTheTokenIndexReportsItsGrowth(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connectlocal.db")
	db, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var heard []int64
	db.OnTokenIndexGrowth(func(bytes int64) { heard = append(heard, bytes) })
	ctx := t.Context()
	err = db.Update(ctx, func(tx store.Tx) error {
		for i := range 2*growthStep + 1 {
			if err := putToken(ctx, tx, fmt.Sprint("tok-", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	want := []int64{0, growthStep * entryBytes, 2 * growthStep * entryBytes}
	if fmt.Sprint(heard) != fmt.Sprint(want) {
		t.Errorf("heard %v, want %v", heard, want)
	}

	if db, err = Open(path, nil); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	heard = nil
	db.OnTokenIndexGrowth(func(bytes int64) { heard = append(heard, bytes) })
	if _, err := getIdempotency(t, db, "tok-1"); err != nil { // once the index is built
		t.Fatal(err)
	}
	if last := heard[len(heard)-1]; last != (2*growthStep+1)*entryBytes {
		t.Errorf("after the reopen, heard %v, want it to end with %d", heard, (2*growthStep+1)*entryBytes)
	}
}

// A token used again after each expiry leaves one key for many swept rows: the prune
// keeps only the rows from the table's first on, whatever the count of keys.
func TestPruningAfterMoreRowsThanKeys(t *testing.T) {
	x := newTokenIndex()
	for seq := range int64(minPrune + 1) {
		x.add(42, seq)
	}
	if !x.sweptRows(minPrune) {
		t.Fatal("sweptRows: no prune asked for")
	}
	x.prune(minPrune)
	if got := x.rows(42); !slices.Equal(got, []int64{minPrune}) {
		t.Errorf("rows after the prune: %v, want [%d]", got, minPrune)
	}
}

package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

// syncGate replaces a database's WAL fsync with one the test releases, counting calls.
type syncGate struct {
	calls   atomic.Int32
	started chan struct{}
	release chan error
}

func gate(t *testing.T) (*DB, *syncGate) {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "connectlocal.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	g := &syncGate{started: make(chan struct{}, 100), release: make(chan error)}
	db.durable.sync = func() error {
		g.calls.Add(1)
		g.started <- struct{}{}
		return <-g.release
	}
	return db, g
}

func put(db *DB, id string) error {
	ctx := context.Background()
	return db.Update(ctx, func(tx store.Tx) error {
		return tx.Put(ctx, store.Record{Account: "1", Kind: "queue", Instance: "i", ID: id, Data: []byte(`{}`)})
	})
}

func TestUpdateReturnsOnlyOnceSynced(t *testing.T) {
	db, g := gate(t)
	done := make(chan error)
	go func() { done <- put(db, "q1") }()
	<-g.started
	select {
	case err := <-done:
		t.Fatalf("Update returned (%v) before the WAL was synced", err)
	case <-time.After(50 * time.Millisecond):
	}
	g.release <- nil
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentCommitsShareSyncs: the Updates that arrive while the writer syncs one
// batch's commit make up the next batch, with one commit and one fsync: 1 + 10 Updates
// take 2 commits and 2 fsyncs, not 11 of each. None of them returns before its fsync.
func TestConcurrentCommitsShareSyncs(t *testing.T) {
	db, g := gate(t)
	var wg sync.WaitGroup
	errs := make(chan error, 11)
	wg.Go(func() { errs <- put(db, "first") })
	<-g.started // the writer is syncing the first commit
	var returned atomic.Int32
	ctx := context.Background()
	for i := range 10 {
		wg.Go(func() {
			errs <- db.Update(ctx, func(tx store.Tx) error {
				return tx.Put(ctx, store.Record{Account: "1", Kind: "queue", Instance: "i", ID: fmt.Sprint("q", i), Data: []byte(`{}`)})
			})
			returned.Add(1)
		})
	}
	queued(t, db, 10)
	if n := commits(db); n != 1 {
		t.Fatalf("%d commits while the first fsync ran, want 1", n)
	}
	g.release <- nil // the first fsync
	<-g.started      // the second, of the ten's one commit
	if n := returned.Load(); n != 0 {
		t.Fatalf("%d Updates returned before their commit was synced", n)
	}
	g.release <- nil
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := g.calls.Load(); n != 2 {
		t.Errorf("%d fsyncs for 11 Updates, want 2", n)
	}
	if n := commits(db); n != 2 {
		t.Errorf("%d commits for 11 Updates, want 2", n)
	}
}

func TestFailedSyncFailsUpdates(t *testing.T) {
	db, g := gate(t)
	boom := errors.New("EIO")
	done := make(chan error)
	go func() { done <- put(db, "q1") }()
	<-g.started
	g.release <- boom
	if err := <-done; !errors.Is(err, boom) {
		t.Fatalf("Update after a failed fsync = %v, want %v", err, boom)
	}
	// What is on disk is unknown now: later Updates fail without trying.
	if err := put(db, "q2"); !errors.Is(err, boom) {
		t.Fatalf("next Update = %v, want %v", err, boom)
	}
	if n := g.calls.Load(); n != 1 {
		t.Errorf("%d fsyncs, want 1", n)
	}
}

// TestSyncReachesTheWAL: the real fsync opens the WAL file SQLite writes.
func TestSyncReachesTheWAL(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "connectlocal.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	real := db.durable.sync
	var calls atomic.Int32
	db.durable.sync = func() error { calls.Add(1); return real() }
	if err := put(db, "q1"); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 {
		t.Fatalf("%d fsyncs for one Update, want 1", calls.Load())
	}
}

// TestReadersWaitForPendingSync: SQLite with synchronous=FULL shows a commit to readers
// only once it is synced; here a View that may have seen a commit whose fsync is under
// way answers only once the fsync is done.
func TestReadersWaitForPendingSync(t *testing.T) {
	db, g := gate(t)
	written := make(chan error)
	go func() { written <- put(db, "q1") }()
	<-g.started // q1 is committed, its fsync under way
	read := make(chan error)
	go func() {
		read <- db.View(context.Background(), func(tx store.Tx) error {
			_, err := tx.Get(context.Background(), store.Key{Account: "1", Kind: "queue", Instance: "i", ID: "q1"})
			return err
		})
	}()
	select {
	case err := <-read:
		t.Fatalf("View returned (%v) while the commit it saw was not on disk", err)
	case <-time.After(50 * time.Millisecond):
	}
	g.release <- nil
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	if err := <-read; err != nil {
		t.Fatal(err)
	}
}

// TestReadOnlyUpdateNeedsNoSync: an Update that writes nothing commits nothing, so it
// costs no fsync when nothing else is pending.
func TestReadOnlyUpdateNeedsNoSync(t *testing.T) {
	db, g := gate(t)
	ctx := context.Background()
	err := db.Update(ctx, func(tx store.Tx) error {
		_, err := tx.Get(ctx, store.Key{Account: "1", Kind: "queue", Instance: "i", ID: "none"})
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := g.calls.Load(); n != 0 {
		t.Errorf("%d fsyncs for an Update that wrote nothing, want 0", n)
	}
}

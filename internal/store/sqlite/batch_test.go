package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

func openBatched(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "connectlocal.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// holdWriter runs an Update that blocks until release is closed, so that the Updates
// started meanwhile queue up and share the next transaction.
func holdWriter(t *testing.T, db *DB) (release func()) {
	t.Helper()
	running, unblock, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- db.Update(context.Background(), func(store.Tx) error {
			close(running)
			<-unblock
			return nil
		})
	}()
	<-running
	return func() {
		close(unblock)
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// queued waits until n Updates are queued for the batcher.
func queued(t *testing.T, db *DB, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(db.batch.queue) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d Updates queued, want %d", len(db.batch.queue), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func commits(db *DB) uint64 {
	db.durable.mu.Lock()
	defer db.durable.mu.Unlock()
	return db.durable.started
}

func rec(id, name string) store.Record {
	return store.Record{Account: "1", Kind: "queue", Instance: "i", ID: id, Name: name, Data: []byte(`{}`)}
}

func exists(t *testing.T, db *DB, id string) bool {
	t.Helper()
	var found bool
	err := db.View(context.Background(), func(tx store.Tx) error {
		_, err := tx.Get(context.Background(), rec(id, "").Key())
		found = err == nil
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestBatchedUpdatesCommitOrFailAlone: Updates that share a transaction each commit or
// roll back on their own; a later one sees the earlier ones' changes; a panic reaches
// its own caller only.
func TestBatchedUpdatesCommitOrFailAlone(t *testing.T) {
	db := openBatched(t)
	ctx := context.Background()
	commitsBefore := commits(db)
	release := holdWriter(t, db)
	boom := errors.New("boom")
	type outcome struct {
		name     string
		err      error
		panicked any
	}
	results := make(chan outcome, 6)
	cancelled, cancel := context.WithCancel(ctx)
	start := func(name string, fn func(store.Tx) error) {
		uctx := ctx
		if name == "cancelled" {
			uctx = cancelled
		}
		go func() {
			o := outcome{name: name}
			defer func() {
				o.panicked = recover()
				results <- o
			}()
			o.err = db.Update(uctx, fn)
		}()
	}
	start("a", func(tx store.Tx) error { return tx.Put(ctx, rec("a", "shared-name")) })
	queued(t, db, 1)
	start("fails", func(tx store.Tx) error {
		if err := tx.Put(ctx, rec("fails", "")); err != nil {
			return err
		}
		return boom
	})
	queued(t, db, 2)
	start("panics", func(tx store.Tx) error {
		if err := tx.Put(ctx, rec("panics", "")); err != nil {
			return err
		}
		panicsInUpdate()
		return nil
	})
	queued(t, db, 3)
	start("conflict", func(tx store.Tx) error { return tx.Put(ctx, rec("conflict", "shared-name")) })
	queued(t, db, 4)
	start("sees-a", func(tx store.Tx) error {
		if _, err := tx.Get(ctx, rec("a", "").Key()); err != nil {
			return err
		}
		return tx.Put(ctx, rec("sees-a", ""))
	})
	queued(t, db, 5)
	start("cancelled", func(tx store.Tx) error { return tx.Put(ctx, rec("cancelled", "")) })
	queued(t, db, 6)
	cancel()
	release()

	got := map[string]outcome{}
	for range 6 {
		o := <-results
		got[o.name] = o
	}
	if o := got["a"]; o.err != nil || o.panicked != nil {
		t.Errorf("a: %+v", o)
	}
	if o := got["fails"]; !errors.Is(o.err, boom) {
		t.Errorf("fails: %+v, want %v", o, boom)
	}
	// The caller re-panics with the value and the stack where it was panicked with.
	if p, ok := got["panics"].panicked.(*updatePanic); !ok || p.value != "oops" || !strings.Contains(p.Error(), "panicsInUpdate") {
		t.Errorf("panics: %+v, want the panic with the stack of panicsInUpdate", got["panics"])
	}
	if o := got["conflict"]; !errors.Is(o.err, store.ErrConflict) {
		t.Errorf("conflict: %+v, want ErrConflict", o)
	}
	if o := got["sees-a"]; o.err != nil {
		t.Errorf("sees-a: %+v", o)
	}
	if o := got["cancelled"]; !errors.Is(o.err, context.Canceled) {
		t.Errorf("cancelled: %+v, want context.Canceled", o)
	}
	for id, want := range map[string]bool{"a": true, "fails": false, "panics": false, "conflict": false, "sees-a": true, "cancelled": false} {
		if exists(t, db, id) != want {
			t.Errorf("record %s exists = %v, want %v", id, !want, want)
		}
	}
	// The six queued Updates shared one commit (the hold wrote nothing, so had none).
	if n := commits(db) - commitsBefore; n != 1 {
		t.Errorf("%d commits, want 1", n)
	}
}

// TestCancelledWhileQueued: an Update whose context ends before its turn does not run.
func TestCancelledWhileQueued(t *testing.T) {
	db := openBatched(t)
	release := holdWriter(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- db.Update(ctx, func(tx store.Tx) error { return tx.Put(context.Background(), rec("late", "")) })
	}()
	queued(t, db, 1)
	cancel()
	release()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Update = %v, want context.Canceled", err)
	}
	if exists(t, db, "late") {
		t.Error("the cancelled Update's record was committed")
	}
}

// panicsInUpdate panics, in an Update's function, under a name to find in a stack.
func panicsInUpdate() { panic("oops") }

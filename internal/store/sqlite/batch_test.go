package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
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
	releaseErr := hold(t, db)
	return func() {
		if err := releaseErr(); err != nil {
			t.Error(err)
		}
	}
}

// hold is holdWriter, whose release returns the holding Update's outcome: the Updates
// queued behind it share its transaction.
func hold(t *testing.T, db *DB) (release func() error) {
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
	return func() error {
		close(unblock)
		return <-done
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

// queueUpdate starts an Update of fn, whose outcome goes to errs, and returns once it is
// queued behind the Updates queued before it.
func queueUpdate(t *testing.T, db *DB, errs chan<- error, fn func(store.Tx) error) {
	t.Helper()
	n := len(db.batch.queue)
	go func() { errs <- db.Update(context.Background(), fn) }()
	queued(t, db, n+1)
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

// TestAnUpdateThatFailsAfterWritingIsUndoneAlone: with no savepoint per Update, one that
// fails after a change rolls the batch's transaction back, and the changes of the
// Updates before it are made again from their logs. They must come out as their
// Updates saw them: the event sequence numbers they were told, the bytes they passed
// (though the caller reused its buffer), and what the Updates after it see.
func TestAnUpdateThatFailsAfterWritingIsUndoneAlone(t *testing.T) {
	db := openBatched(t)
	ctx := context.Background()
	release := holdWriter(t, db)
	boom := errors.New("boom")
	var seqA, seqC int64
	errs := make(chan error, 3)
	queueUpdate(t, db, errs, func(tx store.Tx) error {
		buf := []byte(`{"v":"a"}`)
		r := rec("a", "")
		r.Data = buf
		if err := tx.Put(ctx, r); err != nil {
			return err
		}
		copy(buf, `{"v":"X"}`) // a caller may reuse its buffer once Put returns
		var err error
		seqA, err = tx.AppendEvent(ctx, store.Event{Type: "a", Subject: "a", Payload: []byte(`{}`)})
		return err
	})
	queueUpdate(t, db, errs, func(tx store.Tx) error {
		if err := tx.Put(ctx, rec("b", "")); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(ctx, store.Event{Type: "b", Subject: "b", Payload: []byte(`{}`)}); err != nil {
			return err
		}
		return boom
	})
	queueUpdate(t, db, errs, func(tx store.Tx) error {
		if _, err := tx.Get(ctx, rec("a", "").Key()); err != nil {
			return fmt.Errorf("c does not see a: %w", err)
		}
		if _, err := tx.Get(ctx, rec("b", "").Key()); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("c sees b: %v", err)
		}
		var err error
		seqC, err = tx.AppendEvent(ctx, store.Event{Type: "c", Subject: "c", Payload: []byte(`{}`)})
		return err
	})
	commitsBefore := commits(db)
	release()
	var failed int
	for range 3 {
		switch err := <-errs; {
		case errors.Is(err, boom):
			failed++
		case err != nil:
			t.Error(err)
		}
	}
	if failed != 1 {
		t.Errorf("%d Updates failed with boom, want 1", failed)
	}
	if n := commits(db) - commitsBefore; n != 1 {
		t.Errorf("%d commits, want the batch's 1", n)
	}
	if exists(t, db, "b") {
		t.Error("the failed Update's record was committed")
	}
	var events []store.Event
	var a store.Record
	err := db.View(ctx, func(tx store.Tx) (err error) {
		if a, err = tx.Get(ctx, rec("a", "").Key()); err != nil {
			return err
		}
		events, err = tx.Events(ctx, 0, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if string(a.Data) != `{"v":"a"}` {
		t.Errorf("a's record holds %s, want the bytes a put", a.Data)
	}
	bySeq := map[int64]string{}
	for _, e := range events {
		bySeq[e.Seq] = e.Type
	}
	if len(events) != 2 || bySeq[seqA] != "a" || bySeq[seqC] != "c" {
		t.Errorf("events %v; a was told seq %d and c seq %d", bySeq, seqA, seqC)
	}
}

// TestATransactionSQLiteRolledBackFailsItsBatch: when a statement fails and SQLite
// rolls the transaction back by itself (as on a full disk or an I/O error), the
// Updates that had run in it fail, and none of their changes is committed, though the
// Update whose statement failed went on as if nothing had happened.
func TestATransactionSQLiteRolledBackFailsItsBatch(t *testing.T) {
	db := openBatched(t)
	ctx := context.Background()
	if err := db.Update(ctx, func(tx store.Tx) error { return tx.Put(ctx, rec("taken", "name")) }); err != nil {
		t.Fatal(err)
	}
	release := hold(t, db)
	errs := make(chan error, 3)
	queueUpdate(t, db, errs, func(tx store.Tx) error { return tx.Put(ctx, rec("a", "")) })
	queueUpdate(t, db, errs, func(stx store.Tx) error {
		// What SQLite does on such a failure, done by hand: the transaction ends,
		// and the statement fails.
		if _, err := stx.(*tx).c.exec(qRollback); err != nil {
			return err
		}
		if err := stx.Put(ctx, rec("dup", "name")); !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("Put = %v, want ErrConflict", err)
		}
		return nil // and the Update carries on, the failure unseen
	})
	errs <- release() // the holding Update shares the transaction too
	for range 3 {
		if err := <-errs; err == nil || !strings.Contains(err.Error(), "transaction aborted") {
			t.Errorf("Update = %v, want the transaction's failure", err)
		}
	}
	if exists(t, db, "a") {
		t.Error("a was committed from a transaction SQLite had rolled back")
	}
	// The writer goes on with a transaction of its own.
	if err := db.Update(ctx, func(tx store.Tx) error { return tx.Put(ctx, rec("after", "")) }); err != nil {
		t.Fatal(err)
	}
	if !exists(t, db, "after") {
		t.Error("the next Update was not committed")
	}
}

// TestASmallBatchWaitsForTheLoadsPeak: once batches of several Updates have been seen,
// an Update that finds itself alone waits for others to share its commit; a lone
// client's Update never waits.
func TestASmallBatchWaitsForTheLoadsPeak(t *testing.T) {
	db := openBatched(t)
	ctx := context.Background()
	db.batch.gatherWait = time.Hour // so that only the second Update can end the wait
	db.batch.peak = 1
	if err := db.Update(ctx, func(tx store.Tx) error { return tx.Put(ctx, rec("alone", "")) }); err != nil {
		t.Fatal(err) // a wait would have lasted the hour
	}
	db.batch.peak = 4
	commitsBefore := commits(db)
	errs := make(chan error, 2)
	started := make(chan struct{})
	go func() {
		errs <- db.Update(ctx, func(tx store.Tx) error {
			close(started)
			return tx.Put(ctx, rec("first", ""))
		})
	}()
	<-started
	time.Sleep(10 * time.Millisecond) // the first is applied and waiting
	go func() { errs <- db.Update(ctx, func(tx store.Tx) error { return tx.Put(ctx, rec("second", "")) }) }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := commits(db) - commitsBefore; n != 1 {
		t.Errorf("%d commits, want 1: the first waited for the second", n)
	}
}

// TestBatchesOfMixedOutcomesCommitExactlyTheGoodUpdates: batches of Updates that
// succeed, fail before any change, fail after changes or panic, in random order. What
// is committed is exactly the successful Updates' records and events, with the event
// sequence numbers those Updates were told, however many redos their batch took.
func TestBatchesOfMixedOutcomesCommitExactlyTheGoodUpdates(t *testing.T) {
	db := openBatched(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	boom := errors.New("boom")
	type result struct {
		id  string
		seq int64
		ok  bool
	}
	var all []result
	for batch := range 10 {
		release := holdWriter(t, db)
		n := 8 + rng.IntN(16)
		results := make(chan result, n)
		for i := range n {
			id := fmt.Sprintf("b%d-u%d", batch, i)
			outcome := rng.IntN(4) // 0 succeeds, 1 fails first, 2 fails after writing, 3 panics after writing
			go func() {
				r := result{id: id}
				defer func() {
					if p := recover(); p != nil && outcome != 3 {
						t.Errorf("%s panicked: %v", id, p)
					}
					results <- r
				}()
				err := db.Update(ctx, func(tx store.Tx) error {
					if outcome == 1 {
						return boom
					}
					if err := tx.Put(ctx, rec(id, "")); err != nil {
						return err
					}
					seq, err := tx.AppendEvent(ctx, store.Event{Type: "t", Subject: id, Payload: []byte(`{}`)})
					if err != nil {
						return err
					}
					r.seq = seq
					switch outcome {
					case 2:
						return boom
					case 3:
						panic("after writing")
					}
					return nil
				})
				r.ok = err == nil
				if outcome == 0 && err != nil {
					t.Errorf("%s: %v", id, err)
				}
			}()
			queued(t, db, i+1)
		}
		release()
		for range n {
			all = append(all, <-results)
		}
	}
	var events []store.Event
	if err := db.View(ctx, func(tx store.Tx) (err error) { events, err = tx.Events(ctx, 0, 0); return err }); err != nil {
		t.Fatal(err)
	}
	bySeq := map[int64]string{}
	for _, e := range events {
		bySeq[e.Seq] = e.Subject
	}
	var good int
	for _, r := range all {
		if r.ok {
			good++
			if bySeq[r.seq] != r.id {
				t.Errorf("%s was told seq %d, which holds %q", r.id, r.seq, bySeq[r.seq])
			}
		}
		if exists(t, db, r.id) != r.ok {
			t.Errorf("%s: committed = %v, succeeded = %v", r.id, !r.ok, r.ok)
		}
	}
	if len(events) != good {
		t.Errorf("%d events committed, want the %d successful Updates'", len(events), good)
	}
}

// TestABatchOfLargeValuesCommitsEarly: a batch keeps a copy of every byte value its
// Updates wrote, for a redo, so it takes no more Updates once those reach
// maxBatchBytes; the rest make up the next batch.
func TestABatchOfLargeValuesCommitsEarly(t *testing.T) {
	db := openBatched(t)
	ctx := context.Background()
	large := bytes.Repeat([]byte("x"), maxBatchBytes*5/8)
	commitsBefore := commits(db)
	release := holdWriter(t, db)
	errs := make(chan error, 3)
	for i := range 3 {
		queueUpdate(t, db, errs, func(tx store.Tx) error {
			r := rec(fmt.Sprint("large", i), "")
			r.Data = large
			return tx.Put(ctx, r)
		})
	}
	release()
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// The first two (with the hold) reach the bound; the third commits on its own.
	if n := commits(db) - commitsBefore; n != 2 {
		t.Errorf("%d commits, want 2", n)
	}
}

// TestRequestsGoBeforeABackgroundJob: a background job's Update queued before a
// request's neither joins the batch the request's joins nor goes before it; it runs in
// a batch of its own after.
func TestRequestsGoBeforeABackgroundJob(t *testing.T) {
	db := openBatched(t)
	ctx := context.Background()
	commitsBefore := commits(db)
	release := holdWriter(t, db)
	var order []string // appended to by the writer alone
	ran := func(name string) func(store.Tx) error {
		return func(tx store.Tx) error {
			order = append(order, name)
			return tx.Put(ctx, rec(name, ""))
		}
	}
	errs := make(chan error, 2)
	go func() { errs <- db.Update(store.BackgroundJob(ctx), ran("job")) }()
	deadline := time.Now().Add(5 * time.Second)
	for len(db.batch.jobs) < 1 {
		if time.Now().After(deadline) {
			t.Fatal("the job's Update was not queued")
		}
		time.Sleep(time.Millisecond)
	}
	queueUpdate(t, db, errs, ran("request"))
	release()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"request", "job"}; !slices.Equal(order, want) {
		t.Errorf("ran %v, want %v", order, want)
	}
	if n := commits(db) - commitsBefore; n != 2 {
		t.Errorf("%d commits, want 2: the holder's and the request's, then the job's", n)
	}
}

// TestABackgroundJobWaitsForRequestsOnlySoLong: the writer starts a batch with a
// request's Update rather than a background job's, until the job's has waited
// backgroundWait; with nothing else queued, a job's goes at once.
func TestABackgroundJobWaitsForRequestsOnlySoLong(t *testing.T) {
	b := &batcher{queue: make(chan *update, 4), jobs: make(chan *update, 4), done: make(chan struct{})}
	request := &update{}
	fresh, waited := &update{queued: time.Now()}, &update{queued: time.Now().Add(-backgroundWait)}
	steps := []struct {
		name          string
		requests, job []*update
		want          *update
	}{
		{"a fresh job's beside a request's", []*update{request}, []*update{fresh}, request},
		{"the fresh job's then", nil, nil, fresh},
		{"a job's that has waited beside a request's", []*update{request}, []*update{waited}, waited},
		{"the request's then", nil, nil, request},
		{"a fresh job's alone", nil, []*update{fresh}, fresh},
	}
	for _, s := range steps {
		for _, u := range s.requests {
			b.queue <- u
		}
		for _, u := range s.job {
			b.jobs <- u
		}
		if got := b.next(); got != s.want {
			t.Errorf("%s: next gave the wrong Update", s.name)
		}
	}
	close(b.done)
	if got := b.next(); got != nil {
		t.Error("next gave an Update after the batcher closed, with none queued")
	}
}

package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

// maxBatch bounds how many Updates share one SQLite transaction.
const maxBatch = 64

// maxBatchBytes bounds the bytes a batch keeps in its Updates' logs (see writeLog)
// before it takes no more Updates: a batch of large emails (bodies of up to 5 MiB)
// commits before it holds many copies of them.
const maxBatchBytes = 8 << 20

// gatherWait bounds how long a small batch waits for more Updates (see wait).
const gatherWait = 200 * time.Microsecond

// backgroundWait bounds how long a background job's Update lets the requests' Updates
// go first (see next): a job under a load that never lets up still writes a hundred
// times a second.
const backgroundWait = 10 * time.Millisecond

// batcher runs the Updates of a file database on the writer connection, several to a
// SQLite transaction: the Updates that arrive while one transaction runs make up the
// next. Sharing a transaction shares its fixed costs (BEGIN, COMMIT, the WAL frames of
// the pages several Updates touch, the fsync), which are most of a small Update's cost.
// Each Update sees the changes of those before it exactly as if they had committed just
// before it: the batch is the same serial order, committed at once.
//
// An Update that fails (or panics) has none of its changes committed, and the others
// of its batch commit as if it had not run. It runs in no savepoint: SQLite copies into
// a savepoint's journal every page the savepoint changes, which cost a seventh of a
// small Update's work on the writer. Most failures come before any change (a check),
// and leave nothing to undo. One that comes after a change is undone by rolling the
// whole transaction back and making the changes of the Updates before it again,
// statement by statement, from their logs (see redo).
//
// The Updates of background jobs (store.BackgroundJob) queue apart, and one starts a
// batch only when no request's Update is waiting, or once it has waited backgroundWait
// (see next). Under the email load the analysis job's Update had been in nearly every
// batch that the 16 clients waited on.
type batcher struct {
	c       *conn // the writer connection
	now     func() time.Time
	tokens  *tokenIndex
	durable *groupSync
	ckpt    *walCheckpointer
	queue   chan *update  // the requests' Updates
	jobs    chan *update  // the background jobs' Updates
	held    *update       // one taken from jobs, waiting for the requests' to go first
	done    chan struct{} // closed by close
	stopped chan struct{} // closed when run returns
	// peak is the size of the largest recent batch, less one for each smaller batch
	// since: how many Updates the load keeps in flight (see wait).
	peak       int
	gatherWait time.Duration
	gather     *time.Timer
}

// update is one Update waiting for, or done by, the batcher.
type update struct {
	ctx      context.Context
	fn       func(store.Tx) error
	err      error
	panicked any       // what fn panicked with (an *updatePanic), re-panicked in the caller
	commit   uint64    // the last commit begun when its batch ended, for groupSync.wait
	queued   time.Time // when a background job's Update was queued
	ready    chan struct{}
}

// writeLog is what an Update changed: the statements it ran that changed the database,
// in order, with their values.
type writeLog struct {
	writes []loggedWrite
	size   int // the bytes of the byte-slice values
}

type loggedWrite struct {
	query  string
	values []any
}

// add logs a statement that succeeded. Byte slices are copied: the caller may reuse
// them once the statement has run.
func (l *writeLog) add(query string, values []any) {
	v := make([]any, len(values))
	for i, x := range values {
		if b, ok := x.([]byte); ok {
			x = bytes.Clone(b)
			l.size += len(b)
		}
		v[i] = x
	}
	l.writes = append(l.writes, loggedWrite{query, v})
}

func newBatcher(c *conn, now func() time.Time, tokens *tokenIndex, durable *groupSync, ckpt *walCheckpointer) *batcher {
	b := &batcher{c: c, now: now, tokens: tokens, durable: durable, ckpt: ckpt,
		queue: make(chan *update, maxBatch), jobs: make(chan *update, maxBatch), done: make(chan struct{}), stopped: make(chan struct{}),
		gatherWait: gatherWait, gather: time.NewTimer(time.Hour)}
	b.gather.Stop()
	go b.run()
	return b
}

var errClosed = errors.New("sqlite: database closed")

// update runs fn in a batch and returns once its changes are durable.
func (b *batcher) update(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.durable.failed(); err != nil {
		return err
	}
	u := &update{ctx: ctx, fn: fn, ready: make(chan struct{})}
	queue := b.queue
	if store.IsBackgroundJob(ctx) {
		queue, u.queued = b.jobs, time.Now()
	}
	select {
	case queue <- u:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.done:
		return errClosed
	}
	<-u.ready // once queued, fn may run: wait for the outcome whatever ctx does
	// Whatever the outcome, it may rest on what earlier Updates committed: answer only
	// once that, and this Update's own commit, is on disk.
	serr := b.durable.wait(u.commit)
	switch {
	case u.panicked != nil:
		panic(u.panicked)
	case u.err != nil:
		return u.err
	}
	return serr
}

func (b *batcher) run() {
	defer close(b.stopped)
	for {
		first := b.next()
		if first == nil {
			return
		}
		if b.ckpt.restart.Swap(false) {
			b.finishCheckpoint()
		}
		batch := b.runBatch(first)
		n := b.durable.latest()
		// The writer syncs its own commit before it answers the batch: each caller then
		// wakes once, finds its commit durable and returns. When a caller ran the
		// fsync, every caller woke twice (for its commit, then for the fsync) and the
		// fsync began only once one of them was scheduled; on two busy cores those
		// hand-offs cost more server CPU a write than overlapping the next batch with
		// the fsync saved. The Updates that arrive meanwhile make up the next batch.
		_ = b.durable.wait(n) // a failure reaches each caller through its own wait
		for _, u := range batch {
			u.commit = n
			close(u.ready)
		}
	}
}

// next waits for the Update the next batch starts with and returns it, or nil once the
// batcher is closed. A background job's goes first only when no request's is queued, or
// once it has waited backgroundWait; the requests' Updates queued meanwhile then join
// its batch as they would any other.
func (b *batcher) next() *update {
	if b.held == nil {
		select {
		case b.held = <-b.jobs:
		default:
		}
	}
	if b.held != nil && time.Since(b.held.queued) < backgroundWait {
		select {
		case u := <-b.queue:
			return u
		default:
		}
	}
	if u := b.held; u != nil {
		b.held = nil
		return u
	}
	select {
	case u := <-b.queue:
		return u
	case u := <-b.jobs:
		return u
	case <-b.done:
		return nil
	}
}

// finishCheckpoint copies into the database file the WAL frames the checkpointer left,
// with no transaction open, so that the next transaction finds them all copied and
// starts the WAL over (see walCheckpointer.restart). A failure leaves the WAL as it was,
// to be tried again after the checkpointer's next pass.
func (b *batcher) finishCheckpoint() {
	_ = b.c.do(func() error {
		_, err := b.c.exec(qCheckpoint)
		return err
	})
}

// runBatch runs first and the Updates that follow it in one transaction, commits those
// that succeeded, and returns them all.
func (b *batcher) runBatch(first *update) []*update {
	batch := []*update{first}
	if err := b.c.do(func() error { batch = b.transact(first); return nil }); err != nil {
		first.err = fmt.Errorf("sqlite: %w", err) // the connection could not be used
	}
	return batch
}

// transact does runBatch's work on the connection: first and the Updates queued behind
// it, which share its commit (its WAL frames for the pages they all touch) and its
// fsync.
func (b *batcher) transact(first *update) []*update {
	// The transaction belongs to no single caller, so no caller's cancellation may
	// interrupt it; each fn's statements still check their own ctx (see tx).
	if _, err := b.c.exec(qBeginImmediate); err != nil {
		first.err = fmt.Errorf("sqlite: begin: %w", err)
		return []*update{first}
	}
	p := &pending{}
	b.add(p, first)
	b.take(p)
	if len(p.all) < b.peak/2 {
		b.wait(p, b.peak/2)
	}
	if len(p.all) >= b.peak {
		b.peak = len(p.all)
	} else {
		b.peak--
	}
	if p.broken != nil {
		_, _ = b.c.exec(qRollback)
		for _, u := range p.good {
			u.err = p.broken
		}
		return p.all
	}
	if len(p.made) == 0 { // nothing to commit (and no WAL frames to sync)
		_, _ = b.c.exec(qRollback)
		return p.all
	}
	n := b.durable.begin()
	err := b.c.commit()
	b.durable.finished(n)
	if err != nil {
		for _, u := range p.good {
			u.err = fmt.Errorf("sqlite: commit: %w", err)
		}
		return p.all
	}
	b.ckpt.committed()
	return p.all
}

// pending is a batch under way in the writer's transaction.
type pending struct {
	all      []*update
	good     []*update     // those whose changes are in the transaction
	made     []loggedWrite // their changes, in order
	madeSize int           // the bytes of made's byte-slice values
	broken   error         // the transaction itself failed: nothing can commit
}

// full reports whether the batch may take no more Updates.
func (p *pending) full() bool { return len(p.all) >= maxBatch || p.madeSize >= maxBatchBytes }

// add runs u in the batch's transaction.
func (b *batcher) add(p *pending, u *update) {
	p.all = append(p.all, u)
	if p.broken != nil {
		u.err = p.broken
		return
	}
	if err := u.ctx.Err(); err != nil {
		u.err = err
		return
	}
	var log writeLog
	t := &tx{c: b.c, now: b.now, tokens: b.tokens, log: &log}
	failures := b.c.failures
	u.err, u.panicked = call(u.fn, t)
	ok := u.err == nil && u.panicked == nil
	if b.c.failures != failures {
		if err := b.stillOpen(); err != nil {
			p.broken = fmt.Errorf("sqlite: transaction aborted: %w", err)
			if ok {
				u.err = p.broken
			}
			return
		}
	}
	switch {
	case ok:
		p.good = append(p.good, u)
		p.made = append(p.made, log.writes...)
		p.madeSize += log.size
	case len(log.writes) > 0:
		if err := b.redo(p.made); err != nil {
			p.broken = fmt.Errorf("sqlite: transaction aborted: %w", err)
		}
	}
}

// take adds the Updates queued now, until the batch is full.
func (b *batcher) take(p *pending) {
	for !p.full() {
		select {
		case u := <-b.queue:
			b.add(p, u)
		default:
			return
		}
	}
}

// wait gives a batch up to gatherWait to grow to want Updates, then takes what is
// queued. Under load the clients' Updates arrive spread over a commit's time, and the
// first few, alone in a batch, would pay a commit and an fsync of their own and leave
// the rest for the next: under the email load a third of the batches were of one
// Update. transact asks for half the recent peak, so a lone client's batches never
// wait: half of a peak of one is none.
func (b *batcher) wait(p *pending, want int) {
	b.gather.Reset(b.gatherWait)
	defer b.gather.Stop()
gather:
	for len(p.all) < want && !p.full() {
		select {
		case u := <-b.queue:
			b.add(p, u)
		case <-b.gather.C:
			break gather
		}
	}
	b.take(p)
}

// stillOpen returns an error if the transaction is no longer open. SQLite rolls a
// transaction back by itself on some failures of a statement (a full disk, an I/O
// error). BEGIN fails inside a transaction; outside one it begins one, rolled back here.
func (b *batcher) stillOpen() error {
	_, err := b.c.exec(qBegin)
	if err != nil && strings.Contains(err.Error(), "within a transaction") {
		return nil
	}
	if err == nil {
		_, _ = b.c.exec(qRollback)
	}
	return errors.New("SQLite rolled it back after a failed statement")
}

// redo undoes the changes of an Update that failed after making some: it rolls the
// transaction back, begins again and makes the changes of the Updates before it again
// (made), statement by statement. They run against the database they ran against the
// first time, so they give what they gave their Updates then: the same rows, the same
// row IDs (AUTOINCREMENT's counters roll back with the rest), the same counts.
func (b *batcher) redo(made []loggedWrite) error {
	if _, err := b.c.exec(qRollback); err != nil {
		return err
	}
	if _, err := b.c.exec(qBeginImmediate); err != nil {
		return err
	}
	for _, w := range made {
		if _, err := b.c.exec(w.query, w.values...); err != nil {
			return err
		}
	}
	return nil
}

// call runs fn, turning a panic into a value for the caller to re-panic with.
func call(fn func(store.Tx) error, t *tx) (err error, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			panicked = &updatePanic{value: p, stack: debug.Stack()}
		}
	}()
	return fn(t), nil
}

// updatePanic is what an Update's function panicked with, as the Update's caller
// re-panics with it: with the stack of the batcher's goroutine, where the function ran
// and panicked. The stack a recover in the caller can print shows only the re-panic.
type updatePanic struct {
	value any
	stack []byte
}

func (p *updatePanic) Error() string {
	return fmt.Sprintf("%v\n\nin the Update, on the writer's goroutine:\n%s", p.value, p.stack)
}

// Unwrap returns the value panicked with, if it is an error.
func (p *updatePanic) Unwrap() error {
	err, _ := p.value.(error)
	return err
}

// close stops the batcher once the Update it may be running is done, and closes
// the writer connection.
func (b *batcher) close() error {
	close(b.done)
	<-b.stopped
	return b.c.close()
}

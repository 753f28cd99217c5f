package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// errReadOnly is returned by write methods called inside View.
var errReadOnly = errors.New("write in a read-only transaction")

// tx implements store.Tx on one database/sql transaction.
type tx struct {
	tx       *sql.Tx
	stmts    statements // of the pool tx runs on
	now      func() time.Time
	readOnly bool
	wrote    bool // a write method was called
}

var _ store.Tx = (*tx)(nil)

// stmt returns the prepared statement for query, bound to this transaction, and the
// context to run it with: ctx without its cancellation, which is checked here instead.
// A running statement is not interrupted when ctx ends: an Update's transaction may be
// shared with other Updates (see batcher), and SQLite answers an interrupted write by
// rolling back the whole transaction; and the driver would start a goroutine to watch
// each statement's ctx.
func (t *tx) stmt(ctx context.Context, query string) (*sql.Stmt, context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	ctx = context.WithoutCancel(ctx)
	return t.tx.StmtContext(ctx, t.stmts[query]), ctx, nil
}

// writable returns errReadOnly in a View transaction. The reader connections
// are query-only as well; this check also covers the in-memory database,
// whose View shares the writer connection.
func (t *tx) writable(op string) error {
	if t.readOnly {
		return fmt.Errorf("%s: %w", op, errReadOnly)
	}
	t.wrote = true
	return nil
}

// nanos and fromNanos convert times to and from their stored form, unix
// nanoseconds; times come back in UTC.
func nanos(t time.Time) int64 { return t.UnixNano() }

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// isUnique reports whether err is a UNIQUE or PRIMARY KEY violation. SQLite
// aborts only the failing statement, so the transaction stays usable.
func isUnique(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// nonNil stores a nil document as an empty one; the columns are NOT NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// scanRecord reads a row selected with recordColumns, after any leading
// columns, which it scans into before.
func scanRecord(s interface{ Scan(...any) error }, before ...any) (store.Record, error) {
	var r store.Record
	var created, updated int64
	dest := append(before, &r.Account, &r.Kind, &r.Instance, &r.ID, &r.Name, &r.Data, &created, &updated)
	if err := s.Scan(dest...); err != nil {
		return store.Record{}, err
	}
	r.Created, r.Updated = fromNanos(created), fromNanos(updated)
	return r, nil
}

// Get returns the record with key k. Returns store.ErrNotFound if there is none.
func (t *tx) Get(ctx context.Context, k store.Key) (store.Record, error) {
	st, sctx, err := t.stmt(ctx, qGet)
	if err != nil {
		return store.Record{}, err
	}
	row := st.QueryRowContext(sctx, k.Account, k.Kind, k.Instance, k.ID)
	r, err := scanRecord(row)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Record{}, store.ErrNotFound
	}
	if err != nil {
		return store.Record{}, fmt.Errorf("sqlite: get: %w", err)
	}
	return r, nil
}

// GetByName returns the record named name. Returns store.ErrNotFound if
// there is none or name is empty.
func (t *tx) GetByName(ctx context.Context, account, kind, instance, name string) (store.Record, error) {
	if name == "" {
		return store.Record{}, store.ErrNotFound
	}
	st, sctx, err := t.stmt(ctx, qGetByName)
	if err != nil {
		return store.Record{}, err
	}
	row := st.QueryRowContext(sctx, account, kind, instance, name)
	r, err := scanRecord(row)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Record{}, store.ErrNotFound
	}
	if err != nil {
		return store.Record{}, fmt.Errorf("sqlite: get by name: %w", err)
	}
	return r, nil
}

// Put inserts or replaces r, keeping the List position and Created of a
// replaced record. Returns store.ErrConflict if another ID holds r.Name, or an error
// if r.Kind or r.ID is empty.
func (t *tx) Put(ctx context.Context, r store.Record) error {
	if err := t.writable("sqlite: put"); err != nil {
		return err
	}
	if r.Kind == "" || r.ID == "" {
		return fmt.Errorf("sqlite: put: record needs a Kind and an ID (got %q, %q)", r.Kind, r.ID)
	}
	now := t.now()
	created := r.Created
	if created.IsZero() {
		created = now
	}
	st, sctx, err := t.stmt(ctx, qPut)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(sctx,
		r.Account, r.Kind, r.Instance, r.ID, r.Name, nonNil(r.Data), nanos(created), nanos(now))
	if isUnique(err) {
		return store.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("sqlite: put: %w", err)
	}
	return nil
}

// Delete removes the record with key k. Returns store.ErrNotFound if there
// is none.
func (t *tx) Delete(ctx context.Context, k store.Key) error {
	if err := t.writable("sqlite: delete"); err != nil {
		return err
	}
	st, sctx, err := t.stmt(ctx, qDelete)
	if err != nil {
		return err
	}
	res, err := st.ExecContext(sctx,
		k.Account, k.Kind, k.Instance, k.ID)
	if err != nil {
		return fmt.Errorf("sqlite: delete: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: delete: %w", err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// A List cursor is the seq of the last record returned, in base 36. seq is
// AUTOINCREMENT, so records added later always have a larger one.
func encodeCursor(seq int64) string { return strconv.FormatInt(seq, 36) }

func decodeCursor(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	seq, err := strconv.ParseInt(s, 36, 64)
	if err != nil || seq < 0 {
		return 0, store.ErrInvalidCursor
	}
	return seq, nil
}

// List returns one page of a scope in insertion order. Returns
// store.ErrInvalidCursor if p.After cannot be decoded.
func (t *tx) List(ctx context.Context, p store.Page) (store.ListResult, error) {
	after, err := decodeCursor(p.After)
	if err != nil {
		return store.ListResult{}, err
	}
	limit := -1 // SQLite: no limit
	if p.Limit > 0 {
		limit = p.Limit + 1 // one extra row tells whether there is a next page
	}
	st, sctx, err := t.stmt(ctx, qList)
	if err != nil {
		return store.ListResult{}, err
	}
	rows, err := st.QueryContext(sctx,
		p.Account, p.Kind, p.Instance, after, limit)
	if err != nil {
		return store.ListResult{}, fmt.Errorf("sqlite: list: %w", err)
	}
	defer rows.Close()
	var res store.ListResult
	var lastSeq int64
	for rows.Next() {
		if p.Limit > 0 && len(res.Records) == p.Limit {
			res.Next = encodeCursor(lastSeq)
			break
		}
		var seq int64
		r, err := scanRecord(rows, &seq)
		if err != nil {
			return store.ListResult{}, fmt.Errorf("sqlite: list: %w", err)
		}
		lastSeq, r.Seq = seq, seq
		res.Records = append(res.Records, r)
	}
	if err := rows.Err(); err != nil {
		return store.ListResult{}, fmt.Errorf("sqlite: list: %w", err)
	}
	return res, nil
}

// DeleteInstance removes every record living in instance. Returns an error
// if instance is empty, which would otherwise match the instance records.
func (t *tx) DeleteInstance(ctx context.Context, account, instance string) error {
	if err := t.writable("sqlite: delete instance"); err != nil {
		return err
	}
	if instance == "" {
		return errors.New("sqlite: delete instance: empty instance ID")
	}
	st, sctx, err := t.stmt(ctx, qDeleteInstance)
	if err != nil {
		return err
	}
	if _, err = st.ExecContext(sctx, account, instance); err != nil {
		return fmt.Errorf("sqlite: delete instance: %w", err)
	}
	return nil
}

// GetIdempotency returns the remembered answer for a token. Returns
// store.ErrNotFound if there is none.
func (t *tx) GetIdempotency(ctx context.Context, account, operation, token string) (store.Idempotency, error) {
	i := store.Idempotency{Account: account, Operation: operation, Token: token}
	var created int64
	st, sctx, err := t.stmt(ctx, qGetIdempotency)
	if err != nil {
		return store.Idempotency{}, err
	}
	err = st.QueryRowContext(sctx,
		account, operation, token).Scan(&i.RequestHash, &i.Response, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Idempotency{}, store.ErrNotFound
	}
	if err != nil {
		return store.Idempotency{}, fmt.Errorf("sqlite: get idempotency: %w", err)
	}
	i.Created = fromNanos(created)
	return i, nil
}

// PutIdempotency stores a new entry. Returns store.ErrConflict if the token
// is already stored.
func (t *tx) PutIdempotency(ctx context.Context, i store.Idempotency) error {
	if err := t.writable("sqlite: put idempotency"); err != nil {
		return err
	}
	created := i.Created
	if created.IsZero() {
		created = t.now()
	}
	st, sctx, err := t.stmt(ctx, qPutIdempotency)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(sctx,
		i.Account, i.Operation, i.Token, i.RequestHash, nonNil(i.Response), nanos(created))
	if isUnique(err) {
		return store.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("sqlite: put idempotency: %w", err)
	}
	return nil
}

// DeleteIdempotencyBefore removes entries created strictly before before.
func (t *tx) DeleteIdempotencyBefore(ctx context.Context, before time.Time) error {
	if err := t.writable("sqlite: delete idempotency"); err != nil {
		return err
	}
	st, sctx, err := t.stmt(ctx, qDeleteIdempotencyBefore)
	if err != nil {
		return err
	}
	if _, err = st.ExecContext(sctx, nanos(before)); err != nil {
		return fmt.Errorf("sqlite: delete idempotency: %w", err)
	}
	return nil
}

// AppendEvent adds e to the outbox and returns its Seq. Because all writes go
// through one connection one transaction at a time, Seq order is commit
// order.
func (t *tx) AppendEvent(ctx context.Context, e store.Event) (int64, error) {
	if err := t.writable("sqlite: append event"); err != nil {
		return 0, err
	}
	when := e.Time
	if when.IsZero() {
		when = t.now()
	}
	st, sctx, err := t.stmt(ctx, qAppendEvent)
	if err != nil {
		return 0, err
	}
	res, err := st.ExecContext(sctx,
		e.Type, e.Account, e.Instance, e.Subject, nonNil(e.Payload), nanos(when))
	if err != nil {
		return 0, fmt.Errorf("sqlite: append event: %w", err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("sqlite: append event: %w", err)
	}
	return seq, nil
}

// Events returns up to limit (<= 0: all) events with Seq > after, ascending.
func (t *tx) Events(ctx context.Context, after int64, limit int) ([]store.Event, error) {
	if limit <= 0 {
		limit = -1
	}
	st, sctx, err := t.stmt(ctx, qEvents)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(sctx, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	defer rows.Close()
	var events []store.Event
	for rows.Next() {
		var e store.Event
		var when int64
		if err := rows.Scan(&e.Seq, &e.Type, &e.Account, &e.Instance, &e.Subject, &e.Payload, &when); err != nil {
			return nil, fmt.Errorf("sqlite: events: %w", err)
		}
		e.Time = fromNanos(when)
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	return events, nil
}

// Cursor returns consumer's recorded outbox position, or 0 if none.
func (t *tx) Cursor(ctx context.Context, consumer string) (int64, error) {
	var seq int64
	st, sctx, err := t.stmt(ctx, qCursor)
	if err != nil {
		return 0, err
	}
	err = st.QueryRowContext(sctx, consumer).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: cursor: %w", err)
	}
	return seq, nil
}

// SetCursor records seq as consumer's outbox position.
func (t *tx) SetCursor(ctx context.Context, consumer string, seq int64) error {
	if err := t.writable("sqlite: set cursor"); err != nil {
		return err
	}
	st, sctx, err := t.stmt(ctx, qSetCursor)
	if err != nil {
		return err
	}
	if _, err = st.ExecContext(sctx, consumer, seq); err != nil {
		return fmt.Errorf("sqlite: set cursor: %w", err)
	}
	return nil
}

// SetTimer schedules t, replacing a timer with the same key.
func (t *tx) SetTimer(ctx context.Context, tm store.Timer) error {
	if err := t.writable("sqlite: set timer"); err != nil {
		return err
	}
	if tm.Kind == "" || tm.Subject == "" {
		return errors.New("sqlite: set timer: Kind and Subject are required")
	}
	st, sctx, err := t.stmt(ctx, qSetTimer)
	if err != nil {
		return err
	}
	if _, err = st.ExecContext(sctx, tm.Account, tm.Kind, tm.Instance, tm.Subject, nanos(tm.Due)); err != nil {
		return fmt.Errorf("sqlite: set timer: %w", err)
	}
	return nil
}

// DeleteTimer cancels a timer, if there is one.
func (t *tx) DeleteTimer(ctx context.Context, account, kind, instance, subject string) error {
	if err := t.writable("sqlite: delete timer"); err != nil {
		return err
	}
	st, sctx, err := t.stmt(ctx, qDeleteTimer)
	if err != nil {
		return err
	}
	if _, err = st.ExecContext(sctx, account, kind, instance, subject); err != nil {
		return fmt.Errorf("sqlite: delete timer: %w", err)
	}
	return nil
}

// DueTimers returns up to limit (<= 0: all) timers due at or before now, earliest first.
func (t *tx) DueTimers(ctx context.Context, now time.Time, limit int) ([]store.Timer, error) {
	if limit <= 0 {
		limit = -1
	}
	st, sctx, err := t.stmt(ctx, qDueTimers)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(sctx, nanos(now), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: due timers: %w", err)
	}
	defer rows.Close()
	var timers []store.Timer
	for rows.Next() {
		var tm store.Timer
		var due int64
		if err := rows.Scan(&tm.Account, &tm.Kind, &tm.Instance, &tm.Subject, &due); err != nil {
			return nil, fmt.Errorf("sqlite: due timers: %w", err)
		}
		tm.Due = fromNanos(due)
		timers = append(timers, tm)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: due timers: %w", err)
	}
	return timers, nil
}

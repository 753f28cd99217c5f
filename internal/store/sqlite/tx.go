package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// errReadOnly is returned by write methods called inside View.
var errReadOnly = errors.New("write in a read-only transaction")

// tx implements store.Tx on a connection inside a transaction. A method checks its
// ctx before its statement rather than letting ctx interrupt the statement: an
// Update's transaction may be shared with other Updates (see batcher), and SQLite
// answers an interrupted write by rolling back the whole transaction; and the driver
// would start a goroutine to watch each statement's ctx.
type tx struct {
	c        *conn
	now      func() time.Time
	readOnly bool
	tokens   *tokenIndex // the database's index of idempotency rows
	// absent is the idempotency entry GetIdempotency last found missing. Nothing else
	// writes in this transaction while its function runs, so PutIdempotency of that
	// entry stores it without looking for it again.
	absent idempotencyID
	// log, in an Update that shares a batch, keeps the statements that changed the
	// database, so that the batch can make them again without running the Update's
	// function again (see batcher.redo). nil elsewhere.
	log *writeLog
}

type idempotencyID struct{ account, operation, token string }

var _ store.Tx = (*tx)(nil)

// writable returns errReadOnly in a View transaction. The reader connections
// are query-only as well; this check also covers the in-memory database,
// whose View shares the writer connection.
func (t *tx) writable(op string) error {
	if t.readOnly {
		return fmt.Errorf("%s: %w", op, errReadOnly)
	}
	return nil
}

// exec runs a statement that changes the database, and logs it in a batch.
func (t *tx) exec(query string, values ...any) (driver.Result, error) {
	res, err := t.c.exec(query, values...)
	if err == nil && t.log != nil {
		t.log.add(query, values)
	}
	return res, err
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

// The driver gives TEXT as string, BLOB as a []byte of its own (nil when empty) and
// INTEGER as int64; the columns are NOT NULL.
func text(v driver.Value) string    { s, _ := v.(string); return s }
func bytesOf(v driver.Value) []byte { b, _ := v.([]byte); return b }
func integer(v driver.Value) int64  { n, _ := v.(int64); return n }

// record makes a Record of a row selected with recordColumns.
func record(row []driver.Value) store.Record {
	return store.Record{
		Account: text(row[0]), Kind: text(row[1]), Instance: text(row[2]), ID: text(row[3]),
		Name: text(row[4]), Data: bytesOf(row[5]),
		Created: fromNanos(integer(row[6])), Updated: fromNanos(integer(row[7])),
	}
}

// Get returns the record with key k. Returns store.ErrNotFound if there is none.
func (t *tx) Get(ctx context.Context, k store.Key) (store.Record, error) {
	if err := ctx.Err(); err != nil {
		return store.Record{}, err
	}
	var row [4]driver.Value
	err := t.c.queryRow(row[:], qGet, k.Account, k.Kind, k.Instance, k.ID)
	if errors.Is(err, errNoRows) {
		return store.Record{}, store.ErrNotFound
	}
	if err != nil {
		return store.Record{}, fmt.Errorf("sqlite: get: %w", err)
	}
	return store.Record{
		Account: k.Account, Kind: k.Kind, Instance: k.Instance, ID: k.ID, Name: text(row[0]), Data: bytesOf(row[1]),
		Created: fromNanos(integer(row[2])), Updated: fromNanos(integer(row[3])),
	}, nil
}

// Exists reports whether there is a record with key k.
func (t *tx) Exists(ctx context.Context, k store.Key) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	row := make([]driver.Value, 1)
	err := t.c.queryRow(row, qExists, k.Account, k.Kind, k.Instance, k.ID)
	if errors.Is(err, errNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlite: exists: %w", err)
	}
	return true, nil
}

// GetByName returns the record named name. Returns store.ErrNotFound if
// there is none or name is empty.
func (t *tx) GetByName(ctx context.Context, account, kind, instance, name string) (store.Record, error) {
	if name == "" {
		return store.Record{}, store.ErrNotFound
	}
	if err := ctx.Err(); err != nil {
		return store.Record{}, err
	}
	row := make([]driver.Value, 8)
	err := t.c.queryRow(row, qGetByName, account, kind, instance, name)
	if errors.Is(err, errNoRows) {
		return store.Record{}, store.ErrNotFound
	}
	if err != nil {
		return store.Record{}, fmt.Errorf("sqlite: get by name: %w", err)
	}
	return record(row), nil
}

// ExistsByName reports whether a record is named name.
func (t *tx) ExistsByName(ctx context.Context, account, kind, instance, name string) (bool, error) {
	if name == "" {
		return false, nil
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	row := make([]driver.Value, 1)
	err := t.c.queryRow(row, qExistsByName, account, kind, instance, name)
	if errors.Is(err, errNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlite: exists by name: %w", err)
	}
	return true, nil
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
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := t.exec(qPut, r.Account, r.Kind, r.Instance, r.ID, r.Name, nonNil(r.Data), nanos(created), nanos(now))
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
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := t.exec(qDelete, k.Account, k.Kind, k.Instance, k.ID)
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
	if err := ctx.Err(); err != nil {
		return store.ListResult{}, err
	}
	var res store.ListResult
	var lastSeq int64
	err = t.c.queryRows(9, func(row []driver.Value) bool {
		if p.Limit > 0 && len(res.Records) == p.Limit {
			res.Next = encodeCursor(lastSeq)
			return false
		}
		r := record(row[1:])
		lastSeq = integer(row[0])
		r.Seq = lastSeq
		res.Records = append(res.Records, r)
		return true
	}, listQuery(p.Kind), p.Account, p.Kind, p.Instance, after, limit)
	if err != nil {
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
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := t.exec(qDeleteInstance, account, instance); err != nil {
		return fmt.Errorf("sqlite: delete instance: %w", err)
	}
	return nil
}

// GetIdempotency returns the remembered answer for a token. Returns
// store.ErrNotFound if there is none.
func (t *tx) GetIdempotency(ctx context.Context, account, operation, token string) (store.Idempotency, error) {
	if err := t.tokens.ready(ctx); err != nil {
		return store.Idempotency{}, err
	}
	i, err := t.findIdempotency(account, operation, token)
	if errors.Is(err, store.ErrNotFound) {
		t.absent = idempotencyID{account, operation, token}
	}
	return i, err
}

// findIdempotency reads the newest of the rows the index gives for a token that is
// that token's.
func (t *tx) findIdempotency(account, operation, token string) (store.Idempotency, error) {
	row := make([]driver.Value, 3)
	for _, seq := range t.tokens.rows(idempotencyKey(account, operation, token)) {
		err := t.c.queryRow(row, qGetIdempotency, seq, account, operation, token)
		if errors.Is(err, errNoRows) {
			continue // another token's row, or one rolled back or swept
		}
		if err != nil {
			return store.Idempotency{}, fmt.Errorf("sqlite: get idempotency: %w", err)
		}
		return store.Idempotency{Account: account, Operation: operation, Token: token,
			RequestHash: text(row[0]), Response: bytesOf(row[1]), Created: fromNanos(integer(row[2]))}, nil
	}
	return store.Idempotency{}, store.ErrNotFound
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
	if err := t.tokens.ready(ctx); err != nil {
		return err
	}
	if id := (idempotencyID{i.Account, i.Operation, i.Token}); id == t.absent {
		t.absent = idempotencyID{}
	} else if _, err := t.findIdempotency(i.Account, i.Operation, i.Token); err == nil {
		return store.ErrConflict
	} else if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("sqlite: put idempotency: %w", err)
	}
	key := idempotencyKey(i.Account, i.Operation, i.Token)
	res, err := t.exec(qInsertIdempotency, key, i.Account, i.Operation, i.Token, i.RequestHash, nonNil(i.Response), nanos(created))
	if err != nil {
		return fmt.Errorf("sqlite: put idempotency: %w", err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("sqlite: put idempotency: %w", err)
	}
	t.tokens.add(key, seq)
	return nil
}

// idempotencyKey is what tokenIndex finds a row by: a 64-bit FNV-1a hash
// of its account, operation and token. Two keys may share a hash; the lookup compares
// the three in full. Migration 0003 calls it as connectlocal_idempotency_key; a
// change to it needs a migration that recomputes the column.
func idempotencyKey(account, operation, token string) int64 {
	h := fnv.New64a()
	for i, s := range []string{account, operation, token} {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(s))
	}
	return int64(h.Sum64())
}

// DeleteIdempotencyBefore removes up to limit (<= 0: all) entries created strictly
// before before, in storing order up to the first one that is not (see
// qDeleteIdempotencyBefore and qDeleteIdempotencyBeforeLimit).
func (t *tx) DeleteIdempotencyBefore(ctx context.Context, before time.Time, limit int) (int, error) {
	if err := t.tokens.ready(ctx); err != nil {
		return 0, err
	}
	var n int
	var err error
	if limit <= 0 {
		n, err = t.deleteRows(ctx, "sqlite: delete idempotency", qDeleteIdempotencyBefore, nanos(before))
	} else {
		n, err = t.deleteRows(ctx, "sqlite: delete idempotency", qDeleteIdempotencyBeforeLimit, nanos(before), limit)
	}
	if err == nil && n > 0 && t.tokens.sweptRows(n) {
		row := make([]driver.Value, 1)
		if err := t.c.queryRow(row, qFirstIdempotency); err != nil {
			return 0, fmt.Errorf("sqlite: delete idempotency: prune the token index: %w", err)
		}
		first := int64(math.MaxInt64) // none left
		if row[0] != nil {
			first = integer(row[0])
		}
		t.tokens.prune(first)
	}
	return n, err
}

// DeleteEventsThrough removes up to limit (<= 0: all) events with Seq <= seq, lowest
// first.
func (t *tx) DeleteEventsThrough(ctx context.Context, seq int64, limit int) (int, error) {
	return t.deleteRows(ctx, "sqlite: delete events", qDeleteEventsThrough, seq, noLimit(limit))
}

// deleteRows runs a DELETE and returns how many rows it removed.
func (t *tx) deleteRows(ctx context.Context, what, query string, args ...any) (int, error) {
	if err := t.writable(what); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	res, err := t.exec(query, args...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return int(n), nil
}

// noLimit turns the store's "<= 0: all" into SQLite's LIMIT -1.
func noLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
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
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	res, err := t.exec(qAppendEvent, e.Type, e.Account, e.Instance, e.Subject, nonNil(e.Payload), nanos(when))
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
	limit = noLimit(limit)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var events []store.Event
	err := t.c.queryRows(7, func(row []driver.Value) bool {
		events = append(events, store.Event{Seq: integer(row[0]), Type: text(row[1]),
			Account: text(row[2]), Instance: text(row[3]), Subject: text(row[4]),
			Payload: bytesOf(row[5]), Time: fromNanos(integer(row[6]))})
		return true
	}, qEvents, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	return events, nil
}

// Cursor returns consumer's recorded outbox position, or 0 if none.
func (t *tx) Cursor(ctx context.Context, consumer string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	row := make([]driver.Value, 1)
	err := t.c.queryRow(row, qCursor, consumer)
	if errors.Is(err, errNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: cursor: %w", err)
	}
	return integer(row[0]), nil
}

// SetCursor records seq as consumer's outbox position.
func (t *tx) SetCursor(ctx context.Context, consumer string, seq int64) error {
	if err := t.writable("sqlite: set cursor"); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := t.exec(qSetCursor, consumer, seq); err != nil {
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
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := t.exec(qSetTimer, tm.Account, tm.Kind, tm.Instance, tm.Subject, nanos(tm.Due)); err != nil {
		return fmt.Errorf("sqlite: set timer: %w", err)
	}
	return nil
}

// DeleteTimer cancels a timer, if there is one.
func (t *tx) DeleteTimer(ctx context.Context, account, kind, instance, subject string) error {
	if err := t.writable("sqlite: delete timer"); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := t.exec(qDeleteTimer, account, kind, instance, subject); err != nil {
		return fmt.Errorf("sqlite: delete timer: %w", err)
	}
	return nil
}

// DueTimers returns up to limit (<= 0: all) timers due at or before now, earliest first.
func (t *tx) DueTimers(ctx context.Context, now time.Time, limit int) ([]store.Timer, error) {
	if limit <= 0 {
		limit = -1
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var timers []store.Timer
	err := t.c.queryRows(5, func(row []driver.Value) bool {
		timers = append(timers, store.Timer{Account: text(row[0]), Kind: text(row[1]),
			Instance: text(row[2]), Subject: text(row[3]), Due: fromNanos(integer(row[4]))})
		return true
	}, qDueTimers, nanos(now), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: due timers: %w", err)
	}
	return timers, nil
}

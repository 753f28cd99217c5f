package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/connectlocal/connectlocal/internal/store"
)

// The statements a transaction runs. pgx prepares each once per connection
// and caches it.
const (
	recordColumns = `account, kind, instance, id, name, data, created, updated`

	qGet = `SELECT ` + recordColumns + ` FROM records
		WHERE account = $1 AND kind = $2 AND instance = $3 AND id = $4`
	qExists = `SELECT EXISTS (SELECT 1 FROM records
		WHERE account = $1 AND kind = $2 AND instance = $3 AND id = $4)`
	// The name terms repeat records_name's WHERE: a generic plan, which knows no name,
	// can search that partial index only when the statement says the name is not ''.
	qGetByName = `SELECT ` + recordColumns + ` FROM records
		WHERE account = $1 AND kind = $2 AND instance = $3 AND name = $4 AND name <> ''`
	qExistsByName = `SELECT EXISTS (SELECT 1 FROM records
		WHERE account = $1 AND kind = $2 AND instance = $3 AND name = $4 AND name <> '')`
	// The upsert keeps seq (the List position) and created. It writes
	// nothing, and returns no row, when another ID of the scope holds the
	// name: checking in the statement instead of letting the unique index
	// fail keeps the transaction usable, and the write lock keeps another
	// writer from taking the name between the check and the write.
	qPut = `INSERT INTO records (` + recordColumns + `)
		SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::bytea, $7::timestamptz, $8::timestamptz
		WHERE $5::text = '' OR NOT EXISTS (SELECT FROM records
			WHERE account = $1 AND kind = $2 AND instance = $3 AND name = $5 AND name <> '' AND id <> $4)
		ON CONFLICT (account, kind, instance, id) DO UPDATE SET
			name = excluded.name, data = excluded.data, updated = excluded.updated`
	qDelete = `DELETE FROM records
		WHERE account = $1 AND kind = $2 AND instance = $3 AND id = $4`
	// LIMIT NULL is no limit.
	qList = `SELECT seq, ` + recordColumns + ` FROM records
		WHERE account = $1 AND kind = $2 AND instance = $3 AND seq > $4
		ORDER BY seq LIMIT $5`
	qDeleteInstance = `DELETE FROM records WHERE account = $1 AND instance = $2`

	qGetIdempotency = `SELECT request_hash, response, created FROM idempotency
		WHERE account = $1 AND operation = $2 AND token = $3`
	// The first answer wins: a duplicate inserts no row instead of failing.
	qPutIdempotency = `INSERT INTO idempotency (account, operation, token, request_hash, response, created)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`
	// Oldest first through idempotency_created; ctid picks the rows without a
	// second look-up by key.
	qDeleteIdempotencyBefore = `DELETE FROM idempotency WHERE ctid IN (
		SELECT ctid FROM idempotency WHERE created < $1 ORDER BY created LIMIT $2)`

	qAppendEvent = `INSERT INTO events (type, account, instance, subject, payload, time)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq`
	qEvents = `SELECT seq, type, account, instance, subject, payload, time FROM events
		WHERE seq > $1 ORDER BY seq LIMIT $2`
	qDeleteEventsThrough = `DELETE FROM events WHERE seq IN (
		SELECT seq FROM events WHERE seq <= $1 ORDER BY seq LIMIT $2)`
	qCursor    = `SELECT seq FROM cursors WHERE consumer = $1`
	qSetCursor = `INSERT INTO cursors (consumer, seq) VALUES ($1, $2)
		ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq`

	qSetTimer = `INSERT INTO timers (account, kind, instance, subject, due) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (account, kind, instance, subject) DO UPDATE SET due = excluded.due`
	qDeleteTimer = `DELETE FROM timers WHERE account = $1 AND kind = $2 AND instance = $3 AND subject = $4`
	qDueTimers   = `SELECT account, kind, instance, subject, due FROM timers
		WHERE due <= $1 ORDER BY due LIMIT $2`
)

// errReadOnly is returned by write methods called inside View.
var errReadOnly = errors.New("write in a read-only transaction")

// errText is returned by write methods given a string PostgreSQL cannot
// store in a text column: invalid UTF-8, or one holding a NUL byte.
var errText = errors.New("string is not valid UTF-8 or holds a NUL byte")

// tx implements store.Tx on one pgx transaction.
type tx struct {
	tx       pgx.Tx
	now      func() time.Time
	readOnly bool
}

var _ store.Tx = (*tx)(nil)

// writable returns errReadOnly in a View transaction, before PostgreSQL
// would refuse the write and abort the transaction.
func (t *tx) writable(op string) error {
	if t.readOnly {
		return fmt.Errorf("%s: %w", op, errReadOnly)
	}
	return nil
}

// storable reports whether every s fits a text column. A string that does
// not is refused before it reaches the server, which would fail the
// statement and with it the whole transaction: lookups by such a string find
// nothing, writes of it fail, and the transaction stays usable either way.
// (SQLite stores any bytes; keys and names come from request paths and
// bodies.)
func storable(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			return false
		}
	}
	return true
}

// utc returns t in UTC; pgx reads timestamptz in the local time zone.
func utc(t time.Time) time.Time { return t.UTC() }

// ceilMicro rounds t up to a whole microsecond, PostgreSQL's resolution
// (pgx would truncate), so that a timer never comes due before its time.
func ceilMicro(t time.Time) time.Time {
	if r := t.Truncate(time.Microsecond); !r.Equal(t) {
		return r.Add(time.Microsecond)
	}
	return t
}

// limitArg turns a limit (<= 0: none) into LIMIT's argument; NULL is none.
func limitArg(limit int) *int64 {
	if limit <= 0 {
		return nil
	}
	n := int64(limit)
	return &n
}

// nonNil stores a nil document as an empty one; the columns are NOT NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// isUnique reports whether err is a unique violation. The statements are
// written not to raise one (see qPut); this only names the error should a
// writer that bypasses the lock race them.
func isUnique(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// scanRecord reads a row selected with recordColumns, after any leading
// columns, which it scans into before.
func scanRecord(row pgx.Row, before ...any) (store.Record, error) {
	var r store.Record
	dest := append(before, &r.Account, &r.Kind, &r.Instance, &r.ID, &r.Name, &r.Data, &r.Created, &r.Updated)
	if err := row.Scan(dest...); err != nil {
		return store.Record{}, err
	}
	r.Data = nonNil(r.Data)
	r.Created, r.Updated = utc(r.Created), utc(r.Updated)
	return r, nil
}

// Get returns the record with key k. Returns store.ErrNotFound if there is none.
func (t *tx) Get(ctx context.Context, k store.Key) (store.Record, error) {
	if !storable(k.Account, k.Kind, k.Instance, k.ID) {
		return store.Record{}, store.ErrNotFound
	}
	r, err := scanRecord(t.tx.QueryRow(ctx, qGet, k.Account, k.Kind, k.Instance, k.ID))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Record{}, store.ErrNotFound
	}
	if err != nil {
		return store.Record{}, fmt.Errorf("postgres: get: %w", err)
	}
	return r, nil
}

// Exists reports whether there is a record with key k.
func (t *tx) Exists(ctx context.Context, k store.Key) (bool, error) {
	if !storable(k.Account, k.Kind, k.Instance, k.ID) {
		return false, nil
	}
	var ok bool
	if err := t.tx.QueryRow(ctx, qExists, k.Account, k.Kind, k.Instance, k.ID).Scan(&ok); err != nil {
		return false, fmt.Errorf("postgres: exists: %w", err)
	}
	return ok, nil
}

// GetByName returns the record named name. Returns store.ErrNotFound if
// there is none or name is empty.
func (t *tx) GetByName(ctx context.Context, account, kind, instance, name string) (store.Record, error) {
	if name == "" || !storable(account, kind, instance, name) {
		return store.Record{}, store.ErrNotFound
	}
	r, err := scanRecord(t.tx.QueryRow(ctx, qGetByName, account, kind, instance, name))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Record{}, store.ErrNotFound
	}
	if err != nil {
		return store.Record{}, fmt.Errorf("postgres: get by name: %w", err)
	}
	return r, nil
}

// ExistsByName reports whether a record is named name.
func (t *tx) ExistsByName(ctx context.Context, account, kind, instance, name string) (bool, error) {
	if name == "" || !storable(account, kind, instance, name) {
		return false, nil
	}
	var ok bool
	if err := t.tx.QueryRow(ctx, qExistsByName, account, kind, instance, name).Scan(&ok); err != nil {
		return false, fmt.Errorf("postgres: exists by name: %w", err)
	}
	return ok, nil
}

// Put inserts or replaces r, keeping the List position and Created of a
// replaced record. Returns store.ErrConflict if another ID holds r.Name, or
// an error if r.Kind or r.ID is empty.
func (t *tx) Put(ctx context.Context, r store.Record) error {
	if err := t.writable("postgres: put"); err != nil {
		return err
	}
	if r.Kind == "" || r.ID == "" {
		return fmt.Errorf("postgres: put: record needs a Kind and an ID (got %q, %q)", r.Kind, r.ID)
	}
	if !storable(r.Account, r.Kind, r.Instance, r.ID, r.Name) {
		return fmt.Errorf("postgres: put: %w", errText)
	}
	now := t.now()
	created := r.Created
	if created.IsZero() {
		created = now
	}
	tag, err := t.tx.Exec(ctx, qPut,
		r.Account, r.Kind, r.Instance, r.ID, r.Name, nonNil(r.Data), created, now)
	if isUnique(err) {
		return store.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("postgres: put: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrConflict
	}
	return nil
}

// Delete removes the record with key k. Returns store.ErrNotFound if there
// is none.
func (t *tx) Delete(ctx context.Context, k store.Key) error {
	if err := t.writable("postgres: delete"); err != nil {
		return err
	}
	if !storable(k.Account, k.Kind, k.Instance, k.ID) {
		return store.ErrNotFound
	}
	tag, err := t.tx.Exec(ctx, qDelete, k.Account, k.Kind, k.Instance, k.ID)
	if err != nil {
		return fmt.Errorf("postgres: delete: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}

// A List cursor is the seq of the last record returned, in base 36. seq comes
// from a sequence, so records added later always have a larger one.
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
	if !storable(p.Account, p.Kind, p.Instance) {
		return store.ListResult{}, nil
	}
	var limit *int64
	if p.Limit > 0 {
		limit = limitArg(p.Limit + 1) // one extra row tells whether there is a next page
	}
	rows, err := t.tx.Query(ctx, qList, p.Account, p.Kind, p.Instance, after, limit)
	if err != nil {
		return store.ListResult{}, fmt.Errorf("postgres: list: %w", err)
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
			return store.ListResult{}, fmt.Errorf("postgres: list: %w", err)
		}
		lastSeq, r.Seq = seq, seq
		res.Records = append(res.Records, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.ListResult{}, fmt.Errorf("postgres: list: %w", err)
	}
	return res, nil
}

// DeleteInstance removes every record living in instance. Returns an error
// if instance is empty, which would otherwise match the instance records.
func (t *tx) DeleteInstance(ctx context.Context, account, instance string) error {
	if err := t.writable("postgres: delete instance"); err != nil {
		return err
	}
	if instance == "" {
		return errors.New("postgres: delete instance: empty instance ID")
	}
	if !storable(account, instance) {
		return nil // nothing can live there
	}
	if _, err := t.tx.Exec(ctx, qDeleteInstance, account, instance); err != nil {
		return fmt.Errorf("postgres: delete instance: %w", err)
	}
	return nil
}

// GetIdempotency returns the remembered answer for a token. Returns
// store.ErrNotFound if there is none.
func (t *tx) GetIdempotency(ctx context.Context, account, operation, token string) (store.Idempotency, error) {
	if !storable(account, operation, token) {
		return store.Idempotency{}, store.ErrNotFound
	}
	i := store.Idempotency{Account: account, Operation: operation, Token: token}
	err := t.tx.QueryRow(ctx, qGetIdempotency, account, operation, token).Scan(&i.RequestHash, &i.Response, &i.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Idempotency{}, store.ErrNotFound
	}
	if err != nil {
		return store.Idempotency{}, fmt.Errorf("postgres: get idempotency: %w", err)
	}
	i.Response = nonNil(i.Response)
	i.Created = utc(i.Created)
	return i, nil
}

// PutIdempotency stores a new entry. Returns store.ErrConflict if the token
// is already stored.
func (t *tx) PutIdempotency(ctx context.Context, i store.Idempotency) error {
	if err := t.writable("postgres: put idempotency"); err != nil {
		return err
	}
	if !storable(i.Account, i.Operation, i.Token, i.RequestHash) {
		return fmt.Errorf("postgres: put idempotency: %w", errText)
	}
	created := i.Created
	if created.IsZero() {
		created = t.now()
	}
	tag, err := t.tx.Exec(ctx, qPutIdempotency,
		i.Account, i.Operation, i.Token, i.RequestHash, nonNil(i.Response), created)
	if err != nil {
		return fmt.Errorf("postgres: put idempotency: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrConflict
	}
	return nil
}

// DeleteIdempotencyBefore removes up to limit (<= 0: all) entries created strictly
// before before, oldest first. PostgreSQL keeps microseconds, so an entry within the
// same microsecond as before is kept, never one removed too early.
func (t *tx) DeleteIdempotencyBefore(ctx context.Context, before time.Time, limit int) (int, error) {
	return t.deleteRows(ctx, "postgres: delete idempotency", qDeleteIdempotencyBefore, before, limitArg(limit))
}

// DeleteEventsThrough removes up to limit (<= 0: all) events with Seq <= seq, lowest
// first.
func (t *tx) DeleteEventsThrough(ctx context.Context, seq int64, limit int) (int, error) {
	return t.deleteRows(ctx, "postgres: delete events", qDeleteEventsThrough, seq, limitArg(limit))
}

// deleteRows runs a DELETE and returns how many rows it removed.
func (t *tx) deleteRows(ctx context.Context, what, query string, args ...any) (int, error) {
	if err := t.writable(what); err != nil {
		return 0, err
	}
	tag, err := t.tx.Exec(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return int(tag.RowsAffected()), nil
}

// AppendEvent adds e to the outbox and returns its Seq. Updates hold the
// write lock from their start, so Seq order is commit order.
func (t *tx) AppendEvent(ctx context.Context, e store.Event) (int64, error) {
	if err := t.writable("postgres: append event"); err != nil {
		return 0, err
	}
	if !storable(e.Type, e.Account, e.Instance, e.Subject) {
		return 0, fmt.Errorf("postgres: append event: %w", errText)
	}
	when := e.Time
	if when.IsZero() {
		when = t.now()
	}
	var seq int64
	err := t.tx.QueryRow(ctx, qAppendEvent,
		e.Type, e.Account, e.Instance, e.Subject, nonNil(e.Payload), when).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("postgres: append event: %w", err)
	}
	return seq, nil
}

// Events returns up to limit (<= 0: all) events with Seq > after, ascending.
func (t *tx) Events(ctx context.Context, after int64, limit int) ([]store.Event, error) {
	rows, err := t.tx.Query(ctx, qEvents, after, limitArg(limit))
	if err != nil {
		return nil, fmt.Errorf("postgres: events: %w", err)
	}
	defer rows.Close()
	var events []store.Event
	for rows.Next() {
		var e store.Event
		if err := rows.Scan(&e.Seq, &e.Type, &e.Account, &e.Instance, &e.Subject, &e.Payload, &e.Time); err != nil {
			return nil, fmt.Errorf("postgres: events: %w", err)
		}
		e.Payload = nonNil(e.Payload)
		e.Time = utc(e.Time)
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: events: %w", err)
	}
	return events, nil
}

// Cursor returns consumer's recorded outbox position, or 0 if none.
func (t *tx) Cursor(ctx context.Context, consumer string) (int64, error) {
	if !storable(consumer) {
		return 0, nil
	}
	var seq int64
	err := t.tx.QueryRow(ctx, qCursor, consumer).Scan(&seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: cursor: %w", err)
	}
	return seq, nil
}

// SetCursor records seq as consumer's outbox position.
func (t *tx) SetCursor(ctx context.Context, consumer string, seq int64) error {
	if err := t.writable("postgres: set cursor"); err != nil {
		return err
	}
	if !storable(consumer) {
		return fmt.Errorf("postgres: set cursor: %w", errText)
	}
	if _, err := t.tx.Exec(ctx, qSetCursor, consumer, seq); err != nil {
		return fmt.Errorf("postgres: set cursor: %w", err)
	}
	return nil
}

// SetTimer schedules tm, replacing a timer with the same key. Due is rounded
// up to a whole microsecond, so the timer never comes due early.
func (t *tx) SetTimer(ctx context.Context, tm store.Timer) error {
	if err := t.writable("postgres: set timer"); err != nil {
		return err
	}
	if tm.Kind == "" || tm.Subject == "" {
		return errors.New("postgres: set timer: Kind and Subject are required")
	}
	if !storable(tm.Account, tm.Kind, tm.Instance, tm.Subject) {
		return fmt.Errorf("postgres: set timer: %w", errText)
	}
	if _, err := t.tx.Exec(ctx, qSetTimer, tm.Account, tm.Kind, tm.Instance, tm.Subject, ceilMicro(tm.Due)); err != nil {
		return fmt.Errorf("postgres: set timer: %w", err)
	}
	return nil
}

// DeleteTimer cancels a timer, if there is one.
func (t *tx) DeleteTimer(ctx context.Context, account, kind, instance, subject string) error {
	if err := t.writable("postgres: delete timer"); err != nil {
		return err
	}
	if !storable(account, kind, instance, subject) {
		return nil // there can be no such timer
	}
	if _, err := t.tx.Exec(ctx, qDeleteTimer, account, kind, instance, subject); err != nil {
		return fmt.Errorf("postgres: delete timer: %w", err)
	}
	return nil
}

// DueTimers returns up to limit (<= 0: all) timers due at or before now,
// earliest first.
func (t *tx) DueTimers(ctx context.Context, now time.Time, limit int) ([]store.Timer, error) {
	rows, err := t.tx.Query(ctx, qDueTimers, now, limitArg(limit))
	if err != nil {
		return nil, fmt.Errorf("postgres: due timers: %w", err)
	}
	defer rows.Close()
	var timers []store.Timer
	for rows.Next() {
		var tm store.Timer
		if err := rows.Scan(&tm.Account, &tm.Kind, &tm.Instance, &tm.Subject, &tm.Due); err != nil {
			return nil, fmt.Errorf("postgres: due timers: %w", err)
		}
		tm.Due = utc(tm.Due)
		timers = append(timers, tm)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: due timers: %w", err)
	}
	return timers, nil
}

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
)

// The statements a transaction runs. They are prepared once per pool and
// reused on every connection (database/sql re-prepares per connection as
// needed), because with this driver parsing a statement costs about as much
// as running it.
const (
	recordColumns = `account, kind, instance, id, name, data, created, updated`

	qGet = `SELECT ` + recordColumns + ` FROM records
		WHERE account = ? AND kind = ? AND instance = ? AND id = ?`
	qGetByName = `SELECT ` + recordColumns + ` FROM records
		WHERE account = ? AND kind = ? AND instance = ? AND name = ?`
	// The upsert keeps seq (the List position) and created.
	qPut = `INSERT INTO records (` + recordColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account, kind, instance, id) DO UPDATE SET
			name = excluded.name, data = excluded.data, updated = excluded.updated`
	qDelete = `DELETE FROM records
		WHERE account = ? AND kind = ? AND instance = ? AND id = ?`
	qList = `SELECT seq, ` + recordColumns + ` FROM records
		WHERE account = ? AND kind = ? AND instance = ? AND seq > ?
		ORDER BY seq LIMIT ?`
	qDeleteInstance = `DELETE FROM records WHERE account = ? AND instance = ?`

	qGetIdempotency = `SELECT request_hash, response, created FROM idempotency
		WHERE account = ? AND operation = ? AND token = ?`
	qPutIdempotency = `INSERT INTO idempotency (account, operation, token, request_hash, response, created)
		VALUES (?, ?, ?, ?, ?, ?)`
	qDeleteIdempotencyBefore = `DELETE FROM idempotency WHERE created < ?`

	qAppendEvent = `INSERT INTO events (type, account, instance, subject, payload, time)
		VALUES (?, ?, ?, ?, ?, ?)`
	qEvents = `SELECT seq, type, account, instance, subject, payload, time FROM events
		WHERE seq > ? ORDER BY seq LIMIT ?`
	qCursor    = `SELECT seq FROM cursors WHERE consumer = ?`
	qSetCursor = `INSERT INTO cursors (consumer, seq) VALUES (?, ?)
		ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq`

	qSetTimer = `INSERT INTO timers (account, kind, instance, subject, due) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (account, kind, instance, subject) DO UPDATE SET due = excluded.due`
	qDeleteTimer = `DELETE FROM timers WHERE account = ? AND kind = ? AND instance = ? AND subject = ?`
	qDueTimers   = `SELECT account, kind, instance, subject, due FROM timers
		WHERE due <= ? ORDER BY due LIMIT ?`

	// Each Update of a batch runs in this savepoint (see batcher).
	qSavepoint  = `SAVEPOINT u`
	qRelease    = `RELEASE u`
	qRollbackTo = `ROLLBACK TO u`
)

// statements maps each query above to its prepared statement on one pool.
type statements map[string]*sql.Stmt

// The queries a transaction may run: all of them on the writer, the reading ones
// in View. View's write methods fail before they look up their statement.
var (
	readQueries = []string{qGet, qGetByName, qList, qGetIdempotency, qEvents, qCursor, qDueTimers}
	allQueries  = append(slices.Clone(readQueries),
		qPut, qDelete, qDeleteInstance, qPutIdempotency, qDeleteIdempotencyBefore,
		qAppendEvent, qSetCursor, qSetTimer, qDeleteTimer,
		qSavepoint, qRelease, qRollbackTo)
)

// prepare prepares queries on db.
func prepare(ctx context.Context, db *sql.DB, queries []string) (statements, error) {
	s := statements{}
	for _, q := range queries {
		stmt, err := db.PrepareContext(ctx, q)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("sqlite: prepare %q: %w", q, err)
		}
		s[q] = stmt
	}
	return s, nil
}

// close closes the statements, returning any errors.
func (s statements) close() error {
	var errs []error
	for _, stmt := range s {
		errs = append(errs, stmt.Close())
	}
	return errors.Join(errs...)
}

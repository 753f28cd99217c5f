package sqlite

// The statements a transaction runs. Each connection prepares them once and
// keeps them (see conn), because with this driver parsing a statement costs
// about as much as running it.
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

	// Transactions. A read-write one takes the write lock up front, so that it never
	// fails half-way upgrading a read lock.
	qBegin          = `BEGIN`
	qBeginImmediate = `BEGIN IMMEDIATE`
	qCommit         = `COMMIT`
	qRollback       = `ROLLBACK`

	// Each Update of a batch runs in this savepoint (see batcher).
	qSavepoint  = `SAVEPOINT u`
	qRelease    = `RELEASE u`
	qRollbackTo = `ROLLBACK TO u`
)

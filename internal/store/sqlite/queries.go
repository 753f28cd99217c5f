package sqlite

// The statements a transaction runs. Each connection prepares them once and
// keeps them (see conn), because with this driver parsing a statement costs
// about as much as running it.
const (
	// listedKinds is records_list's WHERE term, as migration 0006 writes it.
	listedKinds = `kind NOT IN ('email-body', 'file')`

	recordColumns = `account, kind, instance, id, name, data, created, updated`

	// The key's columns are the caller's own: reading them back cost a string apiece.
	qGet = `SELECT name, data, created, updated FROM records
		WHERE account = ? AND kind = ? AND instance = ? AND id = ?`
	// An index of (account, kind, instance, id) answers it without the table's row.
	qExists = `SELECT 1 FROM records
		WHERE account = ? AND kind = ? AND instance = ? AND id = ?`
	// The name term copies records_name's WHERE word for word, which is what lets SQLite
	// search that index rather than every record of the kind (a bound name could be '').
	qGetByName = `SELECT ` + recordColumns + ` FROM records
		WHERE account = ? AND kind = ? AND instance = ? AND name = ? AND name <> ''`
	// records_name answers it without the table's row.
	qExistsByName = `SELECT 1 FROM records
		WHERE account = ? AND kind = ? AND instance = ? AND name = ? AND name <> ''`
	// The upsert keeps seq (the List position) and created.
	qPut = `INSERT INTO records (` + recordColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account, kind, instance, id) DO UPDATE SET
			name = excluded.name, data = excluded.data, updated = excluded.updated`
	qDelete = `DELETE FROM records
		WHERE account = ? AND kind = ? AND instance = ? AND id = ?`
	// records_list holds only the listed kinds, and SQLite takes a partial index only
	// for a query that repeats its WHERE term word for word.
	qList = `SELECT seq, ` + recordColumns + ` FROM records
		WHERE account = ? AND kind = ? AND instance = ? AND seq > ? AND ` + listedKinds + `
		ORDER BY seq LIMIT ?`
	// The unlisted kinds' records come through the key's index, then a sort.
	qListUnlisted = `SELECT seq, ` + recordColumns + ` FROM records
		WHERE account = ? AND kind = ? AND instance = ? AND seq > ?
		ORDER BY seq LIMIT ?`
	// An instance's records, kind by kind: the recursive part lists the account's
	// kinds, each with one step through the key's index, which then finds each kind's
	// records of the instance.
	qDeleteInstance = `WITH RECURSIVE kinds(kind) AS (
			SELECT (SELECT min(kind) FROM records WHERE account = ?1)
			UNION ALL
			SELECT (SELECT min(kind) FROM records WHERE account = ?1 AND kind > kinds.kind)
			FROM kinds WHERE kinds.kind IS NOT NULL)
		DELETE FROM records WHERE account = ?1 AND kind IN (SELECT kind FROM kinds) AND instance = ?2`

	// Idempotency rows are found through the index in memory (tokenIndex), which gives
	// the seqs of the rows stored under a token's key (?1, see idempotencyKey); each is
	// then compared in full.
	qGetIdempotency = `SELECT request_hash, response, created FROM idempotency
		WHERE seq = ?1 AND account = ?2 AND operation = ?3 AND token = ?4`
	qInsertIdempotency = `INSERT INTO idempotency (key, account, operation, token, request_hash, response, created)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`
	// What tokenIndex is built from, and where it is pruned to after a sweep.
	qIdempotencyKeys  = `SELECT key, seq FROM idempotency ORDER BY seq`
	qFirstIdempotency = `SELECT min(seq) FROM idempotency`
	// Rows are in storing order, which is the order of created unless the clock went
	// back: the sweep removes rows from the first stored up to the first one that has not
	// expired, finding it by walking them in that order (no index on created to keep).
	qDeleteIdempotencyBefore = `DELETE FROM idempotency WHERE seq < coalesce(
		(SELECT min(seq) FROM idempotency WHERE created >= ?), 9223372036854775807)`
	// The same, walking no more than the first ?2 rows, so that a sweep in steps reads
	// each row once.
	qDeleteIdempotencyBeforeLimit = `WITH head AS (SELECT seq, created FROM idempotency ORDER BY seq LIMIT ?2)
		DELETE FROM idempotency WHERE seq < coalesce(
			(SELECT min(seq) FROM head WHERE created >= ?1), (SELECT max(seq) + 1 FROM head))`

	qAppendEvent = `INSERT INTO events (type, account, instance, subject, payload, time)
		VALUES (?, ?, ?, ?, ?, ?)`
	qEvents = `SELECT seq, type, account, instance, subject, payload, time FROM events
		WHERE seq > ? ORDER BY seq LIMIT ?`
	qDeleteEventsThrough = `DELETE FROM events WHERE seq IN (
		SELECT seq FROM events WHERE seq <= ? ORDER BY seq LIMIT ?)`
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

	// A checkpoint that copies what it can of the WAL without waiting for readers or
	// the writer (see walCheckpointer and batcher.finishCheckpoint).
	qCheckpoint = `PRAGMA wal_checkpoint(PASSIVE)`
)

// unlisted reports whether kind is one whose records the service finds only by key: an
// email's body (connect's "email-body") and attached files ("file"), whose only listing
// builds an instance's file indexes once, in a database older than them. Their records
// stay out of records_list (migration 0006), which saves each an entry in the middle of
// that index; List of them sorts what the key's index finds.
func unlisted(kind string) bool { return kind == "email-body" || kind == "file" }

// listQuery is the statement that lists records of kind.
func listQuery(kind string) string {
	if unlisted(kind) {
		return qListUnlisted
	}
	return qList
}

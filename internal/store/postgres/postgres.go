// Package postgres implements store.Store on PostgreSQL through
// github.com/jackc/pgx/v5, so that several connectlocal replicas can share one
// state.
//
// # Writers are serialised
//
// Every Update begins by taking one transaction-scoped advisory lock
// (pg_advisory_xact_lock), held until it commits or rolls back, so all Updates
// of all replicas on a store run one after another. That is what the contract
// asks for, and the simplest design that gives it:
//
//   - Seq order is commit order. An outbox consumer that has seen Seq n must
//     never later find a new event below n. With concurrent writers a
//     transaction could draw Seq 7 from the sequence, another draw 8 and
//     commit first, and a consumer reading 8 would skip 7 for ever. Under the
//     lock a writer draws its Seqs only after the previous writer's commit is
//     visible (PostgreSQL releases the lock after making the commit visible),
//     so Seqs are handed out, and become visible, in commit order.
//   - Read-modify-write loses no update, and each replica handles an outbox
//     event once: a consumer re-reads its cursor, handles the event and
//     advances the cursor in one Update; the lock makes that check-and-advance
//     atomic across replicas, so the second replica finds the cursor already
//     moved and does nothing.
//   - Put's name check and PutIdempotency need no savepoints: they check
//     before they write (in the same statement), and no other writer can slip
//     in between, so store.ErrConflict never comes from a failed statement,
//     which would abort the PostgreSQL transaction. ErrNotFound and
//     ErrInvalidCursor are likewise decided without a failing statement, so
//     all three leave the transaction usable.
//
// Update runs at READ COMMITTED: each statement sees everything committed
// before it started, in particular everything the previous lock holder wrote.
// (REPEATABLE READ would take its snapshot when the lock statement starts,
// before it waits, and then miss the writes it waited for.) Within a process
// Updates also queue on a semaphore before taking a connection, so waiting
// writers do not tie up the pool that View needs.
//
// View runs in a REPEATABLE READ, READ ONLY transaction: one consistent
// snapshot, never blocked by writers and never blocking them.
//
// The lock key is (lockClass, OID of this store's events table), so stores in
// different schemas of one database do not serialise each other, while all
// replicas of one store use the same key.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/connectlocal/connectlocal/internal/store"
)

// lockClass is the first key of connectlocal's advisory locks: "cnlc" as an
// integer.
const lockClass = "1668180067"

const (
	// qWriteLock serialises Updates of one store; see the package comment.
	// The events table's OID tells stores in different schemas apart.
	qWriteLock = `SELECT pg_advisory_xact_lock(` + lockClass + `, 'events'::regclass::oid::integer)`
	// qMigrateLock serialises migrations of every store in the database, so
	// replicas starting together do not race to create the schema.
	qMigrateLock = `SELECT pg_advisory_xact_lock(` + lockClass + `, 0)`
)

// versionTable records the migrations applied, one row each.
const versionTable = "connectlocal_schema"

// migrations holds the schema changes, applied in file-name order; file
// number N moves the database to version N.
//
//go:embed migrations/*.sql
var migrations embed.FS

// defaultConnectTimeout bounds each attempt to connect unless the URL sets
// connect_timeout, so an unreachable server fails Open instead of hanging.
const defaultConnectTimeout = 10 * time.Second

// rollbackTimeout bounds the rollback of a finished transaction, which runs
// even when the caller's context has ended.
const rollbackTimeout = 5 * time.Second

// DB is a store.Store kept in a PostgreSQL database.
type DB struct {
	pool *pgxpool.Pool
	// writer admits one Update of this process at a time, before it takes a
	// connection; the advisory lock then serialises it with other replicas.
	writer chan struct{}
	now    func() time.Time
}

var _ store.Store = (*DB)(nil)

// Open connects to the PostgreSQL database at url and brings its schema up to
// date. url is a connection URL or keyword/value string as libpq takes them
// (postgres://user:password@host:5432/dbname?sslmode=disable); the pool's own
// settings (pool_max_conns, ...) may be added to it, and any other parameter,
// such as search_path, is sent to the server, so a store can live in a schema
// of its own. The tables are created in the first schema of the search path.
// now is the clock (nil = time.Now).
//
// Returns an error if url cannot be parsed, the server cannot be reached, or
// the schema is newer than this package knows.
func Open(ctx context.Context, url string, now func() time.Time) (*DB, error) {
	if now == nil {
		now = time.Now
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The error may quote the URL, password included.
		return nil, errors.New("postgres: cannot parse the connection URL")
	}
	if cfg.ConnConfig.ConnectTimeout == 0 { // no connect_timeout in url
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "connectlocal"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect to %s: %w", cfg.ConnConfig.Host, err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return &DB{pool: pool, writer: make(chan struct{}, 1), now: now}, nil
}

// migrate applies, in one transaction under an advisory lock, the embedded
// migrations the database has not seen yet, recording each in versionTable.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	sort.Strings(names)
	for i, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		digits, _, _ := strings.Cut(base, "_")
		if n, err := strconv.Atoi(digits); err != nil || n != i+1 {
			return fmt.Errorf("postgres: migration %s out of sequence: want number %d", base, i+1)
		}
	}

	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: begin: %w", err)
	}
	defer rollback(ctx, tx)
	if _, err := tx.Exec(ctx, qMigrateLock); err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	// Create the version table only if it is missing: CREATE ... IF NOT
	// EXISTS would still need the CREATE privilege, which a store already
	// set up should not.
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT to_regclass('`+versionTable+`') IS NOT NULL`).Scan(&exists); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	if !exists {
		_, err := tx.Exec(ctx, `CREATE TABLE `+versionTable+` (
			version integer     PRIMARY KEY,
			name    text        NOT NULL,
			applied timestamptz NOT NULL DEFAULT now()
		)`)
		if err != nil {
			return fmt.Errorf("postgres: migrate: create %s: %w", versionTable, err)
		}
	}
	var version int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM `+versionTable).Scan(&version); err != nil {
		return fmt.Errorf("postgres: migrate: read schema version: %w", err)
	}
	if version > len(names) {
		return fmt.Errorf("postgres: database schema version %d is newer than this build supports (%d)", version, len(names))
	}
	if version == len(names) {
		return nil
	}
	for i, name := range names[version:] {
		script, err := fs.ReadFile(migrations, name)
		if err != nil {
			return fmt.Errorf("postgres: migrate: %w", err)
		}
		// Without arguments pgx sends the simple protocol, which runs a
		// script of several statements.
		if _, err := tx.Exec(ctx, string(script)); err != nil {
			return fmt.Errorf("postgres: migrate: %s: %w", name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO `+versionTable+` (version, name) VALUES ($1, $2)`,
			version+i+1, strings.TrimPrefix(name, "migrations/")); err != nil {
			return fmt.Errorf("postgres: migrate: record %s: %w", name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: commit: %w", err)
	}
	return nil
}

// rollback ends tx if it is still open: a no-op after Commit. It runs on its
// own short deadline, since ctx may be what ended the transaction.
func rollback(ctx context.Context, tx pgx.Tx) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	_ = tx.Rollback(ctx)
}

// View runs fn in a REPEATABLE READ, READ ONLY transaction: one snapshot of
// the database. Returns fn's error unchanged, or an error if the transaction
// cannot begin.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	pgTx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	// Nothing to commit; rolling back also covers a panic in fn.
	defer rollback(ctx, pgTx)
	return fn(&tx{tx: pgTx, now: db.now, readOnly: true})
}

// Update runs fn in a READ COMMITTED transaction that first takes the store's
// write lock, committing if fn returns nil. Updates of every replica run one
// at a time (see the package comment). Returns fn's error unchanged after
// rolling back, or an error if the transaction cannot begin or commit.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	select {
	case db.writer <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("postgres: begin: %w", ctx.Err())
	}
	defer func() { <-db.writer }()
	pgTx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted, AccessMode: pgx.ReadWrite})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	// A no-op after Commit; rolls back when fn fails or panics.
	defer rollback(ctx, pgTx)
	if _, err := pgTx.Exec(ctx, qWriteLock); err != nil {
		return fmt.Errorf("postgres: take the write lock: %w", err)
	}
	if err := fn(&tx{tx: pgTx, now: db.now}); err != nil {
		return err
	}
	if err := pgTx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// Close closes the connection pool, waiting for connections in use to be
// returned. It always returns nil.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Package sqlite implements store.Store on SQLite through modernc.org/sqlite,
// a pure-Go driver, so connectlocal builds without cgo.
//
// A file database runs in WAL mode with three connection pools: one writer
// connection, on which a single goroutine (the batcher) runs every Update,
// several to a transaction, each failing alone; a pool of
// query-only readers for View, which WAL lets run alongside the writer; and
// one connection that checkpoints the WAL in the background. A commit is
// made durable by an fsync of the WAL that the Updates committed meanwhile
// share (group commit, see groupSync), and neither Update nor View answers
// before every commit it could have seen is on disk. An in-memory database
// lives inside a single connection, so View and Update share that one
// connection and run one at a time.
//
// database/sql opens and closes the connections, but the store holds each one
// for good and runs its statements through the driver's interfaces (see
// conn): database/sql's per-statement bookkeeping cost about half as much as
// SQLite's own work on the one-row statements a request runs.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"

	"modernc.org/sqlite" // the "sqlite" database/sql driver, and its SQL functions
)

// MemoryPath is the path that makes Open keep the database in memory.
const MemoryPath = ":memory:"

// busyTimeout bounds how long a statement waits for a lock another process
// (or a WAL checkpoint) holds before failing with SQLITE_BUSY. Within one DB
// writers never contend: they share a single connection.
const busyTimeout = 10 * time.Second

// migrations holds the schema changes, applied in file-name order; file
// number N moves the database to PRAGMA user_version N.
//
//go:embed migrations/*.sql
var migrations embed.FS

func init() {
	// SQLite's own syncs (a checkpoint's, of the WAL and of the database file) use
	// fdatasync(2), as SQLite's Linux builds do; this transpiled build defaults to
	// fsync(2), which also writes out the files' timestamps. The WAL's group-commit
	// syncs are fdatasyncs already (see groupSync). Where fdatasync does not exist
	// the call fails and changes nothing.
	_, _ = sqlite.Fdatasync(true)
	// Migration 0003 computes the idempotency table's new key column with the same
	// function as the statements do.
	sqlite.MustRegisterDeterministicScalarFunction("connectlocal_idempotency_key", 3,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			var s [3]string
			for i, a := range args {
				switch v := a.(type) {
				case string:
					s[i] = v
				case []byte:
					s[i] = string(v)
				default:
					return nil, fmt.Errorf("connectlocal_idempotency_key: argument %d is %T, not text", i+1, a)
				}
			}
			return idempotencyKey(s[0], s[1], s[2]), nil
		})
}

// DB is a store.Store kept in a SQLite database.
type DB struct {
	write *sql.DB // one connection; every Update runs on it
	read  *sql.DB // query-only pool for View; the same as write in memory
	// readers are the connections of read that Views run on; in memory, the one
	// connection, which Update takes from it too.
	readers *readers
	now     func() time.Time
	tokens  *tokenIndex // finds idempotency rows; see tokenIndex
	// indexing runs the first build of tokens, on a connection of its own.
	indexing sync.WaitGroup
	// batch runs Updates, several to a transaction, and durable makes their commits
	// durable (group commit); both nil in memory.
	batch   *batcher
	durable *groupSync
	ckpt    *walCheckpointer // nil in memory
	// file is a descriptor of the database file for the checkpointer's fsyncs, nil in
	// memory. Close closes it last: closing any descriptor of a file drops every POSIX
	// lock the process holds on it, SQLite's included.
	file *os.File
}

var _ store.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and brings its schema
// up to date; ":memory:" keeps everything in memory, gone at Close. now is
// the clock (nil = time.Now).
//
// Returns an error if path is empty or is a "file:" URI or contains '?' or
// '#' (it must be a plain file system path), if the database cannot be
// opened, or if its schema is newer than this package knows.
func Open(path string, now func() time.Time) (*DB, error) {
	if now == nil {
		now = time.Now
	}
	db := &DB{now: now, tokens: newTokenIndex()}
	var err error
	switch {
	case path == "":
		return nil, errors.New("sqlite: empty database path")
	case path == MemoryPath:
		// Each connection to ":memory:" is a separate database, so the
		// pool is pinned to exactly one connection that is never closed
		// for idling or age. (The driver keeps an interrupted in-memory
		// connection in the pool rather than discarding it.)
		if db.write, err = sql.Open("sqlite", path+"?"+dsnQuery(writer, false)); err != nil {
			return nil, fmt.Errorf("sqlite: open: %w", err)
		}
		db.write.SetMaxOpenConns(1)
		db.write.SetMaxIdleConns(1)
		db.write.SetConnMaxLifetime(0)
		db.write.SetConnMaxIdleTime(0)
		db.read = db.write
	case strings.HasPrefix(path, "file:") || strings.ContainsAny(path, "?#"):
		return nil, fmt.Errorf("sqlite: database path %q must be a plain file path", path)
	default:
		if err := createIfMissing(path); err != nil {
			return nil, err
		}
		if db.write, err = sql.Open("sqlite", path+"?"+dsnQuery(writer, true)); err != nil {
			return nil, fmt.Errorf("sqlite: open: %w", err)
		}
		db.write.SetMaxOpenConns(1)
		db.write.SetMaxIdleConns(1)
		db.write.SetConnMaxLifetime(0)
		db.write.SetConnMaxIdleTime(0)
		// The writer connects first so that it, not a reader, switches the
		// file to WAL and creates the schema.
		if err := db.write.Ping(); err != nil {
			db.write.Close()
			return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
		}
		if db.read, err = sql.Open("sqlite", path+"?"+dsnQuery(reader, true)); err != nil {
			db.write.Close()
			return nil, fmt.Errorf("sqlite: open: %w", err)
		}
		// The pool only hands out connections for readers, which holds them.
		db.read.SetMaxIdleConns(0)
		db.readers = newReaders(db.read, max(4, runtime.NumCPU()))
		// The first reader opens while the schema is checked and the default
		// instance made: at start-up the server has a core to spare.
		db.readers.warm()
		db.durable = newGroupSync(path + "-wal")
		ckpt, err := sql.Open("sqlite", path+"?"+dsnQuery(checkpointer, true))
		if err != nil {
			db.read.Close()
			db.write.Close()
			return nil, fmt.Errorf("sqlite: open: %w", err)
		}
		ckpt.SetMaxOpenConns(1)
		ckpt.SetMaxIdleConns(1)
		ckpt.SetConnMaxLifetime(0)
		ckpt.SetConnMaxIdleTime(0)
		if db.file, err = os.Open(path); err != nil {
			ckpt.Close()
			db.read.Close()
			db.write.Close()
			return nil, fmt.Errorf("sqlite: open: %w", err)
		}
		db.ckpt = newCheckpointer(ckpt, func() error { return datasync(db.file) }, func() error { return startWriteback(db.file) })
	}
	ctx := context.Background()
	if err := migrate(ctx, db.write); err != nil {
		db.Close()
		return nil, err
	}
	if db.read == db.write {
		db.readers = newReaders(db.write, 1)
		db.tokens.buildFirst(nil, nil) // a new database in memory: no rows yet
		return db, nil
	}
	w, err := newConn(ctx, db.write)
	if err != nil {
		db.Close()
		return nil, err
	}
	db.indexing.Go(func() {
		c, err := newConn(ctx, db.read)
		if err == nil {
			defer c.close()
		}
		db.tokens.buildFirst(c, err)
	})
	db.batch = newBatcher(w, db.now, db.tokens, db.durable, db.ckpt)
	return db, nil
}

// The connections of a database, each with its own driver parameters.
type role int

const (
	writer       role = iota // the one connection Updates run on
	reader                   // the query-only pool of View
	checkpointer             // the connection that checkpoints the WAL of a file
)

// dsnQuery returns the driver parameters for a connection of role r to a file or
// in-memory database.
func dsnQuery(r role, file bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	switch r {
	case writer:
		// BEGIN IMMEDIATE takes the write lock up front, so a transaction
		// never fails half-way when upgrading a read lock to a write lock.
		// Read-only transactions (View) still use a plain BEGIN.
		q.Set("_txlock", "immediate")
		// Statement journals and temporary tables stay in memory, not in a
		// temporary file.
		q.Add("_pragma", "temp_store(MEMORY)")
	case reader:
		// View must not write; SQLite enforces it on reader connections.
		q.Add("_pragma", "query_only(1)")
	}
	if !file {
		return q.Encode()
	}
	switch r {
	case reader:
		// A reader maps the first mmapSize bytes of the database file into memory: a
		// page it reads from there is a memory access, not a read call and a copy
		// into its page cache. With tens of thousands of contacts a lookup's leaf
		// pages are seldom in a reader's cache: in a trial program a lookup among
		// 65,000 contact-sized records took 28 µs of CPU, against 12.6 among 1,000,
		// and with the map 12.6 among either.
		//
		// SQLite unmaps a reader's map when a read transaction starts after a commit
		// (pagerBeginReadTransaction), so under writes a View maps the file again and
		// faults its pages in; but SQLite empties its page cache then too, so without
		// the map it would read those pages again with read calls. Paired upload and
		// email turns could not tell the map from none (an older upload, whose Views
		// the map made slower, could: see 01c5979). The price: a page that fails to
		// read is a fault that stops the process, not an error of one request.
		//
		// Pages whose newest version is in the WAL, and those past the map, are read
		// into the page cache, 8 MB rather than SQLite's 2 MB: with a million contacts
		// most of the file lies past the map, and the interior pages of the two
		// B-trees a lookup descends (the key index and the table) take about 5 MB,
		// which held in the cache leave only the leaves to read. A small database
		// fills only as much of it as it has such pages.
		q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", mmapSize))
		q.Add("_pragma", "cache_size(-8192)")
	case writer:
		// Before the WAL switch, which writes a new database's first page; an existing
		// database keeps the page size it was made with.
		q.Add("_pragma", fmt.Sprintf("page_size(%d)", pageSize))
		q.Add("_pragma", "journal_mode(WAL)")
		// An acknowledged Update survives not only kill -9 (the WAL frames
		// are written before the commit returns) but also an OS crash or
		// power cut: Update returns only once an fsync of the WAL that
		// started after its commit has succeeded, which is what
		// synchronous=FULL does for each commit on its own. Doing that
		// fsync outside SQLite (see groupSync) lets the commits that
		// finish while one fsync runs share the next one; SQLite itself
		// then needs synchronous=NORMAL, which still syncs the WAL before
		// every checkpoint and the database file after it. An emulator's
		// clients expect a created resource to stay created.
		q.Add("_pragma", "synchronous(NORMAL)")
		// The checkpointer connection checkpoints the WAL in the
		// background; the writer does it itself (inside a commit, holding
		// up every Update) only if the WAL grows past this many pages.
		q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", writerCheckpointPages))
		// The writer keeps SQLite's default page cache (2 MB). New records go
		// to the right-hand edge of each B-tree (IDs are time-ordered), which
		// a small cache holds; and at every commit SQLite walks the whole
		// cache's hash table (pcache1TruncateUnsafe), which with a 32 MB cache
		// was a tenth of the writer's time.
	case checkpointer:
		// A checkpoint syncs the WAL before copying it into the database
		// file and the database file before the WAL may be reused.
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	return q.Encode()
}

// pageSize is the page size of a new database: 8 KiB, not SQLite's 4. A batch of
// contacts then lands on fewer pages (the right-hand leaves of each B-tree hold twice
// the rows), so its commit writes fewer WAL frames, two write calls each, and a lookup
// descends fewer levels. In paired turns against 4 KiB pages, the writes' p99 was lower
// (StartTaskContact 11.0 and 11.4 ms against 13.4 and 13.4, StartEmailContact 23.9 and
// 25.8 against 35.3 and 35.6), and reads at 1 million contacts took as much server CPU
// (DescribeContact 186 and 178 µs against 189 and 158; see README, Performance).
const pageSize = 8192

// mmapSize is how much of the database file a reader maps: all of a database of 100,000
// or so contacts (a full bench run's DescribeContact turn reads among those in its
// first 112 MiB). A mapped page counts in the process's RSS once per reader that read
// it, although it is the OS's file cache, which it may drop at will; mapping all of a
// database of a million contacts put the RSS at 4.7 GiB, of which 42 MiB was the
// process's own. So a larger one reads the rest with read calls.
const mmapSize = 256 << 20

// createIfMissing makes the database at path if there is none. It builds it in a file
// of its own beside path, with no journal and no fsync, syncs that once it is whole, and
// links it into place, which fails rather than replace a database another process made
// meanwhile. (Made in place, a new database switched to WAL through a rollback journal,
// four fsyncs more on every first start.) A crash part-way leaves no database at path.
// Where the file system has no hard links, Open makes the database in place as before.
func createIfMissing(path string) error {
	removeStaleBuilds(path)
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // there is one, or Open reports why it cannot be reached
	}
	tmp, err := newBuildFile(path)
	if err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	err = buildSchema(tmp)
	if err == nil {
		err = fsyncFile(tmp)
	}
	linked := false
	if err == nil {
		if lerr := os.Link(tmp, path); lerr == nil || errors.Is(lerr, fs.ErrExist) {
			linked = true
		}
	}
	// The build's own name goes whatever happened, and the directory is synced after
	// both changes to it, so that no second name of the database outlives a crash.
	err = errors.Join(err, os.Remove(tmp))
	if err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	if !linked {
		return nil // no hard links here: Open makes the database in place
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	defer dir.Close()
	if err := dir.Sync(); err != nil {
		return fmt.Errorf("sqlite: create %s: %w", path, err)
	}
	return nil
}

// buildPrefix starts the name of a database being built beside path.
func buildPrefix(path string) string { return path + ".new-" }

// newBuildFile creates an empty file, with a name of its own beside path, for a new
// database. Its permissions are SQLite's for a database file (0644 less the umask).
func newBuildFile(path string) (string, error) {
	for {
		name := buildPrefix(path) + strconv.FormatUint(rand.Uint64(), 36)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		return name, f.Close()
	}
}

// removeStaleBuilds removes what a crash while building a database beside path left
// behind: a file (with its WAL and shared memory) more than ten minutes old, so never
// one that another process is building now.
func removeStaleBuilds(path string) {
	names, _ := filepath.Glob(buildPrefix(path) + "*")
	for _, name := range names {
		if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > 10*time.Minute {
			os.Remove(name)
		}
	}
}

// buildSchema writes the schema into the empty database file at path and leaves it in
// WAL mode, without a journal or an fsync: createIfMissing syncs the file once it is
// whole, and uses it only then.
func buildSchema(path string) error {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("page_size(%d)", pageSize))
	q.Add("_pragma", "journal_mode(OFF)")
	q.Add("_pragma", "synchronous(OFF)")
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := migrate(context.Background(), db); err != nil {
		return err
	}
	// WAL mode is a mark in the file's header, which every later connection finds.
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		return fmt.Errorf("journal mode %q, not wal", mode)
	}
	return db.Close()
}

// migrate applies, in one write transaction, the embedded migrations the
// database has not seen yet, tracking progress in PRAGMA user_version.
func migrate(ctx context.Context, db *sql.DB) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("sqlite: migrations: %w", err)
	}
	sort.Strings(names)
	for i, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		digits, _, _ := strings.Cut(base, "_")
		if n, err := strconv.Atoi(digits); err != nil || n != i+1 {
			return fmt.Errorf("sqlite: migration %s out of sequence: want number %d", base, i+1)
		}
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migrate: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()

	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("sqlite: migrate: read schema version: %w", err)
	}
	if version > len(names) {
		return fmt.Errorf("sqlite: database schema version %d is newer than this build supports (%d)", version, len(names))
	}
	if version == len(names) {
		return nil
	}
	for _, name := range names[version:] {
		script, err := fs.ReadFile(migrations, name)
		if err != nil {
			return fmt.Errorf("sqlite: migrate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, string(script)); err != nil {
			return fmt.Errorf("sqlite: migrate: %s: %w", name, err)
		}
	}
	// PRAGMA takes no bound parameters; len(names) is an int, not input.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(names))); err != nil {
		return fmt.Errorf("sqlite: migrate: set schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: migrate: commit: %w", err)
	}
	return nil
}

// OnTokenIndexGrowth has fn told about how many bytes of memory the index of
// idempotency rows takes (see tokenIndex): at once, when it is built, each time it
// doubles from 65,536 entries on, and when a sweep prunes it. The index is live memory
// without pointers, which a program may want its garbage collector's target to leave out.
func (db *DB) OnTokenIndexGrowth(fn func(bytes int64)) { db.tokens.onGrowth(fn) }

// View runs fn in a read-only transaction on a snapshot of the database.
// Returns fn's error unchanged, or an error if the transaction cannot begin.
func (db *DB) View(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := db.readers.get(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer db.readers.put(c)
	err = c.do(func() error {
		if _, err := c.exec(qBegin); err != nil {
			return fmt.Errorf("sqlite: begin: %w", err)
		}
		// Nothing to commit; rolling back also covers a panic in fn.
		defer func() { _, _ = c.exec(qRollback) }()
		return fn(&tx{c: c, now: db.now, tokens: db.tokens, readOnly: true})
	})
	if db.durable != nil {
		// fn may have seen commits whose fsync is still under way (SQLite with
		// synchronous=FULL would not have shown them yet): answer only once
		// they are on disk.
		if serr := db.durable.settled(); err == nil {
			err = serr
		}
	}
	return err
}

// Update runs fn in a read-write transaction, committing if fn returns nil.
// Updates are serialised on the writer connection. For a file, the Updates
// that arrive while one transaction runs share the next (each commits or
// rolls back alone, in a serial order: see batcher), and Update returns
// once its commit is on disk (fsynced), sharing the fsync with the Updates
// that committed meanwhile. Returns fn's error
// unchanged after rolling back, or an error if the transaction cannot begin
// or commit, or if the fsync fails (then the change may be visible but not
// durable, and every later Update fails too, since what is on disk is no
// longer known).
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	if db.batch != nil {
		return db.batch.update(ctx, fn)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := db.readers.get(ctx) // in memory: the one connection
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	defer db.readers.put(c)
	return c.do(func() error {
		if _, err := c.exec(qBeginImmediate); err != nil {
			return fmt.Errorf("sqlite: begin: %w", err)
		}
		committed := false
		// Rolls back when fn fails or panics.
		defer func() {
			if !committed {
				_, _ = c.exec(qRollback)
			}
		}()
		if err := fn(&tx{c: c, now: db.now, tokens: db.tokens}); err != nil {
			return err
		}
		committed = true
		if err := c.commit(); err != nil {
			return fmt.Errorf("sqlite: commit: %w", err)
		}
		return nil
	})
}

// Close closes the database. Returns the errors met closing the pools.
func (db *DB) Close() error {
	var errs []error
	if db.batch != nil {
		errs = append(errs, db.batch.close())
	}
	if db.ckpt != nil {
		errs = append(errs, db.ckpt.close())
	}
	db.indexing.Wait()
	if db.readers != nil {
		errs = append(errs, db.readers.close())
	}
	if db.read != nil && db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	if db.file != nil {
		errs = append(errs, db.file.Close())
	}
	return errors.Join(errs...)
}

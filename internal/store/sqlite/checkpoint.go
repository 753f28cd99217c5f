package sqlite

import (
	"database/sql"
	"sync/atomic"
	"time"
)

// checkpointEvery is how often the WAL is checkpointed while Updates commit. Each pass
// starts the writeback of what it copied, so the fsync before a restart has only the
// last pass's pages to wait for: at 50 ms rather than 100, three paired email turns
// gave a p99 of 11.3, 11.4 and 11.8 ms against 12.9, 12.5 and 13.2. A variable for
// tests, read when a database is opened.
var checkpointEvery = 50 * time.Millisecond

// writerCheckpointPages is the WAL size, in pages, past which the writer checkpoints
// by itself: only if the checkpointer falls far behind, or cannot complete a checkpoint
// because the writer keeps appending to the WAL (the writer's own checkpoint, with the
// write lock held, always completes, so the WAL can then start over).
const writerCheckpointPages = 16000

// restartPages is the WAL size, in pages, past which the checkpointer has the WAL start
// over (see walCheckpointer.restart): 64 MB with 8 KiB pages, every 0.8 s or so under
// the email load. Each restart pauses the writer for a millisecond or two and puts an
// fsync of the database file beside the WAL's; at 4,000 pages, twice as many such
// pauses gave the email a p99 higher by 1.3 ms. A crash leaves SQLite at most this
// much WAL to read at the next start. A variable for tests.
var restartPages = 8000

// walCheckpointer copies the WAL of a file database into the database file from a
// connection of its own, so that Updates do not wait for it: with SQLite's automatic
// checkpoint, the commit that takes the WAL past 1,000 pages copies them (and fsyncs
// the database file twice) before it returns, and every Update behind it waits. A
// PASSIVE checkpoint runs alongside the writer and the readers.
type walCheckpointer struct {
	db *sql.DB
	// restart asks the writer to copy the WAL's last frames itself, between two of its
	// transactions. The WAL can start over from its first frame only at a write
	// transaction that begins with every frame copied, and the writer begins its next
	// transaction as it commits the last, so a checkpoint alongside it never catches
	// up: the WAL grew to writerCheckpointPages (then 66 MB), and the writer's own
	// checkpoint there held every Update up for about 10 ms. Most of that pause was
	// an fsync of the database file: SQLite syncs it only at a checkpoint that copies
	// the last frame, so every page the checkpoints alongside the writer had copied
	// was still to be written out. Here the checkpointer syncs the database file
	// itself, copies what the writer committed meanwhile, and leaves the writer only
	// the frames committed since.
	restart atomic.Bool
	// syncDB fsyncs the database file.
	syncDB func() error
	// writeback starts writing out the database file's pages that passes copied, without
	// waiting for the disk. Left to the restart's fsync, 4,000 pages' worth took 5 to
	// 10 ms under the email load, and the WAL's fsyncs queued behind it on the disk:
	// every write in flight then was among the slowest.
	writeback func() error
	kick      chan struct{}
	done      chan struct{}
	stopped   chan struct{}
}

func newCheckpointer(db *sql.DB, syncDB, writeback func() error) *walCheckpointer {
	c := &walCheckpointer{db: db, syncDB: syncDB, writeback: writeback, kick: make(chan struct{}, 1), done: make(chan struct{}), stopped: make(chan struct{})}
	go c.run()
	return c
}

// committed tells the checkpointer that the WAL has grown.
func (c *walCheckpointer) committed() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *walCheckpointer) run() {
	defer close(c.stopped)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
		}
		select {
		case <-c.kick:
			c.checkpoint()
		default: // nothing committed since the last checkpoint
		}
	}
}

// checkpoint copies the WAL into the database file, starts the copied pages' writeback
// and, once the WAL has grown past restartPages, syncs the database file, copies what
// the writer committed meanwhile and has the WAL start over. A failed checkpoint is
// tried again at the next tick; the WAL keeps every frame until one succeeds, and the
// writer's own checkpoint is the backstop.
func (c *walCheckpointer) checkpoint() {
	var busy, frames, copied int
	err := c.db.QueryRow(qCheckpoint).Scan(&busy, &frames, &copied)
	if err != nil {
		return
	}
	if copied > 0 {
		_ = c.writeback() // only a head start for syncDB, which reports what fails
	}
	if frames < restartPages || c.syncDB() != nil {
		return
	}
	if _, err := c.db.Exec(qCheckpoint); err != nil {
		return
	}
	c.restart.Store(true)
}

func (c *walCheckpointer) close() error {
	close(c.done)
	<-c.stopped
	return c.db.Close()
}

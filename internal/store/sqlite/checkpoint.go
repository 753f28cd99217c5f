package sqlite

import (
	"database/sql"
	"time"
)

// checkpointEvery is how often the WAL is checkpointed while Updates commit.
const checkpointEvery = 100 * time.Millisecond

// writerCheckpointPages is the WAL size, in pages, past which the writer checkpoints
// by itself: only if the checkpointer falls far behind, or cannot complete a checkpoint
// because the writer keeps appending to the WAL (the writer's own checkpoint, with the
// write lock held, always completes, so the WAL can then start over).
const writerCheckpointPages = 8000

// walCheckpointer copies the WAL of a file database into the database file from a
// connection of its own, so that Updates do not wait for it: with SQLite's automatic
// checkpoint, the commit that takes the WAL past 1,000 pages copies them (and fsyncs
// the database file twice) before it returns, and every Update behind it waits. A
// PASSIVE checkpoint runs alongside the writer and the readers.
type walCheckpointer struct {
	db      *sql.DB
	kick    chan struct{}
	done    chan struct{}
	stopped chan struct{}
}

func newCheckpointer(db *sql.DB) *walCheckpointer {
	c := &walCheckpointer{db: db, kick: make(chan struct{}, 1), done: make(chan struct{}), stopped: make(chan struct{})}
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
			// A failed checkpoint is tried again at the next tick; the WAL keeps
			// every frame until one succeeds, and the writer's own checkpoint
			// is the backstop.
			_, _ = c.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		default: // nothing committed since the last checkpoint
		}
	}
}

func (c *walCheckpointer) close() error {
	close(c.done)
	<-c.stopped
	return c.db.Close()
}

package sqlite

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// groupSync makes committed transactions durable, one fsync covering every commit that
// finished before it started.
//
// The writer connection runs with synchronous=NORMAL, so a commit writes its WAL frames
// to the file (all that surviving kill -9 takes) without fsyncing them. Update then
// waits until an fsync of the WAL file that started after the commit has succeeded:
// the guarantee synchronous=FULL gives (an acknowledged Update survives an OS crash or
// power cut too), but the Updates of a batch share one commit and one fsync instead of
// queueing for one each. The writer runs that fsync after each batch's commit (see
// batcher.run). SQLite with synchronous=FULL also makes a commit visible to readers
// only once it is synced; so that no reader acts on a change a power cut could still
// take away, View waits in the same way for the commits that began before it.
type groupSync struct {
	sync func() error // fsyncs the WAL file; replaced in tests

	mu      sync.Mutex
	cond    sync.Cond
	started uint64 // commits begun (numbered from 1, in order)
	done    uint64 // commits whose frames are written (or that failed)
	synced  uint64 // commits known to be on disk
	running bool   // an fsync is under way
	err     error  // an fsync failed: what is on disk is unknown from then on

	// pending is started - synced, readable without the lock: most Views find
	// nothing to wait for.
	pending atomic.Int64
}

func newGroupSync(walPath string) *groupSync {
	g := &groupSync{sync: func() error { return fsyncFile(walPath) }}
	g.cond.L = &g.mu
	return g
}

// fsyncFile opens path afresh for every fsync rather than keeping a descriptor, so it
// always reaches the WAL file SQLite is writing, even if SQLite deleted and recreated it
// (which it does when the last connection closes). Frames of a WAL file deleted that way
// were checkpointed into the database file and synced by SQLite first.
func fsyncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = datasync(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// begin numbers a commit about to be made. The writer calls it before COMMIT and
// finished after, one commit at a time.
func (g *groupSync) begin() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.started++
	g.pending.Add(1)
	return g.started
}

// finished records that commit n has returned, whether or not it succeeded: its frames,
// if any, are in the WAL file, so an fsync started from now on covers them.
func (g *groupSync) finished(n uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.done = n
	g.cond.Broadcast()
}

// latest returns the number of the last commit begun.
func (g *groupSync) latest() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.started
}

// wait returns once commit n (and so every commit before it) is durable: when an fsync
// that started after it finished has succeeded. The caller that finds no fsync under way
// runs one for every finished commit; the others wait for it, or for the next.
func (g *groupSync) wait(n uint64) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.synced < n && g.err == nil {
		if g.running || g.done < n {
			g.cond.Wait() // the fsync under way may have started before commit n finished
			continue
		}
		g.running = true
		upTo := g.done
		g.mu.Unlock()
		err := g.sync()
		g.mu.Lock()
		g.running = false
		if err != nil {
			g.err = fmt.Errorf("sqlite: sync the write-ahead log: %w", err)
		} else if upTo > g.synced {
			g.pending.Add(-int64(upTo - g.synced))
			g.synced = upTo
		}
		g.cond.Broadcast()
	}
	return g.err
}

// settled returns once every commit begun so far is durable.
func (g *groupSync) settled() error {
	if g.pending.Load() == 0 {
		return nil // an fsync failure leaves commits pending, so it is not missed here
	}
	return g.wait(g.latest())
}

// failed returns the error of a failed fsync, after which no Update may start.
func (g *groupSync) failed() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

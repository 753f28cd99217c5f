package sqlite

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

// Under a steady stream of writes the WAL starts over from its first frame once it holds
// restartPages pages or so, rather than growing to the writer's own checkpoint
// (writerCheckpointPages), whose pause made most of the writes' slowest requests; and
// the checkpointer syncs the database file before the restarts it brings about. The
// WAL's header counts its restarts (the checkpoint sequence number).
//
// Between two of the checkpointer's passes the WAL grows by whatever the writes add, so
// the passes come every 10 ms here. At every 100 ms, on a machine that ran these puts at
// 4,000 a second, the WAL passed 2,000 pages in a third of the runs.
func TestTheWALStartsOverUnderSteadyWrites(t *testing.T) {
	db, path := openRestartingOften(t)
	// Set before the first Update, which happens before the checkpointer's first pass.
	var syncs atomic.Int64
	syncDB := db.ckpt.syncDB
	db.ckpt.syncDB = func() error { syncs.Add(1); return syncDB() }

	bg := context.Background()
	data := bytes.Repeat([]byte("x"), 6000) // a page of its own, near enough
	put := func(i int) {
		r := rec(fmt.Sprint(i), "")
		r.Data = data
		if err := db.Update(bg, func(tx store.Tx) error { return tx.Put(bg, r) }); err != nil {
			t.Fatal(err)
		}
	}
	restarts := func() uint32 {
		f, err := os.Open(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var h [16]byte
		if _, err := io.ReadFull(f, h[:]); err != nil {
			t.Fatal(err)
		}
		return binary.BigEndian.Uint32(h[12:16])
	}
	put(0)
	first := restarts()
	var largest int64
	for i := 1; restarts() < first+3; i++ {
		if i*len(data) > writerCheckpointPages*pageSize/2 {
			t.Fatalf("the WAL started over %d times in %d MB of writes", restarts()-first, i*len(data)>>20)
		}
		put(i)
		if fi, err := os.Stat(path + "-wal"); err == nil {
			largest = max(largest, fi.Size())
		}
	}
	if pages := largest / pageSize; pages >= writerCheckpointPages/4 {
		t.Errorf("the WAL grew to %d pages before starting over, with restartPages %d", pages, restartPages)
	}
	// Not one sync per restart: a pass that finds the writer between two puts can copy
	// every frame, and then SQLite syncs the file itself and the WAL starts over at the
	// next put with no flag from the checkpointer.
	if syncs.Load() == 0 {
		t.Errorf("the checkpointer never synced the database file in %d restarts of the WAL", restarts()-first)
	}
}

// openRestartingOften opens a file database whose WAL starts over at 64 pages, with the
// checkpointer's passes 10 ms apart, until the test ends.
func openRestartingOften(t *testing.T) (*DB, string) {
	t.Helper()
	p, d := restartPages, checkpointEvery
	restartPages, checkpointEvery = 64, 10*time.Millisecond
	t.Cleanup(func() { restartPages, checkpointEvery = p, d })
	path := filepath.Join(t.TempDir(), "connectlocal.db")
	db, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// A pass that copies frames into the database file starts their writeback, so that the
// sync before the WAL starts over has little left to write (see walCheckpointer).
func TestACheckpointStartsTheWritebackOfWhatItCopied(t *testing.T) {
	db, _ := openRestartingOften(t)
	// Set before the first Update, which happens before the checkpointer's first pass.
	var writebacks atomic.Int64
	var failure atomic.Value
	writeback := db.ckpt.writeback
	db.ckpt.writeback = func() error {
		writebacks.Add(1)
		err := writeback()
		if err != nil {
			failure.Store(err)
		}
		return err
	}
	bg := context.Background()
	for i := range 20 {
		if err := db.Update(bg, func(tx store.Tx) error { return tx.Put(bg, rec(fmt.Sprint(i), "")) }); err != nil {
			t.Fatal(err)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); writebacks.Load() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint started the writeback of the pages it copied in 10 s")
		}
	}
	if err := failure.Load(); err != nil {
		t.Errorf("starting the writeback: %v", err)
	}
}

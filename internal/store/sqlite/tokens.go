package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"sync"
)

// tokenIndex finds idempotency rows by their idempotencyKey, in memory. An index in
// the database put each new row's entry on a random page of its B-tree, since client
// tokens are random: nearly every write that carries a token (and the SDKs give most
// writes one) wrote that page to the WAL as a frame of its own, and read it first when
// the index had outgrown the writer's page cache. The rows themselves go at the end of
// their table, in storing order.
//
// The index holds an entry for every row the table holds: it is built from the table
// in the background when the database opens (a million rows took 0.66 s), and each
// insert adds its row's entry before it commits. The idempotency methods wait for that
// build, so no row is stored meanwhile that the build might miss. It
// may hold more: the entries of inserts rolled back, and of rows the expiry sweep
// removed, until the index is built again. Those cost only a look, since a lookup
// reads each row it is pointed to and compares account, operation and token in full.
// The database must have no other process writing idempotency rows into it, which
// connectlocal's one server per data dir never does.
type tokenIndex struct {
	built chan struct{} // closed once the first build is done
	err   error         // why it failed, if it did; set before built is closed

	mu sync.RWMutex
	// last maps a key to the row stored last under it; older to the rows before that
	// (two tokens sharing a hash, a token stored again once its row expired, a row
	// rolled back), newest first. older is nearly always empty.
	last  map[int64]int64
	older map[int64][]int64
	// swept counts the rows the sweep removed since the index was built, whose entries
	// it may still hold.
	swept int
}

// newTokenIndex returns an empty index, built once its database's rows are indexed by
// a call of buildFirst.
func newTokenIndex() *tokenIndex {
	return &tokenIndex{built: make(chan struct{}), last: map[int64]int64{}, older: map[int64][]int64{}}
}

// buildFirst builds the index for the first time on c (see build), or fails with
// connErr, the error of connecting for it. A nil c and connErr mean a table known to
// be empty.
func (x *tokenIndex) buildFirst(c *conn, connErr error) {
	err := connErr
	if err == nil && c != nil {
		err = c.do(func() error { return x.build(c) })
	}
	if err != nil {
		x.err = fmt.Errorf("sqlite: index the idempotency rows: %w", err)
	}
	close(x.built)
}

// ready waits until the index is first built, or ctx ends.
func (x *tokenIndex) ready(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case <-x.built:
		return x.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// rows returns the seqs of the rows stored under key, newest first.
func (x *tokenIndex) rows(key int64) []int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	seq, ok := x.last[key]
	if !ok {
		return nil
	}
	return append([]int64{seq}, x.older[key]...)
}

// add records that row seq is stored under key.
func (x *tokenIndex) add(key, seq int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if prev, ok := x.last[key]; ok && prev != seq {
		x.older[key] = slices.Insert(x.older[key], 0, prev)
	}
	x.last[key] = seq
}

// sweptRows records that the sweep removed n rows, and reports whether the index
// should be built again: once the entries of removed rows may be half of it, so that
// a long-running server's index stays the size of its table.
func (x *tokenIndex) sweptRows(n int) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.swept += n
	return x.swept >= minRebuild && x.swept >= len(x.last)/2
}

// minRebuild is how many removed rows' entries the index keeps before it is built
// again at the earliest: a small table is not read again for every few rows swept.
const minRebuild = 1024

// build replaces the index with the rows of the idempotency table as c sees them.
// Called by buildFirst, and in the writer's transaction after a sweep: if that transaction
// rolls back, the rows its sweep removed come back without entries, and those are
// rows past the idempotency window, which a lookup treats as absent anyway.
func (x *tokenIndex) build(c *conn) error {
	last, older := map[int64]int64{}, map[int64][]int64{}
	err := c.queryRows(2, func(row []driver.Value) bool {
		key, seq := integer(row[0]), integer(row[1])
		if prev, ok := last[key]; ok {
			older[key] = slices.Insert(older[key], 0, prev)
		}
		last[key] = seq
		return true
	}, qIdempotencyKeys)
	if err != nil {
		return err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.last, x.older, x.swept = last, older, 0
	return nil
}

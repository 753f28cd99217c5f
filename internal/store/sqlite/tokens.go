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
// build, so no row is stored meanwhile that the build might miss. It may hold more: the
// entries of inserts rolled back, and of rows the expiry sweep removed, until the index
// is pruned. Those cost only a look, since a lookup reads each row it is pointed to and
// compares account, operation and token in full.
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
	// swept counts the rows the sweep removed since the index was built or pruned, whose
	// entries it may still hold.
	swept int
	// grown, if set, is told the index's size in bytes (an estimate) once it is built
	// and whenever it reaches a power of two of entries from growthStep on; reported
	// is the size last told.
	grown    func(bytes int64)
	reported int64
}

// entryBytes is about what an entry of the index takes in memory: a million took 36 MiB
// (Go's map, with the room it keeps to grow).
const entryBytes = 38

// growthStep is the smallest index whose growth is reported (see grown).
const growthStep = 1 << 16

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
	storedLast(x.last, x.older, key, seq)
	n := len(x.last)
	x.mu.Unlock()
	if n >= growthStep && n&(n-1) == 0 {
		x.report()
	}
}

// report tells grown the index's size, if it changed since last told; under the lock,
// so that grown hears the sizes in the order they were.
func (x *tokenIndex) report() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if bytes := int64(len(x.last)) * entryBytes; x.grown != nil && bytes != x.reported {
		x.reported = bytes
		x.grown(bytes)
	}
}

// onGrowth sets grown, and tells it the size of the index at once.
func (x *tokenIndex) onGrowth(fn func(bytes int64)) {
	x.mu.Lock()
	x.grown, x.reported = fn, -1
	x.mu.Unlock()
	x.report()
}

// sweptRows records that the sweep removed n rows, and reports whether the index
// should be pruned (see prune): once the entries of removed rows may be half of it, so
// that a long-running server's index stays the size of its table.
func (x *tokenIndex) sweptRows(n int) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.swept += n
	return x.swept >= minPrune && x.swept >= len(x.last)/2
}

// minPrune is how many removed rows' entries the index keeps before it is pruned at the
// earliest, so that a small index is not copied again for every few rows swept.
const minPrune = 1024

// prune drops the entries of the rows stored before row first, into maps of their own,
// which hand a shrunk index's memory back (a map never shrinks). The sweep removes rows
// in storing order, so no row stored before the table's first remains. Called in the
// writer's transaction after a sweep: if that transaction rolls back, the rows its
// sweep removed come back without entries, and those are rows past the idempotency
// window, which a lookup treats as absent anyway.
func (x *tokenIndex) prune(first int64) {
	x.mu.Lock()
	// A token used again after expiring is one key for several swept rows, so the swept
	// rows can outnumber the keys.
	last, older := make(map[int64]int64, max(len(x.last)-x.swept, 0)), map[int64][]int64{}
	keep := func(key, seq int64) { // in the order rows gives them, newest first
		if seq < first {
			return
		}
		if _, ok := last[key]; ok {
			older[key] = append(older[key], seq)
		} else {
			last[key] = seq
		}
	}
	for key, seq := range x.last {
		keep(key, seq)
		for _, s := range x.older[key] {
			keep(key, s)
		}
	}
	x.last, x.older, x.swept = last, older, 0
	x.mu.Unlock()
	x.report()
}

// build replaces the index with the rows of the idempotency table as c sees them.
func (x *tokenIndex) build(c *conn) error {
	last, older := map[int64]int64{}, map[int64][]int64{}
	err := c.queryRows(2, func(row []driver.Value) bool {
		storedLast(last, older, integer(row[0]), integer(row[1]))
		return true
	}, qIdempotencyKeys)
	if err != nil {
		return err
	}
	x.mu.Lock()
	x.last, x.older, x.swept = last, older, 0
	x.mu.Unlock()
	x.report()
	return nil
}

// storedLast records in last and older that row seq, stored after the rows they hold
// under key, is the newest of them.
func storedLast(last map[int64]int64, older map[int64][]int64, key, seq int64) {
	if prev, ok := last[key]; ok && prev != seq {
		older[key] = slices.Insert(older[key], 0, prev)
	}
	last[key] = seq
}

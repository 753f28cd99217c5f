package server

import (
	"os"
	"runtime/debug"

	"github.com/connectlocal/connectlocal/internal/store"
	"github.com/connectlocal/connectlocal/internal/store/sqlite"
)

// GCPercent is the garbage collector's target that the connectlocal program sets
// unless GOGC is given: the heap may grow to five times what is live before a
// collection, instead of Go's default of twice. A request allocates mostly garbage
// (JSON, the signature check, the log line): with the default, DescribeContact cost
// about a fifth more server CPU in the bench (190 against 150 µs a request). The live
// heap of an idle server is a few MiB, so its footprint is unchanged (the bench's idle
// RSS figure checks it).
const GCPercent = 400

// SetGCPercent applies GCPercent to the process unless the GOGC environment variable
// sets the target itself. It is for a program's main, not for a server embedded in
// another process.
func SetGCPercent() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
}

// liveHeap is about what the heap of a busy server holds live besides the SQLite
// store's index of idempotency tokens: GCPercent gives the heap four times that to grow
// into between collections.
const liveHeap = 8 << 20

// gcPercentBeside returns the target that leaves the heap the room GCPercent gives
// liveHeap, with index bytes more live. The store's index of idempotency tokens is
// live memory without pointers, which a collection does not scan; GCPercent applied
// to it as well would let garbage grow by four times its size (a million tokens: 36
// MiB of index, and the server's own memory at 257 MiB rather than 77 in the bench).
func gcPercentBeside(index int64) int {
	return int(max(GCPercent*liveHeap/(liveHeap+index), 25))
}

// followTokenIndex has the garbage collector's target follow the size of the store's
// index of tokens (see gcPercentBeside), unless GOGC sets the target itself.
func followTokenIndex(st store.Store) {
	db, ok := st.(*sqlite.DB)
	if !ok || os.Getenv("GOGC") != "" {
		return
	}
	db.OnTokenIndexGrowth(func(bytes int64) { debug.SetGCPercent(gcPercentBeside(bytes)) })
}

// Package store defines the persistence contract of connectlocal.
//
// Every Amazon Connect resource (instance, contact flow, queue, contact,
// rule, attached file, ...) is kept as a JSON document plus the few key
// columns the service layer looks it up by. Alongside the documents the store
// keeps idempotency records for client tokens and a durable outbox of events,
// both written in the same transaction as the change they belong to.
//
// This package holds only interfaces and types; store/sqlite implements them
// and store/storetest is the conformance suite every implementation must pass.
package store

import (
	"context"
	"errors"
	"time"
)

var (
	// ErrNotFound reports that the record, idempotency entry or other item
	// asked for does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict reports that a unique value is already taken: a record
	// Name held by another ID, or an idempotency token already stored.
	ErrConflict = errors.New("store: name already in use")
	// ErrInvalidCursor reports that Page.After is not a cursor this store
	// handed out, so the service layer can answer with a client error.
	ErrInvalidCursor = errors.New("store: invalid cursor")
)

// Record is one stored resource.
type Record struct {
	Account  string    // owning AWS account ID
	Kind     string    // resource kind: "instance", "contact-flow", "queue", "contact", ...
	Instance string    // ID of the instance the resource lives in; "" for instances themselves
	ID       string    // resource ID, unique per (Account, Kind, Instance)
	Name     string    // when non-empty, unique per (Account, Kind, Instance); lookups by name
	Data     []byte    // the resource's JSON document (an email-body record holds the body's bytes)
	Created  time.Time // set by Put on first insert if zero; kept on update
	Updated  time.Time // set by Put
	Seq      int64     // position in List order, set by List: increases with each insert, kept on update
}

// Key identifies a record.
type Key struct{ Account, Kind, Instance, ID string }

// Key returns the key that identifies r.
func (r Record) Key() Key {
	return Key{Account: r.Account, Kind: r.Kind, Instance: r.Instance, ID: r.ID}
}

// Page asks for one page of a listing, in insertion order.
type Page struct {
	Account, Kind, Instance string
	After                   string // opaque cursor from a previous ListResult.Next; "" for the first page
	Limit                   int    // <= 0 means no limit
}

// ListResult is one page of a listing.
type ListResult struct {
	Records []Record
	Next    string // cursor for the following page; "" when there are no more
}

// Event is one entry of the durable outbox: written in the same transaction
// as the change it reports, so an event exists if and only if its change was
// committed.
type Event struct {
	Seq                        int64  // assigned by AppendEvent, increasing
	Type                       string // e.g. "ContactCreated", "EmailAnalysisAvailable"
	Account, Instance, Subject string // Subject: the resource ID the event is about
	Payload                    []byte // JSON
	Time                       time.Time
}

// Idempotency remembers the answer to a request that carried a client token.
type Idempotency struct {
	Account, Operation, Token string
	RequestHash               string // hash of the request, to tell a replay from a different request with the same token
	Response                  []byte // the answer to replay
	Created                   time.Time
}

// Tx is a transaction. It is valid only inside the function given to
// Store.View or Store.Update, and must not be used from other goroutines
// while a method is running. A method that fails with ErrNotFound,
// ErrConflict or ErrInvalidCursor leaves the transaction usable, so a caller
// can, for example, fall back to GetIdempotency after PutIdempotency
// conflicts. Inside View every write method fails.
type Tx interface {
	// Get returns the record with key k.
	// Returns ErrNotFound if there is none.
	Get(ctx context.Context, k Key) (Record, error)

	// Exists reports whether there is a record with key k, reading none of it: an
	// operation that only checks a resource it names need not load it.
	Exists(ctx context.Context, k Key) (bool, error)

	// GetByName returns the record of (account, kind, instance) named name,
	// for resources whose API addresses them by name or alias.
	// Returns ErrNotFound if there is none (always, for an empty name).
	GetByName(ctx context.Context, account, kind, instance, name string) (Record, error)

	// ExistsByName reports whether a record of (account, kind, instance) is named name,
	// reading none of it. It is false for an empty name.
	ExistsByName(ctx context.Context, account, kind, instance, name string) (bool, error)

	// Put inserts r, or replaces the record with the same Key. A replaced
	// record keeps its Created time and its position in List. Created is
	// taken from r on first insert (the clock if zero); Updated is set from
	// the clock.
	// Returns ErrConflict if another ID of the same (Account, Kind, Instance)
	// holds r.Name; an error if r.Kind or r.ID is empty.
	Put(ctx context.Context, r Record) error

	// Delete removes the record with key k, freeing its Name.
	// Returns ErrNotFound if there is none.
	Delete(ctx context.Context, k Key) error

	// List returns records of (p.Account, p.Kind, p.Instance) in insertion
	// order, a page at a time. A cursor stays valid when records are added
	// or deleted after it is handed out; records added later always sort
	// after it.
	// Returns ErrInvalidCursor if p.After is not a cursor from ListResult.Next.
	List(ctx context.Context, p Page) (ListResult, error)

	// DeleteInstance removes every record whose Instance is instance, of
	// every kind, so deleting an instance needs no per-kind bookkeeping. The
	// instance record itself (Instance "") and idempotency rows are left
	// alone. It is not an error if there is nothing to remove.
	// Returns an error if instance is empty.
	DeleteInstance(ctx context.Context, account, instance string) error

	// GetIdempotency returns the remembered answer for a client token.
	// Returns ErrNotFound if there is none.
	GetIdempotency(ctx context.Context, account, operation, token string) (Idempotency, error)

	// PutIdempotency remembers an answer; Created is set from the clock if
	// zero. Entries are never replaced, so the first answer wins.
	// Returns ErrConflict if (Account, Operation, Token) is already stored.
	PutIdempotency(ctx context.Context, i Idempotency) error

	// DeleteIdempotencyBefore removes up to limit (<= 0: all) entries
	// created strictly before t, oldest first, for the expiry sweep (client
	// tokens live a bounded time), and returns how many it removed. It never
	// removes a later entry, but it may keep an earlier one that was stored
	// after a later one (the clock went back, or Created was given) until a
	// later sweep; readers check Created anyway.
	DeleteIdempotencyBefore(ctx context.Context, t time.Time, limit int) (int, error)

	// AppendEvent adds e to the outbox and returns its Seq; Time is set from
	// the clock if zero. e.Seq is ignored.
	AppendEvent(ctx context.Context, e Event) (int64, error)

	// Events returns up to limit (<= 0: all) committed events with
	// Seq > after, in ascending Seq order. Implementations must make Seq
	// order match commit order, so a consumer that has seen Seq n never
	// later finds a new event with a Seq below n.
	Events(ctx context.Context, after int64, limit int) ([]Event, error)

	// DeleteEventsThrough removes up to limit (<= 0: all) events with Seq <=
	// seq, lowest first, and returns how many it removed: an event is kept
	// only until every consumer has passed it.
	DeleteEventsThrough(ctx context.Context, seq int64, limit int) (int, error)

	// Cursor returns the last Seq consumer recorded with SetCursor, or 0 if
	// it never did; committing it with the consumer's own changes gives
	// exactly-once processing.
	Cursor(ctx context.Context, consumer string) (int64, error)

	// SetCursor records seq as consumer's position in the outbox.
	SetCursor(ctx context.Context, consumer string, seq int64) error

	// SetTimer schedules work due at t.Due, replacing the timer with the
	// same (Account, Kind, Instance, Subject). Returns an error if Kind or
	// Subject is empty.
	SetTimer(ctx context.Context, t Timer) error

	// DeleteTimer cancels a timer; it is not an error if there is none.
	DeleteTimer(ctx context.Context, account, kind, instance, subject string) error

	// DueTimers returns up to limit (<= 0: all) timers due at or before now,
	// earliest first. A timer stays until deleted, so work done in the
	// transaction that deletes it happens once.
	DueTimers(ctx context.Context, now time.Time, limit int) ([]Timer, error)
}

// Timer is durable delayed work: something about Subject is due at Due.
type Timer struct {
	Account, Kind, Instance, Subject string
	Due                              time.Time
}

// Store is a transactional document store. It is safe for concurrent use.
// The function given to View or Update must not call View or Update on the
// same Store: an implementation may serialise transactions and deadlock.
type Store interface {
	// View runs fn in a read-only transaction that sees one consistent
	// snapshot. Returns fn's error unchanged, or an error starting the
	// transaction.
	View(ctx context.Context, fn func(Tx) error) error

	// Update runs fn in a read-write transaction; it commits if fn returns
	// nil, else rolls back and returns fn's error unchanged (so callers can
	// use errors.As on their own error types). Concurrent Updates are
	// serialised, never failed for being concurrent. Returns an error if
	// the transaction cannot begin or commit. An Update whose ctx is marked
	// by BackgroundJob may be run after Updates that came later.
	Update(ctx context.Context, fn func(Tx) error) error

	// Close releases the store's resources. Transactions must have ended.
	Close() error
}

type backgroundJobKey struct{}

// BackgroundJob marks the Updates made with ctx as a background job's (an analysis, a
// rule's actions, a sweep), which nobody waits on: a store whose Updates share one
// writer may run the requests' Updates waiting beside them first.
func BackgroundJob(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundJobKey{}, true)
}

// IsBackgroundJob reports whether ctx was marked by BackgroundJob.
func IsBackgroundJob(ctx context.Context) bool {
	marked, _ := ctx.Value(backgroundJobKey{}).(bool)
	return marked
}

package connect

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

// The background jobs (email analytics, the rules engine, webhook deliveries) each read
// the outbox from their own cursor.

// consume hands each outbox event after consumer's cursor to handle, in a transaction
// together with the cursor's advance, so an event is handled once even across restarts
// and replicas. It returns how many events handle counted.
//
// Events handle does not count (it did no work for them) share their transaction with
// the events after them, up to and including the next one it counts: most events are of
// no interest to a given job, and a transaction (with its fsync) for each of them made
// every contact written cost each job a write of its own.
func (s *Service) consume(ctx context.Context, consumer string, handle func(context.Context, store.Tx, store.Event) (bool, error)) (int, error) {
	return s.consumePrepared(ctx, consumer, nil, func(ctx context.Context, tx store.Tx, e store.Event, _ any) (bool, error) {
		return handle(ctx, tx, e)
	})
}

// consumePrepared is consume for a job with work too slow for the store's one writer
// (redaction, file fsyncs): before each transaction, prepare runs outside any
// transaction on the events that transaction may take, until one returns something,
// and handle gets that. While that transaction runs (its commit and fsync included),
// prepare goes on with the events after the one it prepared, for the next. What
// prepare read may have changed by the time handle runs, so handle checks it; what it
// stored, if handle does not record it, is swept.
//
// An event that fails, or panics, in prepare or handle is tried again at the next call,
// until the job gives it up (see eventAttempts).
func (s *Service) consumePrepared(ctx context.Context, consumer string,
	prepare func(context.Context, store.Event) (any, error),
	handle func(context.Context, store.Tx, store.Event, any) (bool, error)) (int, error) {
	handled := 0
	for {
		var batch []store.Event
		err := s.store.View(ctx, func(tx store.Tx) error {
			after, err := tx.Cursor(ctx, consumer)
			if err != nil {
				return err
			}
			batch, err = tx.Events(ctx, after, 100)
			return err
		})
		if err != nil || len(batch) == 0 {
			if handled > 0 {
				s.outbox.notify() // what they wrote may be for another job
			}
			return handled, err
		}
		var ahead chan preparation // the preparation of the events after the last one prepared
		for len(batch) > 0 {
			var next preparation
			if ahead != nil {
				next = <-ahead
				ahead = nil
			}
			if next.from != batch[0].Seq { // none ahead, or not from where this transaction starts
				next = s.prepareNext(ctx, consumer, prepare, batch)
			}
			if next.err != nil {
				s.failures.failed(consumer, next.failing, s.now())
				return handled, next.err
			}
			prepared := map[int64]any{}
			if next.index >= 0 {
				prepared[batch[next.index].Seq] = next.value
				if rest := batch[next.index+1:]; len(rest) > 0 {
					// Redaction is slow, and an Update waits for its batch's commit and
					// fsync: the next email is prepared meanwhile.
					ch := make(chan preparation, 1)
					go func() { ch <- s.prepareNext(ctx, consumer, prepare, rest) }()
					ahead = ch
				}
			}
			var done, counted int // events of batch this transaction took; how many counted
			var failing int64     // the event handle is at, until it returns without error
			err := catchPanic(func() error {
				return s.store.Update(ctx, func(tx store.Tx) error {
					done, counted, failing = 0, 0, 0
					cursor, err := tx.Cursor(ctx, consumer)
					if err != nil {
						return err
					}
					last := cursor
					for _, e := range batch {
						done++
						if e.Seq <= cursor {
							continue // another replica got here first
						}
						if s.passGivenUp(consumer, e) {
							last = e.Seq
							continue
						}
						failing = e.Seq
						ok, err := handle(ctx, tx, e, prepared[e.Seq])
						if err != nil {
							return fmt.Errorf("event %d (%s): %w", e.Seq, e.Type, err)
						}
						failing, last = 0, e.Seq
						if ok {
							counted++
							break
						}
					}
					if last == cursor {
						return nil
					}
					return tx.SetCursor(ctx, consumer, last)
				})
			})
			if err != nil {
				if ahead != nil {
					<-ahead
				}
				if failing != 0 {
					s.failures.failed(consumer, failing, s.now())
				}
				return handled, fmt.Errorf("%s: %w", consumer, err)
			}
			handled += counted
			batch = batch[done:]
		}
		if ahead != nil { // the transaction took the events it was preparing
			<-ahead
		}
	}
}

// preparation is what prepare made of the first of some events it returned something
// for: index is that event's in the events given (-1: none), from the first event's Seq.
type preparation struct {
	from    int64
	index   int
	value   any
	err     error
	failing int64 // the event prepare failed on
}

// prepareNext runs prepare on events, in order, until it returns something or fails;
// it skips the events the job gave up.
func (s *Service) prepareNext(ctx context.Context, consumer string, prepare func(context.Context, store.Event) (any, error), events []store.Event) preparation {
	out := preparation{from: events[0].Seq, index: -1}
	if prepare == nil {
		return out
	}
	for i, e := range events {
		if s.failures.givenUp(consumer, e.Seq) {
			continue
		}
		var p any
		err := catchPanic(func() (err error) { p, err = prepare(ctx, e); return err })
		if err != nil {
			out.err, out.failing = fmt.Errorf("%s: prepare event %d (%s): %w", consumer, e.Seq, e.Type, err), e.Seq
			return out
		}
		if p != nil {
			out.index, out.value = i, p
			return out
		}
	}
	return out
}

// A job gives up an event that failed this many times in a row over at least
// eventRetryFor, so that one it cannot handle (a record it cannot read, a panic) does
// not hold up every event after it for good. The time keeps a failure that passes (a
// blob store out of reach for a while) from costing an email its analysis. Failures
// that are not an event's (the cursor cannot be read or moved, a commit fails) are
// retried without limit: nothing is given up without a write that records it.
const (
	eventAttempts = 5
	eventRetryFor = 30 * time.Second
)

// eventFailures counts, per consumer, the failures in a row of the event it is stuck on.
type eventFailures struct {
	mu    sync.Mutex
	stuck map[string]eventFailure
}

type eventFailure struct {
	seq      int64
	attempts int
	first    time.Time
	givenUp  bool
}

// failed records that consumer failed on event seq at now.
func (f *eventFailures) failed(consumer string, seq int64, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stuck == nil {
		f.stuck = map[string]eventFailure{}
	}
	e := f.stuck[consumer]
	if e.seq != seq {
		e = eventFailure{seq: seq, first: now}
	}
	e.attempts++
	e.givenUp = e.attempts >= eventAttempts && now.Sub(e.first) >= eventRetryFor
	f.stuck[consumer] = e
}

// givenUp reports whether consumer has given up event seq.
func (f *eventFailures) givenUp(consumer string, seq int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.stuck[consumer]
	return ok && e.seq == seq && e.givenUp
}

// passGivenUp reports whether consumer has given up event e, and logs its passing.
func (s *Service) passGivenUp(consumer string, e store.Event) bool {
	if !s.failures.givenUp(consumer, e.Seq) {
		return false
	}
	s.logger.Error(consumer+": gave up an event that failed every time it was handled", "seq", e.Seq, "type", e.Type, "subject", e.Subject)
	return true
}

// catchPanic runs fn and returns its panic, if it panics, as an error with the stack:
// a background job must not take the server down, nor, from the event it was handling
// when the server restarts, again at every start.
func catchPanic(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return fn()
}

// runLoop calls process every interval until ctx ends, and sooner when the channel wake
// returns is closed (s.outbox.wait, for the jobs that read the outbox; nil for none),
// busyYield later on a busy server. It logs its errors as recurringErrors does. Every
// background loop runs on it.
func (s *Service) runLoop(ctx context.Context, interval time.Duration, name string, wake func() <-chan struct{}, process func(context.Context) (int, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	errs := recurringErrors{s: s, name: name}
	for {
		var woken <-chan struct{} // nil: never
		if wake != nil {
			woken = wake()
		}
		_, err := process(ctx)
		if ctx.Err() == nil {
			errs.log(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-woken:
			s.yieldToRequests(ctx) // see busyYield
		}
	}
}

// recurringErrors logs the errors of one background loop's runs: an error once, and
// again only when it changes or errorRepeatEvery has passed, with how often it recurred
// meanwhile. A job stuck on an event fails at every wake-up until it gives the event up
// (30 s), which was 150 lines, each with a stack for a panic; a timer that cannot fire
// fails every second for good.
type recurringErrors struct {
	s       *Service
	name    string
	last    string // the error logged last, until a run succeeds
	at      time.Time
	repeats int // of last since it was logged
}

// errorRepeatEvery is how often recurringErrors logs an error that keeps recurring.
const errorRepeatEvery = 10 * time.Second

// log records the outcome of a run: err, or nil for a success.
func (r *recurringErrors) log(err error) {
	switch {
	case err == nil:
		r.last = ""
	case err.Error() == r.last && r.s.now().Sub(r.at) < errorRepeatEvery:
		r.repeats++
	default:
		if err.Error() == r.last {
			r.s.logger.Error(r.name, "err", err, "repeats", r.repeats)
		} else {
			r.s.logger.Error(r.name, "err", err)
		}
		r.last, r.at, r.repeats = err.Error(), r.s.now(), 0
	}
}

// notifier wakes the jobs when something they read has been committed.
type notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

func (n *notifier) wait() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

func (n *notifier) notify() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
}

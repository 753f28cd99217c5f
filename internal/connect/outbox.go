package connect

import (
	"context"
	"fmt"
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
// and handle gets that. What prepare read may have changed by the time handle runs,
// so handle checks it; what it stored, if handle does not record it, is swept.
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
		for len(batch) > 0 {
			prepared := map[int64]any{}
			for _, e := range batch {
				if prepare == nil {
					break
				}
				p, err := prepare(ctx, e)
				if err != nil {
					return handled, fmt.Errorf("%s: prepare event %d (%s): %w", consumer, e.Seq, e.Type, err)
				}
				if p != nil {
					prepared[e.Seq] = p
					break
				}
			}
			var done, counted int // events of batch this transaction took; how many counted
			err := s.store.Update(ctx, func(tx store.Tx) error {
				done, counted = 0, 0
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
					ok, err := handle(ctx, tx, e, prepared[e.Seq])
					if err != nil {
						return fmt.Errorf("event %d (%s): %w", e.Seq, e.Type, err)
					}
					last = e.Seq
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
			if err != nil {
				return handled, fmt.Errorf("%s: %w", consumer, err)
			}
			handled += counted
			batch = batch[done:]
		}
	}
}

// runLoop calls process every interval, or sooner when the outbox is notified, until
// ctx ends.
func (s *Service) runLoop(ctx context.Context, interval time.Duration, name string, process func(context.Context) (int, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		wake := s.outbox.wait()
		if _, err := process(ctx); err != nil && ctx.Err() == nil {
			s.logger.Error(name, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
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

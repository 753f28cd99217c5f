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

// consume hands each outbox event after consumer's cursor to handle, each in its own
// transaction together with the cursor's advance, so an event is handled once even
// across restarts and replicas. It returns how many events handle counted.
func (s *Service) consume(ctx context.Context, consumer string, handle func(context.Context, store.Tx, store.Event) (bool, error)) (int, error) {
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
		for _, e := range batch {
			err := s.store.Update(ctx, func(tx store.Tx) error {
				cursor, err := tx.Cursor(ctx, consumer)
				if err != nil || cursor >= e.Seq {
					return err // another replica got here first
				}
				counted, err := handle(ctx, tx, e)
				if err != nil {
					return err
				}
				if counted {
					handled++
				}
				return tx.SetCursor(ctx, consumer, e.Seq)
			})
			if err != nil {
				return handled, fmt.Errorf("%s: event %d (%s): %w", consumer, e.Seq, e.Type, err)
			}
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

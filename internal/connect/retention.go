package connect

import (
	"context"
	"math"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

// outboxConsumers are the jobs that read the outbox, each from a cursor of its own
// (consume, ProcessDeliveries). An event is kept until every one of them has passed it;
// a consumer that never ran has passed nothing.
var outboxConsumers = []string{analyticsConsumer, rulesConsumer, webhookConsumer}

// sweepStep bounds the rows of each kind one transaction of SweepRetired removes, so
// that a long backlog (the first sweep of a store that kept everything) holds the
// store's one writer a few milliseconds at a time, not for the whole backlog.
const sweepStep = 500

// SweepRetired removes what nothing will read again: the outbox events every consumer
// has passed, and the client tokens older than idempotencyWindow. Without it both grow
// by a row or more for every write, for as long as the store lives. It returns how many
// rows it removed.
func (s *Service) SweepRetired(ctx context.Context) (int, error) {
	total := 0
	for {
		var events, tokens int
		err := s.store.Update(ctx, func(tx store.Tx) error {
			passed := int64(math.MaxInt64)
			for _, consumer := range outboxConsumers {
				seq, err := tx.Cursor(ctx, consumer)
				if err != nil {
					return err
				}
				passed = min(passed, seq)
			}
			var err error
			if events, err = tx.DeleteEventsThrough(ctx, passed, sweepStep); err != nil {
				return err
			}
			tokens, err = tx.DeleteIdempotencyBefore(ctx, s.now().Add(-idempotencyWindow), sweepStep)
			return err
		})
		if err != nil {
			return total, err
		}
		total += events + tokens
		if events < sweepStep && tokens < sweepStep {
			return total, nil
		}
	}
}

// RunSweeps runs SweepRetired every interval until ctx ends. The first sweep waits an
// interval too: a server that has just started has its first requests to answer.
func (s *Service) RunSweeps(ctx context.Context, interval time.Duration) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(interval):
	}
	s.runLoop(ctx, interval, "retention sweep", nil, s.SweepRetired)
}

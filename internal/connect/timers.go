package connect

import (
	"context"
	"fmt"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

// timerContactExpiry ends a contact that reached its expiry.
const timerContactExpiry = "contact-expiry"

// RunTimers does the work that is due, every interval, until ctx ends: contacts past
// their expiry end with DisconnectReason EXPIRED and a ContactEnded event. Reads already
// show such a contact as ended; this makes it so in the store and in the outbox.
func (s *Service) RunTimers(ctx context.Context, interval time.Duration) {
	s.runLoop(ctx, interval, "timers", nil, s.FireTimers)
}

// FireTimers does the work of every due timer, each in its own transaction together with
// the timer's removal, so it happens once even across restarts. It returns how many fired.
func (s *Service) FireTimers(ctx context.Context) (int, error) {
	var due []store.Timer
	if err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		due, err = tx.DueTimers(ctx, s.now(), 500)
		return err
	}); err != nil {
		return 0, err
	}
	// A timer that fails is tried again at the next run, and holds up none of the
	// others: they are read in the order they fall due, so it would be first again.
	fired := 0
	var first error
	for _, tm := range due {
		err := catchPanic(func() error {
			return s.store.Update(ctx, func(tx store.Tx) error {
				if err := tx.DeleteTimer(ctx, tm.Account, tm.Kind, tm.Instance, tm.Subject); err != nil {
					return err
				}
				switch tm.Kind {
				case timerContactExpiry:
					return s.expire(ctx, tx, tm)
				}
				return nil
			})
		})
		if err != nil {
			if first == nil {
				first = fmt.Errorf("timer %s of %s: %w", tm.Kind, tm.Subject, err)
			}
			continue
		}
		fired++
	}
	if first != nil {
		return fired, fmt.Errorf("%d of %d due timers failed; the first: %w", len(due)-fired, len(due), first)
	}
	return fired, nil
}

func (s *Service) expire(ctx context.Context, tx store.Tx, tm store.Timer) error {
	var c contactRecord
	err := load(ctx, tx, contactKey(tm.Account, tm.Instance, tm.Subject), &c, "Contact")
	if isNotFound(err) {
		return nil // the instance was deleted since
	}
	if err != nil || c.DisconnectTimestamp != nil {
		return err
	}
	c.settle(s.now())
	if c.DisconnectTimestamp == nil {
		// The expiry moved later after this timer was read, and deleting it above may
		// have removed the new one: set it again.
		return tx.SetTimer(ctx, store.Timer{Account: tm.Account, Kind: timerContactExpiry, Instance: tm.Instance, Subject: c.Id, Due: c.ExpiresAt.Time})
	}
	return s.saveContact(ctx, tx, tm.Account, tm.Instance, &c, EventContactEnded)
}

package connect

import (
	"context"
	"fmt"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/rules"
	"github.com/connectlocal/connectlocal/internal/store"
)

// GENERATE_EVENTBRIDGE_EVENT and SEND_NOTIFICATION actions become deliveries: stored in
// the instance's delivery log (readable from the admin endpoint and the console), and
// put on the outbox as a Delivery event for the webhook sender, which POSTs them when a
// webhook URL is configured.

const (
	kindDelivery         = "delivery"
	eventDelivery        = "Delivery"
	webhookConsumer      = "webhook"
	deliveryEventBridge  = "EventBridge"
	deliveryNotification = "Notification"
)

// Delivery is one event or notification a rule sent.
type Delivery struct {
	Id        string         `json:"Id"`
	Time      time.Time      `json:"Time"`
	Kind      string         `json:"Kind"` // EventBridge or Notification
	RuleId    string         `json:"RuleId"`
	RuleName  string         `json:"RuleName"`
	ContactId string         `json:"ContactId,omitempty"`
	Body      map[string]any `json:"Body"`
	Status    string         `json:"Status"` // PENDING, DELIVERED, FAILED, or STORED when no webhook is configured
	Attempts  int            `json:"Attempts"`
	LastError string         `json:"LastError,omitempty"`
}

// detailTypes is the EventBridge detail-type per event source. The post-call and
// real-time names are Contact Lens's; the others follow the same pattern (inferred).
var detailTypes = map[string]string{
	"OnPostCallAnalysisAvailable":     "Contact Lens Post Call Rules Matched",
	"OnRealTimeCallAnalysisAvailable": "Contact Lens Realtime Rules Matched",
	"OnPostChatAnalysisAvailable":     "Contact Lens Post Chat Rules Matched",
	"OnRealTimeChatAnalysisAvailable": "Contact Lens Realtime Chat Rules Matched",
	"OnEmailAnalysisAvailable":        "Contact Lens Email Rules Matched",
	"OnContactEvaluationSubmit":       "Contact Evaluation Rules Matched",
	"OnMetricDataUpdate":              "Metrics Rules Matched",
}

func (s *Service) deliver(ctx context.Context, tx store.Tx, e store.Event, r *api.Rule, a api.RuleAction, doc map[string]any, contactID string) (*Delivery, error) {
	d := &Delivery{Id: s.newID(), Time: s.now(), RuleId: r.RuleId, RuleName: r.Name, ContactId: contactID, Status: "PENDING"}
	instanceARN := s.arn(e.Account, e.Instance, kindInstance, "")
	switch a.ActionType {
	case "GENERATE_EVENTBRIDGE_EVENT":
		d.Kind = deliveryEventBridge
		detail := map[string]any{"version": "1.0", "ruleName": r.Name, "actionName": a.EventBridgeAction.Name, "instanceArn": instanceARN}
		resources := []string{instanceARN}
		if contactID != "" {
			contactARN := s.arn(e.Account, e.Instance, kindContact, contactID)
			detail["contactArn"] = contactARN
			resources = append(resources, contactARN)
		}
		detailType, ok := detailTypes[e.Type]
		if !ok {
			detailType = "Amazon Connect Rules Matched"
		}
		d.Body = map[string]any{
			"version": "0", "id": d.Id, "detail-type": detailType, "source": "aws.connect", "account": e.Account,
			"time": d.Time.UTC().Format(time.RFC3339), "region": s.region, "resources": resources, "detail": detail,
		}
	case "SEND_NOTIFICATION":
		n := a.SendNotificationAction
		d.Kind = deliveryNotification
		d.Body = map[string]any{
			"DeliveryMethod": n.DeliveryMethod, "Subject": rules.Inject(n.Subject, doc), "Content": rules.Inject(n.Content, doc),
			"ContentType": n.ContentType, "Recipient": n.Recipient, "Exclusion": n.Exclusion, "RuleName": r.Name, "InstanceArn": instanceARN,
		}
	default:
		return nil, fmt.Errorf("%s is not a delivery", a.ActionType)
	}
	if err := save(ctx, tx, store.Key{Account: e.Account, Kind: kindDelivery, Instance: e.Instance, ID: d.Id}, "", d); err != nil {
		return nil, err
	}
	_, err := tx.AppendEvent(ctx, store.Event{Type: eventDelivery, Account: e.Account, Instance: e.Instance, Subject: d.Id, Time: d.Time})
	return d, err
}

// Deliveries returns an instance's delivery log, oldest first.
func (s *Service) Deliveries(ctx context.Context, account, instance string) ([]Delivery, error) {
	return listLog[Delivery](ctx, s, account, instance, kindDelivery)
}

// Sender posts one delivery somewhere; nil means deliveries are only stored.
type Sender func(ctx context.Context, d Delivery) error

// RunDeliveries processes the deliveries (ProcessDeliveries: 5 attempts, from 200 ms
// apart) every interval until ctx ends.
func (s *Service) RunDeliveries(ctx context.Context, send Sender, interval time.Duration) {
	s.runLoop(ctx, interval, "deliveries", nil, func(ctx context.Context) (int, error) {
		return s.ProcessDeliveries(ctx, send, 5, 200*time.Millisecond)
	})
}

// ProcessDeliveries hands each new delivery to send, retrying with exponential backoff
// (attempts tries, starting at backoff), and records the outcome. Sending happens
// outside any transaction; the cursor moves once the outcome is recorded, so a restart
// in between sends again (at least once). A delivery whose record cannot be read, or
// whose sending panics, is given up as the other jobs give up an event (eventAttempts).
func (s *Service) ProcessDeliveries(ctx context.Context, send Sender, attempts int, backoff time.Duration) (int, error) {
	done := 0
	for {
		var batch []store.Event
		err := s.store.View(ctx, func(tx store.Tx) error {
			after, err := tx.Cursor(ctx, webhookConsumer)
			if err != nil {
				return err
			}
			batch, err = tx.Events(ctx, after, 100)
			return err
		})
		if err != nil || len(batch) == 0 {
			return done, err
		}
		// Events other than deliveries need no transaction of their own: the cursor
		// moves past them with the next delivery's outcome, or at the end of the batch.
		var skipped int64 // the last event passed over since the cursor last moved
		for _, e := range batch {
			if e.Type != eventDelivery {
				skipped = e.Seq
				continue
			}
			if s.passGivenUp(webhookConsumer, e) {
				skipped = e.Seq // passed with the next write of the cursor
				continue
			}
			var d Delivery
			key := store.Key{Account: e.Account, Kind: kindDelivery, Instance: e.Instance, ID: e.Subject}
			err := catchPanic(func() error {
				err := s.store.View(ctx, func(tx store.Tx) error { return load(ctx, tx, key, &d, "Delivery") })
				if err == nil {
					s.attempt(ctx, &d, send, attempts, backoff)
					done++
				}
				return err
			})
			if err != nil && !isNotFound(err) {
				s.failures.failed(webhookConsumer, e.Seq, s.now())
				return done, fmt.Errorf("%s: event %d (%s): %w", webhookConsumer, e.Seq, e.Type, err)
			}
			err = s.store.Update(ctx, func(tx store.Tx) error {
				if d.Id != "" {
					if err := save(ctx, tx, key, "", &d); err != nil {
						return err
					}
				}
				return tx.SetCursor(ctx, webhookConsumer, e.Seq)
			})
			if err != nil {
				return done, err
			}
			skipped = 0
		}
		if skipped != 0 {
			if err := s.store.Update(ctx, func(tx store.Tx) error { return tx.SetCursor(ctx, webhookConsumer, skipped) }); err != nil {
				return done, err
			}
		}
	}
}

func (s *Service) attempt(ctx context.Context, d *Delivery, send Sender, attempts int, backoff time.Duration) {
	if send == nil {
		d.Status = "STORED"
		return
	}
	for i := 0; i < attempts; i++ {
		d.Attempts++
		err := send(ctx, *d)
		if err == nil {
			d.Status, d.LastError = "DELIVERED", ""
			return
		}
		d.LastError = err.Error()
		if i+1 < attempts {
			select {
			case <-ctx.Done():
				d.Status = "FAILED"
				return
			case <-time.After(backoff << i):
			}
		}
	}
	d.Status = "FAILED"
	s.logger.Warn("delivery failed", "delivery", d.Id, "attempts", d.Attempts, "err", d.LastError)
}

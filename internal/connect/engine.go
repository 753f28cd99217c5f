package connect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/rules"
	"github.com/connectlocal/connectlocal/internal/store"
)

// The rules engine reads the outbox: every event whose Type is a rule event source
// (OnEmailAnalysisAvailable, or any source injected through the admin endpoint) is
// evaluated against the instance's PUBLISHED rules of that source, and the actions of
// the rules that match run in the same transaction that advances the engine's cursor,
// so each event is handled once even across restarts and replicas.

const (
	rulesConsumer      = "rules"
	kindRuleEvaluation = "rule-evaluation"
)

// Evaluation records what the engine did with one rule for one event.
type Evaluation struct {
	Seq         int64          `json:"Seq"`
	Time        time.Time      `json:"Time"`
	EventSource string         `json:"EventSource"`
	RuleId      string         `json:"RuleId"`
	RuleName    string         `json:"RuleName"`
	ContactId   string         `json:"ContactId,omitempty"`
	Matched     bool           `json:"Matched"`
	Actions     []ActionResult `json:"Actions,omitempty"`
	Event       map[string]any `json:"Event"`
}

// ActionResult is what one action of a matching rule did.
type ActionResult struct {
	ActionType string         `json:"ActionType"`
	Performed  bool           `json:"Performed"` // false for actions recorded but not carried out
	Result     string         `json:"Result"`
	Error      string         `json:"Error,omitempty"`
	Parameters map[string]any `json:"Parameters,omitempty"`
}

// RunRules processes rule events every interval (or when woken) until ctx ends.
func (s *Service) RunRules(ctx context.Context, interval time.Duration) {
	s.runLoop(ctx, interval, "rules engine", s.outbox.wait, s.ProcessRuleEvents)
}

// ProcessRuleEvents handles every outbox event after the engine's cursor and returns how
// many rule events it evaluated against at least one rule.
func (s *Service) ProcessRuleEvents(ctx context.Context) (int, error) {
	return s.consume(ctx, rulesConsumer, func(ctx context.Context, tx store.Tx, e store.Event) (bool, error) {
		if !slices.Contains(rules.EventSources(), e.Type) {
			return false, nil
		}
		return s.evaluate(ctx, tx, e)
	})
}

// decodeEvent reads an event document with numbers kept exact.
func decodeEvent(payload []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var doc map[string]any
	err := dec.Decode(&doc)
	return doc, err
}

// evaluate runs every published rule of the event's source in its instance, and reports
// whether there was any. An event no rule is for is not decoded, and counts as no work
// (see consume): with no rules, the events share the engine's transactions.
func (s *Service) evaluate(ctx context.Context, tx store.Tx, e store.Event) (bool, error) {
	res, err := tx.List(ctx, store.Page{Account: e.Account, Kind: kindRule, Instance: e.Instance})
	if err != nil {
		return false, err
	}
	var candidates []api.Rule
	for _, rec := range res.Records {
		var r api.Rule
		if err := decodeRecord(rec.Data, &r); err != nil {
			return false, err
		}
		if r.PublishStatus == "PUBLISHED" && r.TriggerEventSource.EventSourceName == e.Type {
			candidates = append(candidates, r)
		}
	}
	if len(candidates) == 0 {
		return false, nil
	}
	doc, err := decodeEvent(e.Payload)
	if err != nil {
		s.logger.Error("rules engine: event is not a JSON object", "seq", e.Seq, "err", err)
		return true, nil
	}
	ctx = WithCaller(ctx, Caller{Account: e.Account, AccessKeyID: "connectlocal-rules"})
	contactID := triggeringContact(doc)
	for _, r := range candidates {
		ev := Evaluation{Seq: e.Seq, Time: s.now(), EventSource: e.Type, RuleId: r.RuleId, RuleName: r.Name, ContactId: contactID, Event: doc}
		f, err := rules.Parse(e.Type, r.Function)
		if err == nil {
			ev.Matched = f.Match(doc)
		}
		if ev.Matched {
			for _, a := range r.Actions {
				ev.Actions = append(ev.Actions, s.perform(ctx, tx, e, &r, a, doc, contactID))
			}
		}
		s.logger.Info("rule evaluated", "rule", r.Name, "event", e.Type, "seq", e.Seq, "contact", contactID, "matched", ev.Matched, "actions", len(ev.Actions))
		if err := save(ctx, tx, store.Key{Account: e.Account, Kind: kindRuleEvaluation, Instance: e.Instance, ID: fmt.Sprintf("%020d-%s", e.Seq, r.RuleId)}, "", ev); err != nil {
			return true, err
		}
	}
	return true, nil
}

// triggeringContact finds the contact an event is about: $.ContactLens.<Kind>.ContactId,
// else a top-level ContactId.
func triggeringContact(doc map[string]any) string {
	if cl, ok := doc["ContactLens"].(map[string]any); ok {
		for _, v := range cl {
			if m, ok := v.(map[string]any); ok {
				if id, ok := m["ContactId"].(string); ok {
					return id
				}
			}
		}
	}
	id, _ := doc["ContactId"].(string)
	return id
}

// perform carries out one action of a matching rule. A failing action is recorded with
// its error; it does not stop the others or the engine.
func (s *Service) perform(ctx context.Context, tx store.Tx, e store.Event, r *api.Rule, a api.RuleAction, doc map[string]any, contactID string) ActionResult {
	res := ActionResult{ActionType: a.ActionType}
	fail := func(err error) ActionResult {
		res.Error = err.Error()
		res.Result = "failed"
		return res
	}
	switch a.ActionType {
	case "CREATE_TASK":
		t := a.TaskAction
		refs := map[string]api.Reference{}
		for name, ref := range t.References {
			ref.Value = rules.Inject(ref.Value, doc)
			refs[name] = ref
		}
		in := &api.StartTaskContactRequest{
			InstanceId: e.Instance, ContactFlowId: t.ContactFlowId, Name: rules.Inject(t.Name, doc),
			Description: rules.Inject(t.Description, doc), References: refs,
		}
		if contactID != "" {
			ok, err := tx.Exists(ctx, contactKey(e.Account, e.Instance, contactID))
			if err != nil {
				return fail(err)
			}
			if ok { // an injected event may name a contact that is not there
				in.RelatedContactId = contactID
			}
		}
		res.Parameters = map[string]any{"Name": in.Name, "Description": in.Description, "ContactFlowId": in.ContactFlowId, "RelatedContactId": in.RelatedContactId, "References": refs}
		out, err := s.startTask(ctx, tx, e.Instance, in)
		if err != nil {
			return fail(err)
		}
		res.Performed, res.Result = true, "started task "+out.ContactId
	case "ASSIGN_CONTACT_CATEGORY":
		res.Performed, res.Result = true, "category "+r.Name+" assigned"
		res.Parameters = map[string]any{"Category": r.Name}
	case "GENERATE_EVENTBRIDGE_EVENT", "SEND_NOTIFICATION":
		d, err := s.deliver(ctx, tx, e, r, a, doc, contactID)
		if err != nil {
			return fail(err)
		}
		res.Performed, res.Result, res.Parameters = true, "delivered as "+d.Id, map[string]any{"Delivery": d.Id}
	case "END_ASSOCIATED_TASKS":
		n, err := s.endRelatedTasks(ctx, tx, e.Account, e.Instance, contactID)
		if err != nil {
			return fail(err)
		}
		res.Performed, res.Result = true, fmt.Sprintf("ended %d associated tasks", n)
	default:
		// Cases, SLAs and evaluations live in services connectlocal does not emulate: the
		// action is recorded with its parameters, as received.
		b, _ := json.Marshal(a)
		var params map[string]any
		json.Unmarshal(b, &params)
		res.Result, res.Parameters = "recorded; connectlocal does not emulate this action", params
	}
	return res
}

// endRelatedTasks ends the live tasks whose RelatedContactId is the triggering contact.
func (s *Service) endRelatedTasks(ctx context.Context, tx store.Tx, account, instance, contactID string) (int, error) {
	if contactID == "" {
		return 0, errors.New("the event names no contact")
	}
	contacts, _, err := decodeAll[contactRecord](ctx, tx, store.Page{Account: account, Kind: kindContact, Instance: instance})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range contacts {
		if c.Channel != "TASK" || c.RelatedContactId != contactID || c.ended(s.now()) {
			continue
		}
		if err := s.end(ctx, tx, instance, &c, "API", nil); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Evaluations returns the engine's log for an instance, oldest first.
func (s *Service) Evaluations(ctx context.Context, account, instance string) ([]Evaluation, error) {
	return listLog[Evaluation](ctx, s, account, instance, kindRuleEvaluation)
}

func listLog[T any](ctx context.Context, s *Service, account, instance, kind string) ([]T, error) {
	var out []T
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		out, _, err = decodeAll[T](ctx, tx, store.Page{Account: account, Kind: kind, Instance: instance})
		return err
	})
	return out, err
}

// InjectEvent puts an event of any rule event source on the outbox, for the sources
// connectlocal does not produce itself (post-call, Zendesk, cases ...). The engine
// handles it like any other.
func (s *Service) InjectEvent(ctx context.Context, account, instanceID, source string, payload map[string]any) (int64, error) {
	if !slices.Contains(rules.EventSources(), source) {
		return 0, api.Errorf(api.InvalidRequest, "unknown event source %q; one of %v", source, rules.EventSources())
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return 0, err
	}
	var seq int64
	ctx = WithCaller(ctx, Caller{Account: account})
	err = s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, instanceID)
		if err != nil {
			return err
		}
		seq, err = tx.AppendEvent(ctx, store.Event{Type: source, Account: account, Instance: inst, Subject: triggeringContact(payload), Payload: b, Time: s.now()})
		return err
	})
	if err == nil {
		s.outbox.notify()
	}
	return seq, err
}

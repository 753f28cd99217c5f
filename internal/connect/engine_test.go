package connect

import (
	"testing"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// A rule event that no published rule of the instance is for is passed over without
// counting as the engine's work, so that with no rules (most instances) the events
// share the engine's transactions instead of making a write each. Once a rule is
// published, the next event is evaluated and counted.
func TestRuleEventsNoRuleIsForCountAsNoWork(t *testing.T) {
	s, _, st, d := newTestService(t)
	email := func() string {
		t.Helper()
		out, err := s.StartEmailContact(bg, &api.StartEmailContactRequest{
			InstanceId: d.InstanceID, DestinationEmailAddress: "support@connectlocal.email.connect.aws",
			FromEmailAddress: &api.EmailAddressInfo{EmailAddress: "jane@example.com"},
			EmailMessage: &api.InboundEmailContent{MessageSourceType: "RAW", RawMessage: &api.InboundRawMessage{
				Subject: "Order", ContentType: "text/plain", Body: "Where is my order?",
			}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.ProcessEmailAnalytics(bg); err != nil || n != 1 {
			t.Fatalf("analysed %d emails (%v), want 1", n, err)
		}
		return out.ContactId
	}
	const emailFunction = `{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS_ANY","Operands":["INBOUND"],"ComparisonValue":"$.ContactLens.Email.InitiationMethod","Negate":false}]}}`
	rule := func(name, status string) {
		t.Helper()
		_, err := s.CreateRule(bg, &api.CreateRuleRequest{
			InstanceId: d.InstanceID, Name: name, PublishStatus: status,
			TriggerEventSource: &api.RuleTriggerEventSource{EventSourceName: EventEmailAnalysisAvailable},
			Function:           emailFunction,
			Actions:            []api.RuleAction{{ActionType: "ASSIGN_CONTACT_CATEGORY", AssignContactCategoryAction: &api.AssignContactCategoryActionDefinition{}}},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// process runs the engine and checks what it counted, and that its cursor is at the
	// outbox's last event: the events passed over are consumed all the same.
	process := func(want int) {
		t.Helper()
		n, err := s.ProcessRuleEvents(bg)
		if err != nil || n != want {
			t.Fatalf("the engine counted %d events (%v), want %d", n, err, want)
		}
		err = st.View(bg, func(tx store.Tx) error {
			events, err := tx.Events(bg, 0, 0)
			if err != nil {
				return err
			}
			cursor, err := tx.Cursor(bg, rulesConsumer)
			if last := events[len(events)-1].Seq; err == nil && cursor != last {
				t.Errorf("the engine's cursor is at %d, the last event at %d", cursor, last)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	email()
	email()
	process(0)
	rule("draft", "DRAFT") // not published: still no rule for the event
	// Published, but for another source.
	_, err := s.CreateRule(bg, &api.CreateRuleRequest{
		InstanceId: d.InstanceID, Name: "zendesk", PublishStatus: "PUBLISHED",
		TriggerEventSource: &api.RuleTriggerEventSource{EventSourceName: "OnZendeskTicketCreate", IntegrationAssociationId: "assoc-1"},
		Function:           `{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS","Operands":["urgent"],"ComparisonValue":"$.ThirdParty.Zendesk.TicketCreate.Tags","Negate":false}]}}`,
		Actions:            []api.RuleAction{{ActionType: "CREATE_TASK", TaskAction: &api.TaskActionDefinition{Name: "Ticket", ContactFlowId: d.ContactFlowID}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	email()
	process(0)
	if evs, err := s.Evaluations(bg, DefaultAccount, d.InstanceID); err != nil || len(evs) != 0 {
		t.Fatalf("evaluations with no published rule: %+v (%v)", evs, err)
	}

	rule("published", "PUBLISHED")
	id := email()
	process(1)
	evs, err := s.Evaluations(bg, DefaultAccount, d.InstanceID)
	if err != nil || len(evs) != 1 || evs[0].RuleName != "published" || evs[0].ContactId != id || !evs[0].Matched {
		t.Fatalf("evaluations: %+v (%v)", evs, err)
	}
}

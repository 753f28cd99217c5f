package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/connectlocal/connectlocal/connectlocaltest"
)

// admin calls connectlocal's admin endpoint and decodes the JSON answer into out.
func admin(t *testing.T, srv *connectlocaltest.Server, method, path string, body, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, srv.URL+"/_connectlocal/instances/"+srv.Defaults.InstanceID+path, rd)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s: %s %s", method, path, resp.Status, b)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
}

type evaluation struct {
	RuleName  string
	Matched   bool
	ContactId string
	Actions   []struct{ ActionType, Result, Error string }
}

// eventually retries check until it passes or 5 s have gone by.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func evaluations(t *testing.T, srv *connectlocaltest.Server) []evaluation {
	var out struct{ Evaluations []evaluation }
	admin(t, srv, http.MethodGet, "/evaluations", nil, &out)
	return out.Evaluations
}

const zendeskVIP = `{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS","Operands":["vip"],"ComparisonValue":"$.ThirdParty.Zendesk.TicketCreate.Tags","Negate":false}]}}`

func zendeskEvent(tags ...string) map[string]any {
	return map[string]any{"EventSourceName": "OnZendeskTicketCreate", "Event": map[string]any{
		"ThirdParty": map[string]any{"Zendesk": map[string]any{"TicketCreate": map[string]any{"Id": 35436, "Tags": tags, "Priority": "high"}}}}}
}

func TestInjectedEventsFireTheirRules(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	rule := func(name string, status types.RulePublishStatus) {
		a := taskAction(srv, "Zendesk "+name+" ticket $.ThirdParty.Zendesk.TicketCreate.Id")
		must(c.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: inst, Name: aws.String(name), PublishStatus: status,
			TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: types.EventSourceNameOnZendeskTicketCreate, IntegrationAssociationId: aws.String("assoc")},
			Function:           aws.String(zendeskVIP), Actions: []types.RuleAction{a}}))(t)
	}
	rule("published", types.RulePublishStatusPublished)
	rule("draft", types.RulePublishStatusDraft)
	admin(t, srv, http.MethodPost, "/events", zendeskEvent("vip", "billing"), nil)
	admin(t, srv, http.MethodPost, "/events", zendeskEvent("billing"), nil)
	eventually(t, "two evaluations", func() bool { return len(evaluations(t, srv)) == 2 })
	evs := evaluations(t, srv)
	if evs[0].RuleName != "published" || !evs[0].Matched || len(evs[0].Actions) != 1 || evs[0].Actions[0].Error != "" {
		t.Errorf("first event: %+v", evs[0])
	}
	if evs[1].Matched || len(evs[1].Actions) != 0 {
		t.Errorf("non-matching event ran actions: %+v", evs[1])
	}
	tasks := must(c.SearchContacts(ctx, &connect.SearchContactsInput{InstanceId: inst, SearchCriteria: &types.SearchCriteria{Channels: []types.Channel{types.ChannelTask}},
		TimeRange: &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: aws.Time(time.Now().Add(-time.Hour)), EndTime: aws.Time(time.Now().Add(time.Hour))}}))(t).Contacts
	if len(tasks) != 1 || aws.ToString(tasks[0].Name) != "Zendesk published ticket 35436" {
		t.Fatalf("tasks = %+v", tasks)
	}
}

func TestEventBridgeActionsReachTheWebhook(t *testing.T) {
	var mu sync.Mutex
	var received []map[string]any
	failures := 1 // the first POST fails: the sender retries
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if failures > 0 {
			failures--
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		var body map[string]any
		json.NewDecoder(r.Body).Decode(&body)
		received = append(received, body)
	}))
	defer hook.Close()
	srv, c := start(t, connectlocaltest.WithWebhook(hook.URL))
	inst := aws.String(srv.Defaults.InstanceID)
	must(c.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: inst, Name: aws.String("long-hold"), PublishStatus: types.RulePublishStatusPublished,
		TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: types.EventSourceNameOnPostCallAnalysisAvailable},
		Function:           aws.String(`{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"NumberGreaterOrEqualTo","Operands":[60],"ComparisonValue":"$.ContactLens.PostCall.Agent.AfterContactWorkDurationSecs","Negate":false}]}}`),
		Actions: []types.RuleAction{
			{ActionType: types.ActionTypeGenerateEventbridgeEvent, EventBridgeAction: &types.EventBridgeActionDefinition{Name: aws.String("acw-too-long")}},
			{ActionType: types.ActionTypeSendNotification, SendNotificationAction: &types.SendNotificationActionDefinition{DeliveryMethod: types.NotificationDeliveryTypeEmail,
				Subject: aws.String("ACW on $.ContactLens.PostCall.ContactId"), Content: aws.String("Agent $.ContactLens.PostCall.Agent.AgentId"), ContentType: types.NotificationContentTypePlainText,
				Recipient: &types.NotificationRecipientType{UserIds: []string{"supervisor"}}}},
		}}))(t)
	admin(t, srv, http.MethodPost, "/events", map[string]any{"EventSourceName": "OnPostCallAnalysisAvailable", "Event": map[string]any{
		"ContactLens": map[string]any{"PostCall": map[string]any{"ContactId": "c-1", "Agent": map[string]any{"AgentId": "agent-7", "AfterContactWorkDurationSecs": 90}}}}}, nil)
	eventually(t, "two webhook deliveries", func() bool { mu.Lock(); defer mu.Unlock(); return len(received) == 2 })
	mu.Lock()
	defer mu.Unlock()
	ev := received[0]
	detail, _ := ev["detail"].(map[string]any)
	if ev["source"] != "aws.connect" || ev["detail-type"] != "Contact Lens Post Call Rules Matched" || detail["ruleName"] != "long-hold" || detail["actionName"] != "acw-too-long" ||
		detail["contactArn"] != fmt.Sprintf("arn:aws:connect:us-east-1:000000000000:instance/%s/contact/c-1", srv.Defaults.InstanceID) {
		t.Errorf("EventBridge event = %v", ev)
	}
	if received[1]["Subject"] != "ACW on c-1" || received[1]["Content"] != "Agent agent-7" {
		t.Errorf("notification = %v", received[1])
	}
	var log struct {
		Deliveries []struct {
			Kind, Status string
			Attempts     int
		}
	}
	admin(t, srv, http.MethodGet, "/deliveries", nil, &log)
	if len(log.Deliveries) != 2 || log.Deliveries[0].Status != "DELIVERED" || log.Deliveries[0].Attempts != 2 {
		t.Errorf("delivery log = %+v", log.Deliveries)
	}
}

func TestEndAssociatedTasksOnCaseUpdate(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	email := must(c.StartEmailContact(ctx, emailInput(srv)))(t)
	related := task(t, c, srv, func(in *connect.StartTaskContactInput) { in.RelatedContactId = email.ContactId })
	unrelated := task(t, c, srv)
	fn := `{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"EQUALS","Operands":["closed"],"ComparisonValue":"$.Case.Fields.status","Negate":false}]}}`
	must(c.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: inst, Name: aws.String("close-tasks"), PublishStatus: types.RulePublishStatusPublished,
		TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: types.EventSourceNameOnCaseUpdate}, Function: aws.String(fn),
		Actions: []types.RuleAction{{ActionType: types.ActionTypeEndAssociatedTasks, EndAssociatedTasksAction: &types.EndAssociatedTasksActionDefinition{}}}}))(t)
	admin(t, srv, http.MethodPost, "/events", map[string]any{"EventSourceName": "OnCaseUpdate", "Event": map[string]any{"ContactId": aws.ToString(email.ContactId), "Case": map[string]any{"Fields": map[string]any{"status": "closed"}}}}, nil)
	eventually(t, "the evaluation", func() bool { return len(evaluations(t, srv)) == 1 })
	if describe(t, c, srv, related).DisconnectTimestamp == nil {
		t.Error("the related task is still live")
	}
	if describe(t, c, srv, unrelated).DisconnectTimestamp != nil {
		t.Error("an unrelated task was ended")
	}
}

func TestRestartBetweenEventAndActionLosesNothingDuplicatesNothing(t *testing.T) {
	dir := t.TempDir()
	srv := connectlocaltest.Start(t, connectlocaltest.WithDataDir(dir))
	c := connect.NewFromConfig(srv.Config)
	must(c.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: aws.String(srv.Defaults.InstanceID), Name: aws.String("vip"), PublishStatus: types.RulePublishStatusPublished,
		TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: types.EventSourceNameOnZendeskTicketCreate, IntegrationAssociationId: aws.String("assoc")},
		Function:           aws.String(zendeskVIP), Actions: []types.RuleAction{taskAction(srv, "vip ticket")}}))(t)
	for range 5 {
		admin(t, srv, http.MethodPost, "/events", zendeskEvent("vip"), nil)
	}
	srv.Stop() // whatever the engine had done is committed with its cursor, the rest is not

	again := connectlocaltest.Start(t, connectlocaltest.WithDataDir(dir))
	c = connect.NewFromConfig(again.Config)
	eventually(t, "five evaluations", func() bool { return len(evaluations(t, again)) >= 5 })
	time.Sleep(300 * time.Millisecond) // a duplicate would show up by now
	if n := len(evaluations(t, again)); n != 5 {
		t.Errorf("%d evaluations, want 5", n)
	}
	tasks := must(c.SearchContacts(ctx, &connect.SearchContactsInput{InstanceId: aws.String(again.Defaults.InstanceID),
		TimeRange: &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: aws.Time(time.Now().Add(-time.Hour)), EndTime: aws.Time(time.Now().Add(time.Hour))}}))(t)
	if aws.ToInt64(tasks.TotalCount) != 5 {
		t.Errorf("%d tasks, want 5", aws.ToInt64(tasks.TotalCount))
	}
}

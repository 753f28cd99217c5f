package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/connectlocal/connectlocal/connectlocaltest"
)

// emailFunction is a rule function on OnEmailAnalysisAvailable matching any of words in the email text.
func emailFunction(words ...string) string {
	operands := ""
	for i, w := range words {
		if i > 0 {
			operands += ","
		}
		operands += fmt.Sprintf("%q", w)
	}
	return fmt.Sprintf(`{"Version":"2022-11-25","RuleFunction":{"Operator":"OR","Operands":[{"Operator":"CONTAINS_ANY","Operands":[%s],"ComparisonValue":"$.ContactLens.Email.ExactMatch.Text","Negate":false}]}}`, operands)
}

const inboundEmailFunction = `{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS_ANY","Operands":["INBOUND"],"ComparisonValue":"$.ContactLens.Email.InitiationMethod","Negate":false}]}}`

func categoryAction() types.RuleAction {
	return types.RuleAction{ActionType: types.ActionTypeAssignContactCategory, AssignContactCategoryAction: &types.AssignContactCategoryActionDefinition{}}
}

func taskAction(srv *connectlocaltest.Server, name string) types.RuleAction {
	return types.RuleAction{ActionType: types.ActionTypeCreateTask, TaskAction: &types.TaskActionDefinition{
		Name: aws.String(name), Description: aws.String("Follow up on $.ContactLens.Email.ContactId"), ContactFlowId: aws.String(srv.Defaults.ContactFlowID),
		References: map[string]types.Reference{"ticket": {Type: types.ReferenceTypeUrl, Value: aws.String("https://example.com/t")}},
	}}
}

func TestRuleCRUD(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	before := time.Now().Add(-time.Second)
	in := &connect.CreateRuleInput{
		InstanceId: inst, Name: aws.String("angry-customers"), PublishStatus: types.RulePublishStatusPublished,
		TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: types.EventSourceNameOnEmailAnalysisAvailable},
		Function:           aws.String(emailFunction("refund", "angry")),
		Actions:            []types.RuleAction{categoryAction(), taskAction(srv, "Call back")},
	}
	created := must(c.CreateRule(ctx, in))(t)
	t.Run("DescribeReturnsWhatWasWritten", func(t *testing.T) {
		r := must(c.DescribeRule(ctx, &connect.DescribeRuleInput{InstanceId: inst, RuleId: created.RuleId}))(t).Rule
		if aws.ToString(r.Function) != aws.ToString(in.Function) || aws.ToString(r.Name) != "angry-customers" || len(r.Actions) != 2 ||
			r.Actions[0].AssignContactCategoryAction == nil || aws.ToString(r.Actions[1].TaskAction.Name) != "Call back" ||
			r.TriggerEventSource.EventSourceName != types.EventSourceNameOnEmailAnalysisAvailable || aws.ToString(r.RuleArn) != aws.ToString(created.RuleArn) {
			t.Errorf("rule: %+v", r)
		}
		if r.CreatedTime == nil || r.CreatedTime.Before(before) || r.LastUpdatedTime == nil || aws.ToString(r.LastUpdatedBy) != "arn:aws:iam::000000000000:user/test" {
			t.Errorf("CreatedTime %v, LastUpdatedTime %v, LastUpdatedBy %s", r.CreatedTime, r.LastUpdatedTime, aws.ToString(r.LastUpdatedBy))
		}
	})
	t.Run("NamesAreUniquePerInstance", func(t *testing.T) {
		again := *in
		again.ClientToken = aws.String("another-request") // the SDK filled in the first call's token
		_, err := c.CreateRule(ctx, &again)
		wantError[*types.ResourceConflictException](t, err, "angry-customers")
	})
	t.Run("UpdateChangesFunctionActionsAndStatus", func(t *testing.T) {
		must(c.UpdateRule(ctx, &connect.UpdateRuleInput{InstanceId: inst, RuleId: created.RuleId, Name: aws.String("angry-customers"),
			Function: aws.String(inboundEmailFunction), Actions: []types.RuleAction{categoryAction()}, PublishStatus: types.RulePublishStatusDraft}))(t)
		r := must(c.DescribeRule(ctx, &connect.DescribeRuleInput{InstanceId: inst, RuleId: created.RuleId}))(t).Rule
		if aws.ToString(r.Function) != inboundEmailFunction || len(r.Actions) != 1 || r.PublishStatus != types.RulePublishStatusDraft {
			t.Errorf("updated rule: %+v", r)
		}
	})
	t.Run("NameChangesOnlyForZendeskAndSalesforce", func(t *testing.T) {
		_, err := c.UpdateRule(ctx, &connect.UpdateRuleInput{InstanceId: inst, RuleId: created.RuleId, Name: aws.String("renamed"),
			Function: aws.String(inboundEmailFunction), Actions: []types.RuleAction{categoryAction()}, PublishStatus: types.RulePublishStatusDraft})
		wantError[*types.InvalidRequestException](t, err, "cannot change")
		zd := must(c.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: inst, Name: aws.String("zendesk"), PublishStatus: types.RulePublishStatusPublished,
			TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: types.EventSourceNameOnZendeskTicketCreate, IntegrationAssociationId: aws.String("assoc-1")},
			Function:           aws.String(`{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS","Operands":["urgent"],"ComparisonValue":"$.ThirdParty.Zendesk.TicketCreate.Tags","Negate":false}]}}`),
			Actions:            []types.RuleAction{taskAction(srv, "Zendesk ticket")}}))(t)
		must(c.UpdateRule(ctx, &connect.UpdateRuleInput{InstanceId: inst, RuleId: zd.RuleId, Name: aws.String("zendesk-renamed"),
			Function: aws.String(`{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS","Operands":["urgent"],"ComparisonValue":"$.ThirdParty.Zendesk.TicketCreate.Tags","Negate":false}]}}`),
			Actions:  []types.RuleAction{taskAction(srv, "Zendesk ticket")}, PublishStatus: types.RulePublishStatusPublished}))(t)
	})
	t.Run("ListFiltersAndPaginates", func(t *testing.T) {
		for i := range 3 {
			must(c.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: inst, Name: aws.String(fmt.Sprintf("draft-%d", i)), PublishStatus: types.RulePublishStatusDraft,
				TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: types.EventSourceNameOnEmailAnalysisAvailable},
				Function:           aws.String(inboundEmailFunction), Actions: []types.RuleAction{categoryAction()}}))(t)
		}
		var names []string
		pages := connect.NewListRulesPaginator(c, &connect.ListRulesInput{InstanceId: inst, PublishStatus: types.RulePublishStatusDraft,
			EventSourceName: types.EventSourceNameOnEmailAnalysisAvailable, MaxResults: aws.Int32(2)})
		for pages.HasMorePages() {
			for _, r := range must(pages.NextPage(ctx))(t).RuleSummaryList {
				names = append(names, aws.ToString(r.Name))
				if len(r.ActionSummaries) == 0 || r.CreatedTime == nil {
					t.Errorf("summary: %+v", r)
				}
			}
		}
		if fmt.Sprint(names) != "[angry-customers draft-0 draft-1 draft-2]" {
			t.Errorf("draft email rules = %v", names)
		}
		published := must(c.ListRules(ctx, &connect.ListRulesInput{InstanceId: inst, PublishStatus: types.RulePublishStatusPublished}))(t).RuleSummaryList
		if len(published) != 1 || aws.ToString(published[0].Name) != "zendesk-renamed" {
			t.Errorf("published = %+v", published)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		must(c.DeleteRule(ctx, &connect.DeleteRuleInput{InstanceId: inst, RuleId: created.RuleId}))(t)
		_, err := c.DescribeRule(ctx, &connect.DescribeRuleInput{InstanceId: inst, RuleId: created.RuleId})
		wantError[*types.ResourceNotFoundException](t, err)
	})
}

func TestRuleRefusals(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	create := func(source types.EventSourceName, function string, actions ...types.RuleAction) error {
		_, err := c.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: inst, Name: aws.String("r"), PublishStatus: types.RulePublishStatusPublished,
			TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: source, IntegrationAssociationId: aws.String("assoc")},
			Function:           aws.String(function), Actions: actions})
		return err
	}
	eventBridge := types.RuleAction{ActionType: types.ActionTypeGenerateEventbridgeEvent, EventBridgeAction: &types.EventBridgeActionDefinition{Name: aws.String("ev")}}
	for name, tc := range map[string]struct {
		source   types.EventSourceName
		function string
		actions  []types.RuleAction
		fragment string
	}{
		"MalformedFunction":                {types.EventSourceNameOnEmailAnalysisAvailable, `{"Version":`, []types.RuleAction{categoryAction()}, "Function"},
		"WrongVersion":                     {types.EventSourceNameOnEmailAnalysisAvailable, `{"Version":"2020-01-01","RuleFunction":{"Operator":"AND","Operands":[]}}`, []types.RuleAction{categoryAction()}, "Version"},
		"UnknownOperatorPointsAtIt":        {types.EventSourceNameOnEmailAnalysisAvailable, `{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"STARTS","Operands":["x"],"ComparisonValue":"$.ContactLens.Email.InitiationMethod","Negate":false}]}}`, []types.RuleAction{categoryAction()}, "Operands[0].Operator"},
		"ComparisonValueOfAnotherSource":   {types.EventSourceNameOnEmailAnalysisAvailable, `{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS_ANY","Operands":["x"],"ComparisonValue":"$.ContactLens.PostChat.ExactMatch.Transcript","Negate":false}]}}`, []types.RuleAction{categoryAction()}, "ComparisonValue"},
		"InitiationMethodOperandNotInEnum": {types.EventSourceNameOnEmailAnalysisAvailable, `{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS_ANY","Operands":["CARRIER_PIGEON"],"ComparisonValue":"$.ContactLens.Email.InitiationMethod","Negate":false}]}}`, []types.RuleAction{categoryAction()}, "CARRIER_PIGEON"},
		"EventBridgeNotForZendesk":         {types.EventSourceNameOnZendeskTicketCreate, `{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS","Operands":["urgent"],"ComparisonValue":"$.ThirdParty.Zendesk.TicketCreate.Tags","Negate":false}]}}`, []types.RuleAction{taskAction(srv, "t"), eventBridge}, "GENERATE_EVENTBRIDGE_EVENT"},
		"TaskRequiredForZendesk":           {types.EventSourceNameOnZendeskTicketCreate, `{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[{"Operator":"CONTAINS","Operands":["urgent"],"ComparisonValue":"$.ThirdParty.Zendesk.TicketCreate.Tags","Negate":false}]}}`, []types.RuleAction{categoryAction()}, "CREATE_TASK"},
		"UpdateCaseOnlyForCases":           {types.EventSourceNameOnEmailAnalysisAvailable, inboundEmailFunction, []types.RuleAction{{ActionType: types.ActionTypeUpdateCase, UpdateCaseAction: &types.UpdateCaseActionDefinition{Fields: []types.FieldValue{}}}}, "UPDATE_CASE"},
		"ActionMissingItsDefinition":       {types.EventSourceNameOnEmailAnalysisAvailable, inboundEmailFunction, []types.RuleAction{{ActionType: types.ActionTypeCreateTask}}, "TaskAction"},
	} {
		t.Run(name, func(t *testing.T) {
			wantError[*types.InvalidRequestException](t, create(tc.source, tc.function, tc.actions...), tc.fragment)
		})
	}
	t.Run("TaskFlowMustExist", func(t *testing.T) {
		a := taskAction(srv, "t")
		a.TaskAction.ContactFlowId = aws.String("no-such-flow")
		wantError[*types.ResourceNotFoundException](t, create(types.EventSourceNameOnEmailAnalysisAvailable, inboundEmailFunction, a), "no-such-flow")
	})
}

package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/connectlocal/connectlocal/connectlocaltest"
	"github.com/connectlocal/connectlocal/internal/server"
)

func TestDefaultInstanceHasWhatConnectCreates(t *testing.T) {
	srv, c := start(t)
	d := srv.Defaults
	inst := must(c.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: aws.String(d.InstanceID)}))(t).Instance
	if aws.ToString(inst.InstanceAlias) != "connectlocal" || inst.InstanceStatus != types.InstanceStatusActive {
		t.Errorf("default instance: %+v", inst)
	}
	if want := "arn:aws:connect:us-east-1:000000000000:instance/" + d.InstanceID; aws.ToString(inst.Arn) != want {
		t.Errorf("Arn = %s, want %s", aws.ToString(inst.Arn), want)
	}
	if inst.CreatedTime == nil || time.Since(*inst.CreatedTime) > time.Minute {
		t.Errorf("CreatedTime = %v", inst.CreatedTime)
	}
	flows := must(c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: aws.String(d.InstanceID)}))(t).ContactFlowSummaryList
	var flowTypes []types.ContactFlowType
	for _, f := range flows {
		flowTypes = append(flowTypes, f.ContactFlowType)
	}
	for _, want := range types.ContactFlowType("").Values() {
		if !slices.Contains(flowTypes, want) {
			t.Errorf("no default flow of type %s", want)
		}
	}
	q := must(c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(d.InstanceID), QueueId: aws.String(d.QueueID)}))(t).Queue
	if aws.ToString(q.Name) != "BasicQueue" || aws.ToString(q.HoursOfOperationId) != d.HoursOfOperationID {
		t.Errorf("BasicQueue: %+v", q)
	}
	h := must(c.DescribeHoursOfOperation(ctx, &connect.DescribeHoursOfOperationInput{InstanceId: aws.String(d.InstanceID), HoursOfOperationId: aws.String(d.HoursOfOperationID)}))(t).HoursOfOperation
	if aws.ToString(h.Name) != "Basic Hours" || len(h.Config) != 7 {
		t.Errorf("Basic Hours: %+v", h)
	}
	e := must(c.DescribeEmailAddress(ctx, &connect.DescribeEmailAddressInput{InstanceId: aws.String(d.InstanceID), EmailAddressId: aws.String(d.EmailAddressID)}))(t)
	if aws.ToString(e.EmailAddress) != "support@connectlocal.email.connect.aws" {
		t.Errorf("default email address = %s", aws.ToString(e.EmailAddress))
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`).MatchString(aws.ToString(e.CreateTimestamp)) {
		t.Errorf("CreateTimestamp %q is not Connect's ISO8601Datetime", aws.ToString(e.CreateTimestamp))
	}
}

func TestInstanceLifeCycle(t *testing.T) {
	_, c := start(t)
	created := must(c.CreateInstance(ctx, &connect.CreateInstanceInput{
		IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("lifecycle-1"),
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(false), Tags: map[string]string{"team": "a"},
	}))(t)
	t.Run("DescribeByARN", func(t *testing.T) {
		inst := must(c.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: created.Arn}))(t).Instance
		if aws.ToString(inst.Id) != aws.ToString(created.Id) || aws.ToBool(inst.OutboundCallsEnabled) || inst.Tags["team"] != "a" {
			t.Errorf("instance: %+v", inst)
		}
	})
	t.Run("NewInstanceGetsDefaults", func(t *testing.T) {
		qs := must(c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: created.Id}))(t).QueueSummaryList
		if len(qs) != 1 || aws.ToString(qs[0].Name) != "BasicQueue" {
			t.Errorf("queues: %+v", qs)
		}
		found := must(c.SearchEmailAddresses(ctx, &connect.SearchEmailAddressesInput{InstanceId: created.Id}))(t).EmailAddresses
		if len(found) != 1 || aws.ToString(found[0].EmailAddress) != "support@lifecycle-1.email.connect.aws" {
			t.Errorf("email addresses: %+v", found)
		}
	})
	t.Run("DuplicateAliasRefused", func(t *testing.T) {
		_, err := c.CreateInstance(ctx, &connect.CreateInstanceInput{
			IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("lifecycle-1"),
			InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true),
		})
		wantError[*types.InvalidRequestException](t, err, "lifecycle-1")
	})
	t.Run("ListPaginates", func(t *testing.T) {
		for i := 2; i <= 4; i++ {
			must(c.CreateInstance(ctx, &connect.CreateInstanceInput{
				IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String(fmt.Sprintf("lifecycle-%d", i)),
				InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true),
			}))(t)
		}
		var aliases []string
		pages := connect.NewListInstancesPaginator(c, &connect.ListInstancesInput{MaxResults: aws.Int32(2)})
		for n := 0; pages.HasMorePages(); n++ {
			page := must(pages.NextPage(ctx))(t)
			if len(page.InstanceSummaryList) > 2 {
				t.Fatalf("page of %d", len(page.InstanceSummaryList))
			}
			for _, s := range page.InstanceSummaryList {
				aliases = append(aliases, aws.ToString(s.InstanceAlias))
			}
		}
		if want := []string{"connectlocal", "lifecycle-1", "lifecycle-2", "lifecycle-3", "lifecycle-4"}; !slices.Equal(aliases, want) {
			t.Errorf("aliases = %v, want %v", aliases, want)
		}
	})
	t.Run("DeleteRemovesEverything", func(t *testing.T) {
		must(c.DeleteInstance(ctx, &connect.DeleteInstanceInput{InstanceId: created.Id}))(t)
		_, err := c.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: created.Id})
		wantError[*types.ResourceNotFoundException](t, err, aws.ToString(created.Id))
		_, err = c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: created.Id})
		wantError[*types.ResourceNotFoundException](t, err)
	})
}

// A NextToken stays good when the item its page ended on is deleted before the next
// call: the listing goes on from that item's place, as a client paging while another
// deletes expects. (The AWS CLI suite runs its tests concurrently and met exactly this.)
func TestNextTokenOutlivesTheItemItEndsOn(t *testing.T) {
	_, c := start(t)
	ids := map[string]*string{}
	for _, alias := range []string{"token-a", "token-b", "token-c"} {
		ids[alias] = must(c.CreateInstance(ctx, &connect.CreateInstanceInput{
			IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String(alias),
			InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true),
		}))(t).Id
	}
	aliases := func(s []types.InstanceSummary) (out []string) {
		for _, i := range s {
			out = append(out, aws.ToString(i.InstanceAlias))
		}
		return out
	}
	first := must(c.ListInstances(ctx, &connect.ListInstancesInput{MaxResults: aws.Int32(2)}))(t)
	if got, want := aliases(first.InstanceSummaryList), []string{"connectlocal", "token-a"}; !slices.Equal(got, want) {
		t.Fatalf("first page = %v, want %v", got, want)
	}
	must(c.DeleteInstance(ctx, &connect.DeleteInstanceInput{InstanceId: ids["token-a"]}))(t)
	rest := must(c.ListInstances(ctx, &connect.ListInstancesInput{MaxResults: aws.Int32(2), NextToken: first.NextToken}))(t)
	if got, want := aliases(rest.InstanceSummaryList), []string{"token-b", "token-c"}; !slices.Equal(got, want) || rest.NextToken != nil {
		t.Errorf("page after the deleted item = %v (NextToken %v), want %v and no token", got, rest.NextToken, want)
	}
	// The item a page ended on may be the first of the listing.
	must(c.DeleteInstance(ctx, &connect.DeleteInstanceInput{InstanceId: ids["token-b"]}))(t)
	one := must(c.ListInstances(ctx, &connect.ListInstancesInput{MaxResults: aws.Int32(1)}))(t)
	must(c.DeleteInstance(ctx, &connect.DeleteInstanceInput{InstanceId: one.InstanceSummaryList[0].Id}))(t)
	rest = must(c.ListInstances(ctx, &connect.ListInstancesInput{MaxResults: aws.Int32(1), NextToken: one.NextToken}))(t)
	if got, want := aliases(rest.InstanceSummaryList), []string{"token-c"}; !slices.Equal(got, want) {
		t.Errorf("page after the deleted first item = %v, want %v", got, want)
	}
	_, err := c.ListInstances(ctx, &connect.ListInstancesInput{NextToken: aws.String("not-a-token")})
	wantError[*types.InvalidRequestException](t, err, "NextToken", "not-a-token")
}

func TestInputIsValidatedAgainstTheModel(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	t.Run("PatternOnAliasIsInvalidRequestWhereNoInvalidParameterIsListed", func(t *testing.T) {
		_, err := c.CreateInstance(ctx, &connect.CreateInstanceInput{
			IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("not allowed!"),
			InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true),
		})
		wantError[*types.InvalidRequestException](t, err, "1 validation error detected", "at 'instanceAlias'", "regular expression pattern")
	})
	t.Run("EnumIsInvalidParameterWhereListed", func(t *testing.T) {
		_, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: inst, Name: aws.String("x"), Type: "NOT_A_TYPE", Content: aws.String(minimalFlow)})
		wantError[*types.InvalidParameterException](t, err, "at 'type'", "Member must satisfy enum value set: [CONTACT_FLOW")
	})
	t.Run("LengthAndRangeAreCountedTogether", func(t *testing.T) {
		_, err := c.CreateHoursOfOperation(ctx, &connect.CreateHoursOfOperationInput{
			InstanceId: inst, Name: aws.String(string(make([]byte, 0))), TimeZone: aws.String("UTC"),
			Config: []types.HoursOfOperationConfig{{Day: types.HoursOfOperationDaysMonday, StartTime: &types.HoursOfOperationTimeSlice{Hours: aws.Int32(25), Minutes: aws.Int32(0)}, EndTime: &types.HoursOfOperationTimeSlice{Hours: aws.Int32(1), Minutes: aws.Int32(0)}}},
		})
		wantError[*types.InvalidParameterException](t, err, "2 validation errors detected", "Member must have length greater than or equal to 1", "at 'config.1.member.startTime.hours' failed to satisfy constraint: Member must have value less than or equal to 23")
	})
	t.Run("PhonePatternIsE164", func(t *testing.T) {
		for number, ok := range map[string]bool{"+14155550100": true, "+442071838750": true, "14155550100": false, "+0123": false, "+1415555010012345": false, `\+14155550100`: false} {
			_, err := c.CreateQuickConnect(ctx, &connect.CreateQuickConnectInput{InstanceId: inst, Name: aws.String("phone " + number),
				QuickConnectConfig: &types.QuickConnectConfig{QuickConnectType: types.QuickConnectTypePhoneNumber, PhoneConfig: &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String(number)}}})
			if ok && err != nil {
				t.Errorf("%s refused: %v", number, err)
			}
			if !ok {
				wantError[*types.InvalidParameterException](t, err, "phoneConfig.phoneNumber")
			}
		}
	})
	t.Run("TagKeyMayNotStartWithAws", func(t *testing.T) {
		_, err := c.TagResource(ctx, &connect.TagResourceInput{ResourceArn: aws.String(srv.Defaults.InstanceARN), Tags: map[string]string{"aws:reserved": "x"}})
		wantError[*types.InvalidParameterException](t, err, "Member must not start with 'aws:'")
	})
}

const minimalFlow = `{"Version":"2019-10-30","StartAction":"a","Actions":[{"Identifier":"a","Type":"DisconnectParticipant","Parameters":{},"Transitions":{}}]}`

func TestContactFlows(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	created := must(c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: inst, Name: aws.String("Main"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(minimalFlow), Tags: map[string]string{"k": "v"}}))(t)
	if len(aws.ToString(created.FlowContentSha256)) != 64 {
		t.Errorf("FlowContentSha256 = %q", aws.ToString(created.FlowContentSha256))
	}
	t.Run("Describe", func(t *testing.T) {
		f := must(c.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: inst, ContactFlowId: created.ContactFlowId}))(t).ContactFlow
		if aws.ToString(f.Content) != minimalFlow || f.Status != types.ContactFlowStatusPublished || f.State != types.ContactFlowStateActive || f.Tags["k"] != "v" || f.LastModifiedTime == nil {
			t.Errorf("flow: %+v", f)
		}
	})
	t.Run("ContentMustBeAFlowDocument", func(t *testing.T) {
		for _, content := range []string{"not json", `{"Version":"2019-10-30","Actions":[]}`, `{"Version":"2019-10-30","StartAction":"x","Actions":[{"Identifier":"a","Type":"DisconnectParticipant"}]}`} {
			_, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: inst, Name: aws.String("bad"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(content)})
			e := wantError[*types.InvalidContactFlowException](t, err)
			if len(e.Problems) == 0 || aws.ToString(e.Problems[0].Message) == "" {
				t.Errorf("%s: no problems reported: %+v", content, e)
			}
		}
	})
	t.Run("DuplicateName", func(t *testing.T) {
		_, err := c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: inst, Name: aws.String("Main"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(minimalFlow)})
		wantError[*types.DuplicateResourceException](t, err, "Main")
	})
	t.Run("SavedFlowIsNotPublished", func(t *testing.T) {
		saved := must(c.CreateContactFlow(ctx, &connect.CreateContactFlowInput{InstanceId: inst, Name: aws.String("Draft"), Type: types.ContactFlowTypeContactFlow, Content: aws.String(minimalFlow), Status: types.ContactFlowStatusSaved}))(t)
		_, err := c.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: inst, ContactFlowId: saved.ContactFlowId})
		wantError[*types.ContactFlowNotPublishedException](t, err)
		must(c.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: inst, ContactFlowId: aws.String(aws.ToString(saved.ContactFlowId) + ":$SAVED")}))(t)
	})
	t.Run("ListFiltersByType", func(t *testing.T) {
		list := must(c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: inst, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}}))(t).ContactFlowSummaryList
		var names []string
		for _, f := range list {
			names = append(names, aws.ToString(f.Name))
		}
		if !slices.Equal(names, []string{"Default inbound flow", "Main", "Draft"}) {
			t.Errorf("CONTACT_FLOW flows = %v", names)
		}
	})
	t.Run("UnknownFlow", func(t *testing.T) {
		_, err := c.DescribeContactFlow(ctx, &connect.DescribeContactFlowInput{InstanceId: inst, ContactFlowId: aws.String("nope")})
		wantError[*types.ResourceNotFoundException](t, err, "nope")
	})
}

func TestHoursQueuesAndQuickConnects(t *testing.T) {
	srv, c := start(t)
	d := srv.Defaults
	inst := aws.String(d.InstanceID)
	hours := must(c.CreateHoursOfOperation(ctx, &connect.CreateHoursOfOperationInput{
		InstanceId: inst, Name: aws.String("Office"), TimeZone: aws.String("Europe/Paris"),
		Config: []types.HoursOfOperationConfig{{Day: types.HoursOfOperationDaysMonday, StartTime: &types.HoursOfOperationTimeSlice{Hours: aws.Int32(9), Minutes: aws.Int32(0)}, EndTime: &types.HoursOfOperationTimeSlice{Hours: aws.Int32(17), Minutes: aws.Int32(30)}}},
	}))(t)
	t.Run("HoursDescribeAndList", func(t *testing.T) {
		h := must(c.DescribeHoursOfOperation(ctx, &connect.DescribeHoursOfOperationInput{InstanceId: inst, HoursOfOperationId: hours.HoursOfOperationId}))(t).HoursOfOperation
		if aws.ToString(h.TimeZone) != "Europe/Paris" || aws.ToInt32(h.Config[0].EndTime.Minutes) != 30 {
			t.Errorf("hours: %+v", h)
		}
		list := must(c.ListHoursOfOperations(ctx, &connect.ListHoursOfOperationsInput{InstanceId: inst}))(t).HoursOfOperationSummaryList
		if len(list) != 2 {
			t.Errorf("hours list: %+v", list)
		}
	})
	t.Run("UnknownTimeZone", func(t *testing.T) {
		_, err := c.CreateHoursOfOperation(ctx, &connect.CreateHoursOfOperationInput{InstanceId: inst, Name: aws.String("x"), TimeZone: aws.String("Mars/Olympus"), Config: []types.HoursOfOperationConfig{}})
		wantError[*types.InvalidParameterException](t, err, "Mars/Olympus")
	})
	queue := must(c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: inst, Name: aws.String("Sales"), HoursOfOperationId: hours.HoursOfOperationId, MaxContacts: aws.Int32(5)}))(t)
	t.Run("QueueDescribeAndList", func(t *testing.T) {
		q := must(c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: inst, QueueId: queue.QueueId}))(t).Queue
		if aws.ToString(q.Name) != "Sales" || aws.ToInt32(q.MaxContacts) != 5 || q.Status != types.QueueStatusEnabled {
			t.Errorf("queue: %+v", q)
		}
		list := must(c.ListQueues(ctx, &connect.ListQueuesInput{InstanceId: inst, QueueTypes: []types.QueueType{types.QueueTypeStandard}}))(t).QueueSummaryList
		if len(list) != 2 || list[1].QueueType != types.QueueTypeStandard {
			t.Errorf("queue list: %+v", list)
		}
	})
	t.Run("QueueNeedsItsHours", func(t *testing.T) {
		_, err := c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: inst, Name: aws.String("Lost"), HoursOfOperationId: aws.String("missing-hours")})
		wantError[*types.ResourceNotFoundException](t, err, "missing-hours")
	})
	t.Run("QueueNameIsUnique", func(t *testing.T) {
		_, err := c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: inst, Name: aws.String("Sales"), HoursOfOperationId: hours.HoursOfOperationId})
		wantError[*types.DuplicateResourceException](t, err, "Sales")
	})
	flows := must(c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: inst, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeQueueTransfer}}))(t).ContactFlowSummaryList
	t.Run("QueueQuickConnect", func(t *testing.T) {
		qc := must(c.CreateQuickConnect(ctx, &connect.CreateQuickConnectInput{InstanceId: inst, Name: aws.String("To sales"), QuickConnectConfig: &types.QuickConnectConfig{
			QuickConnectType: types.QuickConnectTypeQueue, QueueConfig: &types.QueueQuickConnectConfig{QueueId: queue.QueueId, ContactFlowId: flows[0].Id}}}))(t)
		got := must(c.DescribeQuickConnect(ctx, &connect.DescribeQuickConnectInput{InstanceId: inst, QuickConnectId: qc.QuickConnectId}))(t).QuickConnect
		if aws.ToString(got.QuickConnectConfig.QueueConfig.QueueId) != aws.ToString(queue.QueueId) || aws.ToString(got.QuickConnectARN) != aws.ToString(qc.QuickConnectARN) {
			t.Errorf("quick connect: %+v", got)
		}
	})
	t.Run("QueueQuickConnectNeedsATransferFlow", func(t *testing.T) {
		_, err := c.CreateQuickConnect(ctx, &connect.CreateQuickConnectInput{InstanceId: inst, Name: aws.String("Wrong flow"), QuickConnectConfig: &types.QuickConnectConfig{
			QuickConnectType: types.QuickConnectTypeQueue, QueueConfig: &types.QueueQuickConnectConfig{QueueId: queue.QueueId, ContactFlowId: aws.String(d.ContactFlowID)}}})
		wantError[*types.InvalidParameterException](t, err, "QUEUE_TRANSFER")
	})
	t.Run("QuickConnectConfigMustMatchItsType", func(t *testing.T) {
		_, err := c.CreateQuickConnect(ctx, &connect.CreateQuickConnectInput{InstanceId: inst, Name: aws.String("Mismatch"), QuickConnectConfig: &types.QuickConnectConfig{
			QuickConnectType: types.QuickConnectTypeFlow, PhoneConfig: &types.PhoneNumberQuickConnectConfig{PhoneNumber: aws.String("+14155550100")}}})
		wantError[*types.InvalidParameterException](t, err, "FLOW")
	})
}

func TestTaskTemplates(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	in := &connect.CreateTaskTemplateInput{
		InstanceId: inst, Name: aws.String("Callback"), ContactFlowId: aws.String(srv.Defaults.ContactFlowID), ClientToken: aws.String("template-token-1"),
		Fields: []types.TaskTemplateField{
			{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Customer")}, Type: types.TaskTemplateFieldTypeText},
			{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Priority")}, Type: types.TaskTemplateFieldTypeSingleSelect, SingleSelectOptions: []string{"low", "high"}},
		},
		Constraints: &types.TaskTemplateConstraints{RequiredFields: []types.RequiredFieldInfo{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Customer")}}}},
		Defaults:    &types.TaskTemplateDefaults{DefaultFieldValues: []types.TaskTemplateDefaultFieldValue{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Priority")}, DefaultValue: aws.String("low")}}},
	}
	created := must(c.CreateTaskTemplate(ctx, in))(t)
	t.Run("Get", func(t *testing.T) {
		got := must(c.GetTaskTemplate(ctx, &connect.GetTaskTemplateInput{InstanceId: inst, TaskTemplateId: created.Id}))(t)
		if aws.ToString(got.Name) != "Callback" || got.Status != types.TaskTemplateStatusActive || len(got.Fields) != 2 || got.CreatedTime == nil {
			t.Errorf("template: %+v", got)
		}
	})
	t.Run("SameClientTokenReplaysTheFirstAnswer", func(t *testing.T) {
		again := must(c.CreateTaskTemplate(ctx, in))(t)
		if aws.ToString(again.Id) != aws.ToString(created.Id) {
			t.Errorf("replay created %s, first was %s", aws.ToString(again.Id), aws.ToString(created.Id))
		}
	})
	t.Run("ConstraintOnUnknownFieldIsPropertyValidation", func(t *testing.T) {
		_, err := c.CreateTaskTemplate(ctx, &connect.CreateTaskTemplateInput{InstanceId: inst, Name: aws.String("Broken"),
			Fields:      []types.TaskTemplateField{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("A")}, Type: types.TaskTemplateFieldTypeText}},
			Constraints: &types.TaskTemplateConstraints{ReadOnlyFields: []types.ReadOnlyFieldInfo{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("B")}}}}})
		e := wantError[*types.PropertyValidationException](t, err)
		if len(e.PropertyList) != 1 || e.PropertyList[0].Reason != types.PropertyValidationExceptionReasonReferencedResourceNotFound {
			t.Errorf("PropertyList = %+v", e.PropertyList)
		}
	})
}

func TestEmailAddresses(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	created := must(c.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: inst, EmailAddress: aws.String("billing@example.com"), DisplayName: aws.String("Billing"), ClientToken: aws.String("email-token")}))(t)
	t.Run("Describe", func(t *testing.T) {
		e := must(c.DescribeEmailAddress(ctx, &connect.DescribeEmailAddressInput{InstanceId: inst, EmailAddressId: created.EmailAddressId}))(t)
		if aws.ToString(e.DisplayName) != "Billing" || aws.ToString(e.EmailAddressArn) != aws.ToString(created.EmailAddressArn) {
			t.Errorf("email address: %+v", e)
		}
	})
	t.Run("Search", func(t *testing.T) {
		found := must(c.SearchEmailAddresses(ctx, &connect.SearchEmailAddressesInput{InstanceId: inst, SearchCriteria: &types.EmailAddressSearchCriteria{
			StringCondition: &types.StringCondition{FieldName: aws.String("EmailAddress"), Value: aws.String("BILLING@"), ComparisonType: types.StringComparisonTypeStartsWith}}}))(t)
		if len(found.EmailAddresses) != 1 || aws.ToInt64(found.ApproximateTotalCount) != 1 || aws.ToString(found.EmailAddresses[0].EmailAddressId) != aws.ToString(created.EmailAddressId) {
			t.Errorf("search: %+v", found)
		}
	})
	t.Run("DuplicateAddress", func(t *testing.T) {
		_, err := c.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: inst, EmailAddress: aws.String("Billing@example.com")})
		wantError[*types.DuplicateResourceException](t, err, "Billing@example.com")
	})
	t.Run("SameTokenOtherRequestIsIdempotencyException", func(t *testing.T) {
		_, err := c.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: inst, EmailAddress: aws.String("other@example.com"), ClientToken: aws.String("email-token")})
		wantError[*types.IdempotencyException](t, err, "email-token")
	})
	t.Run("NotAnAddress", func(t *testing.T) {
		_, err := c.CreateEmailAddress(ctx, &connect.CreateEmailAddressInput{InstanceId: inst, EmailAddress: aws.String("not-an-address")})
		wantError[*types.InvalidParameterException](t, err, "at 'emailAddress'")
	})
}

func TestTagsByARN(t *testing.T) {
	srv, c := start(t)
	d := srv.Defaults
	queueARN := fmt.Sprintf("arn:aws:connect:us-east-1:000000000000:instance/%s/queue/%s", d.InstanceID, d.QueueID)
	must(c.TagResource(ctx, &connect.TagResourceInput{ResourceArn: aws.String(queueARN), Tags: map[string]string{"env": "dev", "team": "cx"}}))(t)
	must(c.UntagResource(ctx, &connect.UntagResourceInput{ResourceArn: aws.String(queueARN), TagKeys: []string{"team"}}))(t)
	tags := must(c.ListTagsForResource(ctx, &connect.ListTagsForResourceInput{ResourceArn: aws.String(queueARN)}))(t).Tags
	if len(tags) != 1 || tags["env"] != "dev" {
		t.Errorf("tags = %v", tags)
	}
	if q := must(c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(d.InstanceID), QueueId: aws.String(d.QueueID)}))(t).Queue; q.Tags["env"] != "dev" {
		t.Errorf("DescribeQueue tags = %v", q.Tags)
	}
	t.Run("UnknownResource", func(t *testing.T) {
		_, err := c.ListTagsForResource(ctx, &connect.ListTagsForResourceInput{ResourceArn: aws.String(queueARN + "x")})
		wantError[*types.ResourceNotFoundException](t, err)
	})
	t.Run("AtMostFiftyTags", func(t *testing.T) {
		many := map[string]string{}
		for i := range 50 {
			many[fmt.Sprintf("k%d", i)] = "v"
		}
		_, err := c.TagResource(ctx, &connect.TagResourceInput{ResourceArn: aws.String(queueARN), Tags: many})
		wantError[*types.InvalidParameterException](t, err, "at most 50 tags")
	})
}

func TestWireErrors(t *testing.T) {
	srv, c := start(t)
	t.Run("UnimplementedOperationNamesItself", func(t *testing.T) {
		_, err := c.ListUsers(ctx, &connect.ListUsersInput{InstanceId: aws.String(srv.Defaults.InstanceID)})
		wantAPIError(t, err, "NotImplementedException", "ListUsers")
		resp := signedRequest(t, srv, http.MethodGet, "/users-summary/"+srv.Defaults.InstanceID, "")
		if resp.Status != http.StatusNotImplemented {
			t.Errorf("status = %d, want 501", resp.Status)
		}
	})
	t.Run("UnknownPathIsUnknownOperation", func(t *testing.T) {
		resp := signedRequest(t, srv, http.MethodGet, "/no/such/thing", "")
		if resp.Status != http.StatusNotFound || resp.Header.Get("X-Amzn-ErrorType") != "UnknownOperationException" {
			t.Errorf("got %d %s", resp.Status, resp.Header.Get("X-Amzn-ErrorType"))
		}
	})
	t.Run("MalformedJSONIsSerializationException", func(t *testing.T) {
		resp := signedRequest(t, srv, http.MethodPut, "/instance", `{"IdentityManagementType":`)
		if resp.Status != http.StatusBadRequest || resp.Body["__type"] != "SerializationException" {
			t.Errorf("got %d %v", resp.Status, resp.Body)
		}
	})
	t.Run("BodyOverTheLimitIsSerializationException", func(t *testing.T) {
		// 12 MiB: a 5 MiB email body with every character escaped fits; this does not.
		body := "{" + strings.Repeat(" ", 12<<20) + "}"
		for how, resp := range declaredAndChunked(t, srv, http.MethodPut, "/instance", body) {
			if resp.Status != http.StatusBadRequest || resp.Body["__type"] != "SerializationException" ||
				resp.Body["Message"] != "The request body is larger than 12582912 bytes" {
				t.Errorf("%s: got %d %v", how, resp.Status, resp.Body)
			}
		}
	})
	t.Run("LargeBodyUnderTheLimitIsReadWhole", func(t *testing.T) {
		// 1 MiB: past the length the middleware trusts with a buffer before the bytes
		// arrive, so it grows as they do. The member after the padding must be read.
		body := `{"InboundCallsEnabled":true,` + strings.Repeat(" ", 1<<20) + `"IdentityManagementType":"NOT_A_TYPE","OutboundCallsEnabled":true}`
		for how, resp := range declaredAndChunked(t, srv, http.MethodPut, "/instance", body) {
			msg, _ := resp.Body["Message"].(string)
			if resp.Status != http.StatusBadRequest || !strings.Contains(msg, "NOT_A_TYPE") {
				t.Errorf("%s: got %d %v", how, resp.Status, resp.Body)
			}
		}
	})
	t.Run("QueryTextThatIsNoNumberIsSerializationException", func(t *testing.T) {
		resp := signedRequest(t, srv, http.MethodGet, "/queues-summary/"+srv.Defaults.InstanceID+"?maxResults=ten", "")
		if resp.Status != http.StatusBadRequest || resp.Body["__type"] != "SerializationException" ||
			resp.Body["Message"] != "Value 'ten' at 'maxResults' is not a number" {
			t.Errorf("got %d %v", resp.Status, resp.Body)
		}
	})
	t.Run("DataAfterTheBodyIsSerializationException", func(t *testing.T) {
		for _, trailing := range []string{"}", "]", `{"a":1}`, "x"} {
			body := `{"IdentityManagementType":"CONNECT_MANAGED","InboundCallsEnabled":true,"OutboundCallsEnabled":true}` + trailing
			resp := signedRequest(t, srv, http.MethodPut, "/instance", body)
			if resp.Status != http.StatusBadRequest || resp.Body["__type"] != "SerializationException" {
				t.Errorf("%s: got %d %v", body, resp.Status, resp.Body)
			}
		}
	})
	// taskToUpdate starts a task named "before" and returns its ID and UpdateContact's path.
	taskToUpdate := func(t *testing.T) (string, string) {
		task, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{
			InstanceId: aws.String(srv.Defaults.InstanceID), ContactFlowId: aws.String(srv.Defaults.ContactFlowID), Name: aws.String("before"),
		})
		if err != nil {
			t.Fatal(err)
		}
		return *task.ContactId, "/contacts/" + srv.Defaults.InstanceID + "/" + *task.ContactId
	}
	t.Run("PathLabelsWinOverBodyMembers", func(t *testing.T) {
		contactID, path := taskToUpdate(t)
		resp := signedRequest(t, srv, http.MethodPost, path, `{"InstanceId":"no-such-instance","ContactId":"no-such-contact","Name":"after"}`)
		if resp.Status != http.StatusOK {
			t.Fatalf("UpdateContact with other IDs in the body: %d %v", resp.Status, resp.Body)
		}
		out, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactId: aws.String(contactID)})
		if err != nil || aws.ToString(out.Contact.Name) != "after" {
			t.Errorf("the contact of the path: %v, %v", out, err)
		}
	})
	t.Run("KeysNameMembersExactly", func(t *testing.T) {
		// Connect ignores a key it does not know, "name" beside "Name" among them.
		contactID, path := taskToUpdate(t)
		for _, body := range []string{
			`{"Name":"upper","name":"lower","contactId":"no-such-contact"}`,
			`{"name":"lower","Name":"upper","NAME":"shout"}`,
		} {
			resp := signedRequest(t, srv, http.MethodPost, path, body)
			if resp.Status != http.StatusOK {
				t.Fatalf("UpdateContact %s: %d %v", body, resp.Status, resp.Body)
			}
			out, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactId: aws.String(contactID)})
			if err != nil || aws.ToString(out.Contact.Name) != "upper" {
				t.Errorf("after %s: %v, %v; want the Name upper", body, out, err)
			}
		}
		// A required member given only in another case is missing.
		resp := signedRequest(t, srv, http.MethodPut, "/instance", `{"identityManagementType":"CONNECT_MANAGED","InboundCallsEnabled":true,"OutboundCallsEnabled":true}`)
		if resp.Status != http.StatusBadRequest || resp.Body["__type"] != "InvalidRequestException" {
			t.Errorf("CreateInstance without IdentityManagementType: %d %v", resp.Status, resp.Body)
		}
	})
	t.Run("ErrorShapeOnTheWire", func(t *testing.T) {
		resp := signedRequest(t, srv, http.MethodGet, "/instance/no-such-instance", "")
		if resp.Status != http.StatusNotFound || resp.Header.Get("X-Amzn-ErrorType") != "ResourceNotFoundException" || resp.Header.Get("X-Amzn-Requestid") == "" {
			t.Errorf("got %d %v", resp.Status, resp.Header)
		}
		if _, hasCode := resp.Body["code"]; hasCode || resp.Body["__type"] != "ResourceNotFoundException" || resp.Body["Message"] == "" {
			t.Errorf("body = %v", resp.Body)
		}
	})
	t.Run("EmptyBodyMeansNoMembers", func(t *testing.T) {
		resp := signedRequest(t, srv, http.MethodPut, "/instance", "")
		if resp.Status != http.StatusBadRequest || resp.Body["__type"] != "InvalidRequestException" {
			t.Errorf("got %d %v", resp.Status, resp.Body)
		}
	})
	t.Run("TimestampsAreEpochNumbers", func(t *testing.T) {
		resp := signedRequest(t, srv, http.MethodGet, "/instance/"+srv.Defaults.InstanceID, "")
		inst := resp.Body["Instance"].(map[string]any)
		if _, ok := inst["CreatedTime"].(float64); !ok {
			t.Errorf("CreatedTime = %#v, want a JSON number", inst["CreatedTime"])
		}
	})
}

func TestAuthentication(t *testing.T) {
	srv, _ := start(t, connectlocaltest.WithKey("AKIDOTHER", "other-secret", "111111111111"))
	inst := &connect.DescribeInstanceInput{InstanceId: aws.String(srv.Defaults.InstanceID)}
	t.Run("WrongSecret", func(t *testing.T) {
		_, err := connect.NewFromConfig(srv.ConfigFor("test", "wrong")).DescribeInstance(ctx, inst)
		wantAPIError(t, err, "InvalidSignatureException", "signature")
	})
	t.Run("UnknownKey", func(t *testing.T) {
		_, err := connect.NewFromConfig(srv.ConfigFor("AKIDUNKNOWN", "x")).DescribeInstance(ctx, inst)
		wantAPIError(t, err, "UnrecognizedClientException", "security token")
	})
	t.Run("Unsigned", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/instance/" + srv.Defaults.InstanceID)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-Amzn-ErrorType") != "MissingAuthenticationTokenException" {
			t.Errorf("got %d %s", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"))
		}
	})
	t.Run("AccountsAreIsolated", func(t *testing.T) {
		other := connect.NewFromConfig(srv.ConfigFor("AKIDOTHER", "other-secret"))
		_, err := other.DescribeInstance(ctx, inst)
		wantError[*types.ResourceNotFoundException](t, err)
		list := must(other.ListInstances(ctx, &connect.ListInstancesInput{}))(t)
		if len(list.InstanceSummaryList) != 0 {
			t.Errorf("other account sees %d instances", len(list.InstanceSummaryList))
		}
		_, err = other.ListTagsForResource(ctx, &connect.ListTagsForResourceInput{ResourceArn: aws.String(srv.Defaults.InstanceARN)})
		wantError[*types.ResourceNotFoundException](t, err)
	})
}

func TestExpiredSignature(t *testing.T) {
	late := time.Now().Add(20 * time.Minute)
	srv, c := start(t, connectlocaltest.WithClock(func() time.Time { return late }))
	_, err := c.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: aws.String(srv.Defaults.InstanceID)})
	wantAPIError(t, err, "InvalidSignatureException", "Signature expired")
}

func TestAuthOffTakesTheAccountFromTheKey(t *testing.T) {
	srv, _ := start(t, connectlocaltest.WithAuthOff())
	c := connect.NewFromConfig(srv.ConfigFor("222222222222", "anything"))
	created := must(c.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("other"), InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)}))(t)
	if want := "arn:aws:connect:us-east-1:222222222222:instance/"; !regexp.MustCompile("^" + regexp.QuoteMeta(want)).MatchString(aws.ToString(created.Arn)) {
		t.Errorf("Arn = %s", aws.ToString(created.Arn))
	}
}

func TestRestartKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	srv := connectlocaltest.Start(t, connectlocaltest.WithDataDir(dir))
	c := connect.NewFromConfig(srv.Config)
	q := must(c.CreateQueue(ctx, &connect.CreateQueueInput{InstanceId: aws.String(srv.Defaults.InstanceID), Name: aws.String("Kept"), HoursOfOperationId: aws.String(srv.Defaults.HoursOfOperationID)}))(t)
	first := srv.Defaults
	srv.Stop()

	again := connectlocaltest.Start(t, connectlocaltest.WithDataDir(dir))
	if again.Defaults != first {
		t.Errorf("defaults changed across restart: %+v vs %+v", again.Defaults, first)
	}
	c = connect.NewFromConfig(again.Config)
	got := must(c.DescribeQueue(ctx, &connect.DescribeQueueInput{InstanceId: aws.String(first.InstanceID), QueueId: q.QueueId}))(t).Queue
	if aws.ToString(got.Name) != "Kept" {
		t.Errorf("queue after restart: %+v", got)
	}
}

// A keep-alive connection serves one request after another, and the server closes it
// once it has waited IdleTimeout for the next (2 minutes by default).
func TestAnIdleKeepAliveConnectionIsClosed(t *testing.T) {
	idle := 300 * time.Millisecond
	srv := connectlocaltest.Start(t, connectlocaltest.Option(func(c *server.Config) { c.IdleTimeout = idle }))
	var mu sync.Mutex
	var conns []*watchedConn
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		w := &watchedConn{Conn: c, closed: make(chan struct{})}
		mu.Lock()
		conns = append(conns, w)
		mu.Unlock()
		return w, nil
	}}
	t.Cleanup(transport.CloseIdleConnections)
	client := connect.NewFromConfig(srv.Config, func(o *connect.Options) { o.HTTPClient = &http.Client{Transport: transport} })
	describe := func() {
		t.Helper()
		must(client.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: aws.String(srv.Defaults.InstanceID)}))(t)
	}
	dialed := func() []*watchedConn {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(conns)
	}

	describe()
	describe()
	if n := len(dialed()); n != 1 {
		t.Fatalf("two requests in a row took %d connections, want 1", n)
	}
	start := time.Now()
	select {
	case <-dialed()[0].closed:
		if waited := time.Since(start); waited > 10*idle {
			t.Errorf("the server closed the idle connection after %v, want about %v", waited, idle)
		}
	case <-time.After(20 * idle):
		t.Fatalf("the server kept an idle connection open %v", 20*idle)
	}
	describe() // on a new connection
	if n := len(dialed()); n != 2 {
		t.Errorf("after the server closed the first, %d connections, want 2", n)
	}
}

// watchedConn is a client's connection that reports when the server has closed it (the
// transport's read sees its end).
type watchedConn struct {
	net.Conn
	once   sync.Once
	closed chan struct{}
}

func (c *watchedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if errors.Is(err, io.EOF) {
		c.once.Do(func() { close(c.closed) })
	}
	return n, err
}

// Every API request is logged once at Info after its answer, with the request ID the
// answer carries, its method, path, operation, status, error code and duration.
func TestEveryRequestIsLoggedWithItsRequestID(t *testing.T) {
	logFile, err := os.Create(filepath.Join(t.TempDir(), "log")) // an *os.File takes writes from any goroutine
	if err != nil {
		t.Fatal(err)
	}
	srv, c := start(t, func(cfg *server.Config) { cfg.Logger = slog.New(slog.NewTextHandler(logFile, nil)) })
	d := srv.Defaults
	out := must(c.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: aws.String(d.InstanceID)}))(t)
	okID, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	_, err = c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(d.InstanceID), ContactId: aws.String("no-such-contact")})
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || okID == "" {
		t.Fatalf("request ID %q, error %v; want a request ID and a ResponseError", okID, err)
	}
	want := []*regexp.Regexp{
		regexp.MustCompile(`^time=\S+ level=INFO msg=request request_id=` + okID + ` method=GET path=/instance/` + d.InstanceID +
			` operation=DescribeInstance status=200 error="" duration=\d[\d.]*[µm]?s$`),
		regexp.MustCompile(`^time=\S+ level=INFO msg=request request_id=` + re.ServiceRequestID() + ` method=GET path=/contacts/` + d.InstanceID +
			`/no-such-contact operation=DescribeContact status=404 error=ResourceNotFoundException duration=\d[\d.]*[µm]?s$`),
	}
	// A line is written once its answer has gone, so the client may read it first.
	var log []byte
	var lines []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if log, err = os.ReadFile(logFile.Name()); err != nil {
			t.Fatal(err)
		}
		if lines = strings.Split(strings.TrimSpace(string(log)), "\n"); len(lines) >= len(want) {
			break
		}
	}
	if len(lines) != len(want) {
		t.Fatalf("logged %d lines, want %d:\n%s", len(lines), len(want), log)
	}
	for i, w := range want {
		if !w.MatchString(lines[i]) {
			t.Errorf("line %d = %s\nwant it to match %s", i, lines[i], w)
		}
	}
}

package e2e

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/connectlocal/connectlocal/connectlocaltest"
)

// task starts a task on the default flow and returns its ID.
func task(t *testing.T, c *connect.Client, srv *connectlocaltest.Server, mutate ...func(*connect.StartTaskContactInput)) string {
	t.Helper()
	in := &connect.StartTaskContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactFlowId: aws.String(srv.Defaults.ContactFlowID), Name: aws.String("task")}
	for _, m := range mutate {
		m(in)
	}
	return aws.ToString(must(c.StartTaskContact(ctx, in))(t).ContactId)
}

func describe(t *testing.T, c *connect.Client, srv *connectlocaltest.Server, id string) *types.Contact {
	t.Helper()
	return must(c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactId: aws.String(id)}))(t).Contact
}

func TestReferences(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	id := task(t, c, srv, func(in *connect.StartTaskContactInput) {
		in.References = map[string]types.Reference{
			"site":   {Type: types.ReferenceTypeUrl, Value: aws.String("https://example.com/case/1")},
			"note":   {Type: types.ReferenceTypeString, Value: aws.String("call back")},
			"amount": {Type: types.ReferenceTypeNumber, Value: aws.String("12.5")},
			"due":    {Type: types.ReferenceTypeDate, Value: aws.String("1767225600")},
			"owner":  {Type: types.ReferenceTypeEmail, Value: aws.String("owner@example.com")},
		}
	})
	t.Run("ListedAsOneMemberUnionsFilteredByType", func(t *testing.T) {
		list := must(c.ListContactReferences(ctx, &connect.ListContactReferencesInput{InstanceId: inst, ContactId: aws.String(id),
			ReferenceTypes: []types.ReferenceType{types.ReferenceTypeUrl, types.ReferenceTypeDate, types.ReferenceTypeEmail, types.ReferenceTypeNumber}}))(t)
		var got []string
		for _, r := range list.ReferenceSummaryList {
			switch v := r.(type) {
			case *types.ReferenceSummaryMemberUrl:
				got = append(got, "Url:"+aws.ToString(v.Value.Name))
			case *types.ReferenceSummaryMemberDate:
				got = append(got, "Date:"+aws.ToString(v.Value.Value))
			case *types.ReferenceSummaryMemberEmail:
				got = append(got, "Email:"+aws.ToString(v.Value.Value))
			case *types.ReferenceSummaryMemberNumber:
				got = append(got, "Number:"+aws.ToString(v.Value.Value))
			default:
				got = append(got, fmt.Sprintf("%T", v))
			}
		}
		slices.Sort(got)
		if want := []string{"Date:1767225600", "Email:owner@example.com", "Number:12.5", "Url:site"}; !slices.Equal(got, want) {
			t.Errorf("references = %v, want %v", got, want)
		}
		if list.NextToken != nil {
			t.Errorf("NextToken = %q, want null", aws.ToString(list.NextToken))
		}
	})
	bad := func(name string, r types.Reference, fragment string) {
		t.Run(name, func(t *testing.T) {
			_, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst, ContactFlowId: aws.String(srv.Defaults.ContactFlowID), Name: aws.String("x"), References: map[string]types.Reference{"r": r}})
			wantError[*types.InvalidRequestException](t, err, fragment)
		})
	}
	bad("DateMustBeEpoch", types.Reference{Type: types.ReferenceTypeDate, Value: aws.String("2026-01-01")}, "epoch timestamp")
	bad("UrlMustBeAURL", types.Reference{Type: types.ReferenceTypeUrl, Value: aws.String("not a url")}, "absolute URL")
	bad("EmailMustBeAnAddress", types.Reference{Type: types.ReferenceTypeEmail, Value: aws.String("nobody")}, "email address")
	bad("NumberMustBeANumber", types.Reference{Type: types.ReferenceTypeNumber, Value: aws.String("twelve")}, "a number")
	bad("NoAttachmentOnStartTaskContact", types.Reference{Type: types.ReferenceTypeAttachment, Value: aws.String("https://example.com/f.pdf")}, "ATTACHMENT")
	t.Run("TotalOf4096BytesAcrossReferences", func(t *testing.T) {
		refs := map[string]types.Reference{}
		for i := range 5 {
			refs[fmt.Sprintf("r%d", i)] = types.Reference{Type: types.ReferenceTypeString, Value: aws.String(strings.Repeat("x", 900))}
		}
		_, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst, ContactFlowId: aws.String(srv.Defaults.ContactFlowID), Name: aws.String("x"), References: refs})
		wantError[*types.InvalidRequestException](t, err, "4096")
		delete(refs, "r4")
		must(c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst, ContactFlowId: aws.String(srv.Defaults.ContactFlowID), Name: aws.String("x"), References: refs}))(t)
	})
	t.Run("NoEmailReferenceOnStartEmailContact", func(t *testing.T) {
		_, err := c.StartEmailContact(ctx, emailInput(srv, func(in *connect.StartEmailContactInput) {
			in.References = map[string]types.Reference{"e": {Type: types.ReferenceTypeEmail, Value: aws.String("a@example.com")}}
		}))
		wantError[*types.InvalidRequestException](t, err, "EMAIL")
	})
}

func TestAttributes(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	t.Run("KeysOnlyAlphanumericDashUnderscore", func(t *testing.T) {
		_, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst, ContactFlowId: aws.String(srv.Defaults.ContactFlowID), Name: aws.String("x"), Attributes: map[string]string{"bad key!": "v"}})
		wantError[*types.InvalidRequestException](t, err, "bad key!")
		task(t, c, srv, func(in *connect.StartTaskContactInput) { in.Attributes = map[string]string{"good-key_1": "v"} })
	})
	t.Run("TotalOf32768BytesAcrossAttributes", func(t *testing.T) {
		id := task(t, c, srv, func(in *connect.StartTaskContactInput) {
			in.Attributes = map[string]string{"a": strings.Repeat("x", 30000)}
		})
		_, err := c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: inst, InitialContactId: aws.String(id), Attributes: map[string]string{"b": strings.Repeat("y", 3000)}})
		wantError[*types.InvalidRequestException](t, err, "32768")
		got := must(c.GetContactAttributes(ctx, &connect.GetContactAttributesInput{InstanceId: inst, InitialContactId: aws.String(id)}))(t).Attributes
		if _, ok := got["b"]; ok || len(got["a"]) != 30000 {
			t.Errorf("refused update changed attributes: %d keys", len(got))
		}
	})
	t.Run("UpdateThenGet", func(t *testing.T) {
		id := task(t, c, srv, func(in *connect.StartTaskContactInput) { in.Attributes = map[string]string{"a": "1"} })
		must(c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: inst, InitialContactId: aws.String(id), Attributes: map[string]string{"b": "2"}}))(t)
		got := must(c.GetContactAttributes(ctx, &connect.GetContactAttributesInput{InstanceId: inst, InitialContactId: aws.String(id)}))(t).Attributes
		if got["a"] != "1" || got["b"] != "2" {
			t.Errorf("attributes = %v", got)
		}
		if d := describe(t, c, srv, id); d.Attributes["b"] != "2" {
			t.Errorf("DescribeContact attributes = %v", d.Attributes)
		}
	})
}

func TestCreateContact(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	create := func(mutate func(*connect.CreateContactInput)) (*connect.CreateContactOutput, error) {
		in := &connect.CreateContactInput{InstanceId: inst, Channel: types.ChannelTask, InitiationMethod: types.ContactInitiationMethodApi, Name: aws.String("c")}
		mutate(in)
		return c.CreateContact(ctx, in)
	}
	for _, tc := range []struct {
		name     string
		channel  types.Channel
		method   types.ContactInitiationMethod
		userInfo bool
		ok       bool
	}{
		{"VoiceOnlyTransfer", types.ChannelVoice, types.ContactInitiationMethodTransfer, false, true},
		{"VoiceNotInbound", types.ChannelVoice, types.ContactInitiationMethodInbound, false, false},
		{"EmailOutboundWithUser", types.ChannelEmail, types.ContactInitiationMethodOutbound, true, true},
		{"EmailOutboundNeedsUserInfo", types.ChannelEmail, types.ContactInitiationMethodOutbound, false, false},
		{"EmailAgentReplyWithUser", types.ChannelEmail, types.ContactInitiationMethodAgentReply, true, true},
		{"EmailFlow", types.ChannelEmail, types.ContactInitiationMethodFlow, false, true},
		{"EmailNotInbound", types.ChannelEmail, types.ContactInitiationMethodInbound, false, false},
		{"TaskOnlyAPI", types.ChannelTask, types.ContactInitiationMethodApi, false, true},
		{"TaskNotTransfer", types.ChannelTask, types.ContactInitiationMethodTransfer, false, false},
		{"ChatRefused", types.ChannelChat, types.ContactInitiationMethodApi, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := create(func(in *connect.CreateContactInput) {
				in.Channel, in.InitiationMethod = tc.channel, tc.method
				if tc.userInfo {
					in.UserInfo = &types.UserInfo{UserId: aws.String("agent-1")}
				}
			})
			if !tc.ok {
				wantError[*types.InvalidRequestException](t, err, string(tc.channel))
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d := describe(t, c, srv, aws.ToString(out.ContactId))
			if d.Channel != tc.channel || d.InitiationMethod != tc.method || aws.ToString(d.Arn) != aws.ToString(out.ContactArn) {
				t.Errorf("contact: %+v", d)
			}
		})
	}
	t.Run("ExternalAudioSubtype", func(t *testing.T) {
		out := must(create(func(in *connect.CreateContactInput) {
			in.Channel, in.InitiationMethod = types.ChannelVoice, types.ContactInitiationMethodTransfer
		}))(t)
		if v := describe(t, c, srv, aws.ToString(out.ContactId)).SegmentAttributes["connect:Subtype"]; aws.ToString(v.ValueString) != "connect:ExternalAudio" {
			t.Errorf("subtype = %v", aws.ToString(v.ValueString))
		}
	})
	t.Run("InitiateAsCompletedOnlyForTask", func(t *testing.T) {
		out := must(create(func(in *connect.CreateContactInput) { in.InitiateAs = types.InitiateAsCompleted }))(t)
		if describe(t, c, srv, aws.ToString(out.ContactId)).DisconnectTimestamp == nil {
			t.Error("COMPLETED task has no DisconnectTimestamp")
		}
		_, err := create(func(in *connect.CreateContactInput) {
			in.Channel, in.InitiationMethod, in.InitiateAs = types.ChannelVoice, types.ContactInitiationMethodTransfer, types.InitiateAsCompleted
		})
		wantError[*types.InvalidRequestException](t, err, "COMPLETED")
	})
	t.Run("PreviousContactIdOnlyForExternalAudio", func(t *testing.T) {
		first := must(create(func(in *connect.CreateContactInput) {
			in.Channel, in.InitiationMethod = types.ChannelVoice, types.ContactInitiationMethodTransfer
		}))(t)
		second := must(create(func(in *connect.CreateContactInput) {
			in.Channel, in.InitiationMethod, in.PreviousContactId = types.ChannelVoice, types.ContactInitiationMethodTransfer, first.ContactId
		}))(t)
		if d := describe(t, c, srv, aws.ToString(second.ContactId)); aws.ToString(d.PreviousContactId) != aws.ToString(first.ContactId) || aws.ToString(d.InitialContactId) != aws.ToString(first.ContactId) {
			t.Errorf("chain: %+v", d)
		}
		_, err := create(func(in *connect.CreateContactInput) { in.PreviousContactId = first.ContactId })
		wantError[*types.InvalidRequestException](t, err, "PreviousContactId")
	})
	t.Run("ExpiryFromSegmentAttribute", func(t *testing.T) {
		out := must(create(func(in *connect.CreateContactInput) {
			in.SegmentAttributes = map[string]types.SegmentAttributeValue{"connect:ContactExpiry": {ValueMap: map[string]types.SegmentAttributeValue{"ExpiryDuration": {ValueInteger: aws.Int32(135)}}}}
		}))(t)
		if describe(t, c, srv, aws.ToString(out.ContactId)).DisconnectTimestamp != nil {
			t.Error("contact ended before its expiry")
		}
	})
	t.Run("SameTokenSameContact", func(t *testing.T) {
		a := must(create(func(in *connect.CreateContactInput) { in.ClientToken = aws.String("create-1") }))(t)
		b := must(create(func(in *connect.CreateContactInput) { in.ClientToken = aws.String("create-1") }))(t)
		if aws.ToString(a.ContactId) != aws.ToString(b.ContactId) {
			t.Errorf("replay gave %s, first %s", aws.ToString(b.ContactId), aws.ToString(a.ContactId))
		}
		_, err := create(func(in *connect.CreateContactInput) {
			in.ClientToken, in.Name = aws.String("create-1"), aws.String("other")
		})
		wantError[*types.IdempotencyException](t, err, "create-1")
	})
}

func TestContactExpiresByItself(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, c := start(t, connectlocaltest.WithAuthOff(), connectlocaltest.WithClock(clock))
	out := must(c.CreateContact(ctx, &connect.CreateContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), Channel: types.ChannelTask,
		InitiationMethod: types.ContactInitiationMethodApi, ExpiryDurationInMinutes: aws.Int32(10)}))(t)
	if describe(t, c, srv, aws.ToString(out.ContactId)).DisconnectTimestamp != nil {
		t.Fatal("ended at once")
	}
	mu.Lock()
	now = now.Add(11 * time.Minute)
	mu.Unlock()
	d := describe(t, c, srv, aws.ToString(out.ContactId))
	if d.DisconnectTimestamp == nil || d.DisconnectReason == nil || aws.ToString(d.DisconnectReason) != "EXPIRED" {
		t.Errorf("after expiry: DisconnectTimestamp %v, reason %v", d.DisconnectTimestamp, aws.ToString(d.DisconnectReason))
	}
	_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactId: out.ContactId})
	wantError[*types.ContactNotFoundException](t, err)
}

func TestStartTaskContact(t *testing.T) {
	srv, c := start(t)
	d := srv.Defaults
	inst := aws.String(d.InstanceID)
	flows := must(c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: inst, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeQueueTransfer}}))(t).ContactFlowSummaryList
	qc := must(c.CreateQuickConnect(ctx, &connect.CreateQuickConnectInput{InstanceId: inst, Name: aws.String("q"), QuickConnectConfig: &types.QuickConnectConfig{
		QuickConnectType: types.QuickConnectTypeQueue, QueueConfig: &types.QueueQuickConnectConfig{QueueId: aws.String(d.QueueID), ContactFlowId: flows[0].Id}}}))(t)
	withFlow := must(c.CreateTaskTemplate(ctx, &connect.CreateTaskTemplateInput{InstanceId: inst, Name: aws.String("with flow"), ContactFlowId: aws.String(d.ContactFlowID),
		Fields: []types.TaskTemplateField{
			{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Name")}, Type: types.TaskTemplateFieldTypeName},
			{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Ticket")}, Type: types.TaskTemplateFieldTypeUrl},
			{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Priority")}, Type: types.TaskTemplateFieldTypeText},
		},
		Constraints: &types.TaskTemplateConstraints{RequiredFields: []types.RequiredFieldInfo{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Ticket")}}}},
		Defaults:    &types.TaskTemplateDefaults{DefaultFieldValues: []types.TaskTemplateDefaultFieldValue{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Priority")}, DefaultValue: aws.String("low")}}},
	}))(t)
	noFlow := must(c.CreateTaskTemplate(ctx, &connect.CreateTaskTemplateInput{InstanceId: inst, Name: aws.String("no flow"),
		Fields: []types.TaskTemplateField{{Id: &types.TaskTemplateFieldIdentifier{Name: aws.String("Name")}, Type: types.TaskTemplateFieldTypeName}}}))(t)
	start := func(mutate func(*connect.StartTaskContactInput)) (*connect.StartTaskContactOutput, error) {
		in := &connect.StartTaskContactInput{InstanceId: inst, Name: aws.String("t")}
		mutate(in)
		return c.StartTaskContact(ctx, in)
	}
	t.Run("FlowAlone", func(t *testing.T) {
		must(start(func(in *connect.StartTaskContactInput) { in.ContactFlowId = aws.String(d.ContactFlowID) }))(t)
	})
	t.Run("QuickConnectAloneQueuesTheTask", func(t *testing.T) {
		out := must(start(func(in *connect.StartTaskContactInput) { in.QuickConnectId = qc.QuickConnectId }))(t)
		if q := describe(t, c, srv, aws.ToString(out.ContactId)).QueueInfo; q == nil || aws.ToString(q.Id) != d.QueueID {
			t.Errorf("QueueInfo = %+v", q)
		}
	})
	t.Run("FlowAndQuickConnectRefused", func(t *testing.T) {
		_, err := start(func(in *connect.StartTaskContactInput) {
			in.ContactFlowId, in.QuickConnectId = aws.String(d.ContactFlowID), qc.QuickConnectId
		})
		wantError[*types.InvalidRequestException](t, err, "only one")
	})
	t.Run("NothingToStartFromRefused", func(t *testing.T) {
		_, err := start(func(in *connect.StartTaskContactInput) {})
		wantError[*types.InvalidRequestException](t, err, "ContactFlowId")
	})
	t.Run("TemplateWithFlowAloneAppliesDefaultsAndConstraints", func(t *testing.T) {
		out := must(start(func(in *connect.StartTaskContactInput) {
			in.TaskTemplateId = withFlow.Id
			in.References = map[string]types.Reference{"Ticket": {Type: types.ReferenceTypeUrl, Value: aws.String("https://example.com/t/1")}}
		}))(t)
		contact := describe(t, c, srv, aws.ToString(out.ContactId))
		if contact.TaskTemplateInfo == nil || aws.ToString(contact.TaskTemplateInfo.Arn) != aws.ToString(withFlow.Arn) {
			t.Errorf("TaskTemplateInfo = %+v", contact.TaskTemplateInfo)
		}
		refs := must(c.ListContactReferences(ctx, &connect.ListContactReferencesInput{InstanceId: inst, ContactId: out.ContactId, ReferenceTypes: []types.ReferenceType{types.ReferenceTypeString}}))(t).ReferenceSummaryList
		if len(refs) != 1 || aws.ToString(refs[0].(*types.ReferenceSummaryMemberString).Value.Value) != "low" {
			t.Errorf("default not applied: %+v", refs)
		}
	})
	t.Run("TemplateRequiredFieldMissing", func(t *testing.T) {
		_, err := start(func(in *connect.StartTaskContactInput) { in.TaskTemplateId = withFlow.Id })
		wantError[*types.InvalidRequestException](t, err, "Ticket", "required")
	})
	t.Run("TemplateWithFlowPlusFlowRefused", func(t *testing.T) {
		_, err := start(func(in *connect.StartTaskContactInput) {
			in.TaskTemplateId, in.ContactFlowId = withFlow.Id, aws.String(d.ContactFlowID)
		})
		wantError[*types.InvalidRequestException](t, err, "has a flow")
	})
	t.Run("TemplateWithoutFlowAloneRefused", func(t *testing.T) {
		_, err := start(func(in *connect.StartTaskContactInput) { in.TaskTemplateId = noFlow.Id })
		wantError[*types.InvalidRequestException](t, err, "has no flow")
		must(start(func(in *connect.StartTaskContactInput) {
			in.TaskTemplateId, in.ContactFlowId = noFlow.Id, aws.String(d.ContactFlowID)
		}))(t)
	})
	flow := func(in *connect.StartTaskContactInput) { in.ContactFlowId = aws.String(d.ContactFlowID) }
	t.Run("ScheduledTimeNotInThePast", func(t *testing.T) {
		_, err := start(func(in *connect.StartTaskContactInput) {
			flow(in)
			in.ScheduledTime = aws.Time(time.Now().Add(-time.Hour))
		})
		wantError[*types.InvalidRequestException](t, err, "past")
	})
	t.Run("ScheduledTimeAtMostSixDaysAhead", func(t *testing.T) {
		_, err := start(func(in *connect.StartTaskContactInput) {
			flow(in)
			in.ScheduledTime = aws.Time(time.Now().Add(7 * 24 * time.Hour))
		})
		wantError[*types.InvalidRequestException](t, err, "6 days")
		when := time.Now().Add(5 * 24 * time.Hour).Truncate(time.Second)
		out := must(start(func(in *connect.StartTaskContactInput) { flow(in); in.ScheduledTime = aws.Time(when) }))(t)
		if got := describe(t, c, srv, aws.ToString(out.ContactId)).ScheduledTimestamp; got == nil || !got.Equal(when) {
			t.Errorf("ScheduledTimestamp = %v, want %v", got, when)
		}
	})
	t.Run("AtMostFiveAttachmentsRecordedAsReferences", func(t *testing.T) {
		var atts []types.TaskAttachment
		for i := range 6 {
			atts = append(atts, types.TaskAttachment{FileName: aws.String(fmt.Sprintf("f%d.pdf", i)), S3Url: aws.String(fmt.Sprintf("https://bucket.s3.amazonaws.com/f%d.pdf", i))})
		}
		_, err := start(func(in *connect.StartTaskContactInput) { flow(in); in.Attachments = atts })
		wantError[*types.InvalidParameterException](t, err, "attachments")
		out := must(start(func(in *connect.StartTaskContactInput) { flow(in); in.Attachments = atts[:5] }))(t)
		refs := must(c.ListContactReferences(ctx, &connect.ListContactReferencesInput{InstanceId: inst, ContactId: out.ContactId, ReferenceTypes: []types.ReferenceType{types.ReferenceTypeAttachment}}))(t).ReferenceSummaryList
		if len(refs) != 5 {
			t.Errorf("%d ATTACHMENT references, want 5", len(refs))
		}
	})
	t.Run("ChainOfAtMostTwelveTasksSharesAttributes", func(t *testing.T) {
		first := must(start(func(in *connect.StartTaskContactInput) { flow(in); in.Attributes = map[string]string{"step": "0"} }))(t)
		prev := first.ContactId
		for i := 1; i < 12; i++ {
			prev = must(start(func(in *connect.StartTaskContactInput) { flow(in); in.PreviousContactId = prev }))(t).ContactId
		}
		_, err := start(func(in *connect.StartTaskContactInput) { flow(in); in.PreviousContactId = prev })
		wantError[*types.ServiceQuotaExceededException](t, err, "12")
		must(c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: inst, InitialContactId: first.ContactId, Attributes: map[string]string{"step": "11"}}))(t)
		if got := describe(t, c, srv, aws.ToString(prev)); got.Attributes["step"] != "11" || aws.ToString(got.InitialContactId) != aws.ToString(first.ContactId) {
			t.Errorf("last task of the chain: attributes %v, initial %s", got.Attributes, aws.ToString(got.InitialContactId))
		}
	})
	t.Run("RelatedContactCopiesAttributesThenDiverges", func(t *testing.T) {
		a := must(start(func(in *connect.StartTaskContactInput) { flow(in); in.Attributes = map[string]string{"k": "v"} }))(t)
		b := must(start(func(in *connect.StartTaskContactInput) { flow(in); in.RelatedContactId = a.ContactId }))(t)
		must(c.UpdateContactAttributes(ctx, &connect.UpdateContactAttributesInput{InstanceId: inst, InitialContactId: a.ContactId, Attributes: map[string]string{"k": "changed"}}))(t)
		got := describe(t, c, srv, aws.ToString(b.ContactId))
		if got.Attributes["k"] != "v" || aws.ToString(got.RelatedContactId) != aws.ToString(a.ContactId) {
			t.Errorf("related contact: attributes %v, RelatedContactId %s", got.Attributes, aws.ToString(got.RelatedContactId))
		}
	})
	t.Run("UnknownFlow", func(t *testing.T) {
		_, err := start(func(in *connect.StartTaskContactInput) { in.ContactFlowId = aws.String("nope") })
		wantError[*types.ResourceNotFoundException](t, err, "nope")
	})
}

func TestConcurrentRetriesWithOneTokenStartOneContact(t *testing.T) {
	srv, c := start(t)
	var wg sync.WaitGroup
	ids := make([]string, 16)
	errs := make([]error, 16)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactFlowId: aws.String(srv.Defaults.ContactFlowID), Name: aws.String("t"), ClientToken: aws.String("same-token")})
			errs[i] = err
			if err == nil {
				ids[i] = aws.ToString(out.ContactId)
			}
		}()
	}
	wg.Wait()
	for i := range ids {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("request %d: %s, %v (first %s)", i, ids[i], errs[i], ids[0])
		}
	}
	found := must(c.SearchContacts(ctx, &connect.SearchContactsInput{InstanceId: aws.String(srv.Defaults.InstanceID),
		TimeRange: &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: aws.Time(time.Now().Add(-time.Hour)), EndTime: aws.Time(time.Now().Add(time.Hour))}}))(t)
	if aws.ToInt64(found.TotalCount) != 1 {
		t.Errorf("%d contacts exist, want 1", aws.ToInt64(found.TotalCount))
	}
}

func TestStartOutboundVoiceContact(t *testing.T) {
	srv, c := start(t)
	d := srv.Defaults
	in := func(mutate func(*connect.StartOutboundVoiceContactInput)) *connect.StartOutboundVoiceContactInput {
		v := &connect.StartOutboundVoiceContactInput{InstanceId: aws.String(d.InstanceID), ContactFlowId: aws.String(d.ContactFlowID), DestinationPhoneNumber: aws.String("+14155550100"), QueueId: aws.String(d.QueueID)}
		mutate(v)
		return v
	}
	t.Run("Started", func(t *testing.T) {
		out := must(c.StartOutboundVoiceContact(ctx, in(func(*connect.StartOutboundVoiceContactInput) {})))(t)
		got := describe(t, c, srv, aws.ToString(out.ContactId))
		if got.Channel != types.ChannelVoice || aws.ToString(got.CustomerEndpoint.Address) != "+14155550100" || aws.ToString(got.QueueInfo.Id) != d.QueueID {
			t.Errorf("contact: %+v", got)
		}
	})
	t.Run("DestinationMustBeE164", func(t *testing.T) {
		_, err := c.StartOutboundVoiceContact(ctx, in(func(v *connect.StartOutboundVoiceContactInput) { v.DestinationPhoneNumber = aws.String("4155550100") }))
		wantError[*types.InvalidParameterException](t, err, "destinationPhoneNumber")
	})
	t.Run("SourcePhoneNumberOrQueueIdRequired", func(t *testing.T) {
		_, err := c.StartOutboundVoiceContact(ctx, in(func(v *connect.StartOutboundVoiceContactInput) { v.QueueId = nil }))
		wantError[*types.InvalidRequestException](t, err, "SourcePhoneNumber or QueueId")
		must(c.StartOutboundVoiceContact(ctx, in(func(v *connect.StartOutboundVoiceContactInput) {
			v.QueueId, v.SourcePhoneNumber = nil, aws.String("+14155550199")
		})))(t)
	})
	t.Run("AnswerMachineDetectionOnlyForCampaigns", func(t *testing.T) {
		amd := &types.AnswerMachineDetectionConfig{EnableAnswerMachineDetection: true}
		_, err := c.StartOutboundVoiceContact(ctx, in(func(v *connect.StartOutboundVoiceContactInput) { v.AnswerMachineDetectionConfig = amd }))
		wantError[*types.InvalidRequestException](t, err, "CAMPAIGN")
		must(c.StartOutboundVoiceContact(ctx, in(func(v *connect.StartOutboundVoiceContactInput) {
			v.AnswerMachineDetectionConfig, v.TrafficType = amd, types.TrafficTypeCampaign
		})))(t)
	})
	t.Run("RingTimeoutFifteenToSixty", func(t *testing.T) {
		_, err := c.StartOutboundVoiceContact(ctx, in(func(v *connect.StartOutboundVoiceContactInput) { v.RingTimeoutInSeconds = aws.Int32(10) }))
		wantError[*types.InvalidParameterException](t, err, "ringTimeoutInSeconds", "greater than or equal to 15")
	})
	t.Run("FlowMustExist", func(t *testing.T) {
		_, err := c.StartOutboundVoiceContact(ctx, in(func(v *connect.StartOutboundVoiceContactInput) { v.ContactFlowId = aws.String("nope") }))
		wantError[*types.ResourceNotFoundException](t, err, "nope")
	})
}

func TestStartWebRTCContact(t *testing.T) {
	srv, c := start(t)
	call := func() *connect.StartWebRTCContactOutput {
		return must(c.StartWebRTCContact(ctx, &connect.StartWebRTCContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactFlowId: aws.String(srv.Defaults.ContactFlowID),
			ParticipantDetails: &types.ParticipantDetails{DisplayName: aws.String("Ana")}}))(t)
	}
	a, b := call(), call()
	m := a.ConnectionData.Meeting
	if !strings.HasPrefix(aws.ToString(m.MediaPlacement.AudioHostUrl), srv.URL+"/") || aws.ToString(a.ConnectionData.Attendee.JoinToken) == "" {
		t.Errorf("connection data: %+v", m.MediaPlacement)
	}
	for name, pair := range map[string][2]string{
		"ContactId": {aws.ToString(a.ContactId), aws.ToString(b.ContactId)}, "ParticipantId": {aws.ToString(a.ParticipantId), aws.ToString(b.ParticipantId)},
		"ParticipantToken": {aws.ToString(a.ParticipantToken), aws.ToString(b.ParticipantToken)}, "MeetingId": {aws.ToString(m.MeetingId), aws.ToString(b.ConnectionData.Meeting.MeetingId)},
		"AttendeeId": {aws.ToString(a.ConnectionData.Attendee.AttendeeId), aws.ToString(b.ConnectionData.Attendee.AttendeeId)},
	} {
		if pair[0] == "" || pair[0] == pair[1] {
			t.Errorf("%s not unique per call: %q, %q", name, pair[0], pair[1])
		}
	}
	if got := describe(t, c, srv, aws.ToString(a.ContactId)); got.InitiationMethod != types.ContactInitiationMethodWebrtcApi {
		t.Errorf("InitiationMethod = %s", got.InitiationMethod)
	}
}

// emailInput is a valid StartEmailContact request to the default address.
func emailInput(srv *connectlocaltest.Server, mutate ...func(*connect.StartEmailContactInput)) *connect.StartEmailContactInput {
	in := &connect.StartEmailContactInput{
		InstanceId: aws.String(srv.Defaults.InstanceID), DestinationEmailAddress: aws.String(srv.Defaults.EmailAddress),
		FromEmailAddress: &types.EmailAddressInfo{EmailAddress: aws.String("jane.doe@example.com"), DisplayName: aws.String("Jane Doe")},
		EmailMessage: &types.InboundEmailContent{MessageSourceType: types.InboundMessageSourceTypeRaw, RawMessage: &types.InboundRawMessage{
			Subject: aws.String("Order question"), Body: aws.String("<p>Hello, where is my order?</p>"), ContentType: aws.String("text/html"),
		}},
	}
	for _, m := range mutate {
		m(in)
	}
	return in
}

func TestStartEmailContact(t *testing.T) {
	srv, c := start(t)
	t.Run("Received", func(t *testing.T) {
		out := must(c.StartEmailContact(ctx, emailInput(srv, func(in *connect.StartEmailContactInput) {
			in.AdditionalRecipients = &types.InboundAdditionalRecipients{CcAddresses: []types.EmailAddressInfo{{EmailAddress: aws.String("cc@example.com")}}}
			in.Attachments = []types.EmailAttachment{{FileName: aws.String("invoice.pdf"), S3Url: aws.String("https://bucket.s3.amazonaws.com/invoice.pdf")}}
		})))(t)
		got := describe(t, c, srv, aws.ToString(out.ContactId))
		if got.Channel != types.ChannelEmail || got.InitiationMethod != types.ContactInitiationMethodInbound ||
			got.AdditionalEmailRecipients == nil || aws.ToString(got.AdditionalEmailRecipients.CcList[0].Address) != "cc@example.com" ||
			aws.ToString(got.CustomerEndpoint.Address) != "jane.doe@example.com" {
			t.Errorf("email contact: %+v", got)
		}
		refs := must(c.ListContactReferences(ctx, &connect.ListContactReferencesInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactId: out.ContactId, ReferenceTypes: []types.ReferenceType{types.ReferenceTypeAttachment}}))(t).ReferenceSummaryList
		if len(refs) != 1 || aws.ToString(refs[0].(*types.ReferenceSummaryMemberAttachment).Value.Name) != "invoice.pdf" {
			t.Errorf("attachments: %+v", refs)
		}
	})
	t.Run("DestinationMustBeAnAddressOfTheInstance", func(t *testing.T) {
		_, err := c.StartEmailContact(ctx, emailInput(srv, func(in *connect.StartEmailContactInput) {
			in.DestinationEmailAddress = aws.String("someone@else.example")
		}))
		wantError[*types.ResourceNotFoundException](t, err, "someone@else.example")
	})
	t.Run("AtMostFiftyRecipients", func(t *testing.T) {
		var to []types.EmailAddressInfo
		for i := range 49 {
			to = append(to, types.EmailAddressInfo{EmailAddress: aws.String(fmt.Sprintf("r%d@example.com", i))})
		}
		must(c.StartEmailContact(ctx, emailInput(srv, func(in *connect.StartEmailContactInput) {
			in.AdditionalRecipients = &types.InboundAdditionalRecipients{ToAddresses: to}
		})))(t)
		_, err := c.StartEmailContact(ctx, emailInput(srv, func(in *connect.StartEmailContactInput) {
			in.AdditionalRecipients = &types.InboundAdditionalRecipients{ToAddresses: to, CcAddresses: to[:1]}
		}))
		wantError[*types.InvalidRequestException](t, err, "50")
	})
	t.Run("RelatedEmailCopiesAttributes", func(t *testing.T) {
		first := must(c.StartEmailContact(ctx, emailInput(srv, func(in *connect.StartEmailContactInput) { in.Attributes = map[string]string{"customer": "42"} })))(t)
		reply := must(c.StartEmailContact(ctx, emailInput(srv, func(in *connect.StartEmailContactInput) { in.RelatedContactId = first.ContactId })))(t)
		if got := describe(t, c, srv, aws.ToString(reply.ContactId)); got.Attributes["customer"] != "42" {
			t.Errorf("attributes = %v", got.Attributes)
		}
	})
	t.Run("SameTokenOtherMessageIsIdempotencyException", func(t *testing.T) {
		must(c.StartEmailContact(ctx, emailInput(srv, func(in *connect.StartEmailContactInput) { in.ClientToken = aws.String("email-1") })))(t)
		_, err := c.StartEmailContact(ctx, emailInput(srv, func(in *connect.StartEmailContactInput) {
			in.ClientToken, in.EmailMessage.RawMessage.Subject = aws.String("email-1"), aws.String("different")
		}))
		wantError[*types.IdempotencyException](t, err)
	})
}

func TestUpdateContact(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	id := task(t, c, srv)
	t.Run("AtLeastOneField", func(t *testing.T) {
		_, err := c.UpdateContact(ctx, &connect.UpdateContactInput{InstanceId: inst, ContactId: aws.String(id)})
		wantError[*types.InvalidRequestException](t, err, "At least one field")
	})
	t.Run("VisibleInDescribe", func(t *testing.T) {
		must(c.UpdateContact(ctx, &connect.UpdateContactInput{InstanceId: inst, ContactId: aws.String(id), Name: aws.String("renamed"), Description: aws.String("new"),
			References: map[string]types.Reference{"link": {Type: types.ReferenceTypeUrl, Value: aws.String("https://example.com")}}}))(t)
		got := describe(t, c, srv, id)
		if aws.ToString(got.Name) != "renamed" || aws.ToString(got.Description) != "new" || got.LastUpdateTimestamp == nil {
			t.Errorf("contact: %+v", got)
		}
	})
	t.Run("QueueOnlyOnExternalAudio", func(t *testing.T) {
		_, err := c.UpdateContact(ctx, &connect.UpdateContactInput{InstanceId: inst, ContactId: aws.String(id), QueueInfo: &types.QueueInfoInput{Id: aws.String(srv.Defaults.QueueID)}})
		wantError[*types.InvalidRequestException](t, err, "external audio")
		audio := must(c.CreateContact(ctx, &connect.CreateContactInput{InstanceId: inst, Channel: types.ChannelVoice, InitiationMethod: types.ContactInitiationMethodTransfer}))(t)
		must(c.UpdateContact(ctx, &connect.UpdateContactInput{InstanceId: inst, ContactId: audio.ContactId, QueueInfo: &types.QueueInfoInput{Id: aws.String(srv.Defaults.QueueID)},
			CustomerEndpoint: &types.Endpoint{Type: types.EndpointTypeTelephoneNumber, Address: aws.String("+14155550100")}}))(t)
		if got := describe(t, c, srv, aws.ToString(audio.ContactId)); aws.ToString(got.QueueInfo.Id) != srv.Defaults.QueueID || aws.ToString(got.CustomerEndpoint.Address) != "+14155550100" {
			t.Errorf("external audio contact: %+v", got)
		}
	})
	t.Run("WorksOnCompletedContacts", func(t *testing.T) {
		must(c.StopContact(ctx, &connect.StopContactInput{InstanceId: inst, ContactId: aws.String(id)}))(t)
		must(c.UpdateContact(ctx, &connect.UpdateContactInput{InstanceId: inst, ContactId: aws.String(id), Name: aws.String("after")}))(t)
	})
}

func TestStopContact(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	id := task(t, c, srv)
	must(c.StopContact(ctx, &connect.StopContactInput{InstanceId: inst, ContactId: aws.String(id), DisconnectReason: &types.DisconnectReason{Code: aws.String("done")}}))(t)
	got := describe(t, c, srv, id)
	if got.DisconnectTimestamp == nil || aws.ToString(got.DisconnectReason) != "API" {
		t.Errorf("stopped contact: %+v", got)
	}
	t.Run("AlreadyEndedIsContactNotFound", func(t *testing.T) {
		_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: inst, ContactId: aws.String(id)})
		wantError[*types.ContactNotFoundException](t, err)
	})
	t.Run("UnknownIsContactNotFound", func(t *testing.T) {
		_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: inst, ContactId: aws.String("nope")})
		wantError[*types.ContactNotFoundException](t, err)
	})
	t.Run("TransferredVoiceRefused", func(t *testing.T) {
		audio := must(c.CreateContact(ctx, &connect.CreateContactInput{InstanceId: inst, Channel: types.ChannelVoice, InitiationMethod: types.ContactInitiationMethodTransfer}))(t)
		_, err := c.StopContact(ctx, &connect.StopContactInput{InstanceId: inst, ContactId: audio.ContactId})
		wantError[*types.InvalidRequestException](t, err, "TRANSFER")
	})
}

func TestContactTags(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	id := task(t, c, srv)
	must(c.TagContact(ctx, &connect.TagContactInput{InstanceId: inst, ContactId: aws.String(id), Tags: map[string]string{"a": "1", "b": "2"}}))(t)
	must(c.UntagContact(ctx, &connect.UntagContactInput{InstanceId: inst, ContactId: aws.String(id), TagKeys: []string{"a"}}))(t)
	if got := describe(t, c, srv, id).Tags; len(got) != 1 || got["b"] != "2" {
		t.Errorf("tags = %v", got)
	}
	t.Run("AtMostSix", func(t *testing.T) {
		_, err := c.TagContact(ctx, &connect.TagContactInput{InstanceId: inst, ContactId: aws.String(id), Tags: map[string]string{"c": "", "d": "", "e": "", "f": "", "g": "", "h": ""}})
		wantError[*types.InvalidRequestException](t, err, "6 tags")
	})
}

func TestSearchContacts(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	a := task(t, c, srv, func(in *connect.StartTaskContactInput) { in.Attributes = map[string]string{"tier": "gold"} })
	time.Sleep(5 * time.Millisecond)
	b := aws.ToString(must(c.StartEmailContact(ctx, emailInput(srv)))(t).ContactId)
	time.Sleep(5 * time.Millisecond)
	voice := aws.ToString(must(c.StartOutboundVoiceContact(ctx, &connect.StartOutboundVoiceContactInput{InstanceId: inst, ContactFlowId: aws.String(srv.Defaults.ContactFlowID),
		DestinationPhoneNumber: aws.String("+14155550100"), QueueId: aws.String(srv.Defaults.QueueID)}))(t).ContactId)
	window := &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: aws.Time(time.Now().Add(-time.Hour)), EndTime: aws.Time(time.Now().Add(time.Hour))}
	search := func(crit *types.SearchCriteria, sort *types.Sort) []string {
		t.Helper()
		var ids []string
		pages := connect.NewSearchContactsPaginator(c, &connect.SearchContactsInput{InstanceId: inst, TimeRange: window, SearchCriteria: crit, Sort: sort, MaxResults: aws.Int32(2)})
		for pages.HasMorePages() {
			for _, s := range must(pages.NextPage(ctx))(t).Contacts {
				ids = append(ids, aws.ToString(s.Id))
			}
		}
		return ids
	}
	for name, tc := range map[string]struct {
		crit *types.SearchCriteria
		sort *types.Sort
		want []string
	}{
		"NewestFirstByDefault": {nil, nil, []string{voice, b, a}},
		"SortAscending":        {nil, &types.Sort{FieldName: types.SortableFieldNameInitiationTimestamp, Order: types.SortOrderAscending}, []string{a, b, voice}},
		"Channels":             {&types.SearchCriteria{Channels: []types.Channel{types.ChannelEmail, types.ChannelTask}}, nil, []string{b, a}},
		"InitiationMethods":    {&types.SearchCriteria{InitiationMethods: []types.ContactInitiationMethod{types.ContactInitiationMethodInbound}}, nil, []string{b}},
		"Queues":               {&types.SearchCriteria{QueueIds: []string{srv.Defaults.QueueID}}, nil, []string{voice}},
		"Agents":               {&types.SearchCriteria{AgentIds: []string{"nobody"}}, nil, nil},
		"SearchableAttributes": {&types.SearchCriteria{SearchableContactAttributes: &types.SearchableContactAttributes{Criteria: []types.SearchableContactAttributesCriteria{{Key: aws.String("tier"), Values: []string{"gold"}}}}}, nil, []string{a}},
	} {
		t.Run(name, func(t *testing.T) {
			if got := search(tc.crit, tc.sort); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("TimeRangeExcludes", func(t *testing.T) {
		out := must(c.SearchContacts(ctx, &connect.SearchContactsInput{InstanceId: inst, TimeRange: &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeDisconnectTimestamp,
			StartTime: aws.Time(time.Now().Add(-time.Hour)), EndTime: aws.Time(time.Now().Add(time.Hour))}}))(t)
		if len(out.Contacts) != 0 {
			t.Errorf("%d contacts disconnected, want 0", len(out.Contacts))
		}
	})
}

// A contact operation reads the contact first and the instance only when the contact is
// missing; the answers must still be those of reading the instance first: the missing
// instance named when it is the instance, the contact when it is the contact, and a
// contact found only through its own instance, given by ID or ARN.
func TestContactLookupNamesWhatIsMissing(t *testing.T) {
	srv, c := start(t)
	id := task(t, c, srv)
	arn := "arn:aws:connect:us-east-1:000000000000:instance/" + srv.Defaults.InstanceID
	describeIn := func(instance, contact string) error {
		_, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: aws.String(instance), ContactId: aws.String(contact)})
		return err
	}
	if err := describeIn(arn, id); err != nil {
		t.Errorf("by instance ARN: %v", err)
	}
	wantError[*types.ResourceNotFoundException](t, describeIn("0b4c4a4e-0000-4000-8000-000000000000", id), "Instance not found", "0b4c4a4e-0000-4000-8000-000000000000")
	wantError[*types.ResourceNotFoundException](t, describeIn(srv.Defaults.InstanceID, "0b4c4a4e-0000-4000-8000-000000000001"), "Contact not found", "0b4c4a4e-0000-4000-8000-000000000001")
	other := "arn:aws:connect:us-east-1:111111111111:instance/" + srv.Defaults.InstanceID
	wantError[*types.ResourceNotFoundException](t, describeIn(other, id), "Instance not found")

	second := must(c.CreateInstance(ctx, &connect.CreateInstanceInput{
		IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("lookup-2"),
		InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true),
	}))(t)
	wantError[*types.ResourceNotFoundException](t, describeIn(aws.ToString(second.Id), id), "Contact not found", id)
}

// Connect's IDs are opaque UUIDs. connectlocal makes version 7 ones (time first, then
// random) so that contacts made one after another sit together in the store's indexes;
// they are still UUIDs of the usual form, each unique, and later ones sort after.
func TestResourceIDsAreTimeOrderedUUIDs(t *testing.T) {
	srv, c := start(t)
	d := srv.Defaults
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	var ids []string
	for range 3 {
		out := must(c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(d.InstanceID),
			ContactFlowId: aws.String(d.ContactFlowID), Name: aws.String("t")}))(t)
		id := aws.ToString(out.ContactId)
		if !uuid.MatchString(id) {
			t.Errorf("ContactId %q is not a version 7 UUID", id)
		}
		ids = append(ids, id)
		time.Sleep(2 * time.Millisecond) // the time part counts milliseconds
	}
	if !slices.IsSorted(ids) || ids[0] == ids[1] || ids[1] == ids[2] {
		t.Errorf("ContactIds made one after another = %v, want them increasing", ids)
	}
}

package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/connectlocal/connectlocal/connectlocaltest"
)

// piiEmail carries one value of each kind the tests look for in the redacted files.
const piiEmail = `<html><body><p>Dear support,</p>
<p>My name is Maria Garcia and my card <b>4111 1111 1111 1111</b> was charged twice. Please refund me.</p>
<p>Call me at (415) 555-0142 or write to <a href="mailto:maria.garcia@example.com">maria.garcia@example.com</a>.</p>
<p>My SSN is 123-45-6789.</p>
<p>Thanks,<br>Maria Garcia</p></body></html>`

var piiValues = []string{"4111", "1111 1111", "555-0142", "maria.garcia@example.com", "123-45-6789", "Maria Garcia"}

type fileRef struct{ Name, Arn string }

// references lists a contact's references of one type; CONTACT_ANALYSIS arrives as the
// union member ContactAnalysis, which this SDK version does not know.
func references(t *testing.T, c *connect.Client, srv *connectlocaltest.Server, contactID string, typ types.ReferenceType) []fileRef {
	t.Helper()
	out := must(c.ListContactReferences(ctx, &connect.ListContactReferencesInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactId: aws.String(contactID), ReferenceTypes: []types.ReferenceType{typ}}))(t)
	var refs []fileRef
	for _, r := range out.ReferenceSummaryList {
		switch v := r.(type) {
		case *types.ReferenceSummaryMemberEmailMessage:
			refs = append(refs, fileRef{aws.ToString(v.Value.Name), aws.ToString(v.Value.Arn)})
		case *types.ReferenceSummaryMemberEmailMessagePlainText:
			refs = append(refs, fileRef{aws.ToString(v.Value.Name), aws.ToString(v.Value.Arn)})
		case *types.ReferenceSummaryMemberEmailMessageRedacted:
			refs = append(refs, fileRef{aws.ToString(v.Value.Name), aws.ToString(v.Value.Arn)})
		case *types.ReferenceSummaryMemberEmailMessagePlainTextRedacted:
			refs = append(refs, fileRef{aws.ToString(v.Value.Name), aws.ToString(v.Value.Arn)})
		case *types.UnknownUnionMember:
			// This SDK drops an unknown member's value; read it off the wire.
			if v.Tag != "ContactAnalysis" {
				t.Fatalf("unknown union member %s", v.Tag)
			}
			raw := signedRequest(t, srv, http.MethodGet, "/contact/references/"+srv.Defaults.InstanceID+"/"+contactID+"?referenceTypes=CONTACT_ANALYSIS", "")
			for _, item := range raw.Body["ReferenceSummaryList"].([]any) {
				m := item.(map[string]any)["ContactAnalysis"].(map[string]any)
				// The shape newer SDKs know as ContactAnalysisReference.
				if m["Status"] != "APPROVED" || m["AnalyticsMode"] != "ContactLens" || m["Value"] == nil || m["IsRedacted"] == nil {
					t.Errorf("ContactAnalysis member = %v", m)
				}
				refs = append(refs, fileRef{m["Name"].(string), m["Arn"].(string)})
			}
			return refs
		default:
			t.Fatalf("unexpected member %T", v)
		}
	}
	return refs
}

// download fetches an attached file through GetAttachedFile and its download URL.
func download(t *testing.T, c *connect.Client, srv *connectlocaltest.Server, contactARN, fileARN string) (string, string) {
	t.Helper()
	id := fileARN[strings.LastIndex(fileARN, "/")+1:]
	f := must(c.GetAttachedFile(ctx, &connect.GetAttachedFileInput{InstanceId: aws.String(srv.Defaults.InstanceID), FileId: aws.String(id), AssociatedResourceArn: aws.String(contactARN)}))(t)
	if f.FileStatus != types.FileStatusTypeApproved || f.DownloadUrlMetadata == nil {
		t.Fatalf("file %s: status %s", id, f.FileStatus)
	}
	resp, err := http.Get(aws.ToString(f.DownloadUrlMetadata.Url))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("download %s: %s %s", id, resp.Status, b)
	}
	return string(b), resp.Header.Get("Content-Type")
}

func contactARN(srv *connectlocaltest.Server, id string) string {
	return "arn:aws:connect:us-east-1:000000000000:instance/" + srv.Defaults.InstanceID + "/contact/" + id
}

func sendEmail(t *testing.T, c *connect.Client, srv *connectlocaltest.Server, body string, mutate ...func(*connect.StartEmailContactInput)) string {
	t.Helper()
	in := emailInput(srv, func(in *connect.StartEmailContactInput) {
		in.EmailMessage.RawMessage.Body = aws.String(body)
		in.EmailMessage.RawMessage.Subject = aws.String("Refund for Maria Garcia")
		in.FromEmailAddress = &types.EmailAddressInfo{EmailAddress: aws.String("maria.garcia@example.com"), DisplayName: aws.String("Maria Garcia")}
	})
	for _, m := range mutate {
		m(in)
	}
	return aws.ToString(must(c.StartEmailContact(ctx, in))(t).ContactId)
}

// analysis waits for the contact's CONTACT_ANALYSIS file and returns it decoded.
func analysis(t *testing.T, c *connect.Client, srv *connectlocaltest.Server, contactID string) map[string]any {
	t.Helper()
	var refs []fileRef
	eventually(t, "the analysis", func() bool {
		refs = references(t, c, srv, contactID, types.ReferenceTypeContactAnalysis)
		return len(refs) > 0
	})
	if len(refs) != 1 {
		t.Fatalf("%d analysis files", len(refs))
	}
	body, _ := download(t, c, srv, contactARN(srv, contactID), refs[0].Arn)
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("analysis is not JSON: %v", err)
	}
	return doc
}

func setAnalytics(t *testing.T, srv *connectlocaltest.Server, settings map[string]any) {
	admin(t, srv, http.MethodPut, "/email-analytics", settings, nil)
}

func TestEmailIsStoredAsMessageAndPlainTextFiles(t *testing.T) {
	srv, c := start(t)
	setAnalytics(t, srv, map[string]any{"Enabled": false, "Policy": "None", "MaskMode": "PII", "Trigger": "ON_ARRIVAL"})
	id := sendEmail(t, c, srv, piiEmail, func(in *connect.StartEmailContactInput) {
		in.EmailMessage.RawMessage.Headers = map[string]string{"MESSAGE_ID": "<m1@example.com>"}
		in.AdditionalRecipients = &types.InboundAdditionalRecipients{CcAddresses: []types.EmailAddressInfo{{EmailAddress: aws.String("cc@example.com")}}}
	})
	msg := references(t, c, srv, id, types.ReferenceTypeEmailMessage)
	plain := references(t, c, srv, id, types.ReferenceTypeEmailMessagePlainText)
	if len(msg) != 1 || len(plain) != 1 {
		t.Fatalf("references: %v %v", msg, plain)
	}
	body, ctype := download(t, c, srv, contactARN(srv, id), msg[0].Arn)
	var doc struct {
		ContactId, Subject, ContentType, Body, ReceivedTime string
		From                                                struct{ Address, DisplayName string }
		To, Cc                                              []struct{ Address string }
		Headers                                             map[string]string
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || !strings.HasPrefix(ctype, "application/json") {
		t.Fatalf("message document (%s): %v", ctype, err)
	}
	if doc.ContactId != id || doc.Body != piiEmail || doc.From.Address != "maria.garcia@example.com" || doc.To[0].Address != srv.Defaults.EmailAddress ||
		doc.Cc[0].Address != "cc@example.com" || doc.Headers["MESSAGE_ID"] != "<m1@example.com>" || doc.ReceivedTime == "" {
		t.Errorf("message document: %+v", doc)
	}
	text, _ := download(t, c, srv, contactARN(srv, id), plain[0].Arn)
	if !strings.Contains(text, "My name is Maria Garcia and my card 4111 1111 1111 1111 was charged twice.") || strings.Contains(text, "<p>") {
		t.Errorf("plain text:\n%s", text)
	}
	time.Sleep(300 * time.Millisecond)
	if refs := references(t, c, srv, id, types.ReferenceTypeContactAnalysis); len(refs) != 0 {
		t.Errorf("analysis ran with analytics disabled: %v", refs)
	}
}

func TestAnalysisRedactsPIIByEntityType(t *testing.T) {
	srv, c := start(t)
	id := sendEmail(t, c, srv, piiEmail)
	doc := analysis(t, c, srv, id)
	if doc["Version"] != "EMAIL-2026-01-01" || doc["Channel"] != "EMAIL" {
		t.Errorf("analysis header: %v %v", doc["Version"], doc["Channel"])
	}
	meta := doc["CustomerMetadata"].(map[string]any)
	if meta["ContactId"] != id || meta["InstanceId"] != srv.Defaults.InstanceID {
		t.Errorf("CustomerMetadata = %v", meta)
	}
	cfg := doc["Configuration"].(map[string]any)["RedactionConfiguration"].(map[string]any)
	if cfg["Policy"] != "RedactedAndOriginal" || cfg["MaskMode"] != "EntityType" {
		t.Errorf("RedactionConfiguration = %v", cfg)
	}
	raw, _ := json.Marshal(doc)
	for _, v := range piiValues {
		if strings.Contains(string(raw), v) {
			t.Errorf("the analysis file contains %q", v)
		}
	}
	found := map[string]float64{}
	for _, e := range doc["Redaction"].(map[string]any)["EntitiesFound"].([]any) {
		m := e.(map[string]any)
		found[m["Type"].(string)] = m["Count"].(float64)
	}
	for _, typ := range []string{"NAME", "EMAIL", "PHONE", "CREDIT_DEBIT_NUMBER", "SSN"} {
		if found[typ] == 0 {
			t.Errorf("EntitiesFound has no %s: %v", typ, found)
		}
	}
	red := references(t, c, srv, id, types.ReferenceTypeEmailMessageRedacted)
	plainRed := references(t, c, srv, id, types.ReferenceTypeEmailMessagePlainTextRedacted)
	if len(red) != 1 || len(plainRed) != 1 {
		t.Fatalf("redacted references: %v %v", red, plainRed)
	}
	for _, f := range []fileRef{red[0], plainRed[0]} {
		body, _ := download(t, c, srv, contactARN(srv, id), f.Arn)
		for _, v := range piiValues {
			if strings.Contains(body, v) {
				t.Errorf("%s contains %q:\n%s", f.Name, v, body)
			}
		}
		for _, label := range []string{"[NAME]", "[CREDIT_DEBIT_NUMBER]", "[EMAIL]", "[PHONE]", "[SSN]"} {
			if !strings.Contains(body, label) {
				t.Errorf("%s has no %s:\n%s", f.Name, label, body)
			}
		}
	}
	var redDoc struct{ Subject, Body string }
	body, _ := download(t, c, srv, contactARN(srv, id), red[0].Arn)
	json.Unmarshal([]byte(body), &redDoc)
	if !strings.Contains(redDoc.Body, "<b>") || !strings.Contains(redDoc.Body, "</p>") || !strings.Contains(redDoc.Subject, "Refund for [NAME]") {
		t.Errorf("redacted message lost its HTML or subject: %+v", redDoc)
	}
	if len(references(t, c, srv, id, types.ReferenceTypeEmailMessage)) != 1 {
		t.Error("RedactedAndOriginal removed the original")
	}
}

func TestRedactedOnlyWithPIIMaskRemovesTheOriginals(t *testing.T) {
	srv, c := start(t)
	setAnalytics(t, srv, map[string]any{"Enabled": true, "Policy": "RedactedOnly", "MaskMode": "PII", "Trigger": "ON_ARRIVAL"})
	id := sendEmail(t, c, srv, piiEmail)
	original := analysis(t, c, srv, id)["CustomerMetadata"].(map[string]any)["InputFiles"].(map[string]any)["EmailMessageS3URI"].(string)
	if refs := append(references(t, c, srv, id, types.ReferenceTypeEmailMessage), references(t, c, srv, id, types.ReferenceTypeEmailMessagePlainText)...); len(refs) != 0 {
		t.Errorf("originals still referenced: %v", refs)
	}
	fileID := original[strings.LastIndex(original, "/")+1:]
	_, err := c.GetAttachedFile(ctx, &connect.GetAttachedFileInput{InstanceId: aws.String(srv.Defaults.InstanceID), FileId: aws.String(fileID), AssociatedResourceArn: aws.String(contactARN(srv, id))})
	wantError[*types.ResourceNotFoundException](t, err)
	red := references(t, c, srv, id, types.ReferenceTypeEmailMessagePlainTextRedacted)
	body, _ := download(t, c, srv, contactARN(srv, id), red[0].Arn)
	if !strings.Contains(body, "[PII]") || strings.Contains(body, "[NAME]") {
		t.Errorf("PII mask:\n%s", body)
	}
}

func TestRedactionOfSelectedEntitiesOnly(t *testing.T) {
	srv, c := start(t)
	setAnalytics(t, srv, map[string]any{"Enabled": true, "Policy": "RedactedAndOriginal", "MaskMode": "EntityType", "Entities": []string{"CREDIT_DEBIT_NUMBER"}, "Trigger": "ON_ARRIVAL"})
	id := sendEmail(t, c, srv, piiEmail)
	analysis(t, c, srv, id)
	body, _ := download(t, c, srv, contactARN(srv, id), references(t, c, srv, id, types.ReferenceTypeEmailMessagePlainTextRedacted)[0].Arn)
	if strings.Contains(body, "4111") || !strings.Contains(body, "[CREDIT_DEBIT_NUMBER]") || !strings.Contains(body, "555-0142") {
		t.Errorf("only cards should be redacted:\n%s", body)
	}
}

func TestPolicyNoneAnalysesWithoutRedaction(t *testing.T) {
	srv, c := start(t)
	setAnalytics(t, srv, map[string]any{"Enabled": true, "Policy": "None", "MaskMode": "PII", "Trigger": "ON_ARRIVAL"})
	id := sendEmail(t, c, srv, piiEmail)
	analysis(t, c, srv, id)
	if refs := references(t, c, srv, id, types.ReferenceTypeEmailMessageRedacted); len(refs) != 0 {
		t.Errorf("Policy None produced redacted files: %v", refs)
	}
}

func TestAnalysisWhenTheContactEnds(t *testing.T) {
	srv, c := start(t)
	setAnalytics(t, srv, map[string]any{"Enabled": true, "Policy": "RedactedAndOriginal", "MaskMode": "PII", "Trigger": "ON_CONTACT_END"})
	id := sendEmail(t, c, srv, "plain question")
	time.Sleep(300 * time.Millisecond)
	if refs := references(t, c, srv, id, types.ReferenceTypeContactAnalysis); len(refs) != 0 {
		t.Fatalf("analysed before the contact ended: %v", refs)
	}
	must(c.StopContact(ctx, &connect.StopContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactId: aws.String(id)}))(t)
	analysis(t, c, srv, id)
}

func TestThreadOfRelatedEmailsIsSummarised(t *testing.T) {
	srv, c := start(t)
	first := sendEmail(t, c, srv, "<p>Where is order 1234?</p>")
	reply := sendEmail(t, c, srv, "<p>Still waiting, please refund.</p>", func(in *connect.StartEmailContactInput) { in.RelatedContactId = aws.String(first) })
	summary := analysis(t, c, srv, reply)["ContactChainSummary"].(map[string]any)
	ids := summary["ContactIds"].([]any)
	if len(ids) != 2 || ids[0] != first || ids[1] != reply || !strings.Contains(summary["Summary"].(string), "Still waiting") || !strings.Contains(summary["Summary"].(string), "order 1234") {
		t.Errorf("ContactChainSummary = %v", summary)
	}
	if strings.Contains(summary["Summary"].(string), "Maria Garcia") {
		t.Errorf("the summary leaks a redacted name: %v", summary["Summary"])
	}
}

func TestEmailAnalysisRulesAssignCategoriesAndCreateTasks(t *testing.T) {
	srv, c := start(t)
	inst := aws.String(srv.Defaults.InstanceID)
	rule := func(name string, status types.RulePublishStatus, words ...string) {
		must(c.CreateRule(ctx, &connect.CreateRuleInput{InstanceId: inst, Name: aws.String(name), PublishStatus: status,
			TriggerEventSource: &types.RuleTriggerEventSource{EventSourceName: types.EventSourceNameOnEmailAnalysisAvailable},
			Function:           aws.String(emailFunction(words...)), Actions: []types.RuleAction{categoryAction(), taskAction(srv, name+" follow-up")}}))(t)
	}
	rule("refund-requests", types.RulePublishStatusPublished, "refund")
	rule("draft-refunds", types.RulePublishStatusDraft, "refund")
	rule("cancellations", types.RulePublishStatusPublished, "cancel")
	id := sendEmail(t, c, srv, piiEmail)
	cats := analysis(t, c, srv, id)["Categories"].(map[string]any)
	if matched := cats["MatchedCategories"].([]any); len(matched) != 1 || matched[0] != "refund-requests" {
		t.Errorf("MatchedCategories = %v", matched)
	}
	window := &types.SearchContactsTimeRange{Type: types.SearchContactsTimeRangeTypeInitiationTimestamp, StartTime: aws.Time(time.Now().Add(-time.Hour)), EndTime: aws.Time(time.Now().Add(time.Hour))}
	var tasks []types.ContactSearchSummary
	eventually(t, "the rule's task", func() bool {
		tasks = must(c.SearchContacts(ctx, &connect.SearchContactsInput{InstanceId: inst, TimeRange: window, SearchCriteria: &types.SearchCriteria{Channels: []types.Channel{types.ChannelTask}}}))(t).Contacts
		return len(tasks) > 0
	})
	time.Sleep(200 * time.Millisecond)
	tasks = must(c.SearchContacts(ctx, &connect.SearchContactsInput{InstanceId: inst, TimeRange: window, SearchCriteria: &types.SearchCriteria{Channels: []types.Channel{types.ChannelTask}}}))(t).Contacts
	if len(tasks) != 1 || aws.ToString(tasks[0].Name) != "refund-requests follow-up" {
		t.Fatalf("tasks = %+v", tasks)
	}
	task := describe(t, c, srv, aws.ToString(tasks[0].Id))
	if aws.ToString(task.RelatedContactId) != id || aws.ToString(task.Description) != "Follow up on "+id {
		t.Errorf("task: related %s, description %q", aws.ToString(task.RelatedContactId), aws.ToString(task.Description))
	}
}

func TestRestartDuringAnalysisAnalysesOnce(t *testing.T) {
	dir := t.TempDir()
	srv := connectlocaltest.Start(t, connectlocaltest.WithDataDir(dir))
	c := connect.NewFromConfig(srv.Config)
	var ids []string
	for range 3 {
		ids = append(ids, sendEmail(t, c, srv, piiEmail))
	}
	srv.Stop()
	again := connectlocaltest.Start(t, connectlocaltest.WithDataDir(dir))
	c = connect.NewFromConfig(again.Config)
	for _, id := range ids {
		analysis(t, c, again, id)
	}
	time.Sleep(300 * time.Millisecond)
	for _, id := range ids {
		if n := len(references(t, c, again, id, types.ReferenceTypeEmailMessageRedacted)); n != 1 {
			t.Errorf("contact %s has %d redacted messages", id, n)
		}
	}
}

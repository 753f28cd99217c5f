package rules

import "testing"

func TestInject(t *testing.T) {
	tests := []struct {
		name     string
		source   string
		template string
		want     string
	}{
		{"admin guide example", OnPostCallAnalysisAvailable,
			"Customer is unhappy about the phone call. A swear word was detected during the conversation with agent $.ContactLens.PostCall.Agent.AgentId in the contact $.ContactLens.PostCall.ContactId",
			"Customer is unhappy about the phone call. A swear word was detected during the conversation with agent 12345678-1234-1234-1234-EXAMPLEID012 in the contact 87654321-1234-1234-1234-EXAMPLEID345"},
		{"reference ends a sentence", OnPostCallAnalysisAvailable, "Queue $.ContactLens.PostCall.Queue.QueueId.", "Queue 11111111-1234-5678-9123-123456789012."},
		{"reference in parentheses", OnPostChatAnalysisAvailable, "(agent $.ContactLens.PostChat.Agent.AgentId)", "(agent 12345678-1234-1234-1234-EXAMPLEID012)"},
		{"unknown reference stays", OnPostCallAnalysisAvailable, "Case $.ContactLens.PostCall.CaseId", "Case $.ContactLens.PostCall.CaseId"},
		{"object reference stays", OnPostCallAnalysisAvailable, "Agent $.ContactLens.PostCall.Agent", "Agent $.ContactLens.PostCall.Agent"},
		{"number", OnZendeskTicketCreate, "Ticket #$.ThirdParty.Zendesk.TicketCreate.Id ($.ThirdParty.Zendesk.TicketCreate.Priority)", "Ticket #35436 (high)"},
		{"list joined", OnZendeskTicketCreate, "Tags: $.ThirdParty.Zendesk.TicketCreate.Tags", "Tags: vip, billing"},
		{"salesforce", OnSalesforceCaseCreate, "Case $.ThirdParty.Salesforce.CaseCreate.CaseNumber from $.ThirdParty.Salesforce.CaseCreate.Email", "Case 00001026 from jane@example.com"},
		{"zendesk status update", OnZendeskTicketStatusUpdate, "$.ThirdParty.Zendesk.TicketStatusUpdate.Id is $.ThirdParty.Zendesk.TicketStatusUpdate.Status", "35436 is pending"},
		{"bracket key", OnPostCallAnalysisAvailable, "Tier $.ContactLens.PostCall.ContactAttribute['tier']!", "Tier gold!"},
		{"email contact", OnEmailAnalysisAvailable, "Review e-mail $.ContactLens.Email.ContactId", "Review e-mail 55555555-1234-1234-1234-EXAMPLEID345"},
		{"dollar without path", OnPostCallAnalysisAvailable, "Costs $5 or $. or $", "Costs $5 or $. or $"},
		{"no references", OnPostCallAnalysisAvailable, "Plain text", "Plain text"},
		{"empty", OnPostCallAnalysisAvailable, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, useNumber := range []bool{false, true} {
				if got := Inject(tt.template, loadEvent(t, tt.source, useNumber)); got != tt.want {
					t.Errorf("Inject (UseNumber=%v) = %q, want %q", useNumber, got, tt.want)
				}
			}
		})
	}
}

package rules

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestAllowedActions(t *testing.T) {
	tests := []struct {
		source string
		want   []string
	}{
		{OnPostCallAnalysisAvailable, []string{"CREATE_TASK", "ASSIGN_CONTACT_CATEGORY", "GENERATE_EVENTBRIDGE_EVENT", "SEND_NOTIFICATION", "CREATE_CASE", "SUBMIT_AUTO_EVALUATION"}},
		{OnRealTimeCallAnalysisAvailable, []string{"CREATE_TASK", "ASSIGN_CONTACT_CATEGORY", "GENERATE_EVENTBRIDGE_EVENT", "SEND_NOTIFICATION"}},
		{OnRealTimeChatAnalysisAvailable, []string{"CREATE_TASK", "ASSIGN_CONTACT_CATEGORY", "GENERATE_EVENTBRIDGE_EVENT", "SEND_NOTIFICATION"}},
		{OnPostChatAnalysisAvailable, []string{"CREATE_TASK", "ASSIGN_CONTACT_CATEGORY", "GENERATE_EVENTBRIDGE_EVENT", "SEND_NOTIFICATION", "CREATE_CASE", "SUBMIT_AUTO_EVALUATION"}},
		{OnEmailAnalysisAvailable, []string{"CREATE_TASK", "ASSIGN_CONTACT_CATEGORY", "GENERATE_EVENTBRIDGE_EVENT", "SEND_NOTIFICATION"}},
		{OnZendeskTicketCreate, []string{"CREATE_TASK", "ASSIGN_CONTACT_CATEGORY"}},
		{OnZendeskTicketStatusUpdate, []string{"CREATE_TASK", "ASSIGN_CONTACT_CATEGORY"}},
		{OnSalesforceCaseCreate, []string{"CREATE_TASK", "ASSIGN_CONTACT_CATEGORY"}},
		{OnContactEvaluationSubmit, []string{"CREATE_TASK", "GENERATE_EVENTBRIDGE_EVENT", "SEND_NOTIFICATION"}},
		{OnMetricDataUpdate, []string{"CREATE_TASK", "GENERATE_EVENTBRIDGE_EVENT", "SEND_NOTIFICATION"}},
		{OnCaseCreate, []string{"CREATE_TASK", "UPDATE_CASE", "ASSIGN_SLA"}},
		{OnCaseUpdate, []string{"CREATE_TASK", "UPDATE_CASE", "ASSIGN_SLA", "END_ASSOCIATED_TASKS"}},
		{OnSlaBreach, []string{"CREATE_TASK"}},
		{OnAlertUpdate, []string{"CREATE_TASK"}},
		{OnSchedulePublish, []string{"CREATE_TASK"}},
		{"OnNothing", nil},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			if got := AllowedActions(tt.source); !slices.Equal(got, tt.want) {
				t.Errorf("AllowedActions = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTaskRequired(t *testing.T) {
	for _, s := range EventSources() {
		want := s == OnZendeskTicketCreate || s == OnZendeskTicketStatusUpdate || s == OnSalesforceCaseCreate
		if got := TaskRequired(s); got != want {
			t.Errorf("TaskRequired(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestValidateActions(t *testing.T) {
	tests := []struct {
		name    string
		source  string
		actions []string
		wantErr string
	}{
		{"zendesk task", OnZendeskTicketCreate, []string{"CREATE_TASK"}, ""},
		{"zendesk task and category", OnZendeskTicketCreate, []string{"ASSIGN_CONTACT_CATEGORY", "CREATE_TASK"}, ""},
		{"zendesk eventbridge", OnZendeskTicketCreate, []string{"CREATE_TASK", "ASSIGN_CONTACT_CATEGORY", "GENERATE_EVENTBRIDGE_EVENT"}, "Actions[2].ActionType: GENERATE_EVENTBRIDGE_EVENT is not allowed for OnZendeskTicketCreate"},
		{"zendesk without task", OnZendeskTicketStatusUpdate, []string{"ASSIGN_CONTACT_CATEGORY"}, "Actions: OnZendeskTicketStatusUpdate requires a CREATE_TASK action"},
		{"salesforce without actions", OnSalesforceCaseCreate, nil, "requires a CREATE_TASK action"},
		{"unknown action", OnPostCallAnalysisAvailable, []string{"CREATE_TASK", "PAGE_SOMEONE"}, `Actions[1].ActionType: unknown action type "PAGE_SOMEONE"`},
		{"post-call everything it allows", OnPostCallAnalysisAvailable, []string{"ASSIGN_CONTACT_CATEGORY", "GENERATE_EVENTBRIDGE_EVENT", "SEND_NOTIFICATION", "CREATE_TASK", "CREATE_CASE", "SUBMIT_AUTO_EVALUATION"}, ""},
		{"real-time cannot create cases", OnRealTimeCallAnalysisAvailable, []string{"CREATE_CASE"}, "Actions[0].ActionType: CREATE_CASE is not allowed for OnRealTimeCallAnalysisAvailable"},
		{"email notification and category", OnEmailAnalysisAvailable, []string{"SEND_NOTIFICATION", "ASSIGN_CONTACT_CATEGORY"}, ""},
		{"email cannot create cases", OnEmailAnalysisAvailable, []string{"CREATE_CASE"}, "CREATE_CASE is not allowed for OnEmailAnalysisAvailable"},
		{"case update ends tasks", OnCaseUpdate, []string{"UPDATE_CASE", "END_ASSOCIATED_TASKS", "ASSIGN_SLA"}, ""},
		{"case create cannot end tasks", OnCaseCreate, []string{"END_ASSOCIATED_TASKS"}, "END_ASSOCIATED_TASKS is not allowed for OnCaseCreate"},
		{"evaluation cannot categorise", OnContactEvaluationSubmit, []string{"ASSIGN_CONTACT_CATEGORY"}, "ASSIGN_CONTACT_CATEGORY is not allowed for OnContactEvaluationSubmit"},
		{"metrics notify", OnMetricDataUpdate, []string{"SEND_NOTIFICATION", "GENERATE_EVENTBRIDGE_EVENT"}, ""},
		{"unknown source", "OnNothing", []string{"CREATE_TASK"}, `EventSourceName: unknown event source "OnNothing"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateActions(tt.source, tt.actions)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ValidateActions: %v", err)
				}
				return
			}
			var e *Error
			if err == nil || !errors.As(err, &e) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ValidateActions = %v, want *Error containing %q", err, tt.wantErr)
			}
		})
	}
}

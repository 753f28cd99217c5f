package rules

import "slices"

// Action types: the ActionType enum of the connect-2017-08-08 model.
const (
	ActionCreateTask               = "CREATE_TASK"
	ActionAssignContactCategory    = "ASSIGN_CONTACT_CATEGORY"
	ActionGenerateEventBridgeEvent = "GENERATE_EVENTBRIDGE_EVENT"
	ActionSendNotification         = "SEND_NOTIFICATION"
	ActionCreateCase               = "CREATE_CASE"
	ActionUpdateCase               = "UPDATE_CASE"
	ActionAssignSLA                = "ASSIGN_SLA"
	ActionEndAssociatedTasks       = "END_ASSOCIATED_TASKS"
	ActionSubmitAutoEvaluation     = "SUBMIT_AUTO_EVALUATION"
)

// actionSources says which event sources each action type fits.
//
// Source: API_RuleAction (the RuleAction member docs in the connect-2017-08-08 model),
// "Supported only for TriggerEventSource values: ..." on EventBridgeAction,
// AssignContactCategoryAction, SendNotificationAction, CreateCaseAction,
// UpdateCaseAction and EndAssociatedTasksAction.
//
// Decisions where the docs are silent:
//   - OnEmailAnalysisAvailable (added 2026-04-16) is in none of those lists, which
//     predate it. The e-mail analysis output file carries Categories with
//     EventSource "OnEmailAnalysisAvailable", and the admin guide's conversational
//     analytics rules (categorise, task, EventBridge, e-mail notification) cover call,
//     chat and e-mail; so e-mail gets the conversational analytics actions except
//     CREATE_CASE (explicitly listed for post-call and post-chat only).
//   - CREATE_TASK has no restriction in the model (TaskAction is only *required* for
//     the Zendesk and Salesforce sources): every source allows it.
//   - ASSIGN_SLA has no restriction in the model; its only SlaAssignmentType is CASES,
//     so it goes with the case sources (OnCaseCreate, OnCaseUpdate).
//   - SUBMIT_AUTO_EVALUATION has no restriction in the model; automated evaluations
//     are filled from post-contact analysis, so it goes with OnPostCallAnalysisAvailable
//     and OnPostChatAnalysisAvailable.
func actionSources() map[string][]string {
	conversational := []string{OnPostCallAnalysisAvailable, OnRealTimeCallAnalysisAvailable,
		OnRealTimeChatAnalysisAvailable, OnPostChatAnalysisAvailable, OnEmailAnalysisAvailable}
	return map[string][]string{
		ActionCreateTask:               EventSources(),
		ActionAssignContactCategory:    append(slices.Clone(conversational), OnZendeskTicketCreate, OnZendeskTicketStatusUpdate, OnSalesforceCaseCreate),
		ActionGenerateEventBridgeEvent: append(slices.Clone(conversational), OnContactEvaluationSubmit, OnMetricDataUpdate),
		ActionSendNotification:         append(slices.Clone(conversational), OnContactEvaluationSubmit, OnMetricDataUpdate),
		ActionCreateCase:               {OnPostCallAnalysisAvailable, OnPostChatAnalysisAvailable},
		ActionUpdateCase:               {OnCaseCreate, OnCaseUpdate},
		ActionAssignSLA:                {OnCaseCreate, OnCaseUpdate},
		ActionEndAssociatedTasks:       {OnCaseUpdate},
		ActionSubmitAutoEvaluation:     {OnPostCallAnalysisAvailable, OnPostChatAnalysisAvailable},
	}
}

// ActionTypes lists every action type, in the model's order.
func ActionTypes() []string {
	return []string{ActionCreateTask, ActionAssignContactCategory, ActionGenerateEventBridgeEvent,
		ActionSendNotification, ActionCreateCase, ActionUpdateCase, ActionAssignSLA,
		ActionEndAssociatedTasks, ActionSubmitAutoEvaluation}
}

// AllowedActions returns the action types an event source allows, in the model's
// order; nil for an unknown event source.
func AllowedActions(eventSource string) []string {
	if !knownSource(eventSource) {
		return nil
	}
	table := actionSources()
	var out []string
	for _, a := range ActionTypes() {
		if slices.Contains(table[a], eventSource) {
			out = append(out, a)
		}
	}
	return out
}

// TaskRequired says whether rules on the event source must create a task: the model
// says TaskAction "is required if TriggerEventSource is one of the following values:
// OnZendeskTicketCreate | OnZendeskTicketStatusUpdate | OnSalesforceCaseCreate".
func TaskRequired(eventSource string) bool {
	switch eventSource {
	case OnZendeskTicketCreate, OnZendeskTicketStatusUpdate, OnSalesforceCaseCreate:
		return true
	}
	return false
}

// ValidateActions checks a rule's action types against its event source. It returns an
// *Error naming the first unknown or disallowed action, e.g.
// "Actions[2].ActionType: GENERATE_EVENTBRIDGE_EVENT is not allowed for
// OnZendeskTicketCreate", or, for the sources that require a task, saying that no
// CREATE_TASK action is present. Decision: the required TaskAction is read as "the
// rule must contain a CREATE_TASK action"; other actions may sit beside it.
func ValidateActions(eventSource string, actionTypes []string) error {
	if !knownSource(eventSource) {
		return errorf("EventSourceName", "unknown event source %q", eventSource)
	}
	allowed := AllowedActions(eventSource)
	for i, a := range actionTypes {
		path := sprintf("Actions[%d].ActionType", i)
		if !slices.Contains(ActionTypes(), a) {
			return errorf(path, "unknown action type %q", a)
		}
		if !slices.Contains(allowed, a) {
			return errorf(path, "%s is not allowed for %s", a, eventSource)
		}
	}
	if TaskRequired(eventSource) && !slices.Contains(actionTypes, ActionCreateTask) {
		return errorf("Actions", "%s requires a %s action with a TaskAction", eventSource, ActionCreateTask)
	}
	return nil
}

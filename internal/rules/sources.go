package rules

import "slices"

// Event source names: the EventSourceName enum of the connect-2017-08-08 model
// (RuleTriggerEventSource.EventSourceName).
const (
	OnPostCallAnalysisAvailable      = "OnPostCallAnalysisAvailable"
	OnRealTimeCallAnalysisAvailable  = "OnRealTimeCallAnalysisAvailable"
	OnRealTimeChatAnalysisAvailable  = "OnRealTimeChatAnalysisAvailable"
	OnPostChatAnalysisAvailable      = "OnPostChatAnalysisAvailable"
	OnEmailAnalysisAvailable         = "OnEmailAnalysisAvailable"
	OnZendeskTicketCreate            = "OnZendeskTicketCreate"
	OnZendeskTicketStatusUpdate      = "OnZendeskTicketStatusUpdate"
	OnSalesforceCaseCreate           = "OnSalesforceCaseCreate"
	OnContactEvaluationSubmit        = "OnContactEvaluationSubmit"
	OnMetricDataUpdate               = "OnMetricDataUpdate"
	OnCaseCreate                     = "OnCaseCreate"
	OnCaseUpdate                     = "OnCaseUpdate"
	OnSlaBreach                      = "OnSlaBreach"
	OnAlertUpdate                    = "OnAlertUpdate"
	OnSchedulePublish                = "OnSchedulePublish"
	OnScheduleUpdate                 = "OnScheduleUpdate"
	OnScheduleTimeOffRequestActivity = "OnScheduleTimeOffRequestActivity"
)

// EventSources lists every event source name, in the model's order.
func EventSources() []string {
	return []string{
		OnPostCallAnalysisAvailable, OnRealTimeCallAnalysisAvailable, OnRealTimeChatAnalysisAvailable,
		OnPostChatAnalysisAvailable, OnEmailAnalysisAvailable, OnZendeskTicketCreate,
		OnZendeskTicketStatusUpdate, OnSalesforceCaseCreate, OnContactEvaluationSubmit,
		OnMetricDataUpdate, OnCaseCreate, OnCaseUpdate, OnSlaBreach, OnAlertUpdate,
		OnSchedulePublish, OnScheduleUpdate, OnScheduleTimeOffRequestActivity,
	}
}

// catalog returns the documented ComparisonValues of an event source. documented is
// false for the sources without a conditions page (the "Conditions" page lists none for
// OnRealTimeChatAnalysisAvailable, OnAlertUpdate and the three schedule sources): for
// them any $. path is accepted (see genericSpec). The tables are rebuilt on each call
// so that the package holds no mutable state.
func catalog(source string) (specs []spec, documented bool) {
	switch source {
	case OnPostCallAnalysisAvailable:
		return postCallSpecs(), true
	case OnRealTimeCallAnalysisAvailable:
		return realTimeCallSpecs(), true
	case OnPostChatAnalysisAvailable:
		return postChatSpecs(), true
	case OnEmailAnalysisAvailable:
		return emailSpecs(), true
	case OnContactEvaluationSubmit:
		return evaluationSpecs(), true
	case OnMetricDataUpdate:
		return metricSpecs(), true
	case OnCaseCreate, OnCaseUpdate:
		return caseSpecs(), true
	case OnSlaBreach:
		return slaBreachSpecs(), true
	case OnZendeskTicketCreate:
		return zendeskSpecs("$.ThirdParty.Zendesk.TicketCreate."), true
	case OnZendeskTicketStatusUpdate:
		// Decision: the OnZendeskTicketStatusUpdate page names
		// $.ThirdParty.Zendesk.StatusUpdate.*, the variable-injection page names
		// $.ThirdParty.Zendesk.TicketStatusUpdate.*; both spellings are accepted.
		return append(zendeskSpecs("$.ThirdParty.Zendesk.StatusUpdate."),
			zendeskSpecs("$.ThirdParty.Zendesk.TicketStatusUpdate.")...), true
	case OnSalesforceCaseCreate:
		return salesforceSpecs(), true
	}
	return nil, false
}

// knownSource says whether name is in the EventSourceName enum.
func knownSource(name string) bool { return slices.Contains(EventSources(), name) }

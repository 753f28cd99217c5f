package rules

import (
	"errors"
	"strings"
	"testing"
)

const (
	pc  = "$.ContactLens.PostCall."
	rtc = "$.ContactLens.RealTimeCall."
	pch = "$.ContactLens.PostChat."
	em  = "$.ContactLens.Email."
	ev  = "$.ContactLens.ContactEvaluation."
	md  = "$.MetricData."
	cf  = "$.Case.Fields."
	zc  = "$.ThirdParty.Zendesk.TicketCreate."
	sf  = "$.ThirdParty.Salesforce.CaseCreate."

	arn      = "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555"
	agentID  = "12345678-1234-1234-1234-EXAMPLEID012"
	queueID  = "11111111-1234-5678-9123-123456789012"
	formID   = "11111111-1234-5678-9123-12345678012"
	statusID = "ee8c71b9-49c2-4d00-ab6d-244f2d9a5c58"
)

// Frequently used filters.
const (
	customer = `"FilterClause":{"LogicOperator":"AND","Filters":[{"Type":"ParticipantRole","Data":"CUSTOMER"}]}`
	queues   = `{"Type":"MetricDataFilterByQueue","Data":["q-sales","q-support"]}`
	voice    = `{"Type":"MetricDataFilterByChannel","Data":["VOICE"]}`
	byQueue  = `"FilterClause":{"LogicOperator":"AND","Filters":[` + queues + `]}`
)

// byQueueDur is byQueue with a MetricDataDurationSeconds window.
func byQueueDur(past string) string {
	return filters(queues, f("MetricDataDurationSeconds", `{"Past":`+past+`}`))
}

// metricRule is an OnMetricDataUpdate function: groups under an OR, with an optional
// MetricDataGrouping on the top level.
func metricRule(grouping string, groups ...string) string {
	top := `"Operator":"OR","Operands":[` + strings.Join(groups, ",") + `]`
	if grouping != "" {
		top += `,` + filters(f("MetricDataGrouping", `["`+grouping+`"]`))
	}
	return `{"Version":"2022-11-25","RuleFunction":{` + top + `}}`
}

// pattern is a PatternMatch operand list from raw pattern objects.
func pattern(operands ...string) string { return "[" + strings.Join(operands, ",") + "]" }

func plain(s string) string { return `{"Type":"PLAIN","Value":"` + s + `"}` }
func prox(d string, within bool) string {
	w := "false"
	if within {
		w = "true"
	}
	return `{"Type":"PROXIMITY","Value":{"Distance":` + d + `,"IsWithin":` + w + `}}`
}

func TestFunctions(t *testing.T) {
	tests := []struct {
		name    string
		source  string
		fn      string
		wantErr string // substring of the *Error text; "" means Parse must succeed
		want    bool   // Match against testdata/events/<source>.json
	}{
		// Document structure.
		{"invalid JSON", OnPostCallAnalysisAvailable, `{`, "Function: is not valid JSON", false},
		{"not an object", OnPostCallAnalysisAvailable, `[]`, "Function: must be a JSON object", false},
		{"trailing data", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `["a"]`)) + `{}`, "Function: is not valid JSON", false},
		{"wrong version", OnPostCallAnalysisAvailable, `{"Version":"2023-01-01","RuleFunction":` + group("AND", cond("CONTAINS_ANY", pc+"Agent.AgentId", `["a"]`)) + `}`, `Version: must be "2022-11-25"`, false},
		{"missing version", OnPostCallAnalysisAvailable, `{"RuleFunction":` + group("AND", cond("CONTAINS_ANY", pc+"Agent.AgentId", `["a"]`)) + `}`, "Version: must be", false},
		{"unknown top-level key", OnPostCallAnalysisAvailable, `{"Version":"2022-11-25","Rule":{}}`, "Rule: unknown key", false},
		{"missing RuleFunction", OnPostCallAnalysisAvailable, `{"Version":"2022-11-25"}`, "RuleFunction: is required", false},
		{"unknown event source", "OnSomething", and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `["a"]`)), `EventSourceName: unknown event source "OnSomething"`, false},
		{"top-level operator must be AND or OR", OnPostCallAnalysisAvailable, `{"Version":"2022-11-25","RuleFunction":` + cond("CONTAINS_ANY", pc+"Agent.AgentId", `["a"]`) + `}`, "RuleFunction.Operator: the top-level operator must be AND or OR", false},
		{"unknown operator", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `["a"]`), cond("STARTS", pc+"Agent.AgentId", `["a"]`)), `RuleFunction.Operands[1].Operator: unknown operator "STARTS"`, false},
		{"missing operator", OnPostCallAnalysisAvailable, and(`{"ComparisonValue":"` + pc + `Agent.AgentId","Operands":["a"]}`), "RuleFunction.Operands[0].Operator: is required", false},
		{"empty group", OnPostCallAnalysisAvailable, and(), "RuleFunction.Operands: must be a non-empty list", false},
		{"unknown condition key", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `["a"]`, `"Comparison":1`)), "RuleFunction.Operands[0].Comparison: unknown key", false},
		{"missing ComparisonValue", OnPostCallAnalysisAvailable, and(`{"Operator":"CONTAINS_ANY","Operands":["a"]}`), "RuleFunction.Operands[0].ComparisonValue: is required", false},
		{"ComparisonValue not a JSONPath", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", "ContactLens.PostCall.Agent.AgentId", `["a"]`)), "is not a valid JSONPath", false},
		{"ComparisonValue of another source", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `["a"]`)), `RuleFunction.Operands[0].ComparisonValue: "$.ContactLens.PostCall.Agent.AgentId" is not a ComparisonValue of OnEmailAnalysisAvailable`, false},
		{"keyed path without its key", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"ContactAttribute", `["a"]`)), "is not a ComparisonValue of OnPostCallAnalysisAvailable", false},
		{"operator not allowed for path", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"Agent.AgentId", `["a"]`)), `RuleFunction.Operands[0].Operator: operator "EQUALS" is not allowed for $.ContactLens.PostCall.Agent.AgentId (allowed: CONTAINS_ANY)`, false},
		{"EQUALS takes one operand", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"ContactAttribute.tier", `["a","b"]`)), "RuleFunction.Operands[0].Operands: EQUALS takes exactly 1 operand, got 2", false},
		{"EQUALS needs an operand", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"ContactAttribute.tier", `[]`)), "EQUALS takes exactly 1 operand, got 0", false},
		{"EQUALS empty string", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"ContactAttribute.tier", `[""]`)), "Operands[0]: must not be empty", false},
		{"CONTAINS_ANY needs operands", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `[]`)), "CONTAINS_ANY needs at least one operand", false},
		{"operands must be a list", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `"a"`)), "Operands: is required and must be a list", false},
		{"string operand", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `[1]`)), "Operands[0]: must be a string", false},
		{"enum value", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"InitiationMethod", `["INBOUND","TRANSFER"]`)), `RuleFunction.Operands[0].Operands[1]: "TRANSFER" is not a valid value for $.ContactLens.Email.InitiationMethod (allowed: INBOUND, OUTBOUND, AGENT_REPLY, FLOW)`, false},
		{"email disconnect reason enum", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"DisconnectReason", `["TELECOM_BUSY"]`)), `"TELECOM_BUSY" is not a valid value`, false},
		{"number operand type", OnEmailAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", em+"Agent.AfterContactWorkDurationSecs", `["30"]`)), "Operands[0]: must be a number", false},
		{"number operand negative", OnEmailAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", em+"Agent.AfterContactWorkDurationSecs", `[-1]`)), "must be an integer of at least 0", false},
		{"number operand fraction", OnEmailAnalysisAvailable, and(cond("NumberLessOrEqualTo", em+"Agent.AfterContactWorkDurationSecs", `[1.5]`)), "must be an integer of at least 0", false},
		{"number operand count", OnEmailAnalysisAvailable, and(cond("NumberLessOrEqualTo", em+"Agent.AfterContactWorkDurationSecs", `[1,2]`)), "NumberLessOrEqualTo takes exactly 1 operand, got 2", false},
		{"minimum value 1", OnEmailAnalysisAvailable, and(cond("NumberLessOrEqualTo", em+"Agent.AgentInteractionDurationSecs", `[0]`)), "must be an integer of at least 1", false},
		{"percentage range", OnPostCallAnalysisAvailable, and(cond("NumberLessOrEqualTo", pc+"Agent.NonTalkTimePct", `[101]`)), "must be an integer between 0 and 100", false},
		{"sentiment range", OnPostCallAnalysisAvailable, and(cond("NumberLessOrEqualTo", pc+"Sentiment.OverallScore", `[-6]`)), "must be an integer between -5 and 5", false},
		{"negate type", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `["a"]`, `"Negate":"yes"`)), "RuleFunction.Operands[0].Negate: must be true or false", false},
		{"filter logic operator", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["refund"]`, `"FilterClause":{"LogicOperator":"OR","Filters":[`+f("ParticipantRole", `"AGENT"`)+`]}`)), `FilterClause.LogicOperator: must be "AND"`, false},
		{"empty filters", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["refund"]`, filters())), "FilterClause.Filters: must be a non-empty list", false},
		{"filter of another channel", OnPostChatAnalysisAvailable, and(cond("CONTAINS_ANY", pch+"ExactMatch.Transcript", `["refund"]`, filters(f("PostCallContactPeriodSeconds", `{"First":10}`)))), `RuleFunction.Operands[0].FilterClause.Filters[0].Type: filter type "PostCallContactPeriodSeconds" is not allowed here`, false},
		{"filter on a condition without filters", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `["a"]`, customer)), "this condition takes no filters", false},
		{"participant role value", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["refund"]`, role("BOT"))), "Filters[0].Data: must be one of CUSTOMER, AGENT, ANY", false},
		{"period needs First or Last", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["refund"]`, filters(f("PostCallContactPeriodSeconds", `{"First":10,"Last":10}`)))), `must have exactly one of "First" or "Last"`, false},
		{"period seconds positive", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["refund"]`, filters(f("PostCallContactPeriodSeconds", `{"First":0}`)))), "First must be a number greater than 0", false},
		{"duplicate filter", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["refund"]`, filters(f("ParticipantRole", `"AGENT"`), f("ParticipantRole", `"CUSTOMER"`)))), `Filters[1].Type: duplicate filter type "ParticipantRole"`, false},
		{"filter needs data", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["refund"]`, filters(`{"Type":"ParticipantRole"}`))), "Filters[0].Data: is required", false},
		{"talk time needs a role", OnPostCallAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", pc+"TalkTime.TotalTimeSecs", `[60]`)), "FilterClause: a ParticipantRole filter is required for $.ContactLens.PostCall.TalkTime.TotalTimeSecs", false},
		{"talk time role is AGENT or CUSTOMER", OnPostCallAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", pc+"TalkTime.TotalTimeSecs", `[60]`, role("ANY"))), "must be one of AGENT, CUSTOMER", false},
		{"AI agent needs a use case", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"AiAgent.IdWithVersion", `["x"]`)), "a AiAgentUseCase filter is required", false},
		{"AI agent use case value", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"AiAgent.IdWithVersion", `["x"]`, filters(f("AiAgentUseCase", `{"Value":"Other"}`)))), `must be {"Value": "SelfService"}`, false},
		{"text operand needs a word", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["!!!"]`)), "must contain at least one word", false},
		{"pattern operand is an array", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", `["cancel"]`)), "Operands[0]: must be a non-empty array of pattern match objects", false},
		{"pattern type", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", `[[{"Type":"REGEX","Value":"x"}]]`)), "Operands[0][0].Type: must be PLAIN, LIST, PROXIMITY or NUMERICAL", false},
		{"pattern starts with proximity", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(prox("2", true), plain("cancel"))))), "PROXIMITY must stand between two terms", false},
		{"pattern ends with proximity", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(plain("cancel"), prox("2", true))))), "must not end with PROXIMITY", false},
		{"pattern list holds plain", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(`{"Type":"LIST","Value":[{"Type":"NUMERICAL","Value":{"Decimal":true}}]}`)))), "a LIST holds only PLAIN objects", false},
		{"pattern language", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(plain("cancel"))), filters(f("PatternMatchLanguageFilter", `"EN-US"`)))), "must be one of EN, ES", false},
		{"group filter clause outside metrics", OnPostCallAnalysisAvailable, `{"Version":"2022-11-25","RuleFunction":{"Operator":"AND","Operands":[` + cond("CONTAINS_ANY", pc+"Agent.AgentId", `["a"]`) + `],` + filters(f("MetricDataGrouping", `["QUEUE"]`)) + `}}`, "RuleFunction.FilterClause: is allowed on an AND/OR only for OnMetricDataUpdate", false},
		{"zendesk enum", OnZendeskTicketCreate, and(cond("EQUALS", zc+"Priority", `["critical"]`)), `"critical" is not a valid value`, false},
		{"zendesk tags take CONTAINS", OnZendeskTicketCreate, and(cond("EQUALS", zc+"Tags", `["vip"]`)), `operator "EQUALS" is not allowed`, false},
		{"case date operand", OnCaseCreate, and(cond("NumberLessOrEqualTo", cf+"created_datetime", `["yesterday"]`)), "must be a number or an RFC 3339 date-time", false},
		{"evaluation queue is EQUALS only", OnContactEvaluationSubmit, and(cond("CONTAINS_ANY", ev+"Queue.QueueId", `["q"]`)), `operator "CONTAINS_ANY" is not allowed`, false},
		{"undocumented source path syntax", OnRealTimeChatAnalysisAvailable, and(cond("EQUALS", "$.Foo..Bar", `["x"]`)), "is not a valid JSONPath", false},
		{"undocumented source filter type", OnRealTimeChatAnalysisAvailable, and(cond("EQUALS", "$.Foo.Bar", `["x"]`, filters(f("Colour", `"red"`)))), `filter type "Colour" is not allowed here`, false},

		// Metric structure.
		{"metric needs an end dimension", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[1]`, filters(voice)))), "needs exactly one end dimension filter", false},
		{"metric needs a window", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"AVG_HANDLE_TIME", `[1]`, byQueue))), "AVG_HANDLE_TIME needs a MetricDataDurationSeconds filter", false},
		{"metric needs a threshold", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberLessOrEqualTo", md+"SERVICE_LEVEL", `[50]`, byQueueDur("300")))), "SERVICE_LEVEL needs a MetricDataThresholdSeconds filter", false},
		{"metric condition directly under the top level", OnMetricDataUpdate, and(cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[1]`, byQueue)), "RuleFunction.Operands[0]: must be a metric group", false},
		{"at most two metric groups", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[1]`, byQueue)), group("AND", cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[1]`, byQueue)), group("AND", cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[1]`, byQueue))), "holds at most 2 metric groups, got 3", false},
		{"metric grouping support", OnMetricDataUpdate, metricRule("QUEUE", group("AND", cond("NumberGreaterOrEqualTo", md+"AGENT_OCCUPANCY", `[80]`, filters(f("MetricDataFilterByAgent", `["agent-1"]`), f("MetricDataDurationSeconds", `{"Past":100}`))))), "AGENT_OCCUPANCY does not support the QUEUE end dimension", false},
		{"metric group shares its end dimension", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[1]`, byQueue), cond("NumberGreaterOrEqualTo", md+"AGENTS_AVAILABLE", `[1]`, filters(f("MetricDataFilterByQueue", `["q-sales"]`))))), "Operands[0].Operands[1].FilterClause: all conditions of a metric group need the same end dimension filter", false},
		{"metric group shares its window", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"AVG_HANDLE_TIME", `[1]`, byQueueDur("300")), cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[1]`, byQueue))), "need the same metric window", false},
		{"metric window under 24 hours", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"AVG_HANDLE_TIME", `[1]`, byQueueDur("86400")))), "Past must be a number greater than 0 and less than 86400", false},
		{"metric channel not for occupancy", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"AGENT_OCCUPANCY", `[80]`, filters(f("MetricDataFilterByAgent", `["agent-1"]`), f("MetricDataDurationSeconds", `{"Past":100}`), voice)))), `filter type "MetricDataFilterByChannel" is not allowed here`, false},
		{"metric grouping on a group", OnMetricDataUpdate, `{"Version":"2022-11-25","RuleFunction":{"Operator":"OR","Operands":[{"Operator":"AND","Operands":[` + cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[1]`, byQueue) + `],` + filters(f("MetricDataGrouping", `["QUEUE"]`)) + `}]}}`, "MetricDataGrouping belongs on the top-level operator", false},
		{"metric grouping value", OnMetricDataUpdate, metricRule("CHANNEL", group("AND", cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[1]`, byQueue))), `has "CHANNEL"; allowed: AGENT, QUEUE, ROUTING_PROFILE, FLOW`, false},
		{"unknown metric", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"CALLS_PER_HOUR", `[1]`, byQueue))), "is not a ComparisonValue of OnMetricDataUpdate", false},
		{"hierarchy filter takes one value", OnMetricDataUpdate, metricRule("", group("AND", cond("EQUALS", md+"AGENT_ACTIVITY", `["x"]`, filters(f("MetricDataFilterByAgentHierarchyLevelOne", `["a","b"]`), f("AgentActivityDurationSeconds", `{"Past":60}`))))), "must be a list of exactly 1 string", false},

		// OnPostCallAnalysisAvailable.
		{"doc example: refund by customer in queue", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["refund"]`, customer, `"Negate":false`), cond("CONTAINS_ANY", pc+"Queue.QueueId", `["`+queueID+`"]`, `"Negate":false`)), "", true},
		{"words are case-insensitive", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["REFUND"]`, customer)), "", true},
		{"whole words only", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["refunds","arrive"]`)), "", false},
		{"phrase", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["premium account"]`)), "", true},
		{"phrase order matters", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["account premium"]`)), "", false},
		{"role filter excludes the other party", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["broken"]`, role("AGENT"))), "", false},
		{"role ANY", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["broken"]`, role("ANY"))), "", true},
		{"negate words", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["broken"]`, customer, negated)), "", false},
		{"negate words not said", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["lawyer"]`, negated)), "", true},
		{"first seconds", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["refund"]`, filters(f("PostCallContactPeriodSeconds", `{"First":15}`), f("ParticipantRole", `"CUSTOMER"`)))), "", true},
		{"first seconds miss", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["cancel"]`, filters(f("PostCallContactPeriodSeconds", `{"First":15}`)))), "", false},
		{"last seconds", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["cancel"]`, filters(f("PostCallContactPeriodSeconds", `{"Last":20}`)))), "", true},
		{"last seconds miss", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"ExactMatch.Transcript", `["refund"]`, filters(f("PostCallContactPeriodSeconds", `{"Last":20}`)))), "", false},
		{"semantic transcript", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"SemanticMatch.Transcript", `["arrived broken"]`, customer)), "", true},
		{"semantic phrase", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"SemanticMatch.Phrase", `["customer asked for a REFUND of a damaged item"]`)), "", true},
		{"semantic phrase negated", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"SemanticMatch.Phrase", `["Customer praised the agent."]`, negated)), "", true},
		{"pattern proximity within", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(plain("cancel"), prox("2", true), plain("account"))))), "", true},
		{"pattern proximity too far", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(plain("cancel"), prox("1", true), plain("account"))))), "", false},
		{"pattern proximity not within", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(plain("cancel"), prox("1", false), plain("account"))))), "", true},
		{"pattern adjacent terms", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(plain("cancel"), plain("account"))))), "", false},
		{"pattern list", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(`{"Type":"LIST","Value":[`+plain("close")+`,`+plain("cancel")+`]}`, prox("3", true), plain("account"))), customer)), "", true},
		{"pattern decimal number", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(plain("credit is"), `{"Type":"NUMERICAL","Value":{"Decimal":true}}`)))), "", true},
		{"pattern whole number only", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(plain("credit is"), `{"Type":"NUMERICAL","Value":{"Decimal":false}}`)))), "", false},
		{"pattern order number", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(plain("order"), `{"Type":"NUMERICAL","Value":{"Decimal":false}}`)), customer)), "", true},
		{"pattern language of the contact", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(plain("refund"))), filters(f("PatternMatchLanguageFilter", `"EN"`)))), "", true},
		{"pattern other language", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"PatternMatch.Transcript", pattern(pattern(plain("refund"))), filters(f("PatternMatchLanguageFilter", `"ES"`)))), "", false},
		{"initiation method", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"InitiationMethod", `["OUTBOUND","INBOUND"]`)), "", true},
		{"initiation method miss", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"InitiationMethod", `["CALLBACK"]`)), "", false},
		{"disconnect reason", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"DisconnectReason", `["CUSTOMER_DISCONNECT"]`)), "", true},
		{"hierarchy group", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.HierarchyGroup.ARN", `["`+arn+`/agent-group/hg-tier1"]`)), "", true},
		{"routing profile", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.RoutingProfile", `["`+arn+`/routing-profile/rp-other"]`)), "", false},
		{"agent", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `["`+agentID+`"]`)), "", true},
		{"ids compare exactly", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"Agent.AgentId", `["12345678-1234-1234-1234-exampleid012"]`)), "", false},
		{"no queue", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"Queue.QueueId", `[]`)), "", false},
		{"no queue negated", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"Queue.QueueId", `[]`, negated)), "", true},
		{"potential disconnect issue: no value", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"PotentialDisconnectIssue", `[]`)), "", true},
		{"contact attribute", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"ContactAttribute.tier", `["gold"]`)), "", true},
		{"contact attribute exact case", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"ContactAttribute.tier", `["Gold"]`)), "", false},
		{"contact attribute bracket key", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"ContactAttribute['region']", `["EU"]`)), "", true},
		{"missing contact attribute negated", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"ContactAttribute.plan", `["basic"]`, negated)), "", true},
		{"segment attribute", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"SegmentAttributes.UserDefined.priority", `["high","urgent"]`)), "", true},
		{"segment attribute doc form", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"SegmentAttributes.UserDefined.[priority]", `["low"]`)), "", false},
		{"non-talk time pct", OnPostCallAnalysisAvailable, and(cond("NumberLessOrEqualTo", pc+"Agent.NonTalkTimePct", `[20]`)), "", true},
		{"talk time agent", OnPostCallAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", pc+"TalkTime.TotalTimeSecs", `[130]`, role("AGENT"))), "", true},
		{"talk time customer", OnPostCallAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", pc+"TalkTime.TotalTimeSecs", `[130]`, customer)), "", false},
		{"loudness any party", OnPostCallAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", pc+"Loudness.HighestLoudnessScore", `[70]`)), "", true},
		{"loudness agent", OnPostCallAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", pc+"Loudness.HighestLoudnessScore", `[70]`, role("AGENT"))), "", false},
		{"sentiment state customer", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"Sentiment.State", `["NEGATIVE"]`, customer)), "", true},
		{"sentiment state agent", OnPostCallAnalysisAvailable, and(cond("EQUALS", pc+"Sentiment.State", `["NEGATIVE"]`, role("AGENT"))), "", false},
		{"sentiment overall", OnPostCallAnalysisAvailable, and(cond("NumberLessOrEqualTo", pc+"Sentiment.OverallScore", `[-2]`, customer)), "", true},
		{"sentiment score shift", OnPostCallAnalysisAvailable, and(group("AND", cond("NumberGreaterOrEqualTo", pc+"Sentiment.Score.Beginning", `[1]`, customer), cond("NumberLessOrEqualTo", pc+"Sentiment.Score.End", `[-2]`, customer))), "", true},
		{"sentiment score shift agent", OnPostCallAnalysisAvailable, and(group("AND", cond("NumberGreaterOrEqualTo", pc+"Sentiment.Score.Beginning", `[1]`, role("AGENT")), cond("NumberLessOrEqualTo", pc+"Sentiment.Score.End", `[-2]`, role("AGENT")))), "", false},
		{"hold count", OnPostCallAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", pc+"Agent.NumberOfHolds", `[2]`), cond("NumberLessOrEqualTo", pc+"NonTalkTime.LongestTimeSecs", `[15]`), cond("NumberGreaterOrEqualTo", pc+"Interruptions.Instances", `[3]`)), "", true},
		{"AI agent self service", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"AiAgent.IdWithVersion", `["30682191-2312-4c27-9fc1-752e7a399d52:1","30682191-2312-4c27-9fc1-752e7a399d52:2"]`, filters(f("AiAgentUseCase", `{"Value":"SelfService"}`), f("AiAgentEscalatedToHuman", `"TRUE"`)))), "", true},
		{"AI agent other use case", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"AiAgent.IdWithVersion", `["30682191-2312-4c27-9fc1-752e7a399d52:2"]`, filters(f("AiAgentUseCase", `{"Value":"AgentAssistance"}`)))), "", false},
		{"AI agent not escalated", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"AiAgent.IdWithVersion", `["30682191-2312-4c27-9fc1-752e7a399d52:2"]`, filters(f("AiAgentUseCase", `{"Value":"SelfService"}`), f("AiAgentEscalatedToHuman", `"FALSE"`)))), "", false},
		{"OR of a miss and a hit", OnPostCallAnalysisAvailable, rule("OR", cond("CONTAINS_ANY", pc+"InitiationMethod", `["CALLBACK"]`), cond("CONTAINS_ANY", pc+"Agent.AgentId", `["`+agentID+`"]`)), "", true},
		{"AND with a miss", OnPostCallAnalysisAvailable, and(cond("CONTAINS_ANY", pc+"InitiationMethod", `["CALLBACK"]`), cond("CONTAINS_ANY", pc+"Agent.AgentId", `["`+agentID+`"]`)), "", false},
		{"negated group", OnPostCallAnalysisAvailable, and(`{"Operator":"OR","Negate":true,"Operands":[` + cond("CONTAINS_ANY", pc+"InitiationMethod", `["CALLBACK"]`) + `]}`), "", true},

		// OnRealTimeCallAnalysisAvailable.
		{"real-time words", OnRealTimeCallAnalysisAvailable, and(cond("CONTAINS_ANY", rtc+"ExactMatch.Transcript", `["close my account"]`, customer)), "", true},
		{"real-time doc example without refund", OnRealTimeCallAnalysisAvailable, and(cond("CONTAINS_ANY", rtc+"ExactMatch.Transcript", `["refund"]`, customer), cond("CONTAINS_ANY", rtc+"Queue.QueueId", `["`+queueID+`"]`)), "", false},
		{"real-time period filter is not on words", OnRealTimeCallAnalysisAvailable, and(cond("CONTAINS_ANY", rtc+"ExactMatch.Transcript", `["refund"]`, filters(f("PostCallContactPeriodSeconds", `{"First":1}`)))), "is not allowed here", false},
		{"real-time pattern", OnRealTimeCallAnalysisAvailable, and(cond("CONTAINS_ANY", rtc+"PatternMatch.Transcript", pattern(pattern(plain("charged"), plain("twice"))), customer)), "", true},
		{"real-time sentiment in the last seconds", OnRealTimeCallAnalysisAvailable, and(cond("EQUALS", rtc+"Sentiment.State", `["NEGATIVE"]`, filters(f("ParticipantRole", `"CUSTOMER"`), f("RealTimeCallContactPeriodSeconds", `{"Past":10}`)))), "", true},
		{"real-time earlier sentiment outside the window", OnRealTimeCallAnalysisAvailable, and(cond("EQUALS", rtc+"Sentiment.State", `["NEUTRAL"]`, filters(f("ParticipantRole", `"CUSTOMER"`), f("RealTimeCallContactPeriodSeconds", `{"Past":10}`)))), "", false},
		{"real-time sentiment whole call", OnRealTimeCallAnalysisAvailable, and(cond("EQUALS", rtc+"Sentiment.State", `["NEUTRAL"]`, customer)), "", true},
		{"real-time queue negated", OnRealTimeCallAnalysisAvailable, and(cond("CONTAINS_ANY", rtc+"Queue.QueueId", `["`+queueID+`"]`, negated)), "", false},
		{"real-time attribute", OnRealTimeCallAnalysisAvailable, and(cond("EQUALS", rtc+"ContactAttribute.tier", `["silver"]`), cond("CONTAINS_ANY", rtc+"Agent.AgentId", `["`+agentID+`"]`)), "", true},

		// OnRealTimeChatAnalysisAvailable: no conditions page, any $. path.
		{"undocumented source: words", OnRealTimeChatAnalysisAvailable, and(cond("CONTAINS_ANY", "$.ContactLens.RealTimeChat.ExactMatch.Transcript", `["PARCEL"]`, customer)), "", true},
		{"undocumented source: ids", OnRealTimeChatAnalysisAvailable, and(cond("CONTAINS_ANY", "$.ContactLens.RealTimeChat.Queue.QueueId", `["`+queueID+`"]`)), "", true},
		{"undocumented source: absent path", OnRealTimeChatAnalysisAvailable, and(cond("EQUALS", "$.Anything.At.All", `["x"]`)), "", false},

		// OnPostChatAnalysisAvailable.
		{"chat last seconds", OnPostChatAnalysisAvailable, and(cond("CONTAINS_ANY", pch+"ExactMatch.Transcript", `["manager"]`, filters(f("PostChatContactPeriodSeconds", `{"Last":5}`), f("ParticipantRole", `"CUSTOMER"`)))), "", true},
		{"chat first seconds miss", OnPostChatAnalysisAvailable, and(cond("CONTAINS_ANY", pch+"ExactMatch.Transcript", `["manager"]`, filters(f("PostChatContactPeriodSeconds", `{"First":10}`)))), "", false},
		{"chat first seconds", OnPostChatAnalysisAvailable, and(cond("CONTAINS_ANY", pch+"ExactMatch.Transcript", `["shipping address"]`, filters(f("PostChatContactPeriodSeconds", `{"First":10}`)))), "", true},
		{"chat response time", OnPostChatAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", pch+"ResponseTime.Agent.FirstResponseTimeSecs", `[20]`), cond("NumberLessOrEqualTo", pch+"ResponseTime.Agent.LongestTimeSecs", `[60]`)), "", true},
		{"chat response time miss", OnPostChatAnalysisAvailable, and(cond("NumberLessOrEqualTo", pch+"ResponseTime.Agent.AverageTimeSecs", `[10]`)), "", false},
		{"chat initiation and disconnect", OnPostChatAnalysisAvailable, and(cond("CONTAINS_ANY", pch+"InitiationMethod", `["API"]`), cond("CONTAINS_ANY", pch+"DisconnectReason", `["AGENT_DISCONNECT"]`)), "", true},
		{"chat potential disconnect issue empty", OnPostChatAnalysisAvailable, and(cond("EQUALS", pch+"PotentialDisconnectIssue", `[""]`)), "", true},
		{"chat after contact work zero", OnPostChatAnalysisAvailable, and(cond("NumberLessOrEqualTo", pch+"Agent.AfterContactWorkDurationSecs", `[0]`)), "", true},
		{"chat semantic phrase", OnPostChatAnalysisAvailable, and(cond("EQUALS", pch+"SemanticMatch.Phrase", `["Customer asked to change their shipping address."]`)), "", true},
		{"chat AI agent assistance", OnPostChatAnalysisAvailable, and(cond("CONTAINS_ANY", pch+"AiAgent.IdWithVersion", `["2b81c7d5-85bc-459f-b605-0f5280a4301e"]`, filters(f("AiAgentUseCase", `{"Value":"AgentAssistance"}`), f("AiAgentEscalatedToHuman", `"FALSE"`)))), "", true},
		{"chat sentiment end", OnPostChatAnalysisAvailable, and(cond("NumberLessOrEqualTo", pch+"Sentiment.Score.End", `[-1]`, customer)), "", true},
		{"chat segment attribute", OnPostChatAnalysisAvailable, and(cond("CONTAINS_ANY", pch+"SegmentAttributes.UserDefined.priority", `["high"]`)), "", false},

		// OnEmailAnalysisAvailable.
		{"email initiation method", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"InitiationMethod", `["INBOUND"]`)), "", true},
		{"email initiation method miss", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"InitiationMethod", `["AGENT_REPLY","FLOW"]`)), "", false},
		{"email disconnect reason", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"DisconnectReason", `["TRANSFERRED"]`)), "", true},
		{"email after contact work", OnEmailAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", em+"Agent.AfterContactWorkDurationSecs", `[30]`)), "", true},
		{"email after contact work miss", OnEmailAnalysisAvailable, and(cond("NumberLessOrEqualTo", em+"Agent.AfterContactWorkDurationSecs", `[30]`)), "", false},
		{"email routing profile and hierarchy", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"Agent.RoutingProfile", `["`+arn+`/routing-profile/rp-default"]`), cond("CONTAINS_ANY", em+"Agent.HierarchyGroup.ARN", `["`+arn+`/agent-group/hg-tier1"]`)), "", true},
		{"email segment attribute", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"SegmentAttributes.UserDefined.priority", `["urgent"]`)), "", true},
		{"email agent and queue", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"Agent.AgentId", `["`+agentID+`"]`), cond("CONTAINS_ANY", em+"Queue.QueueId", `["`+queueID+`"]`)), "", true},
		{"email no queue", OnEmailAnalysisAvailable, and(cond("EQUALS", em+"Queue.QueueId", `[]`)), "", false},
		{"email contact attribute", OnEmailAnalysisAvailable, and(cond("EQUALS", em+"ContactAttribute.brand", `["acme"]`)), "", true},
		{"email interaction duration", OnEmailAnalysisAvailable, and(cond("NumberGreaterOrEqualTo", em+"Agent.AgentInteractionDurationSecs", `[600]`)), "", true},
		{"email text from the customer", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"ExactMatch.Text", `["refund","chargeback"]`, customer)), "", true},
		{"email text from the agent", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"ExactMatch.Text", `["refund"]`, role("AGENT"))), "", false},
		{"email text phrase", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"ExactMatch.Text", `["duplicate payment"]`)), "", true},
		{"email text negated", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"ExactMatch.Text", `["charged twice"]`, negated)), "", false},
		{"email has no transcript path", OnEmailAnalysisAvailable, and(cond("CONTAINS_ANY", em+"ExactMatch.Transcript", `["refund"]`)), "is not a ComparisonValue of OnEmailAnalysisAvailable", false},

		// OnContactEvaluationSubmit.
		{"evaluation form score", OnContactEvaluationSubmit, and(cond("EQUALS", ev+"Form.FormId", `["`+formID+`"]`), cond("NumberLessOrEqualTo", ev+"Form.Score", `[80]`)), "", true},
		{"evaluation form score miss", OnContactEvaluationSubmit, and(cond("EQUALS", ev+"Form.FormId", `["`+formID+`"]`), cond("NumberLessOrEqualTo", ev+"Form.Score", `[50]`)), "", false},
		{"evaluation section score", OnContactEvaluationSubmit, and(cond("EQUALS", ev+"Form.FormId", `["`+formID+`"]`), cond("EQUALS", ev+"Section.SectionRefId", `["s1"]`), cond("NumberLessOrEqualTo", ev+"Section.Score", `[50]`)), "", true},
		{"evaluation section score is the section's own", OnContactEvaluationSubmit, and(cond("EQUALS", ev+"Form.FormId", `["`+formID+`"]`), cond("EQUALS", ev+"Section.SectionRefId", `["s2"]`), cond("NumberLessOrEqualTo", ev+"Section.Score", `[50]`)), "", false},
		{"evaluation other section", OnContactEvaluationSubmit, and(cond("EQUALS", ev+"Section.SectionRefId", `["s2"]`), cond("NumberGreaterOrEqualTo", ev+"Section.Score", `[80]`)), "", true},
		{"evaluation numeric answer", OnContactEvaluationSubmit, and(cond("EQUALS", ev+"Form.FormId", `["`+formID+`"]`), group("AND", cond("EQUALS", ev+"Question.QuestionRefId", `["q1"]`), cond("NumberLessOrEqualTo", ev+"Question.Answer.Value", `[5]`))), "", true},
		{"evaluation numeric answer of another question", OnContactEvaluationSubmit, and(cond("EQUALS", ev+"Question.QuestionRefId", `["q2"]`), cond("NumberLessOrEqualTo", ev+"Question.Answer.Value", `[5]`)), "", false},
		{"evaluation single select answer", OnContactEvaluationSubmit, and(cond("EQUALS", ev+"Question.QuestionRefId", `["q2"]`), cond("EQUALS", ev+"Question.Answer.ValueRefId", `["o2"]`)), "", true},
		{"evaluation single select negated", OnContactEvaluationSubmit, and(cond("EQUALS", ev+"Question.QuestionRefId", `["q2"]`), cond("EQUALS", ev+"Question.Answer.ValueRefId", `["o2"]`, negated)), "", false},
		{"evaluation no queue", OnContactEvaluationSubmit, and(cond("EQUALS", ev+"Queue.QueueId", `[]`), cond("CONTAINS_ANY", ev+"InitiationMethod", `["OUTBOUND"]`), cond("CONTAINS_ANY", ev+"Agent.AgentId", `["`+agentID+`"]`)), "", true},

		// OnMetricDataUpdate.
		{"metric contacts in queue", OnMetricDataUpdate, metricRule("QUEUE", group("AND", cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[100]`, filters(queues, voice)))), "", true},
		{"metric channel filter", OnMetricDataUpdate, metricRule("QUEUE", group("AND", cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[100]`, filters(queues, f("MetricDataFilterByChannel", `["CHAT"]`))))), "", false},
		{"metric queue filter", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"OLDEST_CONTACT_AGE", `[900]`, filters(f("MetricDataFilterByQueue", `["q-sales"]`))))), "", false},
		{"metric conditions per queue", OnMetricDataUpdate, metricRule("QUEUE", group("AND", cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[100]`, byQueue), cond("NumberLessOrEqualTo", md+"AGENTS_AVAILABLE", `[2]`, byQueue))), "", true},
		{"metric grouping keeps queues apart", OnMetricDataUpdate, metricRule("QUEUE", group("AND", cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[100]`, byQueue), cond("NumberGreaterOrEqualTo", md+"AGENTS_AVAILABLE", `[5]`, byQueue))), "", false},
		{"metric without grouping mixes queues", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"CONTACTS_IN_QUEUE", `[100]`, byQueue), cond("NumberGreaterOrEqualTo", md+"AGENTS_AVAILABLE", `[5]`, byQueue))), "", true},
		{"metric window", OnMetricDataUpdate, metricRule("QUEUE", group("AND", cond("NumberGreaterOrEqualTo", md+"AVG_HANDLE_TIME", `[1800]`, byQueueDur("300")))), "", true},
		{"metric other window", OnMetricDataUpdate, metricRule("QUEUE", group("AND", cond("NumberGreaterOrEqualTo", md+"AVG_HANDLE_TIME", `[1800]`, byQueueDur("28800")))), "", false},
		{"metric period name", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"AVG_HANDLE_TIME", `[1800]`, filters(queues, f("MetricDataPeriodSeconds", `{"Past":300}`))))), "", true},
		{"metric service level", OnMetricDataUpdate, metricRule("QUEUE", group("AND", cond("NumberLessOrEqualTo", md+"SERVICE_LEVEL", `[50]`, filters(queues, voice, f("MetricDataDurationSeconds", `{"Past":28800}`), f("MetricDataThresholdSeconds", `{"Comparison":"LT","ThresholdValue":60}`))))), "", true},
		{"metric service level other threshold", OnMetricDataUpdate, metricRule("QUEUE", group("AND", cond("NumberLessOrEqualTo", md+"SERVICE_LEVEL", `[50]`, filters(queues, f("MetricDataDurationSeconds", `{"Past":28800}`), f("MetricDataThresholdSeconds", `{"Comparison":"LT","ThresholdValue":30}`))))), "", false},
		{"metric agent activity", OnMetricDataUpdate, metricRule("AGENT", group("AND", cond("EQUALS", md+"AGENT_ACTIVITY", `["`+statusID+`"]`, filters(f("MetricDataFilterByAgentHierarchyLevelOne", `["b99ba702-b84b-4279-abad-5ceda9ff2640"]`), f("AgentActivityDurationSeconds", `{"Past":600}`))))), "", true},
		{"metric agent activity not long enough", OnMetricDataUpdate, metricRule("AGENT", group("AND", cond("EQUALS", md+"AGENT_ACTIVITY", `["`+statusID+`"]`, filters(f("MetricDataFilterByAgentHierarchyLevelOne", `["b99ba702-b84b-4279-abad-5ceda9ff2640"]`), f("AgentActvityDurationSeconds", `{"Past":800}`))))), "", false},
		{"metric agent activity negated", OnMetricDataUpdate, metricRule("", group("AND", cond("EQUALS", md+"AGENT_ACTIVITY", `["`+statusID+`"]`, filters(f("MetricDataFilterByAgent", `["agent-1"]`), f("AgentActivityDurationSeconds", `{"Past":600}`)), negated))), "", false},
		{"metric occupancy and flows", OnMetricDataUpdate, metricRule("", group("AND", cond("NumberGreaterOrEqualTo", md+"AGENT_OCCUPANCY", `[80]`, filters(f("MetricDataFilterByAgent", `["agent-1"]`), f("MetricDataDurationSeconds", `{"Past":100}`)))), group("AND", cond("NumberGreaterOrEqualTo", md+"FLOWS_STARTED", `[10]`, filters(f("MetricDataFilterByFlow", `["flow-1"]`), f("MetricDataDurationSeconds", `{"Past":300}`), voice)))), "", true},

		// OnCaseCreate / OnCaseUpdate / OnSlaBreach.
		{"case queue, user, template", OnCaseCreate, and(cond("CONTAINS_ANY", cf+"assigned_queue", `["q-returns"]`), cond("CONTAINS_ANY", cf+"assigned_user", `["user-7"]`), cond("CONTAINS_ANY", "$.Case.TemplateId", `["tmpl-returns"]`)), "", true},
		{"case reason and status", OnCaseCreate, and(cond("EQUALS", cf+"case_reason", `["Refund"]`), cond("EQUALS", cf+"status", `["open"]`)), "", true},
		{"case status after update", OnCaseUpdate, and(cond("EQUALS", cf+"status", `["open"]`)), "", false},
		{"case summary contains", OnCaseCreate, and(cond("CONTAINS", cf+"summary", `["damaged BLENDER"]`)), "", true},
		{"case summary equals", OnCaseCreate, and(cond("EQUALS", cf+"summary", `["refund"]`)), "", false},
		{"case created before", OnCaseCreate, and(cond("NumberLessOrEqualTo", cf+"created_datetime", `["2023-11-11T11:11:11.111111Z"]`)), "", true},
		{"case created after", OnCaseCreate, and(cond("NumberGreaterOrEqualTo", cf+"created_datetime", `["2023-11-11T11:11:11.111111Z"]`)), "", false},
		{"case updated since epoch seconds", OnCaseCreate, and(cond("NumberGreaterOrEqualTo", cf+"last_updated_datetime", `[1699785000]`)), "", true},
		{"case closed", OnCaseUpdate, and(cond("NumberGreaterOrEqualTo", cf+"last_closed_datetime", `["2023-11-13T00:00:00Z"]`)), "", true},
		{"case never closed", OnCaseCreate, and(cond("NumberGreaterOrEqualTo", cf+"last_closed_datetime", `["2000-01-01T00:00:00Z"]`)), "", false},
		{"case reference number", OnCaseCreate, and(cond("CONTAINS", cf+"reference_number", `["1111"]`)), "", true},
		{"case custom field", OnCaseCreate, and(cond("EQUALS", cf+"vip_level", `["gold"]`)), "", true},
		{"case custom field negated", OnCaseCreate, and(cond("CONTAINS", cf+"vip_level", `["gold"]`, negated)), "", false},
		{"sla name", OnSlaBreach, and(cond("CONTAINS_ANY", "$.RelatedItem.SlaConfiguration.Name", `["highPrioritySla"]`)), "", true},
		{"sla other name", OnSlaBreach, and(cond("CONTAINS_ANY", "$.RelatedItem.SlaConfiguration.Name", `["lowPrioritySla"]`)), "", false},
		{"sla takes only its condition", OnSlaBreach, and(cond("CONTAINS_ANY", "$.Case.TemplateId", `["tmpl-returns"]`)), "is not a ComparisonValue of OnSlaBreach", false},

		// Zendesk and Salesforce.
		{"zendesk type and priority", OnZendeskTicketCreate, and(cond("EQUALS", zc+"Type", `["incident"]`), cond("EQUALS", zc+"Priority", `["high"]`)), "", true},
		{"zendesk numeric id", OnZendeskTicketCreate, and(cond("EQUALS", zc+"RequesterId", `["20978392"]`)), "", true},
		{"zendesk status negated", OnZendeskTicketCreate, and(cond("EQUALS", zc+"Status", `["open"]`, negated)), "", false},
		{"zendesk tag", OnZendeskTicketCreate, and(cond("CONTAINS", zc+"Tags", `["VIP"]`)), "", true},
		{"zendesk tag is a whole tag", OnZendeskTicketCreate, and(cond("CONTAINS", zc+"Tags", `["bill"]`)), "", false},
		{"zendesk channel", OnZendeskTicketCreate, and(cond("EQUALS", zc+"Channel", `["web"]`), cond("EQUALS", zc+"ExternalId", `["ext-42"]`)), "", true},
		{"zendesk status update", OnZendeskTicketStatusUpdate, and(cond("EQUALS", "$.ThirdParty.Zendesk.StatusUpdate.Status", `["pending"]`)), "", true},
		{"zendesk status update injection spelling", OnZendeskTicketStatusUpdate, and(cond("EQUALS", "$.ThirdParty.Zendesk.TicketStatusUpdate.Status", `["pending"]`)), "", true},
		{"zendesk create paths are not status update paths", OnZendeskTicketStatusUpdate, and(cond("EQUALS", zc+"Status", `["pending"]`)), "is not a ComparisonValue of OnZendeskTicketStatusUpdate", false},
		{"salesforce name contains", OnSalesforceCaseCreate, and(cond("CONTAINS", sf+"Name", `["doe"]`), cond("EQUALS", sf+"Subject", `["Blender stopped working"]`)), "", true},
		{"salesforce priority exact", OnSalesforceCaseCreate, and(cond("EQUALS", sf+"Priority", `["high"]`)), "", false},
		{"salesforce custom attribute", OnSalesforceCaseCreate, and(cond("EQUALS", sf+"CustomAttribute.Region__c", `["EMEA"]`)), "", true},
		{"salesforce reason takes EQUALS", OnSalesforceCaseCreate, and(cond("CONTAINS", sf+"Reason", `["Perf"]`)), `operator "CONTAINS" is not allowed`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fn, err := Parse(tt.source, tt.fn)
			if tt.wantErr != "" {
				var e *Error
				if err == nil || !errors.As(err, &e) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse error = %v, want *Error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for _, useNumber := range []bool{false, true} {
				if got := fn.Match(loadEvent(t, tt.source, useNumber)); got != tt.want {
					t.Errorf("Match (UseNumber=%v) = %v, want %v", useNumber, got, tt.want)
				}
			}
		})
	}
}

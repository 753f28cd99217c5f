// Package rules implements the Amazon Connect Rules Function language: it parses and
// validates the Function string of CreateRule/UpdateRule for a trigger event source,
// evaluates a parsed function against the JSON document an event carries, says which
// rule actions an event source allows, and resolves the JSONPath variables that task
// and notification actions may contain.
//
// Sources (AWS documentation, read through the project's search tool; each table in
// this package names the page it encodes):
//   - "Amazon Connect Rules Function language", "Concepts", "Example rule function",
//     "Conditions" (APIReference connect-rules-language, rules-language-concepts,
//     example-rule-function, rule-function-conditions).
//   - One conditions page per event source: OnPostCallAnalysisAvailable,
//     OnRealTimeCallAnalysisAvailable, OnPostChatAnalysisAvailable,
//     OnEmailAnalysisAvailable, OnContactEvaluationSubmit, OnMetricDataUpdate,
//     OnCaseCreate, OnCaseUpdate, OnSlaBreach, OnZendeskTicketCreate,
//     OnZendeskTicketStatusUpdate, OnSalesforceCaseCreate, and "PatternMatch Operands".
//   - API_RuleAction and API_TaskActionDefinition (also the member documentation in
//     the connect-2017-08-08 service model) for which action fits which source.
//   - Admin guide "contact-lens-variable-injection" for the task action variables.
//
// The docs leave much unsaid. Every place where this package decides on its own is
// marked "Decision:" in a comment; the sample events in testdata/events show the
// shape of event document Match expects (see items.go for the general rules).
package rules

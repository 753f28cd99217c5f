package rules

// Values shared by the conversational analytics and evaluation condition pages.

// initiationMethods: "Initiation Method" on the OnPostCallAnalysisAvailable,
// OnPostChatAnalysisAvailable and OnContactEvaluationSubmit pages.
func initiationMethods() []string {
	return []string{"INBOUND", "OUTBOUND", "TRANSFER", "QUEUE_TRANSFER", "CALLBACK", "API", "DISCONNECT"}
}

// disconnectReasons: "DisconnectReason" on the OnPostCallAnalysisAvailable,
// OnPostChatAnalysisAvailable and OnContactEvaluationSubmit pages.
func disconnectReasons() []string {
	return []string{
		"TELECOM_BUSY", "TELECOM_NUMBER_INVALID", "TELECOM_POTENTIAL_BLOCKING", "TELECOM_UNANSWERED",
		"TELECOM_TIMEOUT", "TELECOM_ORIGINATOR_CANCEL", "TELECOM_PROBLEM", "CUSTOMER_NEVER_ARRIVED",
		"THIRD_PARTY_DISCONNECT", "CUSTOMER_DISCONNECT", "AGENT_DISCONNECT", "BARGED",
		"CONTACT_FLOW_DISCONNECT", "OTHER", "OUTBOUND_DESTINATION_ENDPOINT_ERROR",
		"OUTBOUND_RESOURCE_ERROR", "OUTBOUND_ATTEMPT_FAILED", "EXPIRED", "AGENT_NETWORK_DISCONNECT",
		"CUSTOMER_CONNECTION_NOT_ESTABLISHED", "API", "IDLE_DISCONNECT", "SYSTEM_ERROR",
		"AGENT_COMPLETED", "TRANSFERRED", "DISCARDED",
	}
}

// sentimentStates: the sentiment state conditions ("POSITIVE", "NEGATIVE", "NEUTRAL").
func sentimentStates() []string { return []string{"POSITIVE", "NEGATIVE", "NEUTRAL"} }

// contactSpecs are the contact-level conditions the post-call, post-chat and
// evaluation pages share, under prefix (e.g. "$.ContactLens.PostCall.").
//
// Decision: PotentialDisconnectIssue operands are "A validated enum of possible values"
// but no page lists the values, so any non-empty string is accepted; EQUALS with no
// operand ("the operand has to have no value", post-chat page) is accepted on all three.
func contactSpecs(prefix string) []spec {
	return []spec{
		ids(prefix + "Agent.HierarchyGroup.ARN"),
		enumSpec(prefix+"InitiationMethod", []string{OpContainsAny}, initiationMethods()...),
		enumSpec(prefix+"DisconnectReason", []string{OpContainsAny}, disconnectReasons()...),
		ids(prefix + "Agent.RoutingProfile"),
		withNoValue(ids(prefix + "PotentialDisconnectIssue")),
		keyed(ids(prefix + "SegmentAttributes.UserDefined")),
		ids(prefix + "Agent.AgentId"),
		keyed(equalsOne(prefix + "ContactAttribute")),
	}
}

// sentimentSpecs are the sentiment state, overall score and score shift conditions:
// scores are "an integer between -5 and 5, inclusive", and each takes a
// ParticipantRole filter.
func sentimentSpecs(prefix string) []spec {
	state := enumSpec(prefix+"Sentiment.State", []string{OpEquals}, sentimentStates()...)
	state.filters = []filterDef{anyRole()}
	return []spec{
		state,
		numberSpec(prefix+"Sentiment.OverallScore", -5, 5, true, anyRole()),
		numberSpec(prefix+"Sentiment.Score.Beginning", -5, 5, true, anyRole()),
		numberSpec(prefix+"Sentiment.Score.End", -5, 5, true, anyRole()),
	}
}

// transcriptSpecs are the words-or-phrases conditions (exact, semantic and pattern
// match, and the natural-language semantic match) with the contact period filter of
// the channel (PostCallContactPeriodSeconds or PostChatContactPeriodSeconds).
//
// Decision: the natural-language condition's "FilterClause" on the pages is a copy of
// the condition itself, not a filter, so it takes no filters here.
func transcriptSpecs(prefix, periodFilter string) []spec {
	exact := textSpec(prefix+"ExactMatch.Transcript", []string{OpContainsAny}, contactPeriod(periodFilter), anyRole())
	semantic := textSpec(prefix+"SemanticMatch.Transcript", []string{OpContainsAny}, contactPeriod(periodFilter), anyRole())
	phrase := textSpec(prefix+"SemanticMatch.Phrase", []string{OpEquals})
	pattern := spec{path: prefix + "PatternMatch.Transcript", operators: []string{OpContainsAny}, kind: kindPattern,
		filters: []filterDef{contactPeriod(periodFilter), anyRole(), patternLanguage()}}
	return []spec{exact, semantic, phrase, pattern}
}

// aiAgentSpec is the "Connect AI Agent" condition.
func aiAgentSpec(prefix string) spec {
	s := ids(prefix + "AiAgent.IdWithVersion")
	s.filters = aiAgentFilters()
	return s
}

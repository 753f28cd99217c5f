package rules

import "math"

// realTimeCallSpecs encodes the OnRealTimeCallAnalysisAvailable page (APIReference
// OnRealTimeCallAnalysisAvailable.html): exact and pattern match (ParticipantRole
// filter only), agent, queue (Negate allowed), contact attributes and sentiment state
// with a RealTimeCallContactPeriodSeconds {"Past": n} filter.
func realTimeCallSpecs() []spec {
	const p = "$.ContactLens.RealTimeCall."
	state := enumSpec(p+"Sentiment.State", []string{OpEquals}, sentimentStates()...)
	state.filters = []filterDef{anyRole(), pastSeconds("RealTimeCallContactPeriodSeconds", math.Inf(1))}
	return []spec{
		textSpec(p+"ExactMatch.Transcript", []string{OpContainsAny}, anyRole()),
		{path: p + "PatternMatch.Transcript", operators: []string{OpContainsAny}, kind: kindPattern,
			filters: []filterDef{anyRole(), patternLanguage()}},
		ids(p + "Agent.AgentId"),
		ids(p + "Queue.QueueId"),
		keyed(equalsOne(p + "ContactAttribute")),
		state,
	}
}

package rules

import "math"

// postChatSpecs encodes the OnPostChatAnalysisAvailable page (APIReference
// OnPostChatAnalysisAvailable.html).
func postChatSpecs() []spec {
	const p = "$.ContactLens.PostChat."
	specs := append(contactSpecs(p),
		numberSpec(p+"Agent.AfterContactWorkDurationSecs", 0, math.Inf(1), true),
		aiAgentSpec(p),
		withNoValue(ids(p+"Queue.QueueId")),
		// "integer with minimum value 1"
		atLeast(p+"ResponseTime.Agent.FirstResponseTimeSecs", 1),
		atLeast(p+"ResponseTime.Agent.AverageTimeSecs", 1),
		atLeast(p+"ResponseTime.Agent.LongestTimeSecs", 1),
		atLeast(p+"Agent.AgentInteractionDurationSecs", 1),
	)
	specs = append(specs, transcriptSpecs(p, "PostChatContactPeriodSeconds")...)
	return append(specs, sentimentSpecs(p)...)
}

package rules

import "math"

// postCallSpecs encodes the OnPostCallAnalysisAvailable page (APIReference
// OnPostCallAnalysisAvailable.html).
func postCallSpecs() []spec {
	const p = "$.ContactLens.PostCall."
	talkRole := participantRole(true, "AGENT", "CUSTOMER")
	loudRole := participantRole(false, "CUSTOMER", "AGENT")
	specs := append(contactSpecs(p),
		numberSpec(p+"Agent.NonTalkTimePct", 0, 100, true),
		numberSpec(p+"Agent.CustomerHoldDurationPct", 0, 100, true),
		// Absolute Talk Time: "An integer", FilterClause "required!!" with one
		// ParticipantRole of AGENT or CUSTOMER.
		anyInt(p+"TalkTime.TotalTimeSecs", talkRole),
		// Maximum Loudness Score: "an integer (decibels)", one ParticipantRole filter.
		anyInt(p+"Loudness.HighestLoudnessScore", loudRole),
		numberSpec(p+"Agent.AfterContactWorkDurationSecs", 0, math.Inf(1), true),
		aiAgentSpec(p),
		withNoValue(ids(p+"Queue.QueueId")),
		// "integer with minimum value 1"
		atLeast(p+"NonTalkTime.TotalTimeSecs", 1),
		atLeast(p+"NonTalkTime.LongestTimeSecs", 1),
		atLeast(p+"Interruptions.Instances", 1),
		atLeast(p+"Agent.CustomerHoldDurationSecs", 1),
		atLeast(p+"Agent.LongestHoldDurationSecs", 1),
		atLeast(p+"Agent.NumberOfHolds", 1),
		atLeast(p+"Agent.AgentInteractionDurationSecs", 1),
	)
	specs = append(specs, transcriptSpecs(p, "PostCallContactPeriodSeconds")...)
	return append(specs, sentimentSpecs(p)...)
}

package rules

import "math"

// emailSpecs encodes the OnEmailAnalysisAvailable page (APIReference
// OnEmailAnalysisAvailable.html): agent hierarchy, initiation method (INBOUND,
// OUTBOUND, AGENT_REPLY, FLOW), disconnect reason (its own 7 values), after contact
// work, routing profile, user-defined segment attributes, agent, queue and no queue,
// contact attributes, agent interaction duration.
//
// Decision: the page has no keyword condition for the e-mail text. This package adds
// $.ContactLens.Email.ExactMatch.Text, CONTAINS_ANY over a list of strings, matched
// like the post-chat exact match (case-insensitive whole words), with a ParticipantRole
// filter (CUSTOMER for the customer's messages, AGENT for agent replies). It has no
// period filter: an e-mail has no timeline.
func emailSpecs() []spec {
	const p = "$.ContactLens.Email."
	return []spec{
		ids(p + "Agent.HierarchyGroup.ARN"),
		enumSpec(p+"InitiationMethod", []string{OpContainsAny}, "INBOUND", "OUTBOUND", "AGENT_REPLY", "FLOW"),
		enumSpec(p+"DisconnectReason", []string{OpContainsAny},
			"AGENT_DISCONNECT", "CONTACT_FLOW_DISCONNECT", "EXPIRED", "DISCARDED", "OTHER", "API", "TRANSFERRED"),
		numberSpec(p+"Agent.AfterContactWorkDurationSecs", 0, math.Inf(1), true),
		ids(p + "Agent.RoutingProfile"),
		keyed(ids(p + "SegmentAttributes.UserDefined")),
		ids(p + "Agent.AgentId"),
		withNoValue(ids(p + "Queue.QueueId")),
		keyed(equalsOne(p + "ContactAttribute")),
		atLeast(p+"Agent.AgentInteractionDurationSecs", 1),
		textSpec(p+"ExactMatch.Text", []string{OpContainsAny}, anyRole()),
	}
}

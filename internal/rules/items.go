package rules

import (
	"slices"
	"strings"
)

// How an event document carries the values conditions compare (the contract between
// the event producers and Match):
//
//   - A plain value (string, number, bool) or a list of them: each is one item.
//   - A list of objects: each object is one item whose value is its "Content" (a
//     transcript segment) or else its "Value"; the object's other keys are the item's
//     attributes, which filters test:
//     ParticipantRole ("CUSTOMER"|"AGENT"|...), BeginOffsetMillis, EndOffsetMillis,
//     LanguageCode ("en-US"), UseCase and EscalatedToHuman (AI agent invocations),
//     Agent, Queue, RoutingProfile, Flow, FlowModule, FlowOutcomeType, Channel,
//     AgentHierarchyLevelOne..Five, DurationSeconds, ThresholdSeconds (metric values).
//   - An object with ValueString/ValueInteger/ValueArn/ValueList (a Connect
//     SegmentAttributeValue) is unwrapped to that value.
//
// A condition holds when any item that passes its filters satisfies the operator.
// Decision: an item without the attribute a filter tests does not pass that filter, so
// a role-less value is seen only by ParticipantRole ANY (or no filter). Nothing is
// skipped silently: every documented filter type is applied as described in
// applyFilter.
type item struct {
	value  any
	attrs  map[string]any
	listed bool // the value came from a list (CONTAINS then means "has an element")
}

// itemsOf turns the value found at a ComparisonValue into items.
func itemsOf(v any) []item {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		var out []item
		for _, el := range x {
			for _, it := range itemsOf(el) {
				it.listed = true
				out = append(out, it)
			}
		}
		return out
	case map[string]any:
		for _, k := range []string{"ValueString", "ValueInteger", "ValueArn", "ValueList"} {
			if inner, ok := x[k]; ok && len(x) == 1 {
				return itemsOf(inner)
			}
		}
		if c, ok := x["Content"]; ok {
			return []item{{value: c, attrs: x}}
		}
		if val, ok := x["Value"]; ok {
			return []item{{value: val, attrs: x}}
		}
		return nil
	}
	return []item{{value: v}}
}

// applyFilters keeps the items that pass every filter of the clause (only AND exists).
func applyFilters(n *Node, items []item, sectionLanguage string) []item {
	if n.FilterClause == nil {
		return items
	}
	maxEnd, hasEnd := 0.0, false
	for _, it := range items {
		if e, ok := attrNumber(it, "EndOffsetMillis"); ok && (!hasEnd || e > maxEnd) {
			maxEnd, hasEnd = e, true
		}
	}
	for _, f := range n.FilterClause.Filters {
		items = slices.DeleteFunc(items, func(it item) bool {
			return !passes(f, it, maxEnd, sectionLanguage)
		})
	}
	return items
}

// passes applies one filter to one item.
//
//   - ParticipantRole: ANY keeps every item, CUSTOMER/AGENT keep items with that role.
//   - Post*ContactPeriodSeconds First n: items beginning before n seconds; Last n and
//     RealTimeCallContactPeriodSeconds Past n: items ending within the last n seconds
//     of the contact, whose end is the latest EndOffsetMillis among the items.
//   - PatternMatchLanguageFilter: the item's LanguageCode, or else the contact's
//     ($.ContactLens.<PostCall|PostChat|RealTimeCall>.LanguageCode), must have the
//     filter's language ("EN" for "en-US").
//   - AiAgentUseCase / AiAgentEscalatedToHuman: the item's UseCase / EscalatedToHuman.
//   - Metric dimension filters: the item's dimension attribute is one of the values.
//   - MetricDataDurationSeconds / MetricDataPeriodSeconds: the item's DurationSeconds
//     equals Past (the value was computed over that window); AgentActivityDurationSeconds:
//     the item's DurationSeconds (time in the activity) is at least Past;
//     MetricDataThresholdSeconds: the item's ThresholdSeconds equals ThresholdValue.
func passes(f Filter, it item, maxEnd float64, sectionLanguage string) bool {
	d := f.parsed
	switch f.Type {
	case "ParticipantRole":
		return d.text == "ANY" || attrString(it, "ParticipantRole") == d.text
	case "PostCallContactPeriodSeconds", "PostChatContactPeriodSeconds", "RealTimeCallContactPeriodSeconds":
		if d.hasFirst {
			b, ok := attrNumber(it, "BeginOffsetMillis")
			return ok && b < d.first*1000
		}
		window := d.last
		if d.hasPast {
			window = d.past
		}
		e, ok := attrNumber(it, "EndOffsetMillis")
		return ok && e > maxEnd-window*1000
	case "PatternMatchLanguageFilter":
		lang := attrString(it, "LanguageCode")
		if lang == "" {
			lang = sectionLanguage
		}
		primary, _, _ := strings.Cut(lang, "-")
		return strings.EqualFold(primary, d.text)
	case "AiAgentUseCase":
		return attrString(it, "UseCase") == d.text
	case "AiAgentEscalatedToHuman":
		return strings.EqualFold(attrString(it, "EscalatedToHuman"), d.text)
	case fDuration, fPeriod:
		v, ok := attrNumber(it, "DurationSeconds")
		return ok && v == d.past
	case fActivity, fActivityTypo:
		v, ok := attrNumber(it, "DurationSeconds")
		return ok && v >= d.past
	case fThreshold:
		v, ok := attrNumber(it, "ThresholdSeconds")
		return ok && v == d.thresholdValue
	}
	if attr := dimensionAttr(f.Type); attr != "" {
		return slices.Contains(d.values, attrString(it, attr))
	}
	return false
}

// dimensionAttr names the item attribute a metric dimension filter tests.
func dimensionAttr(filterType string) string {
	switch filterType {
	case fByAgent:
		return "Agent"
	case fByQueue:
		return "Queue"
	case fByRoutingProf:
		return "RoutingProfile"
	case fByFlow:
		return "Flow"
	case fByFlowModule:
		return "FlowModule"
	case fByFlowOutcome:
		return "FlowOutcomeType"
	case fByChannel:
		return "Channel"
	}
	if level, ok := strings.CutPrefix(filterType, fByHierarchy); ok {
		return "AgentHierarchyLevel" + level
	}
	return ""
}

// groupingAttr names the item attribute of a MetricDataGrouping end dimension.
func groupingAttr(dimension string) string {
	switch dimension {
	case "AGENT":
		return "Agent"
	case "QUEUE":
		return "Queue"
	case "ROUTING_PROFILE":
		return "RoutingProfile"
	case "FLOW":
		return "Flow"
	}
	return ""
}

func attrString(it item, key string) string {
	s, _ := scalarString(it.attrs[key])
	return s
}

func attrNumber(it item, key string) (float64, bool) {
	return number(it.attrs[key], false)
}

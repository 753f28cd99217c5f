package rules

import (
	"math"
	"slices"
	"strings"
)

// The OnMetricDataUpdate page (APIReference OnMetricDataUpdate.html) is structured
// differently from the others: the top-level AND/OR holds up to two MetricGroups, each
// an AND/OR of up to 10 MetricConditions, and the top level may carry a FilterClause
// with one MetricDataGrouping (the end dimension).

const (
	metricGroupLimit     = 2  // "can support up to two groups"
	metricConditionLimit = 10 // "up to compatible 10 MetricConditions"
	metricWindowLimit    = 86400
)

// Metric filter types. MetricDataPeriodSeconds and MetricDataDurationSeconds are both
// names the page uses for the metric window (the first in the filter section, the
// second in every example); both are accepted and mean the same. The page spells the
// agent activity filter both AgentActvityDurationSeconds and
// AgentActivityDurationSeconds; both are accepted.
const (
	fPeriod          = "MetricDataPeriodSeconds"
	fDuration        = "MetricDataDurationSeconds"
	fActivity        = "AgentActivityDurationSeconds"
	fActivityTypo    = "AgentActvityDurationSeconds"
	fThreshold       = "MetricDataThresholdSeconds"
	fByAgent         = "MetricDataFilterByAgent"
	fByQueue         = "MetricDataFilterByQueue"
	fByRoutingProf   = "MetricDataFilterByRoutingProfile"
	fByFlow          = "MetricDataFilterByFlow"
	fByFlowModule    = "MetricDataFilterByFlowModule"
	fByFlowOutcome   = "MetricDataFilterByFlowOutcomeType"
	fByChannel       = "MetricDataFilterByChannel"
	fByHierarchy     = "MetricDataFilterByAgentHierarchyLevel" // + One..Five
	fGrouping        = "MetricDataGrouping"
	hierarchyLevels  = "One Two Three Four Five"
	endDimensionHint = "one end dimension filter"
)

// metricDef is one metric's rules from "Metric Data Update - MetricCondition".
type metricDef struct {
	name      string
	operators []string
	groupings []string // supported end dimensions (MetricDataGrouping)
	endDims   []string // supported end dimension filters
	window    bool     // requires MetricDataDurationSeconds (or MetricDataPeriodSeconds)
	activity  bool     // AGENT_ACTIVITY: requires an agent activity duration
	threshold bool     // SERVICE_LEVEL: requires MetricDataThresholdSeconds
	outcome   bool     // flow metrics: MetricDataFilterByFlowOutcomeType allowed
	channel   bool     // MetricDataFilterByChannel allowed
}

func hierarchyFilters() []string {
	var out []string
	for _, l := range strings.Fields(hierarchyLevels) {
		out = append(out, fByHierarchy+l)
	}
	return out
}

// metricDefs is the per-metric table.
func metricDefs() []metricDef {
	queueDims := []string{fByQueue, fByRoutingProf}
	agentDims := append([]string{fByAgent, fByQueue, fByRoutingProf}, hierarchyFilters()...)
	flowDims := []string{fByFlow, fByFlowModule}
	return []metricDef{
		{name: "AGENT_ACTIVITY", operators: []string{OpEquals}, groupings: []string{"AGENT"}, endDims: agentDims, activity: true},
		{name: "OLDEST_CONTACT_AGE", operators: numberOps, groupings: []string{"QUEUE"}, endDims: queueDims, channel: true},
		{name: "AGENTS_AVAILABLE", operators: numberOps, groupings: []string{"QUEUE", "ROUTING_PROFILE"}, endDims: queueDims, channel: true},
		{name: "CONTACTS_IN_QUEUE", operators: numberOps, groupings: []string{"QUEUE"}, endDims: queueDims, channel: true},
		{name: "AVG_QUEUE_ANSWER_TIME", operators: numberOps, groupings: []string{"QUEUE"}, endDims: queueDims, window: true, channel: true},
		{name: "AVG_INTERACTION_TIME", operators: numberOps, groupings: []string{"QUEUE"}, endDims: queueDims, window: true, channel: true},
		{name: "AVG_HOLD_TIME", operators: numberOps, groupings: []string{"QUEUE"}, endDims: queueDims, window: true, channel: true},
		{name: "AVG_HANDLE_TIME", operators: numberOps, groupings: []string{"QUEUE", "AGENT"}, endDims: agentDims, window: true, channel: true},
		{name: "AGENT_OCCUPANCY", operators: numberOps, groupings: []string{"AGENT"},
			endDims: append([]string{fByAgent, fByRoutingProf}, hierarchyFilters()...), window: true},
		{name: "SERVICE_LEVEL", operators: numberOps, groupings: []string{"QUEUE"}, endDims: queueDims, window: true, threshold: true, channel: true},
		{name: "FLOWS_STARTED", operators: numberOps, groupings: []string{"FLOW"}, endDims: flowDims, window: true, channel: true},
		{name: "AVG_FLOW_TIME", operators: numberOps, groupings: []string{"FLOW"}, endDims: flowDims, window: true, outcome: true, channel: true},
		{name: "MAX_FLOW_TIME", operators: numberOps, groupings: []string{"FLOW"}, endDims: flowDims, window: true, outcome: true, channel: true},
		{name: "MIN_FLOW_TIME", operators: numberOps, groupings: []string{"FLOW"}, endDims: flowDims, window: true, outcome: true, channel: true},
		{name: "FLOWS_OUTCOME", operators: numberOps, groupings: []string{"FLOW"}, endDims: flowDims, window: true, outcome: true, channel: true},
		{name: "PERCENT_FLOWS_OUTCOME", operators: numberOps, groupings: []string{"FLOW"}, endDims: flowDims, window: true, outcome: true, channel: true},
	}
}

// metricFilters are all metric filter types with their Data checks.
func metricFilters() []filterDef {
	defs := []filterDef{
		pastSeconds(fPeriod, metricWindowLimit),
		pastSeconds(fDuration, metricWindowLimit),
		pastSeconds(fActivity, metricWindowLimit),
		pastSeconds(fActivityTypo, metricWindowLimit),
		threshold(),
		stringList(fByAgent, 1, 25),
		stringList(fByQueue, 1, 25),
		stringList(fByRoutingProf, 1, 25),
		stringList(fByFlow, 1, 25),
		stringList(fByFlowModule, 1, 25),
		stringList(fByFlowOutcome, 1, 8, "DROPPED", "DISCONNECTED_PARTICIPANT", "ENDED_FLOW_EXECUTION",
			"TRANSFERRED_TO_QUEUE", "TRANSFERRED_TO_AGENT", "TRANSFERRED_TO_FLOW",
			"TRANSFERRED_TO_PHONE_NUMBER", "RETURNED_TO_FLOW"),
		stringList(fByChannel, 1, 3, "VOICE", "CHAT", "TASK"),
	}
	for _, h := range hierarchyFilters() {
		defs = append(defs, stringList(h, 1, 1)) // "Only one value is supported"
	}
	return defs
}

// groupingFilter is the top-level MetricDataGrouping: one of AGENT, QUEUE,
// ROUTING_PROFILE, FLOW ("Only one is supported").
func groupingFilter() filterDef {
	return stringList(fGrouping, 1, 1, "AGENT", "QUEUE", "ROUTING_PROFILE", "FLOW")
}

// metricSpecs builds one spec per metric: $.MetricData.<METRIC>, number operands ≥ 0
// (AGENT_ACTIVITY: EQUALS on a status id or state name), and the filters the metric
// supports.
func metricSpecs() []spec {
	all := metricFilters()
	var specs []spec
	for _, m := range metricDefs() {
		s := spec{path: "$.MetricData." + m.name, operators: m.operators, kind: kindNumber, min: 0, max: math.Inf(1)}
		if m.activity {
			s.kind = kindID
		}
		for _, f := range all {
			if m.allows(f.typ) {
				s.filters = append(s.filters, f)
			}
		}
		md := m
		s.metric = &md
		specs = append(specs, s)
	}
	return specs
}

// allows says whether the metric accepts a filter type.
func (m metricDef) allows(typ string) bool {
	switch typ {
	case fPeriod, fDuration:
		return m.window || m.activity
	case fActivity, fActivityTypo:
		return m.activity
	case fThreshold:
		return m.threshold
	case fByFlowOutcome:
		return m.outcome
	case fByChannel:
		return m.channel
	}
	return slices.Contains(m.endDims, typ)
}

// check applies the required-filter rules of one MetricCondition: exactly one end
// dimension filter, the window, activity duration and threshold where required.
func (m metricDef) check(filters []Filter) string {
	var dims []string
	has := map[string]bool{}
	for _, f := range filters {
		has[f.Type] = true
		if slices.Contains(m.endDims, f.Type) {
			dims = append(dims, f.Type)
		}
	}
	switch {
	case len(dims) != 1:
		return sprintf("%s needs exactly %s (%s), got %d", m.name, endDimensionHint, strings.Join(m.endDims, ", "), len(dims))
	case m.window && !has[fDuration] && !has[fPeriod]:
		return sprintf("%s needs a %s filter", m.name, fDuration)
	case m.activity && !has[fActivity] && !has[fActivityTypo] && !has[fDuration]:
		return sprintf("%s needs an %s filter", m.name, fActivity)
	case m.threshold && !has[fThreshold]:
		return sprintf("%s needs a %s filter", m.name, fThreshold)
	}
	return ""
}

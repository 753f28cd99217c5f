package rules

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
)

// filterDef is a filter Type a ComparisonValue accepts, with the check of its Data.
type filterDef struct {
	typ      string
	required bool
	parse    func(data any) (filterData, string) // the string is a problem, "" if none
}

// filterData is a filter's Data once checked, in the form evaluation uses.
type filterData struct {
	text                       string   // ParticipantRole, language, AI agent use case, "TRUE"/"FALSE"
	first, last, past          float64  // period filters, seconds
	values                     []string // metric dimension filters, MetricDataGrouping
	comparison                 string   // MetricDataThresholdSeconds
	thresholdValue             float64  // MetricDataThresholdSeconds
	hasFirst, hasLast, hasPast bool
}

// participantRole accepts the documented roles. Transcript, sentiment and e-mail text
// conditions take CUSTOMER, AGENT or ANY; talk time and loudness take AGENT or CUSTOMER
// (OnPostCallAnalysisAvailable, "Absolute Talk Time", "Maximum Loudness Score").
func participantRole(required bool, roles ...string) filterDef {
	return filterDef{typ: "ParticipantRole", required: required, parse: func(d any) (filterData, string) {
		s, ok := d.(string)
		if !ok || !slices.Contains(roles, s) {
			return filterData{}, "must be one of " + strings.Join(roles, ", ")
		}
		return filterData{text: s}, ""
	}}
}

func anyRole() filterDef { return participantRole(false, "CUSTOMER", "AGENT", "ANY") }

// contactPeriod is PostCallContactPeriodSeconds / PostChatContactPeriodSeconds:
// `Either "First" or "Last" needs to be specified`, each a number of seconds.
func contactPeriod(typ string) filterDef {
	return filterDef{typ: typ, parse: func(d any) (filterData, string) {
		m, ok := d.(map[string]any)
		if !ok {
			return filterData{}, `must be an object with "First" or "Last"`
		}
		var fd filterData
		for k, v := range m {
			n, ok := positive(v)
			switch {
			case k != "First" && k != "Last":
				return filterData{}, sprintf("has unknown key %q", k)
			case !ok:
				return filterData{}, sprintf("%s must be a number greater than 0", k)
			case k == "First":
				fd.first, fd.hasFirst = n, true
			default:
				fd.last, fd.hasLast = n, true
			}
		}
		if fd.hasFirst == fd.hasLast {
			return filterData{}, `must have exactly one of "First" or "Last"`
		}
		return fd, ""
	}}
}

// pastSeconds is a {"Past": n} filter: RealTimeCallContactPeriodSeconds (real-time
// sentiment), and the metric windows, which must be under 24 hours (< 86400) per
// OnMetricDataUpdate "Metric Data Update - Metric Filters".
func pastSeconds(typ string, below float64) filterDef {
	return filterDef{typ: typ, parse: func(d any) (filterData, string) {
		m, ok := d.(map[string]any)
		if !ok || len(m) != 1 {
			return filterData{}, `must be an object {"Past": seconds}`
		}
		n, ok := positive(m["Past"])
		if !ok || n >= below {
			return filterData{}, sprintf("Past must be a number greater than 0 and less than %v", below)
		}
		return filterData{past: n, hasPast: true}, ""
	}}
}

// oneOfData is a filter whose Data is a single string from a set.
func oneOfData(typ string, required bool, values ...string) filterDef {
	return filterDef{typ: typ, required: required, parse: func(d any) (filterData, string) {
		s, ok := d.(string)
		if !ok || !slices.Contains(values, s) {
			return filterData{}, "must be one of " + strings.Join(values, ", ")
		}
		return filterData{text: s}, ""
	}}
}

// patternLanguage is PatternMatchLanguageFilter ("PatternMatch" conditions).
func patternLanguage() filterDef {
	return oneOfData("PatternMatchLanguageFilter", false, "EN", "ES", "AR", "DE", "FR", "HI", "IT", "PT", "KO", "JA", "ZH")
}

// aiAgentFilters are the Connect AI Agent condition's filters: AiAgentUseCase is
// required with Data {"Value": "SelfService"|"AgentAssistance"}, AiAgentEscalatedToHuman
// is optional with Data "TRUE"|"FALSE".
func aiAgentFilters() []filterDef {
	useCase := filterDef{typ: "AiAgentUseCase", required: true, parse: func(d any) (filterData, string) {
		m, ok := d.(map[string]any)
		s, _ := m["Value"].(string)
		if !ok || len(m) != 1 || (s != "SelfService" && s != "AgentAssistance") {
			return filterData{}, `must be {"Value": "SelfService"} or {"Value": "AgentAssistance"}`
		}
		return filterData{text: s}, ""
	}}
	return []filterDef{useCase, oneOfData("AiAgentEscalatedToHuman", false, "TRUE", "FALSE")}
}

// stringList is a metric filter whose Data is a list of strings: min..max items, each
// from allowed when allowed is given.
func stringList(typ string, min, max int, allowed ...string) filterDef {
	return filterDef{typ: typ, parse: func(d any) (filterData, string) {
		list, ok := d.([]any)
		if !ok || len(list) < min || len(list) > max {
			if min == max {
				return filterData{}, sprintf("must be a list of exactly %d string", min)
			}
			return filterData{}, sprintf("must be a list of %d to %d strings", min, max)
		}
		var out []string
		for _, el := range list {
			s, ok := el.(string)
			if !ok || s == "" {
				return filterData{}, "must hold non-empty strings"
			}
			if len(allowed) > 0 && !slices.Contains(allowed, s) {
				return filterData{}, sprintf("has %q; allowed: %s", s, strings.Join(allowed, ", "))
			}
			out = append(out, s)
		}
		return filterData{values: out}, ""
	}}
}

// threshold is MetricDataThresholdSeconds: {"Comparison": "LT", "ThresholdValue": n}
// (`Comparison == "LT" only`).
func threshold() filterDef {
	return filterDef{typ: "MetricDataThresholdSeconds", parse: func(d any) (filterData, string) {
		m, ok := d.(map[string]any)
		n, okN := nonNegative(m["ThresholdValue"])
		if !ok || len(m) != 2 || m["Comparison"] != "LT" || !okN {
			return filterData{}, `must be {"Comparison": "LT", "ThresholdValue": seconds}`
		}
		return filterData{comparison: "LT", thresholdValue: n}, ""
	}}
}

// positive reads a JSON number greater than 0.
func positive(v any) (float64, bool) {
	n, ok := jsonNumber(v)
	return n, ok && n > 0
}

// nonNegative reads a JSON number of at least 0.
func nonNegative(v any) (float64, bool) {
	n, ok := jsonNumber(v)
	return n, ok && n >= 0
}

// jsonNumber reads a number from decoded rule JSON (json.Number, as Parse decodes).
func jsonNumber(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
}

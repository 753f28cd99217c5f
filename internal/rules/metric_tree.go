package rules

import (
	"reflect"
	"slices"
)

// checkMetricTree applies the OnMetricDataUpdate structure rules ("Metric Data Update -
// Rule Conditions" and "- MetricGroup"): the top level holds up to two MetricGroups, a
// MetricGroup is an AND/OR of up to 10 MetricConditions, the MetricDataGrouping sits on
// the top level only and every metric must support it, and within a MetricGroup the
// conditions share the same end dimension filter and the same metric window (all with
// the same one, or none).
func checkMetricTree(root *Node, path string) error {
	if len(root.Children) > metricGroupLimit {
		return errorf(join(path, "Operands"), "holds at most %d metric groups, got %d", metricGroupLimit, len(root.Children))
	}
	grouping := ""
	if root.FilterClause != nil {
		grouping = root.FilterClause.Filters[0].parsed.values[0]
	}
	for i, g := range root.Children {
		gPath := sprintf("%s.Operands[%d]", path, i)
		if !g.IsGroup() {
			return errorf(gPath, "must be a metric group (an AND or OR of metric conditions)")
		}
		if g.FilterClause != nil {
			return errorf(join(gPath, "FilterClause"), "MetricDataGrouping belongs on the top-level operator")
		}
		if len(g.Children) > metricConditionLimit {
			return errorf(join(gPath, "Operands"), "holds at most %d metric conditions, got %d", metricConditionLimit, len(g.Children))
		}
		if err := checkMetricGroup(g, gPath, grouping); err != nil {
			return err
		}
	}
	return nil
}

func checkMetricGroup(g *Node, path, grouping string) error {
	var dim, window *Filter
	for i, c := range g.Children {
		cPath := sprintf("%s.Operands[%d]", path, i)
		if c.IsGroup() {
			return errorf(cPath, "a metric group holds metric conditions, not another AND/OR")
		}
		m := c.spec.metric
		if grouping != "" && !slices.Contains(m.groupings, grouping) {
			return errorf(join(cPath, "ComparisonValue"), "%s does not support the %s end dimension", m.name, grouping)
		}
		d, w := metricFilterOf(c, m.endDims), metricFilterOf(c, []string{fDuration, fPeriod})
		if i == 0 {
			dim, window = d, w
			continue
		}
		if !sameFilter(dim, d) {
			return errorf(join(cPath, "FilterClause"), "all conditions of a metric group need the same end dimension filter")
		}
		if !sameFilter(window, w) {
			return errorf(join(cPath, "FilterClause"), "all conditions of a metric group need the same metric window (%s), or none", fDuration)
		}
	}
	return nil
}

// metricFilterOf returns the condition's filter of one of the types, if any.
func metricFilterOf(n *Node, types []string) *Filter {
	if n.FilterClause == nil {
		return nil
	}
	for i, f := range n.FilterClause.Filters {
		if slices.Contains(types, f.Type) {
			return &n.FilterClause.Filters[i]
		}
	}
	return nil
}

// sameFilter compares two optional filters by meaning; the two window names count as
// one.
func sameFilter(a, b *Filter) bool {
	if a == nil || b == nil {
		return a == b
	}
	ta, tb := a.Type, b.Type
	if ta == fPeriod {
		ta = fDuration
	}
	if tb == fPeriod {
		tb = fDuration
	}
	return ta == tb && reflect.DeepEqual(a.parsed, b.parsed)
}

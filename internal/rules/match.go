package rules

import (
	"maps"
	"slices"
	"strings"
)

// Match evaluates the function against an event document: the JSON the event carries,
// decoded with encoding/json into map[string]any (numbers as float64 or json.Number).
// See items.go for how the document must carry values and filter attributes.
func (f *Function) Match(event map[string]any) bool {
	if f == nil || f.Root == nil {
		return false
	}
	return evalNode(f.Root, evalCtx{event: event})
}

// evalCtx is the state of one evaluation.
type evalCtx struct {
	event map[string]any
	// bound pins lists to one element (pathString of the list -> index), see evalGroup.
	bound map[string]int
	// scope pins a metric end dimension (item attribute -> value), see evalGroup.
	scope map[string]string
}

func (c evalCtx) withBound(list string, i int) evalCtx {
	c.bound = maps.Clone(c.bound)
	if c.bound == nil {
		c.bound = map[string]int{}
	}
	c.bound[list] = i
	return c
}

func (c evalCtx) withScope(attr, value string) evalCtx {
	c.scope = maps.Clone(c.scope)
	if c.scope == nil {
		c.scope = map[string]string{}
	}
	c.scope[attr] = value
	return c
}

func evalNode(n *Node, c evalCtx) bool {
	var r bool
	if n.IsGroup() {
		r = evalGroup(n, c)
	} else {
		r = evalCondition(n, c)
	}
	return r != n.Negate
}

// evalGroup evaluates an AND/OR.
//
// Two documented compound forms need more than joining independent results:
//   - OnMetricDataUpdate's MetricDataGrouping (the end dimension): the group holds
//     when it holds for one entity of that dimension, all its conditions looking only
//     at that entity's items (e.g. one queue).
//   - OnContactEvaluationSubmit's form/section/question conditions ("a compound
//     condition format where Operator is an AND condition"): the section id and the
//     section score must be those of the same section. Decision: when two or more
//     conditions of an AND cross the same list in the event (the list of sections or
//     questions), the AND holds when it holds with every one of them looking at the
//     same element of that list.
func evalGroup(n *Node, c evalCtx) bool {
	if attr := groupingAttrOf(n); attr != "" && c.scope[attr] == "" {
		for _, v := range dimensionValues(n, c, attr) {
			if evalGroup(n, c.withScope(attr, v)) {
				return true
			}
		}
		return false
	}
	if n.Operator == OpAnd {
		if list, segs := sharedList(n, c); segs != nil {
			if elems, _ := resolve(c.event, segs, c.bound); len(asList(elems)) > 0 {
				for i := range asList(elems) {
					if evalGroup(n, c.withBound(list, i)) {
						return true
					}
				}
				return false
			}
		}
	}
	for _, child := range n.Children {
		r := evalNode(child, c)
		if n.Operator == OpOr && r {
			return true
		}
		if n.Operator == OpAnd && !r {
			return false
		}
	}
	return n.Operator == OpAnd
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// groupingAttrOf is the item attribute of a group's MetricDataGrouping, or "".
func groupingAttrOf(n *Node) string {
	if n.FilterClause == nil {
		return ""
	}
	for _, f := range n.FilterClause.Filters {
		if f.Type == fGrouping && len(f.parsed.values) == 1 {
			return groupingAttr(f.parsed.values[0])
		}
	}
	return ""
}

// dimensionValues lists the entities of a dimension that the group's conditions see.
func dimensionValues(n *Node, c evalCtx, attr string) []string {
	seen := map[string]bool{}
	var walkNode func(*Node)
	walkNode = func(m *Node) {
		if m.IsGroup() {
			for _, child := range m.Children {
				walkNode(child)
			}
			return
		}
		v, _ := resolve(c.event, m.path, c.bound)
		for _, it := range itemsOf(v) {
			if s := attrString(it, attr); s != "" {
				seen[s] = true
			}
		}
	}
	walkNode(n)
	return slices.Sorted(maps.Keys(seen))
}

// sharedList finds a list in the event that two or more of the group's conditions
// cross, and returns its pathString and path.
func sharedList(n *Node, c evalCtx) (string, []segment) {
	count := map[string]int{}
	var order []string
	paths := map[string][]segment{}
	for _, child := range n.Children {
		if child.IsGroup() {
			continue
		}
		i := firstUnboundList(c.event, child.path, c.bound)
		if i < 0 {
			continue
		}
		p := pathString(child.path[:i])
		if count[p] == 0 {
			order = append(order, p)
			paths[p] = child.path[:i]
		}
		count[p]++
	}
	for _, p := range order {
		if count[p] >= 2 {
			return p, paths[p]
		}
	}
	return "", nil
}

func evalCondition(n *Node, c evalCtx) bool {
	v, _ := resolve(c.event, n.path, c.bound)
	items := applyFilters(n, itemsOf(v), sectionLanguage(n, c))
	for attr, want := range c.scope {
		items = slices.DeleteFunc(items, func(it item) bool { return attrString(it, attr) != want })
	}
	return compare(n, items)
}

// sectionLanguage is the contact's language for PatternMatchLanguageFilter: the
// LanguageCode beside the condition's section, e.g. $.ContactLens.PostCall.LanguageCode.
func sectionLanguage(n *Node, c evalCtx) string {
	if len(n.path) < 3 {
		return ""
	}
	segs := append(slices.Clone(n.path[:2]), segment{key: "LanguageCode"})
	v, _ := resolve(c.event, segs, c.bound)
	s, _ := scalarString(v)
	return s
}

// compare applies the operator to the items that passed the filters; any one item
// satisfying it is enough.
func compare(n *Node, items []item) bool {
	s := n.spec
	if n.Operator == OpEquals && s.noValue && (len(n.Operands) == 0 || n.Operands[0] == "") {
		return !slices.ContainsFunc(items, func(it item) bool {
			str, ok := scalarString(it.value)
			return ok && str != ""
		})
	}
	return slices.ContainsFunc(items, func(it item) bool { return compareItem(n, it) })
}

// compareItem applies the operator to one item.
//
// Decision on case: words-and-phrases paths (transcripts, e-mail text, the semantic
// phrase) compare case-insensitively on words; CONTAINS (free-text case, Zendesk and
// Salesforce fields) compares case-insensitively, as a substring of a string or as an
// element of a list (Zendesk Tags); everything else (identifiers, ARNs, enums such as
// InitiationMethod, attribute values) compares exactly.
func compareItem(n *Node, it item) bool {
	s := n.spec
	if n.Operator == OpNumberGreaterOrEqualTo || n.Operator == OpNumberLessOrEqualTo {
		v, ok := number(it.value, s.kind == kindTime)
		if !ok || len(n.numbers) != 1 {
			return false
		}
		if n.Operator == OpNumberGreaterOrEqualTo {
			return v >= n.numbers[0]
		}
		return v <= n.numbers[0]
	}
	str, ok := scalarString(it.value)
	if !ok {
		return false
	}
	switch n.Operator {
	case OpContainsAny:
		switch s.kind {
		case kindText:
			tokens := words(str)
			return slices.ContainsFunc(n.Operands, func(op any) bool {
				return containsPhrase(tokens, words(op.(string)))
			})
		case kindPattern:
			tokens := words(str)
			return slices.ContainsFunc(n.patterns, func(p patternMatch) bool { return p.match(tokens) })
		}
		return slices.Contains(n.Operands, any(str))
	case OpEquals:
		want := n.Operands[0].(string)
		if s.kind == kindText {
			return sameText(str, want)
		}
		return str == want
	case OpContains:
		want := n.Operands[0].(string)
		if it.listed {
			return strings.EqualFold(str, want)
		}
		return strings.Contains(strings.ToLower(str), strings.ToLower(want))
	}
	return false
}

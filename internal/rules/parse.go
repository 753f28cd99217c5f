package rules

import (
	"encoding/json"
	"errors"
	"io"
	"slices"
	"sort"
	"strings"
)

// Parse parses and validates a rule Function string for an event source. Errors are
// *Error whose Path points at the offending part, for example
// `RuleFunction.Operands[1].Operator: unknown operator "STARTS"`.
func Parse(eventSource, function string) (*Function, error) {
	if !knownSource(eventSource) {
		return nil, errorf("EventSourceName", "unknown event source %q", eventSource)
	}
	doc, err := decodeStrict(function)
	if err != nil {
		return nil, errorf("Function", "is not valid JSON: %v", err)
	}
	root, ok := doc.(map[string]any)
	if !ok {
		return nil, errorf("Function", "must be a JSON object")
	}
	if err := onlyKeys(root, "", "Version", "RuleFunction"); err != nil {
		return nil, err
	}
	if v, ok := root["Version"].(string); !ok || v != Version {
		return nil, errorf("Version", "must be %q", Version)
	}
	rf, ok := root["RuleFunction"]
	if !ok {
		return nil, errorf("RuleFunction", "is required")
	}
	p := parser{source: eventSource}
	p.specs, p.documented = catalog(eventSource)
	node, err := p.node(rf, "RuleFunction")
	if err != nil {
		return nil, err
	}
	if !node.IsGroup() {
		return nil, errorf("RuleFunction.Operator", "the top-level operator must be AND or OR, not %q", node.Operator)
	}
	if eventSource == OnMetricDataUpdate {
		if err := checkMetricTree(node, "RuleFunction"); err != nil {
			return nil, err
		}
	}
	return &Function{Version: Version, EventSource: eventSource, Root: node}, nil
}

// decodeStrict decodes one JSON value, keeping numbers as json.Number so that
// integer operands can be told from fractional ones.
func decodeStrict(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

// parser carries what validation needs about the event source.
type parser struct {
	source     string
	specs      []spec
	documented bool
}

func (p *parser) node(v any, path string) (*Node, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errorf(path, "must be an object")
	}
	op, ok := obj["Operator"].(string)
	if !ok {
		return nil, errorf(join(path, "Operator"), "is required and must be a string")
	}
	switch op {
	case OpAnd, OpOr:
		return p.group(obj, op, path)
	case OpContainsAny, OpEquals, OpContains, OpNumberGreaterOrEqualTo, OpNumberLessOrEqualTo:
		return p.condition(obj, op, path)
	}
	return nil, errorf(join(path, "Operator"), "unknown operator %q", op)
}

// group parses an AND/OR. Decision: Negate is accepted on a group too (it inverts the
// group), since the Concepts page defines Negate without tying it to conditions.
func (p *parser) group(obj map[string]any, op, path string) (*Node, error) {
	if err := onlyKeys(obj, path, "Operator", "Operands", "FilterClause", "Negate"); err != nil {
		return nil, err
	}
	n := &Node{Operator: op}
	var err error
	if n.Negate, err = negate(obj, path); err != nil {
		return nil, err
	}
	list, ok := obj["Operands"].([]any)
	if !ok || len(list) == 0 {
		return nil, errorf(join(path, "Operands"), "must be a non-empty list of conditions")
	}
	for i, el := range list {
		child, err := p.node(el, sprintf("%s.Operands[%d]", path, i))
		if err != nil {
			return nil, err
		}
		n.Children = append(n.Children, child)
	}
	if fc, ok := obj["FilterClause"]; ok {
		if p.source != OnMetricDataUpdate {
			return nil, errorf(join(path, "FilterClause"), "is allowed on an AND/OR only for %s (MetricDataGrouping)", OnMetricDataUpdate)
		}
		if n.FilterClause, err = filterClause(fc, join(path, "FilterClause"), []filterDef{groupingFilter()}); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (p *parser) condition(obj map[string]any, op, path string) (*Node, error) {
	if err := onlyKeys(obj, path, "Operator", "Operands", "ComparisonValue", "FilterClause", "Negate"); err != nil {
		return nil, err
	}
	n := &Node{Operator: op}
	cvPath := join(path, "ComparisonValue")
	cv, ok := obj["ComparisonValue"].(string)
	if !ok {
		return nil, errorf(cvPath, "is required and must be a JSONPath string")
	}
	segs, err := parsePath(cv)
	if err != nil || !strings.HasPrefix(cv, "$.") {
		msg := "must start with $."
		if err != nil {
			msg = err.Error()
		}
		return nil, errorf(cvPath, "%q is not a valid JSONPath: %s", cv, msg)
	}
	n.ComparisonValue, n.path = cv, segs
	s, err := p.specFor(cv, segs, cvPath)
	if err != nil {
		return nil, err
	}
	n.spec = s
	if !slices.Contains(s.operators, op) {
		return nil, errorf(join(path, "Operator"), "operator %q is not allowed for %s (allowed: %s)", op, cv, strings.Join(s.operators, ", "))
	}
	if n.Negate, err = negate(obj, path); err != nil {
		return nil, err
	}
	if err := operands(n, obj["Operands"], join(path, "Operands")); err != nil {
		return nil, err
	}
	fcPath := join(path, "FilterClause")
	if fc, ok := obj["FilterClause"]; ok {
		if n.FilterClause, err = filterClause(fc, fcPath, s.filters); err != nil {
			return nil, err
		}
	}
	if err := requiredFilters(n, s, fcPath); err != nil {
		return nil, err
	}
	return n, nil
}

// specFor finds the spec of a ComparisonValue, or explains that the source has none.
func (p *parser) specFor(cv string, segs []segment, path string) (*spec, error) {
	if !p.documented {
		g := genericSpec(cv)
		return &g, nil
	}
	s := lookupSpec(p.specs, segs)
	if s == nil {
		return nil, errorf(path, "%q is not a ComparisonValue of %s", cv, p.source)
	}
	return s, nil
}

// requiredFilters checks the filters a spec requires, and the metric rules.
func requiredFilters(n *Node, s *spec, path string) error {
	var filters []Filter
	if n.FilterClause != nil {
		filters = n.FilterClause.Filters
	}
	for _, def := range s.filters {
		if !def.required {
			continue
		}
		if !slices.ContainsFunc(filters, func(f Filter) bool { return f.Type == def.typ }) {
			return errorf(path, "a %s filter is required for %s", def.typ, n.ComparisonValue)
		}
	}
	if s.metric != nil {
		if msg := s.metric.check(filters); msg != "" {
			return errorf(path, "%s", msg)
		}
	}
	return nil
}

// filterClause validates {"LogicOperator": "AND", "Filters": [{Type, Data}...]} against
// the filter types a ComparisonValue accepts.
func filterClause(v any, path string, allowed []filterDef) (*FilterClause, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errorf(path, "must be an object")
	}
	if err := onlyKeys(obj, path, "LogicOperator", "Filters"); err != nil {
		return nil, err
	}
	if obj["LogicOperator"] != OpAnd {
		return nil, errorf(join(path, "LogicOperator"), `must be "AND" (the only supported logic operator)`)
	}
	list, ok := obj["Filters"].([]any)
	if !ok || len(list) == 0 {
		return nil, errorf(join(path, "Filters"), "must be a non-empty list")
	}
	fc := &FilterClause{LogicOperator: OpAnd}
	for i, el := range list {
		fPath := sprintf("%s.Filters[%d]", path, i)
		f, err := filter(el, fPath, allowed)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(fc.Filters, func(g Filter) bool { return g.Type == f.Type }) {
			return nil, errorf(join(fPath, "Type"), "duplicate filter type %q", f.Type)
		}
		fc.Filters = append(fc.Filters, f)
	}
	return fc, nil
}

func filter(v any, path string, allowed []filterDef) (Filter, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return Filter{}, errorf(path, "must be an object")
	}
	if err := onlyKeys(obj, path, "Type", "Data"); err != nil {
		return Filter{}, err
	}
	typ, ok := obj["Type"].(string)
	if !ok {
		return Filter{}, errorf(join(path, "Type"), "is required and must be a string")
	}
	i := slices.IndexFunc(allowed, func(d filterDef) bool { return d.typ == typ })
	if i < 0 {
		var names []string
		for _, d := range allowed {
			names = append(names, d.typ)
		}
		if len(names) == 0 {
			return Filter{}, errorf(join(path, "Type"), "filter type %q is not allowed here (this condition takes no filters)", typ)
		}
		return Filter{}, errorf(join(path, "Type"), "filter type %q is not allowed here (allowed: %s)", typ, strings.Join(names, ", "))
	}
	data, ok := obj["Data"]
	if !ok {
		return Filter{}, errorf(join(path, "Data"), "is required")
	}
	parsed, msg := allowed[i].parse(data)
	if msg != "" {
		return Filter{}, errorf(join(path, "Data"), "%s", msg)
	}
	return Filter{Type: typ, Data: data, parsed: parsed}, nil
}

// negate reads the optional Negate flag. Decision: a missing Negate means false (every
// page example writes it, none says it is required).
func negate(obj map[string]any, path string) (bool, error) {
	v, ok := obj["Negate"]
	if !ok {
		return false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, errorf(join(path, "Negate"), "must be true or false")
	}
	return b, nil
}

// onlyKeys rejects keys the language does not define.
func onlyKeys(obj map[string]any, path string, allowed ...string) error {
	var unknown []string
	for k := range obj {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return errorf(join(path, unknown[0]), "unknown key (allowed: %s)", strings.Join(allowed, ", "))
}

// join appends a key to a dotted error path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

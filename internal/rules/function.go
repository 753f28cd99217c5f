package rules

// Version is the only Rules Function language version ("Example rule function":
// "Currently the only supported version is 2022-11-25").
const Version = "2022-11-25"

// Operators of the language. AND and OR join conditions ("Concepts": the very top
// Operator has to be either AND or OR); the others compare the value at a condition's
// ComparisonValue with its Operands. These are all the operators the condition pages
// use; CONTAINS appears only on the case, Zendesk and Salesforce pages.
const (
	OpAnd                    = "AND"
	OpOr                     = "OR"
	OpContainsAny            = "CONTAINS_ANY"
	OpEquals                 = "EQUALS"
	OpContains               = "CONTAINS"
	OpNumberGreaterOrEqualTo = "NumberGreaterOrEqualTo"
	OpNumberLessOrEqualTo    = "NumberLessOrEqualTo"
)

// Function is a parsed, validated rule function.
type Function struct {
	Version     string
	EventSource string
	// Root is the top-level AND/OR group.
	Root *Node
}

// Node is a group (Operator AND or OR over Children, as the top level and the
// compound conditions of OnContactEvaluationSubmit and OnMetricDataUpdate use) or a
// condition (any other Operator, comparing the value at ComparisonValue).
type Node struct {
	Operator string
	Negate   bool
	// FilterClause narrows a condition's value, or, on an OnMetricDataUpdate group,
	// names the end dimension (MetricDataGrouping).
	FilterClause *FilterClause

	// Children of a group.
	Children []*Node

	// ComparisonValue and Operands of a condition. Operands holds the decoded JSON
	// operands: strings, json.Number, or pattern-match operand arrays.
	ComparisonValue string
	Operands        []any

	path     []segment      // parsed ComparisonValue
	spec     *spec          // what the ComparisonValue accepts and how it compares
	numbers  []float64      // number operands, for the Number* operators
	patterns []patternMatch // pattern-match operands
}

// FilterClause is a condition's additional criteria. LogicOperator is always AND: the
// condition pages say `Only "AND" is supported`.
type FilterClause struct {
	LogicOperator string
	Filters       []Filter
}

// Filter is one criterion: Type names it, Data is its decoded JSON argument.
type Filter struct {
	Type string
	Data any

	parsed filterData
}

// IsGroup says whether n joins other nodes rather than comparing a value.
func (n *Node) IsGroup() bool { return n.Operator == OpAnd || n.Operator == OpOr }

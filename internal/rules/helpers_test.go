package rules

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loadEvent reads testdata/events/<source>.json, decoded as an event producer would:
// numbers as float64, or as json.Number when useNumber is set.
func loadEvent(t *testing.T, source string, useNumber bool) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "events", source+".json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if useNumber {
		dec.UseNumber()
	}
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%s: %v", source, err)
	}
	return m
}

// rule wraps conditions in a Version 2022-11-25 function with a top-level operator.
func rule(op string, operands ...string) string {
	return `{"Version":"2022-11-25","RuleFunction":` + group(op, operands...) + `}`
}

// and is rule("AND", ...), the common case.
func and(operands ...string) string { return rule("AND", operands...) }

// group is a nested AND/OR object.
func group(op string, operands ...string) string {
	return `{"Operator":"` + op + `","Operands":[` + strings.Join(operands, ",") + `]}`
}

// cond is one condition; extra holds further members such as `"Negate":true`.
func cond(op, cv, operands string, extra ...string) string {
	parts := append([]string{`"Operator":"` + op + `"`, `"ComparisonValue":"` + cv + `"`, `"Operands":` + operands}, extra...)
	return "{" + strings.Join(parts, ",") + "}"
}

// filters is a FilterClause member with the given filter objects.
func filters(fs ...string) string {
	return `"FilterClause":{"LogicOperator":"AND","Filters":[` + strings.Join(fs, ",") + `]}`
}

// f is one filter object; data is raw JSON.
func f(typ, data string) string { return `{"Type":"` + typ + `","Data":` + data + `}` }

// role is a FilterClause with one ParticipantRole filter.
func role(r string) string { return filters(f("ParticipantRole", `"`+r+`"`)) }

const negated = `"Negate":true`

func TestHelpers(t *testing.T) {
	if customer != role("CUSTOMER") {
		t.Fatalf("customer = %s, want %s", customer, role("CUSTOMER"))
	}
}

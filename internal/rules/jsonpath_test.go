package rules

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestLookup(t *testing.T) {
	event := map[string]any{
		"ContactLens": map[string]any{"Email": map[string]any{
			"InitiationMethod": "INBOUND",
			"ContactAttribute": map[string]any{"my key": "v", "n": json.Number("7")},
			"Sections":         []any{map[string]any{"Id": "s1"}, map[string]any{"Id": "s2"}, map[string]any{"Other": 1}},
		}},
		"Attributes": map[string]any{"foo": 1.5, "nil": nil},
	}
	tests := []struct {
		path   string
		want   any
		wantOK bool
	}{
		{"$.ContactLens.Email.InitiationMethod", "INBOUND", true},
		{"$.Attributes.foo", 1.5, true},
		{"$['Attributes']['foo']", 1.5, true},
		{`$.ContactLens.Email.ContactAttribute["my key"]`, "v", true},
		{"$.ContactLens.Email.ContactAttribute.n", json.Number("7"), true},
		{"$.ContactLens.Email.Sections[1].Id", "s2", true},
		{"$.ContactLens.Email.Sections.Id", []any{"s1", "s2"}, true},
		{"$.ContactLens.Email.Sections[5].Id", nil, false},
		{"$.Attributes.nil", nil, false},
		{"$.Attributes.missing", nil, false},
		{"$.Attributes.foo.deeper", nil, false},
		{"Attributes.foo", nil, false},
		{"$.Attributes.", nil, false},
		{"$", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, ok := Lookup(event, tt.path)
			if ok != tt.wantOK || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Lookup = %#v, %v; want %#v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestCatalogs checks every encoded ComparisonValue parses and is found again: a typo
// in a table would otherwise only make the path unusable.
func TestCatalogs(t *testing.T) {
	for _, source := range EventSources() {
		specs, documented := catalog(source)
		if documented != (len(specs) > 0) {
			t.Errorf("%s: documented=%v with %d specs", source, documented, len(specs))
		}
		for _, s := range specs {
			path := s.path
			if s.keyed {
				path += ".someKey"
			}
			segs, err := parsePath(path)
			if err != nil {
				t.Errorf("%s: %s: %v", source, path, err)
				continue
			}
			if got := lookupSpec(specs, segs); got == nil || got.path != s.path {
				t.Errorf("%s: %s resolves to %+v", source, path, got)
			}
			if len(s.operators) == 0 {
				t.Errorf("%s: %s has no operators", source, path)
			}
		}
	}
}

package rules

// caseSpecs encodes the OnCaseCreate and OnCaseUpdate pages (APIReference
// OnCaseCreate.html, OnCaseUpdate.html), which list the same conditions.
//
// Decision: summary, reference number and custom fields take CONTAINS (case-insensitive
// substring) or EQUALS (exact); the date/time fields take Number operators whose
// operands may be RFC 3339 strings ("interpreted as a numeric value").
func caseSpecs() []spec {
	const p = "$.Case.Fields."
	containsOrEquals := func(path string) spec {
		return spec{path: path, operators: []string{OpContains, OpEquals}, kind: kindID}
	}
	caseTime := func(path string) spec {
		s := anyNumber(path)
		s.kind = kindTime
		return s
	}
	return []spec{
		ids(p + "assigned_queue"),
		ids(p + "assigned_user"),
		equalsOne(p + "case_reason"),
		equalsOne(p + "status"),
		containsOrEquals(p + "summary"),
		caseTime(p + "last_closed_datetime"),
		caseTime(p + "last_updated_datetime"),
		caseTime(p + "created_datetime"),
		containsOrEquals(p + "reference_number"),
		keyed(containsOrEquals("$.Case.Fields")),
		ids("$.Case.TemplateId"),
	}
}

// slaBreachSpecs encodes the OnSlaBreach page: the case SLA name condition.
func slaBreachSpecs() []spec {
	return []spec{ids("$.RelatedItem.SlaConfiguration.Name")}
}

package rules

// zendeskSpecs encodes the OnZendeskTicketCreate and OnZendeskTicketStatusUpdate pages
// (APIReference OnZendeskTicketCreate.html, OnZendeskTicketStatusUpdate.html): EQUALS
// with one operand on every field, enums for type, priority and status, and CONTAINS
// for tags.
func zendeskSpecs(prefix string) []spec {
	return []spec{
		enumSpec(prefix+"Type", []string{OpEquals}, "question", "incident", "problem", "task"),
		enumSpec(prefix+"Priority", []string{OpEquals}, "low", "normal", "high", "urgent"),
		enumSpec(prefix+"Status", []string{OpEquals}, "open", "pending", "solved", "close", "hold"),
		equalsOne(prefix + "RequesterId"),
		equalsOne(prefix + "SubmitterId"),
		equalsOne(prefix + "AssigneeId"),
		equalsOne(prefix + "OrganizationId"),
		equalsOne(prefix + "BrandId"),
		equalsOne(prefix + "FormId"),
		equalsOne(prefix + "ExternalId"),
		equalsOne(prefix + "Channel"),
		{path: prefix + "Tags", operators: []string{OpContains}, kind: kindID},
	}
}

// salesforceSpecs encodes the OnSalesforceCaseCreate page (APIReference
// OnSalesforceCaseCreate.html).
func salesforceSpecs() []spec {
	const p = "$.ThirdParty.Salesforce.CaseCreate."
	either := func(path string) spec {
		return spec{path: path, operators: []string{OpEquals, OpContains}, kind: kindID}
	}
	return []spec{
		equalsOne(p + "AccountId"),
		either(p + "Name"),
		either(p + "Email"),
		either(p + "Phone"),
		either(p + "Company"),
		equalsOne(p + "Type"),
		equalsOne(p + "Reason"),
		equalsOne(p + "Origin"),
		either(p + "Subject"),
		equalsOne(p + "Priority"),
		either(p + "Description"),
		keyed(equalsOne(p + "CustomAttribute")),
	}
}

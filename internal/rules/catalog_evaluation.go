package rules

// evaluationSpecs encodes the OnContactEvaluationSubmit page (APIReference
// OnContactEvaluationSubmit.html). Form, section and question conditions are used in
// compound AND groups ("form score", "section score", "question and answer"); Match
// binds a section or question list element across such a group (see match.go).
//
// Decision: the page shows the queue condition only as EQUALS with no value; a single
// queue id is accepted too (EQUALS with one operand), as on the other pages' queue
// conditions. Scores and numeric answers take any number.
func evaluationSpecs() []spec {
	const p = "$.ContactLens.ContactEvaluation."
	specs := contactSpecs(p)
	return append(specs,
		equalsOne(p+"Form.FormId"),
		anyNumber(p+"Form.Score"),
		equalsOne(p+"Section.SectionRefId"),
		anyNumber(p+"Section.Score"),
		equalsOne(p+"Question.QuestionRefId"),
		anyNumber(p+"Question.Answer.Value"),
		equalsOne(p+"Question.Answer.ValueRefId"),
		spec{path: p + "Queue.QueueId", operators: []string{OpEquals}, kind: kindID, noValue: true},
	)
}

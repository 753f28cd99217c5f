package rules

import "strings"

// Inject replaces the variable references in a task action string (Name, Description,
// a reference's Value; also a notification's Subject and Content) with values from the
// event. A reference is a JSONPath written inline, as in the admin guide's example
// "... with agent $.ContactLens.PostCall.Agent.AgentId in the contact
// $.ContactLens.PostCall.ContactId" (page "contact-lens-variable-injection", which
// lists the paths per event source, e.g. $.ContactLens.PostChat.Queue.QueueId,
// $.ThirdParty.Salesforce.CaseCreate.CaseNumber, $.ThirdParty.Zendesk.TicketCreate.Id).
//
// Decisions where the page is silent:
//   - A reference is "$" followed by ".Name" steps (letters, digits, _) and bracket
//     steps; a dot not followed by a name ends it, so a sentence may end right after a
//     reference.
//   - Any path the event resolves is injected, not only the listed ones (the lists are
//     what Amazon Connect events carry). A string, number or bool is written as text;
//     a list of those is joined with ", ".
//   - A reference that resolves to nothing, null, or an object stays as written, so the
//     reader sees which variable was missing rather than a silent gap.
func Inject(template string, event map[string]any) string {
	var b strings.Builder
	for i := 0; i < len(template); {
		n := referenceLen(template[i:])
		if n == 0 {
			b.WriteByte(template[i])
			i++
			continue
		}
		ref := template[i : i+n]
		if v, ok := Lookup(event, ref); ok {
			if s, ok := injectable(v); ok {
				b.WriteString(s)
				i += n
				continue
			}
		}
		b.WriteString(ref)
		i += n
	}
	return b.String()
}

// referenceLen is the length of the JSONPath reference at the start of s, or 0.
func referenceLen(s string) int {
	if !strings.HasPrefix(s, "$.") && !strings.HasPrefix(s, "$[") {
		return 0
	}
	i, steps := 1, 0
	for i < len(s) {
		switch {
		case s[i] == '.' && i+1 < len(s) && isNameByte(s[i+1]):
			j := i + 1
			for j < len(s) && isNameByte(s[j]) {
				j++
			}
			i, steps = j, steps+1
		case s[i] == '[' || (s[i] == '.' && i+1 < len(s) && s[i+1] == '['):
			start := i
			if s[i] == '.' {
				start++
			}
			_, n, err := parseBracket(s[start:])
			if err != nil {
				return stepsLen(steps, i)
			}
			i, steps = start+n, steps+1
		default:
			return stepsLen(steps, i)
		}
	}
	return stepsLen(steps, i)
}

func stepsLen(steps, n int) int {
	if steps == 0 {
		return 0
	}
	return n
}

func isNameByte(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// injectable renders a resolved value, or says it cannot be written as text.
func injectable(v any) (string, bool) {
	if s, ok := scalarString(v); ok {
		return s, true
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return "", false
	}
	parts := make([]string, 0, len(list))
	for _, el := range list {
		s, ok := scalarString(el)
		if !ok {
			return "", false
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", "), true
}

package connect

import (
	"context"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// Limits Connect documents for a contact's data.
const (
	maxReferenceBytes = 4096  // "up to 4,096 UTF-8 bytes across all references for a contact"
	maxAttributeBytes = 32768 // "up to 32,768 UTF-8 bytes across all key-value pairs per contact"
)

// The reference types each way of starting a contact accepts, as its documentation lists them.
// StartTaskContact, StartOutboundVoiceContact, StartWebRTCContact and UpdateContact take
// the same five; CreateContact adds ATTACHMENT for tasks; StartEmailContact drops EMAIL.
var (
	taskReferenceTypes       = []string{"URL", "NUMBER", "STRING", "DATE", "EMAIL"}
	createTaskReferenceTypes = []string{"URL", "NUMBER", "STRING", "DATE", "EMAIL", "ATTACHMENT"}
	emailReferenceTypes      = []string{"URL", "NUMBER", "STRING", "DATE"}
)

var (
	attributeKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	epochValue   = regexp.MustCompile(`^[0-9]{1,13}(\.[0-9]+)?$`)
)

// checkReferences enforces the reference types a start operation allows, that each value
// is what its type says, and the 4,096-byte total across the contact's references
// (existing ones included).
func checkReferences(refs map[string]api.Reference, allowed []string, existing map[string]api.Reference) error {
	for _, name := range sortedKeys(refs) {
		r := refs[name]
		if !slices.Contains(allowed, r.Type) {
			return api.Errorf(api.InvalidRequest, "Reference %s has type %s, which this operation does not accept; allowed: %v", name, r.Type, allowed)
		}
		if err := checkReferenceValue(name, r); err != nil {
			return err
		}
	}
	total := 0
	for name, r := range existing {
		if _, replaced := refs[name]; !replaced {
			total += len(name) + len(r.Value)
		}
	}
	for name, r := range refs {
		total += len(name) + len(r.Value)
	}
	if total > maxReferenceBytes {
		return api.Errorf(api.InvalidRequest, "References of a contact may hold at most %d UTF-8 bytes in all; these hold %d", maxReferenceBytes, total)
	}
	return nil
}

func checkReferenceValue(name string, r api.Reference) error {
	bad := func(want string) error {
		return api.Errorf(api.InvalidRequest, "Reference %s of type %s must have a value that is %s, not %q", name, r.Type, want, r.Value)
	}
	switch r.Type {
	case "URL", "ATTACHMENT":
		u, err := url.Parse(r.Value)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return bad("an absolute URL")
		}
	case "DATE":
		if !epochValue.MatchString(r.Value) {
			return bad("an epoch timestamp")
		}
	case "EMAIL":
		if a, err := mail.ParseAddress(r.Value); err != nil || a.Address != r.Value {
			return bad("an email address")
		}
	case "NUMBER":
		if _, err := strconv.ParseFloat(r.Value, 64); err != nil {
			return bad("a number")
		}
	}
	return nil
}

// checkAttributes enforces Connect's attribute rules: keys of letters, digits, '-' and
// '_' only, and at most 32,768 UTF-8 bytes across all pairs.
func checkAttributes(attrs map[string]string) error {
	total := 0
	for _, k := range sortedKeys(attrs) {
		if !attributeKey.MatchString(k) {
			return api.Errorf(api.InvalidRequest, "Attribute key %q may contain only letters, digits, '-' and '_'", k)
		}
		total += len(k) + len(attrs[k])
	}
	if total > maxAttributeBytes {
		return api.Errorf(api.InvalidRequest, "Attributes of a contact may hold at most %d UTF-8 bytes in all; these hold %d", maxAttributeBytes, total)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ListContactReferences lists the references of the requested types as one-member
// unions. NextToken is always null, as the model says.
func (s *Service) ListContactReferences(ctx context.Context, in *api.ListContactReferencesRequest) (*api.ListContactReferencesResponse, error) {
	out := &api.ListContactReferencesResponse{ReferenceSummaryList: []api.ReferenceSummary{}}
	err := s.store.View(ctx, func(tx store.Tx) error {
		// Of the contact, only these: the rest of its document is not decoded.
		var c struct {
			References       map[string]api.Reference
			AnalysisRedacted bool
		}
		if _, err := s.instanceContactInto(ctx, tx, in.InstanceId, in.ContactId, &c); err != nil {
			return err
		}
		for _, name := range sortedKeys(c.References) {
			r := c.References[name]
			if slices.Contains(in.ReferenceTypes, r.Type) {
				if sum, ok := referenceSummary(name, r, c.AnalysisRedacted); ok {
					out.ReferenceSummaryList = append(out.ReferenceSummaryList, sum)
				}
			}
		}
		return nil
	})
	return out, err
}

// referenceSummary puts a reference in the union member of its type. redacted says
// whether a CONTACT_ANALYSIS was made with redaction on.
func referenceSummary(name string, r api.Reference, redacted bool) (api.ReferenceSummary, bool) {
	email := &api.EmailMessageReference{Name: name, Arn: r.Arn}
	switch r.Type {
	case "URL":
		return api.ReferenceSummary{Url: &api.UrlReference{Name: name, Value: r.Value}}, true
	case "ATTACHMENT":
		return api.ReferenceSummary{Attachment: &api.AttachmentReference{Name: name, Value: r.Value, Status: r.Status, Arn: r.Arn}}, true
	case "STRING":
		return api.ReferenceSummary{String: &api.StringReference{Name: name, Value: r.Value}}, true
	case "NUMBER":
		return api.ReferenceSummary{Number: &api.NumberReference{Name: name, Value: r.Value}}, true
	case "DATE":
		return api.ReferenceSummary{Date: &api.DateReference{Name: name, Value: r.Value}}, true
	case "EMAIL":
		return api.ReferenceSummary{Email: &api.EmailReference{Name: name, Value: r.Value}}, true
	case "EMAIL_MESSAGE":
		return api.ReferenceSummary{EmailMessage: email}, true
	case "EMAIL_MESSAGE_REDACTED":
		return api.ReferenceSummary{EmailMessageRedacted: email}, true
	case "EMAIL_MESSAGE_PLAIN_TEXT":
		return api.ReferenceSummary{EmailMessagePlainText: email}, true
	case "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED":
		return api.ReferenceSummary{EmailMessagePlainTextRedacted: email}, true
	case "CONTACT_ANALYSIS":
		return api.ReferenceSummary{ContactAnalysis: &api.ContactAnalysisReference{
			Name: name, Value: r.Value, Status: r.Status, Arn: r.Arn, AnalyticsMode: "ContactLens", IsRedacted: api.Bool(redacted),
		}}, true
	}
	return api.ReferenceSummary{}, false
}

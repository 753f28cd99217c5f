package connect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/emailanalytics"
	"github.com/connectlocal/connectlocal/internal/rules"
	"github.com/connectlocal/connectlocal/internal/store"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// Contact Lens conversational analytics for email. Every inbound email is stored as two
// attached files of its contact (the message document and its plain text). A durable job
// reads the outbox and, when an instance's settings say so, analyses the email: it
// redacts PII into EMAIL_MESSAGE_REDACTED and EMAIL_MESSAGE_PLAIN_TEXT_REDACTED, writes
// the CONTACT_ANALYSIS file (categories decided by the instance's rules), and puts an
// OnEmailAnalysisAvailable event on the outbox for the rules engine. Each email is
// analysed in one transaction with the job's cursor, so a restart mid-way redoes it once.

const (
	analyticsConsumer           = "email-analytics"
	EventEmailAnalysisAvailable = "OnEmailAnalysisAvailable"
	analysisVersion             = "EMAIL-2026-01-01"
)

// MessageDocument is the EMAIL_MESSAGE file: an inbound email as JSON.
type MessageDocument struct {
	ContactId    string            `json:"ContactId"`
	InstanceId   string            `json:"InstanceId"`
	From         Address           `json:"From"`
	To           []Address         `json:"To"`
	Cc           []Address         `json:"Cc"`
	Subject      string            `json:"Subject"`
	ContentType  string            `json:"ContentType"`
	Headers      map[string]string `json:"Headers"`
	Body         string            `json:"Body"`
	ReceivedTime string            `json:"ReceivedTime"`
}

// Address is an email address with its display name.
type Address struct {
	Address     string `json:"Address"`
	DisplayName string `json:"DisplayName,omitempty"`
}

func addresses(list []api.EmailAddressInfo) []Address {
	out := make([]Address, 0, len(list))
	for _, a := range list {
		out = append(out, Address{Address: a.EmailAddress, DisplayName: a.DisplayName})
	}
	return out
}

func messageDocument(c *contactRecord, instance, body string) MessageDocument {
	m := c.EmailMessage
	headers := m.Headers
	if headers == nil {
		headers = map[string]string{}
	}
	return MessageDocument{
		ContactId: c.Id, InstanceId: instance, From: Address{Address: m.From.EmailAddress, DisplayName: m.From.DisplayName},
		To: addresses(m.To), Cc: addresses(m.Cc), Subject: m.Subject, ContentType: m.ContentType, Headers: headers,
		Body: body, ReceivedTime: api.ISOTime(m.ReceivedAt),
	}
}

// messageFileSuffix follows the contact's ID in the name of its EMAIL_MESSAGE file, which
// is also the name of its reference.
const messageFileSuffix = "_message.json"

// messageFiles returns the EMAIL_MESSAGE and EMAIL_MESSAGE_PLAIN_TEXT files of a new
// email contact, its body at hand.
func messageFiles(c *contactRecord, instance string) ([]systemFile, error) {
	doc, err := indentJSON(messageDocument(c, instance, c.EmailMessage.Body))
	if err != nil {
		return nil, err
	}
	plain := emailanalytics.PlainText(c.EmailMessage.ContentType, c.EmailMessage.Body)
	return []systemFile{
		{c.Id + messageFileSuffix, "EMAIL_MESSAGE", "application/json", doc},
		{c.Id + "_plain_text.txt", "EMAIL_MESSAGE_PLAIN_TEXT", "text/plain; charset=utf-8", []byte(plain)},
	}, nil
}

// indentJSON writes v as indented JSON for people to read, as encoding/json's Encoder
// with SetIndent writes it but leaving HTML as it is (no \u003c escapes in an email
// body). JSON v2's encoder, with v1's options, writes the same bytes in one pass
// (TestIndentedJSONIsEncodingJSONs), in two thirds of the time of encoding/json and an
// indenting pass over its output.
func indentJSON(v any) ([]byte, error) {
	b, err := jsonv2.Marshal(v, jsonv1.DefaultOptionsV1(), jsontext.Multiline(true), jsontext.WithIndent("  "), jsontext.EscapeForHTML(false))
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// attach stores a system file of the contact and a reference of the same type to it.
func (s *Service) attach(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord, name, useCase, contentType string, content []byte) error {
	staged, err := s.stageSystemFiles(ctx, tx, account, instance, systemFile{name, useCase, contentType, content})
	if err != nil {
		return err
	}
	return s.attachStaged(ctx, tx, account, instance, c, staged[0])
}

// attachStaged records a staged system file of the contact and a reference of the same
// type to it.
func (s *Service) attachStaged(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord, f stagedFile) error {
	arn, err := s.recordSystemFile(ctx, tx, account, instance, c.Arn, f)
	if err != nil {
		return err
	}
	if c.References == nil {
		c.References = map[string]api.Reference{}
	}
	c.References[f.name] = api.Reference{Type: f.useCase, Arn: arn, Status: "APPROVED", Value: f.name}
	return nil
}

// RunAnalytics analyses emails every interval (or when woken) until ctx ends.
func (s *Service) RunAnalytics(ctx context.Context, interval time.Duration) {
	s.runLoop(ctx, interval, "email analytics", s.outbox.wait, s.ProcessEmailAnalytics)
}

// ProcessEmailAnalytics handles the outbox events after the job's cursor and returns how
// many emails it analysed. The slow part of an analysis, redacting the email and storing
// the redacted files, is prepared before the transaction that records it, so that it
// does not hold the store's one writer (see consume).
func (s *Service) ProcessEmailAnalytics(ctx context.Context) (int, error) {
	prepare := func(ctx context.Context, e store.Event) (any, error) {
		if !emailEvent(e) {
			return nil, nil
		}
		s.yieldToRequests(ctx)
		var c *contactRecord
		var settings EmailAnalyticsSettings
		var body string
		err := s.store.View(ctx, func(tx store.Tx) error {
			var err error
			if c, settings, err = toAnalyze(ctx, tx, e); c == nil || err != nil {
				return err
			}
			body, err = s.emailBody(ctx, tx, e.Account, e.Instance, c)
			return err
		})
		if c == nil || err != nil {
			return nil, err
		}
		return s.redactEmail(ctx, nil, e.Account, e.Instance, c, body, settings)
	}
	handle := func(ctx context.Context, tx store.Tx, e store.Event, prepared any) (bool, error) {
		c, settings, err := toAnalyze(ctx, tx, e)
		if c == nil || err != nil {
			return false, err
		}
		red, _ := prepared.(*redactedEmail)
		if !red.matches(c, settings) { // nothing prepared, or for other settings than these
			body, err := s.emailBody(ctx, tx, e.Account, e.Instance, c)
			if err != nil {
				return false, err
			}
			if red, err = s.redactEmail(ctx, tx, e.Account, e.Instance, c, body, settings); err != nil {
				return false, err
			}
		}
		return true, s.analyze(WithCaller(ctx, Caller{Account: e.Account, AccessKeyID: "connectlocal-analytics"}), tx, e.Account, e.Instance, c, settings, red)
	}
	return s.consumePrepared(ctx, analyticsConsumer, prepare, handle)
}

// toAnalyze returns the email an event asks the job to analyse, with its instance's
// settings, or a nil contact.
func toAnalyze(ctx context.Context, tx store.Tx, e store.Event) (*contactRecord, EmailAnalyticsSettings, error) {
	var none EmailAnalyticsSettings
	if !emailEvent(e) {
		return nil, none, nil
	}
	var c contactRecord
	err := load(ctx, tx, contactKey(e.Account, e.Instance, e.Subject), &c, "Contact")
	if isNotFound(err) {
		return nil, none, nil
	}
	if err != nil || c.EmailMessage == nil || c.AnalysisFileArn != "" {
		return nil, none, err
	}
	settings, err := analyticsSettings(ctx, tx, e.Account, e.Instance)
	if err != nil {
		return nil, none, err
	}
	want := map[string]string{EventContactCreated: AnalyzeOnArrival, EventContactEnded: AnalyzeOnContactEnd}[e.Type]
	if !settings.Enabled || settings.Trigger != want {
		return nil, none, nil
	}
	return &c, settings, nil
}

// emailEvent reports whether an event is the creation or end of an email contact, from
// its payload (a contactEvent, or the whole contact in events stored before): one
// without an EmailMessage is no email, and needs no load (this runs for every contact
// created or ended).
func emailEvent(e store.Event) bool {
	return (e.Type == EventContactCreated || e.Type == EventContactEnded) && bytes.Contains(e.Payload, []byte(`"EmailMessage"`))
}

// redactedEmail is the part of an email's analysis that depends only on the message
// (which never changes) and the settings: its plain text, and with redaction, the
// redacted files and the entities found. The files are stored but not yet recorded
// (staged), or, where the blob store writes in transactions, left for the transaction
// that records them (unstaged).
type redactedEmail struct {
	contactID string
	settings  EmailAnalyticsSettings
	plain     string
	// threadLine is the email's line in its thread's summary (see chainSummary).
	threadLine string
	staged     []stagedFile // EMAIL_MESSAGE_REDACTED, EMAIL_MESSAGE_PLAIN_TEXT_REDACTED; none with Policy None
	unstaged   []systemFile // those of them left for the transaction that records them
	counts     map[string]int
	message    MessageDocument // the redacted message; none with Policy None
}

// matches reports whether r was prepared for this contact with these settings.
func (r *redactedEmail) matches(c *contactRecord, settings EmailAnalyticsSettings) bool {
	return r != nil && r.contactID == c.Id && reflect.DeepEqual(r.settings, settings)
}

// redactEmail redacts an email and stages the redacted files (see stageSystemFiles),
// in tx if it is given; outside a transaction, a blob store that writes in transactions
// gets the files it holds there only in the one that records them (see beforeTx).
func (s *Service) redactEmail(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord, body string, settings EmailAnalyticsSettings) (*redactedEmail, error) {
	msg := messageDocument(c, instance, body)
	parsed := emailanalytics.ParseBody(msg.ContentType, msg.Body)
	plain := parsed.PlainText()
	r := &redactedEmail{contactID: c.Id, settings: settings, plain: plain, counts: map[string]int{}}
	if settings.Policy == "None" {
		r.threadLine = emailLine(c.EmailMessage, plain, settings)
		return r, nil
	}
	redacted, plainRedacted := redactMessage(redactor(settings), msg, parsed, r.plain, r.counts)
	r.message = redacted
	// emailLine would redact the same sender, subject and plain text again, the slowest
	// part of an analysis after the message's own redaction.
	from := redacted.From.Address
	if msg.From.DisplayName != "" {
		from = redacted.From.DisplayName
	}
	r.threadLine = formatEmailLine(c.EmailMessage.ReceivedAt, from, redacted.Subject, plainRedacted)
	doc, err := indentJSON(redacted)
	if err != nil {
		return nil, err
	}
	files := []systemFile{
		{c.Id + "_message_redacted.json", "EMAIL_MESSAGE_REDACTED", "application/json", doc},
		{c.Id + "_plain_text_redacted.txt", "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED", "text/plain; charset=utf-8", []byte(plainRedacted)},
	}
	if tx == nil { // before the transaction: store only what it would not hold
		var early []systemFile
		early, r.unstaged = s.beforeTx(files)
		r.staged, err = s.stageSystemFiles(ctx, nil, account, instance, early...)
		return r, err
	}
	r.staged, err = s.stageSystemFiles(ctx, tx, account, instance, files...)
	return r, err
}

// analyze records the redacted files, writes the analysis file and the event of one
// email, in the job's transaction.
func (s *Service) analyze(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord, settings EmailAnalyticsSettings, red *redactedEmail) error {
	plain, counts := red.plain, red.counts
	redacting := settings.Policy != "None"
	inputs := inputFiles(c) // the files read, even those RedactedOnly removes below
	staged, err := s.stageSystemFiles(ctx, tx, account, instance, red.unstaged...)
	if err != nil {
		return err
	}
	for _, f := range append(slices.Clip(red.staged), staged...) {
		if err := s.attachStaged(ctx, tx, account, instance, c, f); err != nil {
			return err
		}
	}
	if settings.Policy == "RedactedOnly" {
		if err := s.dropOriginals(ctx, tx, account, instance, c); err != nil {
			return err
		}
	}
	attrs, err := chain(ctx, tx, account, instance, c)
	if err != nil {
		return err
	}
	event, err := emailAnalysisEvent(c, instance, c.EmailMessage.Subject, plain, attrs.Attributes)
	if err != nil {
		return err
	}
	categories, err := s.categories(ctx, tx, account, instance, c.Id, event)
	if err != nil {
		return err
	}
	summary, err := s.chainSummary(ctx, tx, account, instance, c, settings, red.threadLine)
	if err != nil {
		return err
	}
	analysis := map[string]any{
		"Version": analysisVersion, "Channel": "EMAIL", "AccountId": account,
		"Configuration": map[string]any{
			"ChannelConfiguration": map[string]any{"AnalyticsModes": []string{"ContactLens"}},
			"LanguageLocale":       settings.LanguageLocale,
			"RedactionConfiguration": map[string]any{
				"Behavior": map[bool]string{true: "Enable", false: "Disable"}[redacting], "Policy": settings.Policy,
				"Entities": settings.Entities, "MaskMode": settings.MaskMode,
			},
			"SummaryConfiguration": map[string]any{"SummaryModes": []string{"ContactChain"}},
		},
		"CustomerMetadata":    map[string]any{"ContactId": c.Id, "InstanceId": instance, "InputFiles": inputs},
		"Categories":          categories,
		"ContactChainSummary": summary,
		"Redaction":           map[string]any{"EntitiesFound": entityCounts(counts)},
	}
	doc, err := indentJSON(analysis)
	if err != nil {
		return err
	}
	if err := s.attach(ctx, tx, account, instance, c, c.Id+"_analysis.json", "CONTACT_ANALYSIS", "application/json", doc); err != nil {
		return err
	}
	c.AnalysisFileArn, c.AnalysisRedacted = c.References[c.Id+"_analysis.json"].Arn, redacting
	if settings.Policy == "RedactedOnly" { // last: the rules' event above matches the original
		c.EmailMessage = keptMessage(c.EmailMessage, red.message)
	}
	if err := s.saveContact(ctx, tx, account, instance, c, EventContactUpdated); err != nil {
		return err
	}
	_, err = tx.AppendEvent(ctx, store.Event{Type: EventEmailAnalysisAvailable, Account: account, Instance: instance, Subject: c.Id, Payload: event, Time: s.now()})
	return err
}

// redactMessage returns the redacted message document and plain text, adding what it
// found to counts. The subject, display names, addresses and headers are redacted as
// well as the body; the HTML keeps its structure.
func redactMessage(red emailanalytics.Redactor, msg MessageDocument, body *emailanalytics.Body, plain string, counts map[string]int) (MessageDocument, string) {
	count := func(ents []emailanalytics.Entity) {
		for _, e := range ents {
			counts[e.Type]++
		}
	}
	text := func(s string) string {
		out, _ := red.RedactText(s)
		return out
	}
	out := msg
	var ents []emailanalytics.Entity
	out.Subject, ents = red.RedactText(msg.Subject)
	count(ents)
	redacted := red.Redact(body, plain)
	count(redacted.Entities) // the body's entities, counted once, from the text a person reads
	out.Body = redacted.Body
	addr := func(a Address) Address {
		r := Address{Address: text(a.Address), DisplayName: a.DisplayName}
		if a.DisplayName != "" {
			var e []emailanalytics.Entity
			r.DisplayName, e = red.RedactText(a.DisplayName)
			count(e)
		}
		return r
	}
	out.From = addr(msg.From)
	out.To, out.Cc = []Address{}, []Address{}
	for _, a := range msg.To {
		out.To = append(out.To, addr(a))
	}
	for _, a := range msg.Cc {
		out.Cc = append(out.Cc, addr(a))
	}
	out.Headers = map[string]string{}
	for k, v := range msg.Headers {
		out.Headers[k] = text(v)
	}
	return out, redacted.PlainText
}

// dropOriginals removes the unredacted files and their references (Policy RedactedOnly).
func (s *Service) dropOriginals(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord) error {
	for name, r := range c.References {
		if r.Type != "EMAIL_MESSAGE" && r.Type != "EMAIL_MESSAGE_PLAIN_TEXT" {
			continue
		}
		if err := s.deleteFile(ctx, tx, account, instance, idFromARN(r.Arn)); err != nil && !isNotFound(err) {
			return err
		}
		delete(c.References, name)
	}
	return nil
}

// keptMessage is the message an email contact keeps under Policy RedactedOnly, where only
// the redacted files are kept: the redacted message in place of the original, down to the
// body record (saveContact writes the body given) and the headers. What later reads it,
// the thread summaries of the emails that follow, then sees only what was redacted. The
// contact's endpoints and recipients are the contact's own, which Connect shows whatever
// the policy, and stay as they are.
func keptMessage(m *EmailMessage, redacted MessageDocument) *EmailMessage {
	info := func(a Address) api.EmailAddressInfo {
		return api.EmailAddressInfo{EmailAddress: a.Address, DisplayName: a.DisplayName}
	}
	kept := *m
	kept.From, kept.To, kept.Cc = info(redacted.From), nil, nil
	for _, a := range redacted.To {
		kept.To = append(kept.To, info(a))
	}
	for _, a := range redacted.Cc {
		kept.Cc = append(kept.Cc, info(a))
	}
	kept.Subject, kept.Headers, kept.Body = redacted.Subject, redacted.Headers, redacted.Body
	return &kept
}

// inputFiles names the files the analysis reads, as the example output's
// CustomerMetadata.InputFiles does (here: the attached files' ARNs).
func inputFiles(c *contactRecord) map[string]string {
	files := map[string]string{}
	for _, r := range c.References {
		switch r.Type {
		case "EMAIL_MESSAGE":
			files["EmailMessageS3URI"] = r.Arn
		case "EMAIL_MESSAGE_PLAIN_TEXT":
			files["EmailMessagePlainTextS3URI"] = r.Arn
		}
	}
	return files
}

func entityCounts(counts map[string]int) []map[string]any {
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	out := []map[string]any{}
	for _, t := range types {
		out = append(out, map[string]any{"Type": t, "Count": counts[t]})
	}
	return out
}

// emailAnalysisEvent encodes, as the outbox keeps it, the document the Rules Function
// language reads for email ($.ContactLens.Email.*). Rules match on the original text, as
// Contact Lens does.
func emailAnalysisEvent(c *contactRecord, instance, subject, plain string, attrs map[string]string) ([]byte, error) {
	email := map[string]any{
		"ContactId": c.Id, "InstanceId": instance, "InitiationMethod": c.InitiationMethod,
		"ExactMatch": map[string]any{"Text": []any{map[string]any{"ParticipantRole": "CUSTOMER", "Content": strings.TrimSpace(subject + "\n" + plain)}}},
	}
	if c.DisconnectReason != "" {
		email["DisconnectReason"] = c.DisconnectReason
	}
	if c.AgentInfo != nil {
		email["Agent"] = map[string]any{"AgentId": c.AgentInfo.Id}
	}
	if c.QueueInfo != nil {
		email["Queue"] = map[string]any{"QueueId": c.QueueInfo.Id}
	}
	if len(attrs) > 0 {
		email["ContactAttribute"] = attrs
	}
	userDefined := map[string]any{}
	for k, v := range c.SegmentAttributes {
		if !strings.HasPrefix(k, "connect:") {
			userDefined[k] = map[string]any{"ValueString": v.ValueString}
		}
	}
	if len(userDefined) > 0 {
		email["SegmentAttributes"] = map[string]any{"UserDefined": userDefined}
	}
	return json.Marshal(map[string]any{"ContactLens": map[string]any{"Email": email}, "ContactId": c.Id, "InstanceId": instance})
}

// categories decides the analysis file's Categories before it is written: the names of
// the published OnEmailAnalysisAvailable rules with an ASSIGN_CONTACT_CATEGORY action
// whose function matches. The functions read the event decoded, as the rules engine
// reads it from the outbox; it is decoded only if there is such a rule.
func (s *Service) categories(ctx context.Context, tx store.Tx, account, instance, contactID string, payload []byte) (map[string]any, error) {
	res, err := tx.List(ctx, store.Page{Account: account, Kind: kindRule, Instance: instance})
	if err != nil {
		return nil, err
	}
	matched := []string{}
	details := map[string]any{}
	var event map[string]any
	for _, rec := range res.Records {
		var r api.Rule
		if err := decodeRecord(rec.Data, &r); err != nil {
			return nil, err
		}
		if r.PublishStatus != "PUBLISHED" || r.TriggerEventSource.EventSourceName != EventEmailAnalysisAvailable || !hasAction(r, "ASSIGN_CONTACT_CATEGORY") {
			continue
		}
		if event == nil {
			if event, err = decodeEvent(payload); err != nil {
				return nil, err
			}
		}
		f, err := rules.Parse(EventEmailAnalysisAvailable, r.Function)
		if err != nil || !f.Match(event) {
			continue
		}
		matched = append(matched, r.Name)
		details[r.Name] = map[string]any{"PointsOfInterest": []any{map[string]any{"Contacts": []any{map[string]any{"ContactId": contactID}}}}, "EventSource": EventEmailAnalysisAvailable}
	}
	return map[string]any{"MatchedCategories": matched, "MatchedDetails": details}, nil
}

func hasAction(r api.Rule, actionType string) bool {
	for _, a := range r.Actions {
		if a.ActionType == actionType {
			return true
		}
	}
	return false
}

// chainSummary summarises the thread of related emails this one belongs to: each email
// of the chain (followed through RelatedContactId) with its sender, time, subject and
// opening words. With redaction on, each part is redacted whole before it is shortened,
// so no fragment of a redacted value can survive the cut. known is this email's own
// line if it was made before the transaction (redactEmail does, as the redaction is
// the slow part and the email never changes), or "".
func (s *Service) chainSummary(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord, settings EmailAnalyticsSettings, known string) (map[string]any, error) {
	thread := []*contactRecord{c}
	seen := map[string]bool{c.Id: true}
	for prev := c.RelatedContactId; prev != "" && !seen[prev] && len(thread) < 50; {
		var p contactRecord
		err := load(ctx, tx, contactKey(account, instance, prev), &p, "Contact")
		if isNotFound(err) {
			break
		}
		if err != nil {
			return nil, err
		}
		seen[prev] = true
		thread = append([]*contactRecord{&p}, thread...)
		prev = p.RelatedContactId
	}
	var ids, lines []string
	for _, t := range thread {
		ids = append(ids, t.Id)
		if t == c && known != "" {
			lines = append(lines, known)
			continue
		}
		line, err := s.threadLine(ctx, tx, account, instance, t, settings)
		if err != nil {
			return nil, err
		}
		lines = append(lines, line)
	}
	return map[string]any{
		"ContactIds": ids, "EmailCount": len(thread),
		"Summary": fmt.Sprintf("Thread of %d email(s).\n%s", len(thread), strings.Join(lines, "\n")),
	}, nil
}

// threadLine is a contact's line in the summary of its thread: when an email arrived,
// from whom, its subject and its opening words, redacted as settings say.
func (s *Service) threadLine(ctx context.Context, tx store.Tx, account, instance string, t *contactRecord, settings EmailAnalyticsSettings) (string, error) {
	m := t.EmailMessage
	if m == nil {
		return fmt.Sprintf("%s contact %s", t.Channel, t.Id), nil
	}
	body, err := s.emailBody(ctx, tx, account, instance, t)
	if err != nil {
		return "", err
	}
	return emailLine(m, emailanalytics.PlainText(m.ContentType, body), settings), nil
}

// emailLine is threadLine of an email whose plain text is at hand.
func emailLine(m *EmailMessage, plain string, settings EmailAnalyticsSettings) string {
	from, subject := m.From.DisplayName, m.Subject
	if from == "" {
		from = m.From.EmailAddress
	}
	if settings.Policy != "None" {
		red := redactor(settings)
		from, _ = red.RedactText(from)
		subject, _ = red.RedactText(subject)
		plain, _ = red.RedactText(plain)
	}
	return formatEmailLine(m.ReceivedAt, from, subject, plain)
}

// formatEmailLine is the thread line of an email from its visible (redacted, where the
// settings say so) sender, subject and plain text.
func formatEmailLine(received time.Time, from, subject, plain string) string {
	return fmt.Sprintf("%s, %s: %s — %s", api.ISOTime(received), from, subject, opening(plain, 160))
}

// redactor is the Redactor the settings ask for.
func redactor(settings EmailAnalyticsSettings) emailanalytics.Redactor {
	return emailanalytics.Redactor{Mode: emailanalytics.MaskMode(settings.MaskMode), Types: settings.Entities}
}

// opening returns the first words of text, at most n bytes, on one line.
func opening(text string, n int) string {
	// Only the first n bytes of the joined words, and whether there are more, matter:
	// joining the whole of a long email made a copy of it.
	var b strings.Builder
	b.Grow(min(len(text), n+1))
	for word := range strings.FieldsSeq(text) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(word)
		if b.Len() > n {
			break
		}
	}
	text = b.String()
	if len(text) <= n {
		return text
	}
	cut := strings.LastIndex(text[:n], " ")
	if cut < n/2 {
		cut = n
	}
	return text[:cut] + "…"
}

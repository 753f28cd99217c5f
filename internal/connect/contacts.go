package connect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/store"
)

const (
	kindContact = "contact"
	// kindChain held a chain's shared record before it moved onto the chain's initial
	// contact (contactRecord.Chain); it is read only for contacts stored before then.
	kindChain = "contact-chain"
	// kindEmailBody holds the body of an email contact (as its ID) whose EMAIL_MESSAGE
	// file the database does not hold (see emailBody). The contact's record leaves the
	// body out: a body of up to 5 MiB would otherwise be read and written again with
	// every look at the contact and every change to it.
	kindEmailBody = "email-body"
)

// Contact event types written to the outbox in the transaction of the change.
const (
	EventContactCreated = "ContactCreated"
	EventContactUpdated = "ContactUpdated"
	EventContactEnded   = "ContactEnded"
)

// contactRecord is a stored contact: the Contact that DescribeContact returns, plus what
// Connect keeps beside it.
type contactRecord struct {
	api.Contact
	References   map[string]api.Reference `json:"References,omitempty"`
	ExpiresAt    *api.Time                `json:"ExpiresAt,omitempty"`
	EmailMessage *EmailMessage            `json:"EmailMessage,omitempty"`
	// StopCode is the DisconnectReason.Code given to StopContact.
	StopCode string `json:"StopCode,omitempty"`
	// AnalysisFileArn is the CONTACT_ANALYSIS file, once the email has been analysed.
	AnalysisFileArn string `json:"AnalysisFileArn,omitempty"`
	// AnalysisRedacted says whether the analysis was made with redaction on.
	AnalysisRedacted bool `json:"AnalysisRedacted,omitempty"`
	// Chain is what the contacts of a chain share, kept on the chain's initial contact
	// (nil on the others): most contacts start a chain of their own, so reading or
	// creating one costs no second record.
	Chain *chainRecord `json:"Chain,omitempty"`
}

// EmailMessage is an inbound email as StartEmailContact received it, kept with its
// contact for the email analytics to process.
type EmailMessage struct {
	From        api.EmailAddressInfo   `json:"From"`
	To          []api.EmailAddressInfo `json:"To"`
	Cc          []api.EmailAddressInfo `json:"Cc,omitempty"`
	Subject     string                 `json:"Subject"`
	ContentType string                 `json:"ContentType"`
	Headers     map[string]string      `json:"Headers,omitempty"`
	// Body is empty in a stored contact: saveContact moves it to the contact's
	// email-body record. Contacts stored before there were such records hold it here.
	Body       string    `json:"Body,omitempty"`
	ReceivedAt time.Time `json:"ReceivedTime"`
}

// chainRecord is shared by the contacts of one chain.
type chainRecord struct {
	Attributes map[string]string `json:"Attributes,omitempty"`
	Tasks      int               `json:"Tasks"` // tasks linked by PreviousContactId
}

// emailBody returns the body of an email contact. StartEmailContact stores it once: in
// the contact's EMAIL_MESSAGE file when the store's database holds that file, where any
// transaction can read it, and otherwise (a large email, blobs kept outside the
// database) in an email-body record, as it did for every email before. Under Policy
// RedactedOnly the analysis removes the file and leaves the redacted body in the record
// (see keptMessage). A contact stored before there were body records holds its body
// itself. A contact with none of these (its message file deleted, or an empty body, for
// which saveContact writes no record) has an empty body, which is not worth an analysis
// job that fails on it at every run.
func (s *Service) emailBody(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord) (string, error) {
	if c.EmailMessage.Body != "" {
		return c.EmailMessage.Body, nil
	}
	if body, ok, err := s.messageFileBody(ctx, tx, account, instance, c); ok || err != nil {
		return body, err
	}
	rec, err := tx.Get(ctx, store.Key{Account: account, Kind: kindEmailBody, Instance: instance, ID: c.Id})
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("the body of email contact %s: %w", c.Id, err)
	}
	return string(rec.Data), nil
}

// messageFileBody reads an email's body from its EMAIL_MESSAGE file in tx; ok is false
// if the contact has no such file or the database does not hold its bytes.
func (s *Service) messageFileBody(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord) (body string, ok bool, err error) {
	ref, found := c.References[c.Id+messageFileSuffix]
	if s.txBlobs == nil || !found || ref.Type != "EMAIL_MESSAGE" {
		return "", false, nil
	}
	var f fileRecord
	err = load(ctx, tx, fileKey(account, instance, idFromARN(ref.Arn)), &f, "File")
	if isNotFound(err) || (err == nil && f.BlobKey == "") {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	data, err := s.txBlobs.GetTx(ctx, tx, f.BlobKey)
	if errors.Is(err, blob.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("the EMAIL_MESSAGE file of contact %s: %w", c.Id, err)
	}
	var doc struct{ Body string }
	if err := json.Unmarshal(data, &doc); err != nil {
		return "", false, fmt.Errorf("the EMAIL_MESSAGE file of contact %s: %w", c.Id, err)
	}
	return doc.Body, true, nil
}

// ended reports whether the contact has ended, by itself once past its expiry.
func (c *contactRecord) ended(now time.Time) bool {
	return c.DisconnectTimestamp != nil || (c.ExpiresAt != nil && !now.Before(c.ExpiresAt.Time))
}

// settle applies what time has done to a contact that nobody has written since: a
// contact past its expiry has ended with DisconnectReason EXPIRED.
func (c *contactRecord) settle(now time.Time) {
	if c.DisconnectTimestamp == nil && c.ExpiresAt != nil && !now.Before(c.ExpiresAt.Time) {
		c.DisconnectTimestamp = c.ExpiresAt
		c.DisconnectReason = "EXPIRED"
	}
}

func contactKey(account, instance, id string) store.Key {
	return store.Key{Account: account, Kind: kindContact, Instance: instance, ID: id}
}

// contact loads a contact of an instance; an unknown one is ResourceNotFoundException.
func (s *Service) contact(ctx context.Context, tx store.Tx, instance, id string) (*contactRecord, error) {
	var c contactRecord
	if err := load(ctx, tx, contactKey(CallerFrom(ctx).Account, instance, idFromARN(id)), &c, "Contact"); err != nil {
		return nil, err
	}
	c.settle(s.now())
	return &c, nil
}

// instanceContact resolves an InstanceId member and loads one of its contacts.
func (s *Service) instanceContact(ctx context.Context, tx store.Tx, instanceIDOrARN, contactID string) (string, *contactRecord, error) {
	var c contactRecord
	instance, err := s.instanceContactInto(ctx, tx, instanceIDOrARN, contactID, &c)
	if err != nil {
		return instance, nil, err
	}
	c.settle(s.now())
	return instance, &c, nil
}

// instanceContactInto is instanceContact decoding the stored contact into dst, which
// may hold only the members its caller reads: decoding skips the others' values.
//
// A contact exists only while its instance does (DeleteInstance removes both at once),
// so a found contact proves the instance and the instance is read only to say which
// one is missing: one read instead of two on the path every contact operation takes.
func (s *Service) instanceContactInto(ctx context.Context, tx store.Tx, instanceIDOrARN, contactID string, dst any) (string, error) {
	account := CallerFrom(ctx).Account
	id, ok := instanceID(account, instanceIDOrARN)
	var err error
	if ok {
		if err = load(ctx, tx, contactKey(account, id, idFromARN(contactID)), dst, "Contact"); !isNotFound(err) {
			return id, err
		}
	}
	if _, ierr := s.instance(ctx, tx, instanceIDOrARN); ierr != nil {
		return "", ierr
	}
	return "", err // the instance exists: the contact is what is missing
}

// chain returns what c's chain shares, from the chain's initial contact.
func chain(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord) (*chainRecord, error) {
	head, err := chainHead(ctx, tx, account, instance, c)
	if err != nil || head.Chain != nil {
		return head.Chain, err
	}
	// Stored before chains moved onto their initial contact.
	rec, err := tx.Get(ctx, store.Key{Account: account, Kind: kindChain, Instance: instance, ID: c.InitialContactId})
	if errors.Is(err, store.ErrNotFound) {
		return &chainRecord{}, nil
	}
	if err != nil {
		return nil, err
	}
	var ch chainRecord
	return &ch, decodeRecord(rec.Data, &ch)
}

// chainHead returns the initial contact of c's chain, as stored: c itself when it
// started the chain.
func chainHead(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord) (*contactRecord, error) {
	if c.InitialContactId == c.Id || c.InitialContactId == "" {
		return c, nil
	}
	var head contactRecord
	if err := load(ctx, tx, contactKey(account, instance, c.InitialContactId), &head, "Contact"); err != nil {
		return nil, err
	}
	return &head, nil
}

// setChain stores ch as the shared record of c's chain. On the chain's initial contact
// it takes effect when the caller saves c; any other contact's initial contact is
// written here.
func setChain(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord, ch *chainRecord) error {
	head, err := chainHead(ctx, tx, account, instance, c)
	if err != nil {
		return err
	}
	head.Chain = ch
	if head == c {
		return nil
	}
	return save(ctx, tx, contactKey(account, instance, head.Id), "", head)
}

// saveContact writes the contact and the outbox event that reports the change, in the
// caller's transaction.
func (s *Service) saveContact(ctx context.Context, tx store.Tx, account, instance string, c *contactRecord, event string) error {
	stored := *c
	if m := c.EmailMessage; m != nil && m.Body != "" {
		// A new email, or one stored with its body before bodies had records of their own.
		body := store.Record{Account: account, Kind: kindEmailBody, Instance: instance, ID: c.Id, Data: []byte(m.Body)}
		if err := tx.Put(ctx, body); err != nil {
			return err
		}
		bodiless := *m
		bodiless.Body = ""
		stored.EmailMessage = &bodiless
	}
	data, err := json.Marshal(&stored)
	if err != nil {
		return err
	}
	if err := put(ctx, tx, contactKey(account, instance, c.Id), "", data); err != nil {
		return err
	}
	// A live contact with an expiry has a timer that ends it (see RunTimers). A new
	// contact has none to cancel.
	switch {
	case c.ExpiresAt != nil && c.DisconnectTimestamp == nil:
		err = tx.SetTimer(ctx, store.Timer{Account: account, Kind: timerContactExpiry, Instance: instance, Subject: c.Id, Due: c.ExpiresAt.Time})
	case event != EventContactCreated:
		err = tx.DeleteTimer(ctx, account, timerContactExpiry, instance, c.Id)
	}
	if err != nil {
		return err
	}
	payload, err := json.Marshal(contactEvent{Channel: c.Channel, EmailMessage: c.EmailMessage != nil})
	if err != nil {
		return err
	}
	_, err = tx.AppendEvent(ctx, store.Event{Type: event, Account: account, Instance: instance, Subject: c.Id, Payload: payload, Time: s.now()})
	return err
}

// contactEvent is the payload of a contact's outbox events. It is not the contact: no
// job reads the contact from its event (the analysis job loads it, as it may have
// changed since), and a copy of every contact at every change was a third of what a
// StartTaskContact wrote. EmailMessage is what lets the analysis job pass over the
// events of other contacts without loading them (see emailEvent); events stored
// before carry the whole contact, whose EmailMessage field tells the same.
type contactEvent struct {
	Channel      string `json:"Channel"`
	EmailMessage bool   `json:"EmailMessage,omitempty"`
}

// newContact is what every way of starting a contact has in common.
type newContact struct {
	instance          string
	channel, method   string
	name, description string
	references        map[string]api.Reference
	referenceTypes    []string // allowed reference types for this way of starting
	attributes        map[string]string
	segment           map[string]api.SegmentAttributeValue
	relatedID         string
	previousID        string // links into the previous contact's chain
	linkedTask        bool   // PreviousContactId counts toward the 12-task chain quota
	expiry            time.Duration
	id                string    // the contact's ID when chosen before the transaction; "" for a new one
	at                time.Time // its InitiationTimestamp when id is set
}

// maxTaskChain is how many tasks PreviousContactId may link into one chain.
const maxTaskChain = 12

// create checks what every start operation shares (references, attributes, related and
// previous contacts), then builds the contact. The caller fills in the channel-specific
// members and saves it.
func (s *Service) create(ctx context.Context, tx store.Tx, n newContact) (*contactRecord, error) {
	account := CallerFrom(ctx).Account
	if err := checkReferences(n.references, n.referenceTypes, nil); err != nil {
		return nil, err
	}
	if err := checkAttributes(n.attributes); err != nil {
		return nil, err
	}
	now, id := s.now(), s.newID()
	if n.id != "" {
		now, id = n.at, n.id
	}
	c := &contactRecord{Contact: api.Contact{
		Id: id, Arn: s.arn(account, n.instance, kindContact, id), InitialContactId: id,
		Channel: n.channel, InitiationMethod: n.method, Name: n.name, Description: n.description,
		InitiationTimestamp: api.NewTime(now), LastUpdateTimestamp: api.NewTime(now),
		SegmentAttributes: n.segment,
	}, References: n.references}
	attributes := copyMap(n.attributes)
	if n.relatedID != "" {
		// A related contact's attributes are copied once; the two then diverge.
		related, err := s.contact(ctx, tx, n.instance, n.relatedID)
		if err != nil {
			return nil, err
		}
		c.RelatedContactId = related.Id
		rc, err := chain(ctx, tx, account, n.instance, related)
		if err != nil {
			return nil, err
		}
		attributes = merge(copyMap(rc.Attributes), n.attributes)
	}
	ch := &chainRecord{Attributes: attributes}
	if n.previousID != "" {
		prev, err := s.contact(ctx, tx, n.instance, n.previousID)
		if err != nil {
			return nil, err
		}
		c.PreviousContactId, c.InitialContactId = prev.Id, prev.InitialContactId
		if ch, err = chain(ctx, tx, account, n.instance, prev); err != nil {
			return nil, err
		}
		if n.linkedTask {
			if ch.Tasks+1 >= maxTaskChain {
				return nil, api.Errorf(api.ServiceQuotaExceeded, "A chain of tasks linked by PreviousContactId holds at most %d tasks; %s's chain is full", maxTaskChain, prev.Id)
			}
			ch.Tasks++
		}
		ch.Attributes = merge(ch.Attributes, n.attributes)
	}
	if err := checkAttributes(ch.Attributes); err != nil {
		return nil, err
	}
	if err := setChain(ctx, tx, account, n.instance, c, ch); err != nil {
		return nil, err
	}
	if n.expiry > 0 {
		c.ExpiresAt = api.NewTime(now.Add(n.expiry))
	}
	return c, nil
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func merge(dst, src map[string]string) map[string]string {
	if dst == nil {
		dst = map[string]string{}
	}
	for k, v := range src {
		dst[k] = v
	}
	return dst
}

// segmentExpiry reads the connect:ContactExpiry segment attribute, in minutes.
func segmentExpiry(seg map[string]api.SegmentAttributeValue) time.Duration {
	v, ok := seg["connect:ContactExpiry"]
	if !ok {
		return 0
	}
	d, ok := v.ValueMap["ExpiryDuration"]
	if !ok || d.ValueInteger == nil {
		return 0
	}
	return time.Duration(*d.ValueInteger) * time.Minute
}

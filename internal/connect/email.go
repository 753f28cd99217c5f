package connect

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// maxEmailRecipients is Connect's limit on recipients of one email, the instance's own
// destination address included.
const maxEmailRecipients = 50

// StartEmailContact receives an inbound email at one of the instance's email addresses
// and starts the flow: the given one, else the instance's default inbound flow.
func (s *Service) StartEmailContact(ctx context.Context, in *api.StartEmailContactRequest) (*api.StartEmailContactResponse, error) {
	var to, cc []api.EmailAddressInfo
	if r := in.AdditionalRecipients; r != nil {
		to, cc = r.ToAddresses, r.CcAddresses
	}
	if n := 1 + len(to) + len(cc); n > maxEmailRecipients {
		return nil, api.Errorf(api.InvalidRequest, "An email may have at most %d recipients including DestinationEmailAddress; this one has %d", maxEmailRecipients, n)
	}
	if in.EmailMessage.MessageSourceType != "RAW" || in.EmailMessage.RawMessage == nil {
		return nil, api.Errorf(api.InvalidRequest, "EmailMessage must be a RAW message with a RawMessage")
	}
	// The instance's ID goes into the message's files; when the request names it by
	// something else, the look-up the transaction repeats is made first.
	account := CallerFrom(ctx).Account
	instance, known := instanceID(account, in.InstanceId)
	resolve := func() error {
		return s.store.View(ctx, func(tx store.Tx) error {
			var err error
			instance, err = s.emailDestination(ctx, tx, in)
			return err
		})
	}
	if !known {
		if err := resolve(); err != nil {
			return nil, err
		}
	}
	raw := in.EmailMessage.RawMessage
	pending := &contactRecord{Contact: api.Contact{Id: s.newID(), InitiationTimestamp: api.NewTime(s.now())}}
	pending.EmailMessage = &EmailMessage{
		From: *in.FromEmailAddress, To: append([]api.EmailAddressInfo{{EmailAddress: in.DestinationEmailAddress}}, to...), Cc: cc,
		Subject: raw.Subject, ContentType: raw.ContentType, Headers: raw.Headers, Body: raw.Body, ReceivedAt: pending.InitiationTimestamp.Time,
	}
	files, err := messageFiles(pending, instance)
	if err != nil {
		return nil, err
	}
	// The files the transaction would not hold are stored before it (see beforeTx);
	// what it then checks is checked first, so that a bad request stores no bytes.
	early, inTx := s.beforeTx(files)
	// The body goes once into the store, in the EMAIL_MESSAGE file when the transaction
	// holds that file (see emailBody).
	bodyInFile := slices.ContainsFunc(inTx, func(f systemFile) bool { return f.useCase == "EMAIL_MESSAGE" })
	if len(early) > 0 && known {
		if err := resolve(); err != nil {
			return nil, err
		}
	}
	stagedEarly, err := s.stageSystemFiles(ctx, nil, account, instance, early...)
	if err != nil {
		return nil, err
	}
	// The files' records are made here too, the store's one writer only writing them.
	staged := append(stagedEarly, s.newStagedFiles(account, instance, inTx...)...)
	contactARN := s.arn(account, instance, kindContact, pending.Id)
	for i := range staged {
		if err := s.encodeRecord(account, instance, contactARN, &staged[i]); err != nil {
			return nil, err
		}
	}
	var out *api.StartEmailContactResponse
	token := newClientToken("StartEmailContact", true, in.ClientToken, in)
	err = s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.emailDestination(ctx, tx, in)
		if err != nil {
			return err
		}
		if inst != instance { // an ID never changes; the staged message names this one
			return fmt.Errorf("StartEmailContact: instance %s resolved to %s, then to %s", in.InstanceId, instance, inst)
		}
		out, err = idempotent(ctx, s, tx, token, func() (*api.StartEmailContactResponse, error) {
			refs := copyRefs(in.References)
			if err := checkReferences(refs, emailReferenceTypes, nil); err != nil {
				return nil, err
			}
			for _, a := range in.Attachments {
				refs[a.FileName] = api.Reference{Type: "ATTACHMENT", Value: a.S3Url, Status: "APPROVED"}
			}
			c, err := s.create(ctx, tx, newContact{
				instance: inst, channel: "EMAIL", method: "INBOUND", name: in.Name, description: in.Description,
				references: refs, referenceTypes: append([]string{"ATTACHMENT"}, emailReferenceTypes...), attributes: in.Attributes,
				segment: copySegment(in.SegmentAttributes), relatedID: in.RelatedContactId, expiry: segmentExpiry(in.SegmentAttributes),
				id: pending.Id, at: pending.InitiationTimestamp.Time,
			})
			if err != nil {
				return nil, err
			}
			c.CustomerEndpoint = &api.EndpointInfo{Type: "EMAIL_ADDRESS", Address: in.FromEmailAddress.EmailAddress, DisplayName: in.FromEmailAddress.DisplayName}
			c.SystemEndpoint = &api.EndpointInfo{Type: "EMAIL_ADDRESS", Address: in.DestinationEmailAddress}
			if len(to)+len(cc) > 0 {
				c.AdditionalEmailRecipients = &api.AdditionalEmailRecipients{ToList: recipients(to), CcList: recipients(cc)}
			}
			c.EmailMessage = pending.EmailMessage
			if bodyInFile {
				bodiless := *pending.EmailMessage
				bodiless.Body = ""
				c.EmailMessage = &bodiless
			}
			if err := s.storeStaged(ctx, tx, staged[len(stagedEarly):]); err != nil {
				return nil, err
			}
			for _, f := range staged {
				if err := s.attachStaged(ctx, tx, account, inst, c, f); err != nil {
					return nil, err
				}
			}
			if err := s.saveContact(ctx, tx, account, inst, c, EventContactCreated); err != nil {
				return nil, err
			}
			return &api.StartEmailContactResponse{ContactId: c.Id}, nil
		})
		return err
	})
	if err == nil {
		s.outbox.notify()
	}
	return out, err
}

// emailDestination checks the instance, destination address and flow of a
// StartEmailContact request and returns the instance's ID.
func (s *Service) emailDestination(ctx context.Context, tx store.Tx, in *api.StartEmailContactRequest) (string, error) {
	inst, err := s.instance(ctx, tx, in.InstanceId)
	if err != nil {
		return "", err
	}
	account := CallerFrom(ctx).Account
	ok, err := tx.ExistsByName(ctx, account, kindEmailAddress, inst, strings.ToLower(in.DestinationEmailAddress))
	if err != nil {
		return "", err
	}
	if !ok {
		return "", api.Errorf(api.ResourceNotFound, "DestinationEmailAddress %s is not an email address of instance %s", in.DestinationEmailAddress, inst)
	}
	if in.ContactFlowId == "" { // the default inbound flow
		if ok, err := tx.ExistsByName(ctx, account, kindContactFlow, inst, defaultInboundFlow); err != nil || !ok {
			return "", cmp.Or(err, fmt.Errorf("instance %s has no %s", inst, defaultInboundFlow))
		}
		return inst, nil
	}
	return inst, mustExist(ctx, tx, account, inst, ref{kindContactFlow, in.ContactFlowId, "Flow"})
}

func recipients(list []api.EmailAddressInfo) []api.EmailRecipient {
	out := make([]api.EmailRecipient, 0, len(list))
	for _, a := range list {
		out = append(out, api.EmailRecipient{Address: a.EmailAddress, DisplayName: a.DisplayName})
	}
	return out
}

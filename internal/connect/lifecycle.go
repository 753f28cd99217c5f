package connect

import (
	"context"
	"maps"
	"slices"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// DescribeContact returns the contact with the attributes of its chain.
func (s *Service) DescribeContact(ctx context.Context, in *api.DescribeContactRequest) (*api.DescribeContactResponse, error) {
	var out api.DescribeContactResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		instance, c, err := s.instanceContact(ctx, tx, in.InstanceId, in.ContactId)
		if err != nil {
			return err
		}
		ch, err := chain(ctx, tx, CallerFrom(ctx).Account, instance, c)
		if err != nil {
			return err
		}
		c.Attributes = ch.Attributes
		out.Contact = &c.Contact
		return nil
	})
	return &out, err
}

// isExternalAudio reports whether a contact came from CreateContact on the VOICE channel.
func (c *contactRecord) isExternalAudio() bool {
	return c.SegmentAttributes["connect:Subtype"].ValueString == "connect:ExternalAudio"
}

// UpdateContact changes a contact, ongoing or completed. Queue, user and endpoints may
// change only on external audio contacts.
func (s *Service) UpdateContact(ctx context.Context, in *api.UpdateContactRequest) (*api.UpdateContactResponse, error) {
	if in.Name == "" && in.Description == "" && len(in.References) == 0 && len(in.SegmentAttributes) == 0 &&
		in.QueueInfo == nil && in.UserInfo == nil && in.CustomerEndpoint == nil && in.SystemEndpoint == nil {
		return nil, api.Errorf(api.InvalidRequest, "At least one field to be updated must be present")
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		instance, c, err := s.instanceContact(ctx, tx, in.InstanceId, in.ContactId)
		if err != nil {
			return err
		}
		account := CallerFrom(ctx).Account
		if (in.QueueInfo != nil || in.UserInfo != nil || in.CustomerEndpoint != nil || in.SystemEndpoint != nil) && !c.isExternalAudio() {
			return api.Errorf(api.InvalidRequest, "QueueInfo, UserInfo, CustomerEndpoint and SystemEndpoint can be updated only on external audio contacts")
		}
		if err := checkReferences(in.References, taskReferenceTypes, c.References); err != nil {
			return err
		}
		if in.Name != "" {
			c.Name = in.Name
		}
		if in.Description != "" {
			c.Description = in.Description
		}
		if len(in.References) > 0 {
			if c.References == nil {
				c.References = map[string]api.Reference{}
			}
			maps.Copy(c.References, in.References)
		}
		if len(in.SegmentAttributes) > 0 {
			if c.SegmentAttributes == nil {
				c.SegmentAttributes = map[string]api.SegmentAttributeValue{}
			}
			maps.Copy(c.SegmentAttributes, in.SegmentAttributes)
			if d := segmentExpiry(in.SegmentAttributes); d > 0 && c.DisconnectTimestamp == nil {
				c.ExpiresAt = api.NewTime(c.InitiationTimestamp.Add(d))
			}
		}
		if in.QueueInfo != nil {
			if err := mustExist(ctx, tx, account, instance, ref{kindQueue, in.QueueInfo.Id, "Queue"}); err != nil {
				return err
			}
			c.QueueInfo = &api.QueueInfo{Id: idFromARN(in.QueueInfo.Id), EnqueueTimestamp: api.NewTime(s.now())}
		}
		if in.UserInfo != nil {
			c.AgentInfo = &api.AgentInfo{Id: in.UserInfo.UserId}
		}
		if e := in.CustomerEndpoint; e != nil {
			c.CustomerEndpoint = &api.EndpointInfo{Type: e.Type, Address: e.Address}
		}
		if e := in.SystemEndpoint; e != nil {
			c.SystemEndpoint = &api.EndpointInfo{Type: e.Type, Address: e.Address}
		}
		c.LastUpdateTimestamp = api.NewTime(s.now())
		return s.saveContact(ctx, tx, account, instance, c, EventContactUpdated)
	})
	if err != nil {
		return nil, err
	}
	return &api.UpdateContactResponse{}, nil
}

// StopContact ends a contact. Connect refuses it for voice contacts that were initiated
// by DISCONNECT, TRANSFER, QUEUE_TRANSFER, EXTERNAL_OUTBOUND or MONITOR; a contact that
// has ended already, or never existed, is ContactNotFoundException.
func (s *Service) StopContact(ctx context.Context, in *api.StopContactRequest) (*api.StopContactResponse, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		c, err := s.contact(ctx, tx, inst, in.ContactId)
		if isNotFound(err) || (err == nil && c.ended(s.now())) {
			return api.Errorf(api.ContactNotFound, "Contact %s does not exist or has already ended", in.ContactId)
		}
		if err != nil {
			return err
		}
		if c.Channel == "VOICE" && slices.Contains([]string{"DISCONNECT", "TRANSFER", "QUEUE_TRANSFER", "EXTERNAL_OUTBOUND", "MONITOR"}, c.InitiationMethod) {
			return api.Errorf(api.InvalidRequest, "StopContact does not support voice contacts initiated by %s", c.InitiationMethod)
		}
		return s.end(ctx, tx, inst, c, "API", in.DisconnectReason)
	})
	if err != nil {
		return nil, err
	}
	return &api.StopContactResponse{}, nil
}

// end marks a contact ended now, with a DisconnectReason, and reports it to the outbox.
func (s *Service) end(ctx context.Context, tx store.Tx, instance string, c *contactRecord, reason string, code *api.DisconnectReason) error {
	now := api.NewTime(s.now())
	c.DisconnectTimestamp, c.DisconnectReason, c.LastUpdateTimestamp = now, reason, now
	if code != nil {
		c.StopCode = code.Code
	}
	return s.saveContact(ctx, tx, CallerFrom(ctx).Account, instance, c, EventContactEnded)
}

func isNotFound(err error) bool {
	e, ok := err.(*api.Error)
	return ok && e.Code == api.ResourceNotFound
}

// GetContactAttributes returns the attributes of a chain, ongoing or completed.
func (s *Service) GetContactAttributes(ctx context.Context, in *api.GetContactAttributesRequest) (*api.GetContactAttributesResponse, error) {
	out := &api.GetContactAttributesResponse{}
	err := s.store.View(ctx, func(tx store.Tx) error {
		instance, c, err := s.instanceContact(ctx, tx, in.InstanceId, in.InitialContactId)
		if err != nil {
			return err
		}
		ch, err := chain(ctx, tx, CallerFrom(ctx).Account, instance, c)
		if err != nil {
			return err
		}
		out.Attributes = ch.Attributes
		if out.Attributes == nil {
			out.Attributes = map[string]string{}
		}
		return nil
	})
	return out, err
}

// UpdateContactAttributes merges attributes into a chain; every contact of the chain (a
// task linked by PreviousContactId included) sees them.
func (s *Service) UpdateContactAttributes(ctx context.Context, in *api.UpdateContactAttributesRequest) (*api.UpdateContactAttributesResponse, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		instance, c, err := s.instanceContact(ctx, tx, in.InstanceId, in.InitialContactId)
		if err != nil {
			return err
		}
		account := CallerFrom(ctx).Account
		ch, err := chain(ctx, tx, account, instance, c)
		if err != nil {
			return err
		}
		ch.Attributes = merge(ch.Attributes, in.Attributes)
		if err := checkAttributes(ch.Attributes); err != nil {
			return err
		}
		if err := setChain(ctx, tx, account, instance, c, ch); err != nil {
			return err
		}
		c.LastUpdateTimestamp = api.NewTime(s.now())
		return s.saveContact(ctx, tx, account, instance, c, EventContactUpdated)
	})
	if err != nil {
		return nil, err
	}
	return &api.UpdateContactAttributesResponse{}, nil
}

// maxContactTags is how many tags a contact may carry.
const maxContactTags = 6

func (s *Service) TagContact(ctx context.Context, in *api.TagContactRequest) (*api.TagContactResponse, error) {
	return &api.TagContactResponse{}, s.updateContactTags(ctx, in.InstanceId, in.ContactId, func(tags map[string]string) {
		maps.Copy(tags, in.Tags)
	})
}

func (s *Service) UntagContact(ctx context.Context, in *api.UntagContactRequest) (*api.UntagContactResponse, error) {
	return &api.UntagContactResponse{}, s.updateContactTags(ctx, in.InstanceId, in.ContactId, func(tags map[string]string) {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
	})
}

func (s *Service) updateContactTags(ctx context.Context, instanceID, contactID string, change func(map[string]string)) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		instance, c, err := s.instanceContact(ctx, tx, instanceID, contactID)
		if err != nil {
			return err
		}
		if c.Tags == nil {
			c.Tags = map[string]string{}
		}
		change(c.Tags)
		if len(c.Tags) > maxContactTags {
			return api.Errorf(api.InvalidRequest, "A contact can have at most %d tags; this request would give it %d", maxContactTags, len(c.Tags))
		}
		return s.saveContact(ctx, tx, CallerFrom(ctx).Account, instance, c, EventContactUpdated)
	})
}

package connect

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// Expiry of contacts that say nothing else: Connect ends a task after 7 days.
const defaultTaskExpiry = 7 * 24 * time.Hour

// maxScheduleAhead is how far in the future ScheduledTime may be.
const maxScheduleAhead = 6 * 24 * time.Hour

// CreateContact creates a contact of a channel in the combinations Connect documents:
// VOICE only by TRANSFER (an external-audio contact), EMAIL by OUTBOUND, AGENT_REPLY or
// FLOW, TASK only by API; CHAT not at all.
func (s *Service) CreateContact(ctx context.Context, in *api.CreateContactRequest) (*api.CreateContactResponse, error) {
	allowedMethods := map[string][]string{"VOICE": {"TRANSFER"}, "EMAIL": {"OUTBOUND", "AGENT_REPLY", "FLOW"}, "TASK": {"API"}}
	methods, ok := allowedMethods[in.Channel]
	switch {
	case !ok:
		return nil, api.Errorf(api.InvalidRequest, "CreateContact does not support the %s channel; use VOICE, EMAIL or TASK", in.Channel)
	case !slices.Contains(methods, in.InitiationMethod):
		return nil, api.Errorf(api.InvalidRequest, "A %s contact cannot be created with InitiationMethod %s; allowed: %s", in.Channel, in.InitiationMethod, strings.Join(methods, ", "))
	case in.Channel == "EMAIL" && in.InitiationMethod != "FLOW" && (in.UserInfo == nil || in.UserInfo.UserId == ""):
		return nil, api.Errorf(api.InvalidRequest, "UserInfo is required for an EMAIL contact initiated by %s", in.InitiationMethod)
	case in.InitiateAs == "COMPLETED" && in.Channel != "TASK":
		return nil, api.Errorf(api.InvalidRequest, "InitiateAs COMPLETED is allowed only for TASK contacts")
	case in.PreviousContactId != "" && in.Channel != "VOICE":
		return nil, api.Errorf(api.InvalidRequest, "PreviousContactId is allowed only for external audio contacts (VOICE by TRANSFER)")
	case in.ExpiryDurationInMinutes != nil && *in.ExpiryDurationInMinutes <= 0:
		return nil, api.Errorf(api.InvalidParameter, "ExpiryDurationInMinutes must be positive")
	}
	refTypes := map[string][]string{"VOICE": taskReferenceTypes, "EMAIL": emailReferenceTypes, "TASK": createTaskReferenceTypes}[in.Channel]
	segment := copySegment(in.SegmentAttributes)
	switch in.Channel {
	case "VOICE":
		segment["connect:Subtype"] = api.SegmentAttributeValue{ValueString: "connect:ExternalAudio"}
	case "TASK":
		segment["connect:Subtype"] = api.SegmentAttributeValue{ValueString: "connect:ExternalTask"}
	}
	expiry := segmentExpiry(in.SegmentAttributes)
	if in.ExpiryDurationInMinutes != nil {
		expiry = time.Duration(*in.ExpiryDurationInMinutes) * time.Minute
	}
	if expiry == 0 && in.Channel == "TASK" {
		expiry = defaultTaskExpiry
	}
	var out *api.CreateContactResponse
	token := newClientToken("CreateContact", true, in.ClientToken, in)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		out, err = idempotent(ctx, s, tx, token, func() (*api.CreateContactResponse, error) {
			c, err := s.create(ctx, tx, newContact{
				instance: inst, channel: in.Channel, method: in.InitiationMethod, name: in.Name, description: in.Description,
				references: in.References, referenceTypes: refTypes, attributes: in.Attributes, segment: segment,
				relatedID: in.RelatedContactId, previousID: in.PreviousContactId, expiry: expiry,
			})
			if err != nil {
				return nil, err
			}
			if in.UserInfo != nil {
				c.AgentInfo = &api.AgentInfo{Id: in.UserInfo.UserId}
			}
			if in.InitiateAs == "COMPLETED" {
				c.DisconnectTimestamp, c.DisconnectReason = c.InitiationTimestamp, "API"
			}
			if err := s.saveContact(ctx, tx, CallerFrom(ctx).Account, inst, c, EventContactCreated); err != nil {
				return nil, err
			}
			return &api.CreateContactResponse{ContactId: c.Id, ContactArn: c.Arn}, nil
		})
		return err
	})
	return out, err
}

// StartTaskContact starts a task from exactly one of a flow, a quick connect or a task
// template (a template alone only if it has a flow; a flow-less template goes with a flow
// or a quick connect).
func (s *Service) StartTaskContact(ctx context.Context, in *api.StartTaskContactRequest) (*api.StartTaskContactResponse, error) {
	if in.ContactFlowId != "" && in.QuickConnectId != "" {
		return nil, api.Errorf(api.InvalidRequest, "Give only one of ContactFlowId, QuickConnectId and TaskTemplateId")
	}
	if in.ContactFlowId == "" && in.QuickConnectId == "" && in.TaskTemplateId == "" {
		return nil, api.Errorf(api.InvalidRequest, "One of ContactFlowId, QuickConnectId or TaskTemplateId is required")
	}
	now := s.now()
	if in.ScheduledTime != nil {
		if in.ScheduledTime.Before(now.Add(-time.Minute)) {
			return nil, api.Errorf(api.InvalidRequest, "ScheduledTime %s is in the past", in.ScheduledTime.UTC().Format(time.RFC3339))
		}
		if in.ScheduledTime.After(now.Add(maxScheduleAhead)) {
			return nil, api.Errorf(api.InvalidRequest, "ScheduledTime may be at most 6 days in the future")
		}
	}
	var out *api.StartTaskContactResponse
	token := newClientToken("StartTaskContact", false, in.ClientToken, in)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		out, err = idempotent(ctx, s, tx, token, func() (*api.StartTaskContactResponse, error) {
			return s.startTask(ctx, tx, inst, in)
		})
		return err
	})
	return out, err
}

func (s *Service) startTask(ctx context.Context, tx store.Tx, instance string, in *api.StartTaskContactRequest) (*api.StartTaskContactResponse, error) {
	account := CallerFrom(ctx).Account
	refs := copyRefs(in.References)
	var templateInfo *api.TaskTemplateInfoV2
	name, description := in.Name, in.Description
	var queueID string
	if in.TaskTemplateId != "" {
		t, err := s.template(ctx, tx, account, instance, in.TaskTemplateId)
		if err != nil {
			return nil, err
		}
		if t.ContactFlowId != "" && (in.ContactFlowId != "" || in.QuickConnectId != "") {
			return nil, api.Errorf(api.InvalidRequest, "Task template %s has a flow; give only TaskTemplateId", t.Id)
		}
		if t.ContactFlowId == "" && in.ContactFlowId == "" && in.QuickConnectId == "" {
			return nil, api.Errorf(api.InvalidRequest, "Task template %s has no flow; give a ContactFlowId or QuickConnectId with it", t.Id)
		}
		if err := applyTemplate(t, &name, &description, refs); err != nil {
			return nil, err
		}
		templateInfo = &api.TaskTemplateInfoV2{Arn: t.Arn, Name: t.Name}
	}
	if in.ContactFlowId != "" {
		if err := mustExist(ctx, tx, account, instance, ref{kindContactFlow, in.ContactFlowId, "Flow"}); err != nil {
			return nil, err
		}
	}
	if in.QuickConnectId != "" {
		var qc api.QuickConnect
		if err := load(ctx, tx, store.Key{Account: account, Kind: kindQuickConnect, Instance: instance, ID: idFromARN(in.QuickConnectId)}, &qc, "Quick connect"); err != nil {
			return nil, err
		}
		if qc.QuickConnectConfig.QueueConfig != nil {
			queueID = qc.QuickConnectConfig.QueueConfig.QueueId
		}
	}
	for _, a := range in.Attachments {
		refs[a.FileName] = api.Reference{Type: "ATTACHMENT", Value: a.S3Url, Status: "APPROVED"}
	}
	allowed := taskReferenceTypes
	if len(in.Attachments) > 0 {
		allowed = createTaskReferenceTypes // the task's own Attachments become ATTACHMENT references
		for name, r := range in.References {
			if r.Type == "ATTACHMENT" {
				return nil, api.Errorf(api.InvalidRequest, "Reference %s: StartTaskContact does not accept ATTACHMENT references; use Attachments", name)
			}
		}
	}
	expiry := segmentExpiry(in.SegmentAttributes)
	if expiry == 0 {
		expiry = defaultTaskExpiry
	}
	if in.ScheduledTime != nil {
		expiry += in.ScheduledTime.Sub(s.now())
	}
	c, err := s.create(ctx, tx, newContact{
		instance: instance, channel: "TASK", method: "API", name: name, description: description,
		references: refs, referenceTypes: allowed, attributes: in.Attributes, segment: copySegment(in.SegmentAttributes),
		relatedID: in.RelatedContactId, previousID: in.PreviousContactId, linkedTask: in.PreviousContactId != "", expiry: expiry,
	})
	if err != nil {
		return nil, err
	}
	c.TaskTemplateInfo = templateInfo
	if in.ScheduledTime != nil {
		c.ScheduledTimestamp = api.NewTime(in.ScheduledTime.Time)
	}
	if queueID != "" {
		c.QueueInfo = &api.QueueInfo{Id: queueID, EnqueueTimestamp: c.InitiationTimestamp}
	}
	if err := s.saveContact(ctx, tx, account, instance, c, EventContactCreated); err != nil {
		return nil, err
	}
	return &api.StartTaskContactResponse{ContactId: c.Id}, nil
}

func (s *Service) template(ctx context.Context, tx store.Tx, account, instance, id string) (*api.GetTaskTemplateResponse, error) {
	var t api.GetTaskTemplateResponse
	if err := load(ctx, tx, store.Key{Account: account, Kind: kindTaskTemplate, Instance: instance, ID: idFromARN(id)}, &t, "Task template"); err != nil {
		return nil, err
	}
	if t.Status == "INACTIVE" {
		return nil, api.Errorf(api.InvalidRequest, "Task template %s is INACTIVE", t.Id)
	}
	return &t, nil
}

// applyTemplate fills a task from its template: default values for the fields the request
// leaves out, then the template's required and read-only constraints. Fields named Name
// and Description are the task's own; the others travel as references of their type.
func applyTemplate(t *api.GetTaskTemplateResponse, name, description *string, refs map[string]api.Reference) error {
	types := map[string]string{}
	for _, f := range t.Fields {
		types[f.Id.Name] = f.Type
	}
	given := func(field string) bool {
		switch types[field] {
		case "NAME":
			return *name != ""
		case "DESCRIPTION":
			return *description != ""
		}
		_, ok := refs[field]
		return ok
	}
	if t.Constraints != nil {
		for _, f := range t.Constraints.ReadOnlyFields {
			if given(f.Id.Name) && types[f.Id.Name] != "NAME" && types[f.Id.Name] != "DESCRIPTION" {
				return api.Errorf(api.InvalidRequest, "Field %s of task template %s is read-only", f.Id.Name, t.Name)
			}
		}
	}
	if t.Defaults != nil {
		for _, d := range t.Defaults.DefaultFieldValues {
			field := d.Id.Name
			if given(field) {
				continue
			}
			switch types[field] {
			case "NAME":
				*name = d.DefaultValue
			case "DESCRIPTION":
				*description = d.DefaultValue
			default:
				refs[field] = api.Reference{Type: referenceTypeOfField(types[field]), Value: d.DefaultValue}
			}
		}
	}
	if t.Constraints != nil {
		for _, f := range t.Constraints.RequiredFields {
			if !given(f.Id.Name) {
				return api.Errorf(api.InvalidRequest, "Field %s of task template %s is required", f.Id.Name, t.Name)
			}
		}
	}
	return nil
}

// referenceTypeOfField is the reference type a task template field's value travels as.
func referenceTypeOfField(fieldType string) string {
	switch fieldType {
	case "URL":
		return "URL"
	case "NUMBER":
		return "NUMBER"
	case "DATE_TIME":
		return "DATE"
	case "EMAIL":
		return "EMAIL"
	}
	return "STRING"
}

// StartOutboundVoiceContact places an outbound call: Connect dials the E.164 destination
// from SourcePhoneNumber or the queue's caller ID, and runs the flow.
func (s *Service) StartOutboundVoiceContact(ctx context.Context, in *api.StartOutboundVoiceContactRequest) (*api.StartOutboundVoiceContactResponse, error) {
	switch {
	case in.SourcePhoneNumber == "" && in.QueueId == "":
		return nil, api.Errorf(api.InvalidRequest, "Either SourcePhoneNumber or QueueId is required")
	case in.AnswerMachineDetectionConfig != nil && in.AnswerMachineDetectionConfig.EnableAnswerMachineDetection != nil &&
		*in.AnswerMachineDetectionConfig.EnableAnswerMachineDetection && in.TrafficType != "CAMPAIGN":
		return nil, api.Errorf(api.InvalidRequest, "Answering machine detection is available only with TrafficType CAMPAIGN")
	}
	var out *api.StartOutboundVoiceContactResponse
	token := newClientToken("StartOutboundVoiceContact", false, in.ClientToken, in)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		account := CallerFrom(ctx).Account
		refs := []ref{{kindContactFlow, in.ContactFlowId, "Flow"}}
		if in.QueueId != "" {
			refs = append(refs, ref{kindQueue, in.QueueId, "Queue"})
		}
		if err := mustExist(ctx, tx, account, inst, refs...); err != nil {
			return err
		}
		out, err = idempotent(ctx, s, tx, token, func() (*api.StartOutboundVoiceContactResponse, error) {
			c, err := s.create(ctx, tx, newContact{
				instance: inst, channel: "VOICE", method: "API", name: in.Name, description: in.Description,
				references: in.References, referenceTypes: taskReferenceTypes, attributes: in.Attributes, relatedID: in.RelatedContactId,
			})
			if err != nil {
				return nil, err
			}
			c.CustomerEndpoint = &api.EndpointInfo{Type: "TELEPHONE_NUMBER", Address: in.DestinationPhoneNumber}
			if in.SourcePhoneNumber != "" {
				c.SystemEndpoint = &api.EndpointInfo{Type: "TELEPHONE_NUMBER", Address: in.SourcePhoneNumber}
			}
			if in.QueueId != "" {
				c.QueueInfo = &api.QueueInfo{Id: idFromARN(in.QueueId), EnqueueTimestamp: c.InitiationTimestamp}
			}
			c.OutboundStrategy = in.OutboundStrategy
			if in.CampaignId != "" {
				c.Campaign = &api.Campaign{CampaignId: in.CampaignId}
			}
			if err := s.saveContact(ctx, tx, account, inst, c, EventContactCreated); err != nil {
				return nil, err
			}
			return &api.StartOutboundVoiceContactResponse{ContactId: c.Id}, nil
		})
		return err
	})
	return out, err
}

// StartWebRTCContact starts an in-app or web call. The meeting's media placement points
// at the server's public URL; every call gets its own meeting, attendee and participant.
func (s *Service) StartWebRTCContact(ctx context.Context, in *api.StartWebRTCContactRequest) (*api.StartWebRTCContactResponse, error) {
	var out *api.StartWebRTCContactResponse
	token := newClientToken("StartWebRTCContact", false, in.ClientToken, in)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		account := CallerFrom(ctx).Account
		if err := mustExist(ctx, tx, account, inst, ref{kindContactFlow, in.ContactFlowId, "Flow"}); err != nil {
			return err
		}
		out, err = idempotent(ctx, s, tx, token, func() (*api.StartWebRTCContactResponse, error) {
			c, err := s.create(ctx, tx, newContact{
				instance: inst, channel: "VOICE", method: "WEBRTC_API", description: in.Description,
				references: in.References, referenceTypes: taskReferenceTypes, attributes: in.Attributes, relatedID: in.RelatedContactId,
			})
			if err != nil {
				return nil, err
			}
			c.CustomerEndpoint = &api.EndpointInfo{Type: "VOIP", DisplayName: in.ParticipantDetails.DisplayName}
			if err := s.saveContact(ctx, tx, account, inst, c, EventContactCreated); err != nil {
				return nil, err
			}
			meeting := s.newID()
			media := func(path string) string { return fmt.Sprintf("%s/webrtc/%s/%s", s.publicURL, meeting, path) }
			return &api.StartWebRTCContactResponse{
				ContactId:        c.Id,
				ParticipantId:    s.newID(),
				ParticipantToken: randomToken(96),
				ConnectionData: &api.ConnectionData{
					Attendee: &api.Attendee{AttendeeId: s.newID(), JoinToken: randomToken(64)},
					Meeting: &api.Meeting{
						MeetingId: meeting, MediaRegion: s.region,
						MediaPlacement: &api.MediaPlacement{
							AudioHostUrl: media("audio"), AudioFallbackUrl: media("audio-fallback"), SignalingUrl: media("signaling"),
							TurnControlUrl: media("turn"), EventIngestionUrl: media("events"),
						},
						MeetingFeatures: &api.MeetingFeaturesConfiguration{Audio: &api.AudioFeatures{EchoReduction: "AVAILABLE"}},
					},
				},
			}, nil
		})
		return err
	})
	return out, err
}

// randomToken returns n random bytes as URL-safe text.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func copyRefs(m map[string]api.Reference) map[string]api.Reference {
	out := make(map[string]api.Reference, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func copySegment(m map[string]api.SegmentAttributeValue) map[string]api.SegmentAttributeValue {
	out := make(map[string]api.SegmentAttributeValue, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

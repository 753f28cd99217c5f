package connect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// DefaultAlias is the alias of the instance a fresh data dir starts with.
const DefaultAlias = "connectlocal"

// The resources Connect creates with every instance.
const (
	defaultInboundFlow = "Default inbound flow"
	defaultHours       = "Basic Hours"
	defaultQueue       = "BasicQueue"
)

// defaultFlows names the default flow of each flow type.
var defaultFlows = []struct{ Type, Name string }{
	{"CONTACT_FLOW", defaultInboundFlow},
	{"CUSTOMER_QUEUE", "Default customer queue"},
	{"CUSTOMER_HOLD", "Default customer hold"},
	{"CUSTOMER_WHISPER", "Default customer whisper"},
	{"AGENT_HOLD", "Default agent hold"},
	{"AGENT_WHISPER", "Default agent whisper"},
	{"OUTBOUND_WHISPER", "Default outbound"},
	{"AGENT_TRANSFER", "Default agent transfer"},
	{"QUEUE_TRANSFER", "Default queue transfer"},
	{"CAMPAIGN", "Default campaign"},
}

// defaultEmailAddress is the address every instance gets on its own domain.
func defaultEmailAddress(alias string) string {
	return fmt.Sprintf("support@%s.email.connect.aws", alias)
}

// minimalFlow is a valid flow-language document: one action that disconnects.
func minimalFlow(actionID string) string {
	b, _ := json.Marshal(map[string]any{
		"Version":     "2019-10-30",
		"StartAction": actionID,
		"Actions":     []any{map[string]any{"Identifier": actionID, "Type": "DisconnectParticipant", "Parameters": map[string]any{}, "Transitions": map[string]any{}}},
	})
	return string(b)
}

func (s *Service) createInstanceDefaults(ctx context.Context, tx store.Tx, account string, inst *api.Instance) error {
	for _, f := range defaultFlows {
		if _, err := s.createFlow(ctx, tx, account, inst.Id, &api.CreateContactFlowRequest{Name: f.Name, Type: f.Type, Content: minimalFlow(s.newID()), Description: f.Name}); err != nil {
			return err
		}
	}
	hours, err := s.createHours(ctx, tx, account, inst.Id, &api.CreateHoursOfOperationRequest{
		Name: defaultHours, Description: "24/7 hours", TimeZone: "UTC", Config: allWeek(),
	})
	if err != nil {
		return err
	}
	email, err := s.createEmailAddress(ctx, tx, account, inst.Id, &api.CreateEmailAddressRequest{
		EmailAddress: defaultEmailAddress(inst.InstanceAlias), DisplayName: inst.InstanceAlias, Description: "Default email address",
	})
	if err != nil {
		return err
	}
	_, err = s.createQueue(ctx, tx, account, inst.Id, &api.CreateQueueRequest{
		Name: defaultQueue, Description: "Default queue", HoursOfOperationId: hours.HoursOfOperationId,
		EmailAddressesConfig: []api.EmailAddressConfig{{EmailAddressId: email.EmailAddressId}},
		OutboundEmailConfig:  &api.OutboundEmailConfig{OutboundEmailAddressId: email.EmailAddressId},
	})
	return err
}

func allWeek() []api.HoursOfOperationConfig {
	var cfg []api.HoursOfOperationConfig
	for _, d := range []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"} {
		cfg = append(cfg, api.HoursOfOperationConfig{Day: d, StartTime: &api.HoursOfOperationTimeSlice{Hours: api.Int32(0), Minutes: api.Int32(0)}, EndTime: &api.HoursOfOperationTimeSlice{Hours: api.Int32(0), Minutes: api.Int32(0)}})
	}
	return cfg
}

// Defaults are the IDs of the default instance and its resources, printed at start-up.
type Defaults struct {
	InstanceID, InstanceARN, ContactFlowID, QueueID, HoursOfOperationID, EmailAddressID, EmailAddress string
}

// Bootstrap makes sure the default account has the default instance (creating it on a
// fresh data dir) and returns its IDs, which are stable across restarts.
func (s *Service) Bootstrap(ctx context.Context) (Defaults, error) {
	account := DefaultAccount
	var d Defaults
	err := s.store.Update(ctx, func(tx store.Tx) error {
		rec, err := tx.GetByName(ctx, account, kindInstance, "", DefaultAlias)
		var inst api.Instance
		switch {
		case errors.Is(err, store.ErrNotFound):
			created, err := s.createInstance(ctx, tx, account, s.newID(), &api.CreateInstanceRequest{
				IdentityManagementType: "CONNECT_MANAGED", InstanceAlias: DefaultAlias,
				InboundCallsEnabled: api.Bool(true), OutboundCallsEnabled: api.Bool(true),
			})
			if err != nil {
				return err
			}
			inst = *created
		case err != nil:
			return err
		default:
			if err := decodeRecord(rec.Data, &inst); err != nil {
				return err
			}
		}
		d.InstanceID, d.InstanceARN = inst.Id, inst.Arn
		d.EmailAddress = defaultEmailAddress(inst.InstanceAlias)
		for _, n := range []struct {
			kind, name string
			id         *string
		}{
			{kindContactFlow, defaultInboundFlow, &d.ContactFlowID},
			{kindQueue, defaultQueue, &d.QueueID},
			{kindHours, defaultHours, &d.HoursOfOperationID},
			{kindEmailAddress, d.EmailAddress, &d.EmailAddressID},
		} {
			rec, err := tx.GetByName(ctx, account, n.kind, inst.Id, n.name)
			if err != nil {
				return fmt.Errorf("default %s %q: %w", n.kind, n.name, err)
			}
			*n.id = rec.ID
		}
		return nil
	})
	return d, err
}

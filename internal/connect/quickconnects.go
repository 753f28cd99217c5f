package connect

import (
	"context"
	"errors"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

func (s *Service) CreateQuickConnect(ctx context.Context, in *api.CreateQuickConnectRequest) (*api.CreateQuickConnectResponse, error) {
	var out *api.CreateQuickConnectResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		account := CallerFrom(ctx).Account
		if err := s.checkQuickConnectConfig(ctx, tx, account, inst, in.QuickConnectConfig); err != nil {
			return err
		}
		id := s.newID()
		qc := &api.QuickConnect{
			QuickConnectId: id, QuickConnectARN: s.arn(account, inst, kindQuickConnect, id), Name: in.Name,
			Description: in.Description, QuickConnectConfig: in.QuickConnectConfig, Tags: in.Tags,
			LastModifiedTime: api.NewTime(s.now()), LastModifiedRegion: s.region,
		}
		err = save(ctx, tx, store.Key{Account: account, Kind: kindQuickConnect, Instance: inst, ID: id}, in.Name, qc)
		if errors.Is(err, store.ErrConflict) {
			return api.Errorf(api.DuplicateResource, "A quick connect with the name %s already exists", in.Name)
		}
		out = &api.CreateQuickConnectResponse{QuickConnectId: id, QuickConnectARN: qc.QuickConnectARN}
		return err
	})
	return out, err
}

// checkQuickConnectConfig enforces that the configuration matching QuickConnectType, and
// only that one, is present, and that the queue and flow it names exist. Like Connect,
// a queue quick connect needs a flow of type QUEUE_TRANSFER and a user quick connect one
// of type AGENT_TRANSFER.
func (s *Service) checkQuickConnectConfig(ctx context.Context, tx store.Tx, account, instance string, c *api.QuickConnectConfig) error {
	present := map[string]bool{"USER": c.UserConfig != nil, "QUEUE": c.QueueConfig != nil, "PHONE_NUMBER": c.PhoneConfig != nil, "FLOW": c.FlowConfig != nil}
	for typ, ok := range present {
		if ok != (typ == c.QuickConnectType) {
			return api.Errorf(api.InvalidInput, "QuickConnectConfig of type %s must carry exactly the configuration of that type", c.QuickConnectType)
		}
	}
	flowOfType := func(id, want string) error {
		var flow api.ContactFlow
		if err := load(ctx, tx, store.Key{Account: account, Kind: kindContactFlow, Instance: instance, ID: idFromARN(id)}, &flow, "Flow"); err != nil {
			return err
		}
		if want != "" && flow.Type != want {
			return api.Errorf(api.InvalidInput, "Flow %s is of type %s; this quick connect needs a flow of type %s", id, flow.Type, want)
		}
		return nil
	}
	switch c.QuickConnectType {
	case "QUEUE":
		if err := mustExist(ctx, tx, account, instance, ref{kindQueue, c.QueueConfig.QueueId, "Queue"}); err != nil {
			return err
		}
		return flowOfType(c.QueueConfig.ContactFlowId, "QUEUE_TRANSFER")
	case "USER":
		return flowOfType(c.UserConfig.ContactFlowId, "AGENT_TRANSFER")
	case "FLOW":
		return flowOfType(c.FlowConfig.ContactFlowId, "")
	}
	return nil
}

func (s *Service) DescribeQuickConnect(ctx context.Context, in *api.DescribeQuickConnectRequest) (*api.DescribeQuickConnectResponse, error) {
	var out api.DescribeQuickConnectResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		out.QuickConnect = new(api.QuickConnect)
		return load(ctx, tx, store.Key{Account: CallerFrom(ctx).Account, Kind: kindQuickConnect, Instance: inst, ID: idFromARN(in.QuickConnectId)}, out.QuickConnect, "Quick connect")
	})
	return &out, err
}

package connect

import (
	"context"
	"errors"
	"slices"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

func (s *Service) CreateQueue(ctx context.Context, in *api.CreateQueueRequest) (*api.CreateQueueResponse, error) {
	var out *api.CreateQueueResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		out, err = s.createQueue(ctx, tx, CallerFrom(ctx).Account, inst, in)
		return err
	})
	return out, err
}

func (s *Service) createQueue(ctx context.Context, tx store.Tx, account, instance string, in *api.CreateQueueRequest) (*api.CreateQueueResponse, error) {
	// Every resource the queue names must exist in the instance.
	refs := []ref{{kindHours, in.HoursOfOperationId, "Hours of operation"}}
	for _, id := range in.QuickConnectIds {
		refs = append(refs, ref{kindQuickConnect, id, "Quick connect"})
	}
	for _, e := range in.EmailAddressesConfig {
		refs = append(refs, ref{kindEmailAddress, e.EmailAddressId, "Email address"})
	}
	if c := in.OutboundEmailConfig; c != nil && c.OutboundEmailAddressId != "" {
		refs = append(refs, ref{kindEmailAddress, c.OutboundEmailAddressId, "Email address"})
	}
	if c := in.OutboundCallerConfig; c != nil && c.OutboundFlowId != "" {
		refs = append(refs, ref{kindContactFlow, c.OutboundFlowId, "Flow"})
	}
	if err := mustExist(ctx, tx, account, instance, refs...); err != nil {
		return nil, err
	}
	id := s.newID()
	q := &api.Queue{
		QueueId: id, QueueArn: s.arn(account, instance, kindQueue, id), Name: in.Name, Description: in.Description,
		HoursOfOperationId: idFromARN(in.HoursOfOperationId), MaxContacts: in.MaxContacts, OutboundCallerConfig: in.OutboundCallerConfig,
		OutboundEmailConfig: in.OutboundEmailConfig, Status: "ENABLED", Tags: in.Tags,
		LastModifiedTime: api.NewTime(s.now()), LastModifiedRegion: s.region,
	}
	err := save(ctx, tx, store.Key{Account: account, Kind: kindQueue, Instance: instance, ID: id}, in.Name, q)
	if errors.Is(err, store.ErrConflict) {
		return nil, api.Errorf(api.DuplicateResource, "A queue with the name %s already exists", in.Name)
	}
	if err != nil {
		return nil, err
	}
	return &api.CreateQueueResponse{QueueId: id, QueueArn: q.QueueArn}, nil
}

func (s *Service) DescribeQueue(ctx context.Context, in *api.DescribeQueueRequest) (*api.DescribeQueueResponse, error) {
	var out api.DescribeQueueResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		out.Queue, err = s.queue(ctx, tx, in.InstanceId, in.QueueId)
		return err
	})
	return &out, err
}

// queue loads a queue of an instance given by ID or ARN.
func (s *Service) queue(ctx context.Context, tx store.Tx, instanceID, queueID string) (*api.Queue, error) {
	inst, err := s.instance(ctx, tx, instanceID)
	if err != nil {
		return nil, err
	}
	var q api.Queue
	return &q, load(ctx, tx, store.Key{Account: CallerFrom(ctx).Account, Kind: kindQueue, Instance: inst, ID: idFromARN(queueID)}, &q, "Queue")
}

// ListQueues lists the instance's queues. connectlocal has no agents, so every queue is
// STANDARD and a filter on AGENT finds none.
func (s *Service) ListQueues(ctx context.Context, in *api.ListQueuesRequest) (*api.ListQueuesResponse, error) {
	var out api.ListQueuesResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		queues, pos, err := listAll[api.Queue](ctx, s, tx, in.InstanceId, kindQueue)
		if err != nil {
			return err
		}
		if len(in.QueueTypes) > 0 && !slices.Contains(in.QueueTypes, "STANDARD") {
			queues = nil
		}
		queues, out.NextToken, err = paginate(queues, func(q api.Queue) string { return q.QueueId }, pos, in.NextToken, maxResults(in.MaxResults, 100))
		out.QueueSummaryList = make([]api.QueueSummary, 0, len(queues))
		for _, q := range queues {
			out.QueueSummaryList = append(out.QueueSummaryList, api.QueueSummary{
				Id: q.QueueId, Arn: q.QueueArn, Name: q.Name, QueueType: "STANDARD", LastModifiedTime: q.LastModifiedTime, LastModifiedRegion: q.LastModifiedRegion,
			})
		}
		return err
	})
	return &out, err
}

package connect

import (
	"context"
	"errors"
	"time"
	_ "time/tzdata" // time zones must resolve on machines without a zoneinfo database

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

func (s *Service) CreateHoursOfOperation(ctx context.Context, in *api.CreateHoursOfOperationRequest) (*api.CreateHoursOfOperationResponse, error) {
	var out *api.CreateHoursOfOperationResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		out, err = s.createHours(ctx, tx, CallerFrom(ctx).Account, inst, in)
		return err
	})
	return out, err
}

func (s *Service) createHours(ctx context.Context, tx store.Tx, account, instance string, in *api.CreateHoursOfOperationRequest) (*api.CreateHoursOfOperationResponse, error) {
	if _, err := time.LoadLocation(in.TimeZone); err != nil {
		return nil, api.Errorf(api.InvalidInput, "TimeZone %s is not a valid time zone", in.TimeZone)
	}
	var parents []api.HoursOfOperationsIdentifier
	for _, p := range in.ParentHoursOfOperationConfigs {
		var parent api.HoursOfOperation
		if err := load(ctx, tx, store.Key{Account: account, Kind: kindHours, Instance: instance, ID: p.HoursOfOperationId}, &parent, "Hours of operation"); err != nil {
			return nil, err
		}
		parents = append(parents, api.HoursOfOperationsIdentifier{Id: parent.HoursOfOperationId, Name: parent.Name})
	}
	id := s.newID()
	h := &api.HoursOfOperation{
		HoursOfOperationId: id, HoursOfOperationArn: s.arn(account, instance, kindHours, id),
		Name: in.Name, Description: in.Description, TimeZone: in.TimeZone, Config: in.Config, Tags: in.Tags,
		ParentHoursOfOperations: parents, LastModifiedTime: api.NewTime(s.now()), LastModifiedRegion: s.region,
	}
	err := save(ctx, tx, store.Key{Account: account, Kind: kindHours, Instance: instance, ID: id}, in.Name, h)
	if errors.Is(err, store.ErrConflict) {
		return nil, api.Errorf(api.DuplicateResource, "Hours of operation named %s already exist", in.Name)
	}
	if err != nil {
		return nil, err
	}
	return &api.CreateHoursOfOperationResponse{HoursOfOperationId: id, HoursOfOperationArn: h.HoursOfOperationArn}, nil
}

func (s *Service) DescribeHoursOfOperation(ctx context.Context, in *api.DescribeHoursOfOperationRequest) (*api.DescribeHoursOfOperationResponse, error) {
	var out api.DescribeHoursOfOperationResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		out.HoursOfOperation = new(api.HoursOfOperation)
		return load(ctx, tx, store.Key{Account: CallerFrom(ctx).Account, Kind: kindHours, Instance: inst, ID: idFromARN(in.HoursOfOperationId)}, out.HoursOfOperation, "Hours of operation")
	})
	return &out, err
}

func (s *Service) ListHoursOfOperations(ctx context.Context, in *api.ListHoursOfOperationsRequest) (*api.ListHoursOfOperationsResponse, error) {
	var out api.ListHoursOfOperationsResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		all, pos, err := listAll[api.HoursOfOperation](ctx, s, tx, in.InstanceId, kindHours)
		if err != nil {
			return err
		}
		items, next, err := paginate(all, func(h api.HoursOfOperation) string { return h.HoursOfOperationId }, pos, in.NextToken, maxResults(in.MaxResults, 100))
		out.NextToken = next
		out.HoursOfOperationSummaryList = make([]api.HoursOfOperationSummary, 0, len(items))
		for _, h := range items {
			out.HoursOfOperationSummaryList = append(out.HoursOfOperationSummaryList, api.HoursOfOperationSummary{
				Id: h.HoursOfOperationId, Arn: h.HoursOfOperationArn, Name: h.Name, LastModifiedTime: h.LastModifiedTime, LastModifiedRegion: h.LastModifiedRegion,
			})
		}
		return err
	})
	return &out, err
}

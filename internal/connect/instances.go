package connect

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// maxInstances is the emulator's instances-per-account quota (Connect's default is lower
// and raisable; a local tool should not get in the way of tests that create many).
const maxInstances = 100

// CreateInstance creates an ACTIVE instance at once (Connect passes through
// CREATION_IN_PROGRESS; a local emulator has nothing to wait for), with the resources
// Connect creates with every instance.
func (s *Service) CreateInstance(ctx context.Context, in *api.CreateInstanceRequest) (*api.CreateInstanceResponse, error) {
	switch in.IdentityManagementType {
	case "EXISTING_DIRECTORY":
		if in.DirectoryId == "" {
			return nil, api.Errorf(api.InvalidRequest, "DirectoryId is required when IdentityManagementType is EXISTING_DIRECTORY")
		}
	default:
		if in.InstanceAlias == "" {
			return nil, api.Errorf(api.InvalidRequest, "InstanceAlias is required when IdentityManagementType is %s", in.IdentityManagementType)
		}
	}
	var out *api.CreateInstanceResponse
	token := newClientToken("CreateInstance", false, in.ClientToken, in)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		out, err = idempotent(ctx, s, tx, token, func() (*api.CreateInstanceResponse, error) {
			inst, err := s.createInstance(ctx, tx, CallerFrom(ctx).Account, s.newID(), in)
			if err != nil {
				return nil, err
			}
			return &api.CreateInstanceResponse{Id: inst.Id, Arn: inst.Arn}, nil
		})
		return err
	})
	return out, err
}

func (s *Service) createInstance(ctx context.Context, tx store.Tx, account, id string, in *api.CreateInstanceRequest) (*api.Instance, error) {
	count, err := tx.List(ctx, store.Page{Account: account, Kind: kindInstance, Limit: maxInstances})
	if err != nil {
		return nil, err
	}
	if len(count.Records) >= maxInstances {
		return nil, api.Errorf(api.ServiceQuotaExceeded, "The quota of %d instances per account is reached", maxInstances)
	}
	alias := in.InstanceAlias
	if alias == "" {
		alias = strings.ToLower(in.DirectoryId)
	}
	now := s.now()
	inst := &api.Instance{
		Id:                     id,
		Arn:                    s.arn(account, id, kindInstance, ""),
		IdentityManagementType: in.IdentityManagementType,
		InstanceAlias:          alias,
		CreatedTime:            api.NewTime(now),
		ServiceRole:            fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect", account),
		InstanceStatus:         "ACTIVE",
		InboundCallsEnabled:    in.InboundCallsEnabled,
		OutboundCallsEnabled:   in.OutboundCallsEnabled,
		InstanceAccessUrl:      fmt.Sprintf("https://%s.my.connect.aws/", alias),
		Tags:                   in.Tags,
	}
	err = save(ctx, tx, store.Key{Account: account, Kind: kindInstance, ID: id}, alias, inst)
	if errors.Is(err, store.ErrConflict) {
		return nil, api.Errorf(api.InvalidRequest, "An instance with alias %s already exists", alias)
	}
	if err != nil {
		return nil, err
	}
	if err := s.createInstanceDefaults(ctx, tx, account, inst); err != nil {
		return nil, err
	}
	if err := markFileIndexComplete(ctx, tx, account, inst.Id); err != nil {
		return nil, err
	}
	return inst, nil
}

func (s *Service) DescribeInstance(ctx context.Context, in *api.DescribeInstanceRequest) (*api.DescribeInstanceResponse, error) {
	var out api.DescribeInstanceResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		k, err := instanceKey(ctx, in.InstanceId)
		if err != nil {
			return err
		}
		out.Instance = &api.Instance{}
		return load(ctx, tx, k, out.Instance, "Instance")
	})
	return &out, err
}

func (s *Service) ListInstances(ctx context.Context, in *api.ListInstancesRequest) (*api.ListInstancesResponse, error) {
	var out api.ListInstancesResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		all, pos, err := decodeAll[api.Instance](ctx, tx, store.Page{Account: CallerFrom(ctx).Account, Kind: kindInstance})
		if err != nil {
			return err
		}
		insts, next, err := paginate(all, func(i api.Instance) string { return i.Id }, pos, in.NextToken, maxResults(in.MaxResults, 10))
		if err != nil {
			return err
		}
		out.NextToken = next
		out.InstanceSummaryList = make([]api.InstanceSummary, 0, len(insts))
		for _, i := range insts {
			out.InstanceSummaryList = append(out.InstanceSummaryList, api.InstanceSummary{
				Id: i.Id, Arn: i.Arn, IdentityManagementType: i.IdentityManagementType, InstanceAlias: i.InstanceAlias,
				CreatedTime: i.CreatedTime, ServiceRole: i.ServiceRole, InstanceStatus: i.InstanceStatus,
				InboundCallsEnabled: i.InboundCallsEnabled, OutboundCallsEnabled: i.OutboundCallsEnabled, InstanceAccessUrl: i.InstanceAccessUrl,
			})
		}
		return nil
	})
	return &out, err
}

// DeleteInstance removes the instance and everything in it.
func (s *Service) DeleteInstance(ctx context.Context, in *api.DeleteInstanceRequest) (*api.Empty, error) {
	return nil, s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		account := CallerFrom(ctx).Account
		if err := tx.DeleteInstance(ctx, account, inst); err != nil {
			return err
		}
		return tx.Delete(ctx, store.Key{Account: account, Kind: kindInstance, ID: inst})
	})
}

// instanceID returns the instance ID an InstanceId member names, given as an ID or as
// the ARN of an instance of account; false for any other ARN.
func instanceID(account, idOrARN string) (string, bool) {
	a, ok := parseARN(idOrARN)
	switch {
	case !ok:
		return idOrARN, true
	case a.Kind != kindInstance || a.Account != account:
		return "", false
	}
	return a.Instance, true
}

// instance resolves an InstanceId member, which may be the instance's ID or its ARN, to the
// ID of an instance of the caller's account. Returns ResourceNotFoundException otherwise.
func (s *Service) instance(ctx context.Context, tx store.Tx, idOrARN string) (string, error) {
	k, err := instanceKey(ctx, idOrARN)
	if err != nil {
		return "", err
	}
	// Only whether it exists: an instance's ID never changes, and no operation but
	// DescribeInstance needs more of its record, so this reads none of it.
	ok, err := tx.Exists(ctx, k)
	if err == nil && !ok {
		return "", api.Errorf(api.ResourceNotFound, "Instance not found: %s", k.ID)
	}
	return k.ID, err
}

// instanceKey is the key of the instance an InstanceId member names in the caller's
// account, or ResourceNotFoundException if it names none there.
func instanceKey(ctx context.Context, idOrARN string) (store.Key, error) {
	account := CallerFrom(ctx).Account
	id, ok := instanceID(account, idOrARN)
	if !ok {
		return store.Key{}, api.Errorf(api.ResourceNotFound, "Instance not found: %s", idOrARN)
	}
	return store.Key{Account: account, Kind: kindInstance, ID: id}, nil
}

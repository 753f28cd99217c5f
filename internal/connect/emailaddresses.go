package connect

import (
	"context"
	"errors"
	"strings"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// CreateEmailAddress adds an address to the instance. Connect requires the domain to be
// the instance's own or one verified in SES; connectlocal has no SES, so any domain is
// accepted. An address can be claimed once per instance.
func (s *Service) CreateEmailAddress(ctx context.Context, in *api.CreateEmailAddressRequest) (*api.CreateEmailAddressResponse, error) {
	var out *api.CreateEmailAddressResponse
	token := newClientToken("CreateEmailAddress", true, in.ClientToken, in)
	err := s.store.Update(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		out, err = idempotent(ctx, s, tx, token, func() (*api.CreateEmailAddressResponse, error) {
			return s.createEmailAddress(ctx, tx, CallerFrom(ctx).Account, inst, in)
		})
		return err
	})
	return out, err
}

func (s *Service) createEmailAddress(ctx context.Context, tx store.Tx, account, instance string, in *api.CreateEmailAddressRequest) (*api.CreateEmailAddressResponse, error) {
	id := s.newID()
	now := api.ISOTime(s.now())
	e := &api.DescribeEmailAddressResponse{
		EmailAddressId: id, EmailAddressArn: s.arn(account, instance, kindEmailAddress, id), EmailAddress: in.EmailAddress,
		DisplayName: in.DisplayName, Description: in.Description, CreateTimestamp: now, ModifiedTimestamp: now, Tags: in.Tags,
	}
	err := save(ctx, tx, store.Key{Account: account, Kind: kindEmailAddress, Instance: instance, ID: id}, strings.ToLower(in.EmailAddress), e)
	if errors.Is(err, store.ErrConflict) {
		return nil, api.Errorf(api.DuplicateResource, "The email address %s already exists in this instance", in.EmailAddress)
	}
	if err != nil {
		return nil, err
	}
	return &api.CreateEmailAddressResponse{EmailAddressId: id, EmailAddressArn: e.EmailAddressArn}, nil
}

func (s *Service) DescribeEmailAddress(ctx context.Context, in *api.DescribeEmailAddressRequest) (*api.DescribeEmailAddressResponse, error) {
	var out api.DescribeEmailAddressResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		inst, err := s.instance(ctx, tx, in.InstanceId)
		if err != nil {
			return err
		}
		return load(ctx, tx, store.Key{Account: CallerFrom(ctx).Account, Kind: kindEmailAddress, Instance: inst, ID: idFromARN(in.EmailAddressId)}, &out, "Email address")
	})
	return &out, err
}

// SearchEmailAddresses filters the instance's addresses by SearchCriteria (string
// conditions on the fields EmailAddress, DisplayName and Description, combined with AND
// and OR) and SearchFilter (tags).
func (s *Service) SearchEmailAddresses(ctx context.Context, in *api.SearchEmailAddressesRequest) (*api.SearchEmailAddressesResponse, error) {
	var out api.SearchEmailAddressesResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		all, pos, err := listAll[api.DescribeEmailAddressResponse](ctx, s, tx, in.InstanceId, kindEmailAddress)
		if err != nil {
			return err
		}
		var matched []api.DescribeEmailAddressResponse
		for _, e := range all {
			ok, err := matchEmailCriteria(in.SearchCriteria, e)
			if err != nil {
				return err
			}
			if ok && (in.SearchFilter == nil || matchTagFilter(in.SearchFilter.TagFilter, e.Tags)) {
				matched = append(matched, e)
			}
		}
		out.ApproximateTotalCount = api.Int64(int64(len(matched)))
		items, next, err := paginate(matched, func(e api.DescribeEmailAddressResponse) string { return e.EmailAddressId }, pos, in.NextToken, maxResults(in.MaxResults, 100))
		out.NextToken = next
		out.EmailAddresses = make([]api.EmailAddressMetadata, 0, len(items))
		for _, e := range items {
			out.EmailAddresses = append(out.EmailAddresses, api.EmailAddressMetadata{
				EmailAddressId: e.EmailAddressId, EmailAddressArn: e.EmailAddressArn, EmailAddress: e.EmailAddress,
				DisplayName: e.DisplayName, Description: e.Description, AliasConfigurations: e.AliasConfigurations,
			})
		}
		return err
	})
	return &out, err
}

func matchEmailCriteria(c *api.EmailAddressSearchCriteria, e api.DescribeEmailAddressResponse) (bool, error) {
	if c == nil {
		return true, nil
	}
	for _, sub := range c.AndConditions {
		if ok, err := matchEmailCriteria(&sub, e); err != nil || !ok {
			return false, err
		}
	}
	if len(c.OrConditions) > 0 {
		any := false
		for _, sub := range c.OrConditions {
			ok, err := matchEmailCriteria(&sub, e)
			if err != nil {
				return false, err
			}
			any = any || ok
		}
		if !any {
			return false, nil
		}
	}
	if sc := c.StringCondition; sc != nil {
		var field string
		switch strings.ToLower(strings.ReplaceAll(sc.FieldName, "_", "")) {
		case "emailaddress":
			field = e.EmailAddress
		case "displayname":
			field = e.DisplayName
		case "description":
			field = e.Description
		default:
			return false, api.Errorf(api.InvalidInput, "FieldName %s cannot be searched; use EmailAddress, DisplayName or Description", sc.FieldName)
		}
		return matchString(sc, field), nil
	}
	return true, nil
}

// matchString applies a StringCondition, case-insensitively as Connect's search does.
func matchString(sc *api.StringCondition, value string) bool {
	v, want := strings.ToLower(value), strings.ToLower(sc.Value)
	switch sc.ComparisonType {
	case "STARTS_WITH":
		return strings.HasPrefix(v, want)
	case "CONTAINS":
		return strings.Contains(v, want)
	default:
		return v == want
	}
}

// matchTagFilter applies a ControlPlaneTagFilter: one condition, all of AndConditions, or
// any group of OrConditions whose conditions all hold.
func matchTagFilter(f *api.ControlPlaneTagFilter, tags map[string]string) bool {
	if f == nil {
		return true
	}
	holds := func(c api.TagCondition) bool {
		v, ok := tags[c.TagKey]
		return ok && (c.TagValue == "" || v == c.TagValue)
	}
	all := func(cs []api.TagCondition) bool {
		for _, c := range cs {
			if !holds(c) {
				return false
			}
		}
		return true
	}
	if f.TagCondition != nil && !holds(*f.TagCondition) {
		return false
	}
	if !all(f.AndConditions) {
		return false
	}
	if len(f.OrConditions) > 0 {
		for _, group := range f.OrConditions {
			if all(group) {
				return true
			}
		}
		return false
	}
	return true
}

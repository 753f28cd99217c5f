package connect

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// maxTags is how many tags a resource may carry.
const maxTags = 50

// taggable are the kinds whose ARNs the tag operations accept.
var taggable = []string{kindInstance, kindContactFlow, kindHours, kindQueue, kindQuickConnect, kindTaskTemplate, kindEmailAddress}

func (s *Service) TagResource(ctx context.Context, in *api.TagResourceRequest) (*api.Empty, error) {
	return nil, s.updateTags(ctx, in.ResourceArn, func(tags map[string]string) error {
		maps.Copy(tags, in.Tags)
		if len(tags) > maxTags {
			return api.Errorf(api.InvalidInput, "A resource can have at most %d tags; this request would give it %d", maxTags, len(tags))
		}
		return nil
	})
}

func (s *Service) UntagResource(ctx context.Context, in *api.UntagResourceRequest) (*api.Empty, error) {
	return nil, s.updateTags(ctx, in.ResourceArn, func(tags map[string]string) error {
		for _, k := range in.TagKeys {
			delete(tags, k)
		}
		return nil
	})
}

func (s *Service) ListTagsForResource(ctx context.Context, in *api.ListTagsForResourceRequest) (*api.ListTagsForResourceResponse, error) {
	out := &api.ListTagsForResourceResponse{Tags: map[string]string{}}
	err := s.store.View(ctx, func(tx store.Tx) error {
		_, doc, err := s.taggedRecord(ctx, tx, in.ResourceArn)
		if err != nil {
			return err
		}
		if raw, ok := doc["Tags"]; ok {
			return json.Unmarshal(raw, &out.Tags)
		}
		return nil
	})
	return out, err
}

// updateTags applies change to the tags of the resource an ARN names. Tags live in the
// resource's own document, under "Tags", as Describe operations return them.
func (s *Service) updateTags(ctx context.Context, arn string, change func(map[string]string) error) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		rec, doc, err := s.taggedRecord(ctx, tx, arn)
		if err != nil {
			return err
		}
		tags := map[string]string{}
		if raw, ok := doc["Tags"]; ok {
			if err := json.Unmarshal(raw, &tags); err != nil {
				return err
			}
		}
		if err := change(tags); err != nil {
			return err
		}
		if len(tags) == 0 {
			delete(doc, "Tags")
		} else if doc["Tags"], err = json.Marshal(tags); err != nil {
			return err
		}
		if rec.Data, err = json.Marshal(doc); err != nil {
			return err
		}
		return tx.Put(ctx, rec)
	})
}

// taggedRecord loads the record an ARN names. An ARN that is malformed, of another
// account or region, of a kind without tags, or of nothing is ResourceNotFoundException.
func (s *Service) taggedRecord(ctx context.Context, tx store.Tx, arn string) (store.Record, map[string]json.RawMessage, error) {
	notFound := api.Errorf(api.ResourceNotFound, "Resource not found: %s", arn)
	a, ok := parseARN(arn)
	if !ok || a.Account != CallerFrom(ctx).Account || a.Region != s.region || !slices.Contains(taggable, a.Kind) {
		return store.Record{}, nil, notFound
	}
	k := store.Key{Account: a.Account, Kind: a.Kind, Instance: a.Instance, ID: a.ID}
	if a.Kind == kindInstance {
		k.Instance = ""
	}
	rec, err := tx.Get(ctx, k)
	if errors.Is(err, store.ErrNotFound) {
		return store.Record{}, nil, notFound
	}
	if err != nil {
		return store.Record{}, nil, err
	}
	var doc map[string]json.RawMessage
	return rec, doc, json.Unmarshal(rec.Data, &doc)
}

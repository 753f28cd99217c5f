package connect

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// listAll returns every resource of a kind in an instance, in creation order.
func listAll[T any](ctx context.Context, s *Service, tx store.Tx, instanceID, kind string) ([]T, error) {
	inst, err := s.instance(ctx, tx, instanceID)
	if err != nil {
		return nil, err
	}
	return decodeAll[T](ctx, tx, store.Page{Account: CallerFrom(ctx).Account, Kind: kind, Instance: inst.Id})
}

// decodeAll returns every record of a listing, decoded.
func decodeAll[T any](ctx context.Context, tx store.Tx, p store.Page) ([]T, error) {
	res, err := tx.List(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(res.Records))
	for _, rec := range res.Records {
		var v T
		if err := json.Unmarshal(rec.Data, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// paginate returns the page of items after the one a token names. The token carries the
// last ID returned, so items created between two calls do not shift the pages.
func paginate[T any](items []T, id func(T) string, token string, max int) ([]T, string, error) {
	start := 0
	if token != "" {
		last, err := decodeToken(token)
		if err != nil {
			return nil, "", err
		}
		start = -1
		for i, it := range items {
			if id(it) == last {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return nil, "", api.Errorf(api.InvalidInput, "The NextToken is not valid: %s", token)
		}
	}
	end := min(start+max, len(items))
	next := ""
	if end < len(items) {
		next = encodeToken(id(items[end-1]))
	}
	return items[start:end], next, nil
}

// ref names a resource of an instance that a request refers to.
type ref struct{ kind, id, what string }

// mustExist returns ResourceNotFoundException for the first of refs that does not exist.
func mustExist(ctx context.Context, tx store.Tx, account, instance string, refs ...ref) error {
	for _, r := range refs {
		_, err := tx.Get(ctx, store.Key{Account: account, Kind: r.kind, Instance: instance, ID: idFromARN(r.id)})
		if errors.Is(err, store.ErrNotFound) {
			return api.Errorf(api.ResourceNotFound, "%s not found: %s", r.what, r.id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

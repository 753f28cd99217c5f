package connect

import (
	"context"
	"slices"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// positions maps the IDs of a listing's records to their places in it (store.Record.Seq),
// so that a NextToken can name the place its page ended even after that item is deleted.
type positions map[string]int64

// listAll returns every resource of a kind in an instance, in creation order.
func listAll[T any](ctx context.Context, s *Service, tx store.Tx, instanceID, kind string) ([]T, positions, error) {
	inst, err := s.instance(ctx, tx, instanceID)
	if err != nil {
		return nil, nil, err
	}
	return decodeAll[T](ctx, tx, store.Page{Account: CallerFrom(ctx).Account, Kind: kind, Instance: inst})
}

// decodeAll returns every record of a listing, decoded, with their positions.
func decodeAll[T any](ctx context.Context, tx store.Tx, p store.Page) ([]T, positions, error) {
	res, err := tx.List(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	out := make([]T, 0, len(res.Records))
	pos := make(positions, len(res.Records))
	for _, rec := range res.Records {
		var v T
		if err := decodeRecord(rec.Data, &v); err != nil {
			return nil, nil, err
		}
		out = append(out, v)
		pos[rec.ID] = rec.Seq
	}
	return out, pos, nil
}

// paginate returns the page of items after the one a token names. The token carries the
// last ID returned, so items created between two calls do not shift the pages, and, when
// pos places the items (a listing in store order), that item's place too, so the page
// after it is found even if it has been deleted since: the next item is the first one
// placed after it. Without pos (a sorted or fixed list) a token for a vanished item is
// not valid.
func paginate[T any](items []T, id func(T) string, pos positions, token string, max int) ([]T, string, error) {
	start := 0
	if token != "" {
		last, err := decodeToken(token)
		if err != nil {
			return nil, "", err
		}
		switch at := slices.IndexFunc(items, func(it T) bool { return id(it) == last.id }); {
		case at >= 0:
			start = at + 1
		case pos != nil && last.pos > 0:
			start = slices.IndexFunc(items, func(it T) bool { return pos[id(it)] > last.pos })
			if start < 0 {
				start = len(items)
			}
		default:
			return nil, "", api.Errorf(api.InvalidInput, "The NextToken is not valid: %s", token)
		}
	}
	end := min(start+max, len(items))
	next := ""
	if end < len(items) {
		lastID := id(items[end-1])
		next = encodeToken(pageEnd{id: lastID, pos: pos[lastID]})
	}
	return items[start:end], next, nil
}

// ref names a resource of an instance that a request refers to.
type ref struct{ kind, id, what string }

// mustExist returns ResourceNotFoundException for the first of refs that does not exist.
func mustExist(ctx context.Context, tx store.Tx, account, instance string, refs ...ref) error {
	for _, r := range refs {
		ok, err := tx.Exists(ctx, store.Key{Account: account, Kind: r.kind, Instance: instance, ID: idFromARN(r.id)})
		if err != nil {
			return err
		}
		if !ok {
			return api.Errorf(api.ResourceNotFound, "%s not found: %s", r.what, r.id)
		}
	}
	return nil
}

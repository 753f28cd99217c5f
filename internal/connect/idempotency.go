package connect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store"
)

// idempotencyWindow is how long a client token is remembered: "The token is valid for 7
// days after creation."
const idempotencyWindow = 7 * 24 * time.Hour

// idempotent runs create at most once per client token, inside the caller's write
// transaction, so concurrent retries with one token see one outcome. A replay of the same
// request answers the first response; the same token with a different request answers
// IdempotencyException where the operation lists it (else, like Connect's "If a contact is
// already started, the contact ID is returned", the first response). An empty token means
// no idempotency.
func idempotent[O any](ctx context.Context, s *Service, tx store.Tx, op string, listsIdempotency bool, token string, req any, create func() (*O, error)) (*O, error) {
	if token == "" {
		return create()
	}
	account := CallerFrom(ctx).Account
	hash, err := requestHash(req)
	if err != nil {
		return nil, err
	}
	prev, err := tx.GetIdempotency(ctx, account, op, token)
	switch {
	case err == nil && s.now().Sub(prev.Created) < idempotencyWindow:
		if prev.RequestHash != hash && listsIdempotency {
			return nil, api.Errorf(api.Idempotency, "A request with ClientToken %s was already made with different parameters", token)
		}
		out := new(O)
		return out, json.Unmarshal(prev.Response, out)
	case err == nil:
		if err := tx.DeleteIdempotencyBefore(ctx, s.now().Add(-idempotencyWindow)); err != nil {
			return nil, err
		}
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	out, err := create()
	if err != nil {
		return nil, err
	}
	resp, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	return out, tx.PutIdempotency(ctx, store.Idempotency{Account: account, Operation: op, Token: token, RequestHash: hash, Response: resp, Created: s.now()})
}

func requestHash(req any) (string, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

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

// clientToken is a request's ClientToken with what idempotent needs to know of the
// request, made before the request's transaction: hashing a request is work that need
// not hold the store's one writer.
type clientToken struct {
	op               string
	listsIdempotency bool // the operation lists IdempotencyException
	token, hash      string
	err              error // the request could not be hashed; idempotent returns it
}

func newClientToken(op string, listsIdempotency bool, token string, req any) clientToken {
	t := clientToken{op: op, listsIdempotency: listsIdempotency, token: token}
	if token != "" {
		t.hash, t.err = requestHash(req)
	}
	return t
}

// idempotent runs create at most once per client token, inside the caller's write
// transaction, so concurrent retries with one token see one outcome. A replay of the same
// request answers the first response; the same token with a different request answers
// IdempotencyException where the operation lists it (else, like Connect's "If a contact is
// already started, the contact ID is returned", the first response). An empty token means
// no idempotency.
func idempotent[O any](ctx context.Context, s *Service, tx store.Tx, t clientToken, create func() (*O, error)) (*O, error) {
	if t.token == "" {
		return create()
	}
	if t.err != nil {
		return nil, t.err
	}
	account := CallerFrom(ctx).Account
	prev, err := tx.GetIdempotency(ctx, account, t.op, t.token)
	switch {
	case err == nil && s.now().Sub(prev.Created) <= idempotencyWindow: // the sweep removes only older ones
		if prev.RequestHash != t.hash && t.listsIdempotency {
			return nil, api.Errorf(api.Idempotency, "A request with ClientToken %s was already made with different parameters", t.token)
		}
		out := new(O)
		return out, json.Unmarshal(prev.Response, out)
	case err == nil:
		if _, err := tx.DeleteIdempotencyBefore(ctx, s.now().Add(-idempotencyWindow), 0); err != nil {
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
	return out, tx.PutIdempotency(ctx, store.Idempotency{Account: account, Operation: t.op, Token: t.token, RequestHash: t.hash, Response: resp, Created: s.now()})
}

func requestHash(req any) (string, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

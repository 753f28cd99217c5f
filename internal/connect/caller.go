package connect

import (
	"context"
	"fmt"
)

// Caller is who signed a request: the account whose resources it sees, and its identity.
type Caller struct {
	Account     string
	AccessKeyID string
}

// ARN is the caller's IAM-style identity, as Connect records it in CreatedBy and
// LastUpdatedBy fields.
func (c Caller) ARN() string {
	return fmt.Sprintf("arn:aws:iam::%s:user/%s", c.Account, c.AccessKeyID)
}

type callerKey struct{}

// WithCaller returns a context carrying the caller of the request.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller of the request; the default account when none was set.
func CallerFrom(ctx context.Context) Caller {
	if c, ok := ctx.Value(callerKey{}).(Caller); ok {
		return c
	}
	return Caller{Account: DefaultAccount, AccessKeyID: DefaultAccessKey}
}

// The credentials connectlocal accepts when none are configured.
const (
	DefaultAccount   = "000000000000"
	DefaultAccessKey = "test"
	DefaultSecretKey = "test"
)

// Package e2e drives a real connectlocal server through the official aws-sdk-go-v2
// Connect client, the way users do.
package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/smithy-go"

	"github.com/connectlocal/connectlocal/connectlocaltest"
)

// start runs a server in memory and returns it with a client for the default account.
func start(t *testing.T, opts ...connectlocaltest.Option) (*connectlocaltest.Server, *connect.Client) {
	t.Helper()
	srv := connectlocaltest.Start(t, opts...)
	return srv, connect.NewFromConfig(srv.Config)
}

var ctx = context.Background()

// must takes a call's two results and returns a function that fails the test on the
// error, else returns the value: must(c.DescribeInstance(ctx, in))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// wantError asserts err is the typed Connect error E and that its message contains each
// of the fragments.
func wantError[E error](t *testing.T, err error, fragments ...string) E {
	t.Helper()
	var target E
	if !errors.As(err, &target) {
		t.Fatalf("want %T, got %v", target, err)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not mention %q", err.Error(), f)
		}
	}
	return target
}

// wantAPIError asserts err carries the given error code (for codes the SDK has no type for).
func wantAPIError(t *testing.T, err error, code string, fragments ...string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	for _, f := range fragments {
		if !strings.Contains(apiErr.ErrorMessage(), f) {
			t.Errorf("message %q does not mention %q", apiErr.ErrorMessage(), f)
		}
	}
}

// rawResponse is what a hand-made request got back.
type rawResponse struct {
	Status int
	Header http.Header
	Body   map[string]any
}

// signedRequest sends a request signed like the SDK signs it, for what the SDK will not
// send (unknown paths, malformed JSON) or to look at the raw wire.
func signedRequest(t *testing.T, srv *connectlocaltest.Server, method, path, body string) rawResponse {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return sendSigned(t, srv, req, body)
}

// declaredAndChunked sends body, signed, with its length declared and then chunked, and
// returns the two answers by how it was sent.
func declaredAndChunked(t *testing.T, srv *connectlocaltest.Server, method, path, body string) map[string]rawResponse {
	t.Helper()
	answers := map[string]rawResponse{}
	for how, r := range map[string]io.Reader{
		"declared length": strings.NewReader(body),
		"chunked":         io.MultiReader(strings.NewReader(body)), // no length: sent chunked
	} {
		answers[how] = sendSigned(t, srv, must(http.NewRequest(method, srv.URL+path, r))(t), body)
	}
	return answers
}

// sendSigned signs req, whose body reads body, as the Go SDK does, and sends it.
func sendSigned(t *testing.T, srv *connectlocaltest.Server, req *http.Request, body string) rawResponse {
	t.Helper()
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	sum := sha256.Sum256([]byte(body))
	creds := must(srv.Config.Credentials.Retrieve(ctx))(t)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "connect", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := rawResponse{Status: resp.StatusCode, Header: resp.Header}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &out.Body); err != nil {
			t.Fatalf("body is not JSON: %q", raw)
		}
	}
	return out
}

package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
	"github.com/aws/smithy-go/encoding/httpbinding"
)

const (
	testKeyID   = "AKIDEXAMPLE"
	testSecret  = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testAccount = "000000000000"
	testARN     = "arn:aws:connect:us-east-1:000000000000:instance/abc"
	// arnPath is testARN as the SDKs put it in a path: ':' and '/' escaped.
	arnPath = "/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A000000000000%3Ainstance%2Fabc"
)

// signedAt is when the direct-signing tests sign: 2026-01-01T00:00:00Z.
func signedAt() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

func lookup(id string) (Key, bool) {
	if id == testKeyID {
		return Key{AccessKeyID: testKeyID, SecretAccessKey: testSecret, Account: testAccount}, true
	}
	return Key{}, false
}

func verifierAt(now time.Time) *Verifier {
	return &Verifier{Service: "connect", Lookup: lookup, Now: func() time.Time { return now }}
}

type received struct {
	r    *http.Request
	body []byte
}

// captureServer hands every request it receives to the test, so that
// verification runs on exactly what came over the wire.
func captureServer(t *testing.T) (*httptest.Server, <-chan received) {
	t.Helper()
	ch := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading body: %v", err)
		}
		ch <- received{r.Clone(context.Background()), body}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv, ch
}

func send(t *testing.T, srv *httptest.Server, ch <-chan received, req *http.Request) received {
	t.Helper()
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("sending request: %v", err)
	}
	resp.Body.Close()
	return <-ch
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// checkErr wants err to be wantErr (errors.Is), or a *SignatureError whose
// Reason starts with wantReason, or nil when both are empty.
func checkErr(t *testing.T, err, wantErr error, wantReason string) {
	t.Helper()
	var se *SignatureError
	switch {
	case wantErr != nil:
		if !errors.Is(err, wantErr) {
			t.Fatalf("err = %v, want %v", err, wantErr)
		}
	case wantReason != "":
		if !errors.As(err, &se) {
			t.Fatalf("err = %v (%T), want *SignatureError", err, err)
		}
		if !strings.HasPrefix(se.Reason, wantReason) {
			t.Fatalf("reason = %q, want %q", se.Reason, wantReason)
		}
		if se.Reason == msgMismatch && (se.CanonicalRequest == "" || se.StringToSign == "") {
			t.Errorf("mismatch without canonical request / string to sign: %+v", se)
		}
	case err != nil:
		if errors.As(err, &se) {
			t.Fatalf("err = %v\ncanonical request:\n%s\nstring to sign:\n%s", err, se.CanonicalRequest, se.StringToSign)
		}
		t.Fatalf("err = %v", err)
	}
}

type signCase struct {
	name    string
	method  string
	path    string // escaped path and query, as sent
	body    string
	header  http.Header
	token   string // session token
	payload string // payload hash to sign, defaults to the body's
	keyID   string // defaults to testKeyID
	secret  string // defaults to testSecret
	service string // defaults to "connect"
	tamper  func(*http.Request)
	now     time.Time // defaults to signedAt plus a minute
	wantErr error
	reason  string
}

// run signs with the SDK signer itself, as every Go SDK client does,
// and sends the request through a real HTTP round trip.
func (c signCase) run(t *testing.T, srv *httptest.Server, ch <-chan received) (Principal, error) {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, srv.URL+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	creds := aws.Credentials{AccessKeyID: or(c.keyID, testKeyID), SecretAccessKey: or(c.secret, testSecret), SessionToken: c.token}
	err = v4.NewSigner().SignHTTP(context.Background(), creds, req, or(c.payload, sha256Hex([]byte(c.body))),
		or(c.service, "connect"), "us-east-1", signedAt())
	if err != nil {
		t.Fatal(err)
	}
	if c.tamper != nil {
		c.tamper(req)
	}
	got := send(t, srv, ch, req)
	now := c.now
	if now.IsZero() {
		now = signedAt().Add(time.Minute)
	}
	return verifierAt(now).Verify(got.r, got.body)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func TestVerifySignedBySDK(t *testing.T) {
	srv, ch := captureServer(t)
	json := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []signCase{
		{name: "GET escaped ARN path", method: "GET", path: arnPath},
		{name: "POST JSON to escaped ARN path", method: "POST", path: arnPath, body: `{"tags":{"k":"v"}}`, header: json},
		{name: "DELETE empty body", method: "DELETE", path: "/users/inst-1/user-1"},
		{name: "DELETE with query", method: "DELETE", path: arnPath + "?tagKeys=a&tagKeys=b%20c"},
		{name: "repeated query keys", method: "GET", path: "/contact/references/inst-1/c-1?referenceTypes=URL&referenceTypes=EMAIL&maxResults=5"},
		{name: "escaped query value", method: "GET", path: "/users-summary/inst-1?nextToken=ab%2F%2B%3D%3D&x=a%20b"},
		{name: "escaped space in path", method: "PUT", path: "/prompts/inst-1/my%20prompt", body: `{}`, header: json},
		{name: "session token", method: "POST", path: "/users/inst-1", body: `{"Username":"u"}`, header: json, token: "session-token"},
		{name: "signed payload hash header", method: "POST", path: "/users/inst-1", body: `{"a":1}`,
			header: http.Header{"X-Amz-Content-Sha256": {sha256Hex([]byte(`{"a":1}`))}}},
		{name: "unsigned payload", method: "POST", path: "/users/inst-1", body: `{"a":1}`, payload: "UNSIGNED-PAYLOAD",
			header: http.Header{"X-Amz-Content-Sha256": {"UNSIGNED-PAYLOAD"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := c.run(t, srv, ch)
			checkErr(t, err, nil, "")
			want := Principal{AccessKeyID: testKeyID, Account: testAccount, Region: "us-east-1", SigningTime: signedAt()}
			if p != want {
				t.Errorf("principal = %+v, want %+v", p, want)
			}
		})
	}
}

func TestVerifyRejects(t *testing.T) {
	srv, ch := captureServer(t)
	replaceBody := func(s string) func(*http.Request) {
		return func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader(s)) }
	}
	for _, c := range []signCase{
		{name: "wrong secret", secret: "wrong", reason: msgMismatch},
		{name: "unknown key", keyID: "AKIDUNKNOWN", wantErr: ErrUnknownKey},
		{name: "expired", now: signedAt().Add(30 * time.Minute),
			reason: "Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z (20260101T003000Z - 15 min.)"},
		{name: "in the future", now: signedAt().Add(-30 * time.Minute),
			reason: "Signature not yet current: 20260101T000000Z is still later than 20251231T234500Z (20251231T233000Z + 15 min.)"},
		{name: "just inside skew", now: signedAt().Add(15 * time.Minute)},
		{name: "wrong service", service: "s3", reason: "Credential should be scoped to correct service: 'connect'."},
		{name: "tampered body", body: `{"tags":{"k":"v1"}}`, tamper: replaceBody(`{"tags":{"k":"v2"}}`), reason: msgMismatch},
		{name: "tampered path", tamper: func(r *http.Request) {
			r.URL.Path, r.URL.RawPath = strings.Replace(r.URL.Path, "abc", "abd", 1), strings.Replace(r.URL.RawPath, "abc", "abd", 1)
		}, reason: msgMismatch},
		{name: "tampered query", tamper: func(r *http.Request) { r.URL.RawQuery = "maxResults=6" }, reason: msgMismatch},
		{name: "tampered signed header", header: http.Header{"Content-Type": {"application/json"}},
			tamper: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, reason: msgMismatch},
		{name: "unsigned header added is fine", tamper: func(r *http.Request) { r.Header.Set("X-Extra", "1") }},
		{name: "tampered date", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20260101T000100Z") }, reason: msgMismatch},
		{name: "date outside scope", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20260102T000000Z") },
			reason: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260101' != '20260102'"},
		{name: "missing date", tamper: func(r *http.Request) { r.Header.Del("X-Amz-Date") },
			reason: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."},
		{name: "payload hash header mismatch", body: `{"a":1}`, header: http.Header{"X-Amz-Content-Sha256": {sha256Hex([]byte(`{"a":1}`))}},
			tamper: replaceBody(`{"a":2}`), reason: "The provided 'x-amz-content-sha256' header does not match what was computed."},
		{name: "missing Authorization", tamper: func(r *http.Request) { r.Header.Del("Authorization") }, wantErr: ErrMissingAuth},
		{name: "not SigV4", tamper: func(r *http.Request) { r.Header.Set("Authorization", "Bearer abc") }, wantErr: ErrMissingAuth},
		{name: "no signature", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/connect/aws4_request, SignedHeaders=host")
		}, reason: "Authorization header requires 'Signature' parameter."},
		{name: "short credential", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101, SignedHeaders=host, Signature=00")
		}, reason: "Credential must have exactly 5 slash-delimited elements"},
		{name: "bad terminator", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/connect/aws5, SignedHeaders=host, Signature=00")
		}, reason: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5'."},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.method, c.path = "POST", arnPath+"?maxResults=5"
			_, err := c.run(t, srv, ch)
			checkErr(t, err, c.wantErr, c.reason)
		})
	}
}

func TestVerifyDefaults(t *testing.T) {
	// Nil Now means time.Now and zero MaxSkew means 15 minutes: a request
	// signed now passes, one signed 20 minutes ago does not.
	v := &Verifier{Service: "connect", Lookup: lookup}
	srv, ch := captureServer(t)
	for _, c := range []struct {
		age    time.Duration
		reason string
	}{{0, ""}, {20 * time.Minute, "Signature expired: "}} {
		req, _ := http.NewRequest("GET", srv.URL+arnPath, nil)
		creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, sha256Hex(nil), "connect", "eu-west-2", time.Now().Add(-c.age)); err != nil {
			t.Fatal(err)
		}
		got := send(t, srv, ch, req)
		p, err := v.Verify(got.r, got.body)
		checkErr(t, err, nil, c.reason)
		if err == nil && p.Region != "eu-west-2" {
			t.Errorf("region = %q", p.Region)
		}
	}
}

// roundTripFunc lets a test alter requests after the SDK has signed them.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestVerifyConnectClient drives the real Amazon Connect SDK client against a
// server that verifies every request.
func TestVerifyConnectClient(t *testing.T) {
	type result struct {
		err error
	}
	results := make(chan result, 1)
	var verifier atomic.Pointer[Verifier] // set per case before the call
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, err := verifier.Load().Verify(r, body)
		results <- result{err}
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"message":"denied"}`)
			return
		}
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()

	tamperBody := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		body, _ := io.ReadAll(r.Body)
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(bytes.Replace(body, []byte("v1"), []byte("v2"), 1)))
		return http.DefaultTransport.RoundTrip(r)
	})
	dropAuth := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Del("Authorization")
		return http.DefaultTransport.RoundTrip(r)
	})

	listTags := func(ctx context.Context, c *connect.Client) error {
		_, err := c.ListTagsForResource(ctx, &connect.ListTagsForResourceInput{ResourceArn: aws.String(testARN)})
		return err
	}
	tag := func(ctx context.Context, c *connect.Client) error {
		_, err := c.TagResource(ctx, &connect.TagResourceInput{ResourceArn: aws.String(testARN), Tags: map[string]string{"k": "v1"}})
		return err
	}
	listRefs := func(ctx context.Context, c *connect.Client) error {
		_, err := c.ListContactReferences(ctx, &connect.ListContactReferencesInput{
			InstanceId: aws.String("inst-1"), ContactId: aws.String("c-1"),
			ReferenceTypes: []types.ReferenceType{types.ReferenceTypeUrl, types.ReferenceTypeEmail},
		})
		return err
	}
	deleteUser := func(ctx context.Context, c *connect.Client) error {
		_, err := c.DeleteUser(ctx, &connect.DeleteUserInput{InstanceId: aws.String("inst-1"), UserId: aws.String("user 1/x")})
		return err
	}

	for _, c := range []struct {
		name       string
		keyID      string
		secret     string
		call       func(context.Context, *connect.Client) error
		transport  http.RoundTripper
		nowOffset  time.Duration
		wantErr    error
		wantReason string
	}{
		{name: "ListTagsForResource ARN path", call: listTags},
		{name: "TagResource JSON body", call: tag},
		{name: "ListContactReferences repeated query", call: listRefs},
		{name: "DeleteUser escaped id", call: deleteUser},
		{name: "wrong secret", secret: "wrong", call: listTags, wantReason: msgMismatch},
		{name: "unknown key", keyID: "nobody", call: listTags, wantErr: ErrUnknownKey},
		{name: "expired", nowOffset: 20 * time.Minute, call: listTags, wantReason: "Signature expired: "},
		{name: "tampered body", call: tag, transport: tamperBody, wantReason: msgMismatch},
		{name: "missing Authorization", call: listTags, transport: dropAuth, wantErr: ErrMissingAuth},
	} {
		t.Run(c.name, func(t *testing.T) {
			verifier.Store(&Verifier{Service: "connect", Lookup: lookup,
				Now: func() time.Time { return time.Now().Add(c.nowOffset) }})
			client := connect.New(connect.Options{
				BaseEndpoint: aws.String(srv.URL),
				Region:       "us-east-1",
				Credentials:  credentials.NewStaticCredentialsProvider(or(c.keyID, testKeyID), or(c.secret, testSecret), ""),
				HTTPClient:   &http.Client{Transport: c.transport},
				Retryer:      aws.NopRetryer{},
			})
			callErr := c.call(context.Background(), client)
			res := <-results
			checkErr(t, res.err, c.wantErr, c.wantReason)
			if (res.err == nil) != (callErr == nil) {
				t.Errorf("client error = %v, verify error = %v", callErr, res.err)
			}
		})
	}
}

func TestParseUnverified(t *testing.T) {
	for _, c := range []struct {
		name, header      string
		wantKey, wantReg  string
		wantErr           error
		wantSignatureFail bool
	}{
		{name: "ok", header: "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/connect/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc",
			wantKey: "AKID", wantReg: "eu-west-1"},
		{name: "no spaces", header: "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/connect/aws4_request,SignedHeaders=host,Signature=abc",
			wantKey: "AKID", wantReg: "eu-west-1"},
		{name: "absent", wantErr: ErrMissingAuth},
		{name: "other scheme", header: "AWS AKID:abc", wantErr: ErrMissingAuth},
		{name: "malformed", header: "AWS4-HMAC-SHA256 Credential=AKID", wantSignatureFail: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if c.header != "" {
				r.Header.Set("Authorization", c.header)
			}
			key, region, err := ParseUnverified(r)
			var se *SignatureError
			switch {
			case c.wantErr != nil && !errors.Is(err, c.wantErr),
				c.wantSignatureFail && !errors.As(err, &se),
				c.wantErr == nil && !c.wantSignatureFail && err != nil:
				t.Fatalf("err = %v", err)
			}
			if key != c.wantKey || region != c.wantReg {
				t.Errorf("got %q, %q; want %q, %q", key, region, c.wantKey, c.wantReg)
			}
		})
	}
}

func TestPresign(t *testing.T) {
	srv, ch := captureServer(t)
	p := &Presigner{
		Key:     Key{AccessKeyID: "LOCALBLOBKEY", SecretAccessKey: "blob-secret", Account: testAccount},
		Region:  "us-east-1",
		Service: "s3",
		Now:     signedAt,
	}
	rawURL := srv.URL + "/blobs/inst-1/my%20file%3A1.txt"
	signed, headers, err := p.Presign(context.Background(), "PUT", rawURL,
		http.Header{"content-type": {"text/plain"}}, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if want := (http.Header{"Content-Type": {"text/plain"}}); !equalHeaders(headers, want) {
		t.Fatalf("headers = %v, want %v", headers, want)
	}
	if !strings.HasPrefix(signed, rawURL+"?") || !strings.Contains(signed, "X-Amz-Expires=900") {
		t.Fatalf("presigned URL = %s", signed)
	}

	for _, c := range []struct {
		name    string
		method  string
		url     string
		header  http.Header
		now     time.Duration // after signing
		signer  *Presigner    // verifying presigner, defaults to p
		wantErr error
		reason  string
	}{
		{name: "ok"},
		{name: "ok near expiry", now: 15 * time.Minute},
		{name: "expired", now: 15*time.Minute + time.Second, reason: "Request has expired"},
		{name: "dated in the future", now: -16 * time.Minute, reason: "Request is not yet valid"},
		{name: "slightly in the future", now: -14 * time.Minute},
		{name: "tampered expiry", url: strings.Replace(signed, "X-Amz-Expires=900", "X-Amz-Expires=3600", 1), reason: msgMismatch},
		{name: "tampered path", url: strings.Replace(signed, "my%20file", "my%20fild", 1), reason: msgMismatch},
		{name: "added query", url: signed + "&versionId=2", reason: msgMismatch},
		{name: "wrong method", method: "POST", reason: msgMismatch},
		{name: "wrong content type", header: http.Header{"Content-Type": {"text/html"}}, reason: msgMismatch},
		{name: "no signature params", url: rawURL, wantErr: ErrMissingAuth},
		{name: "signature removed", url: strings.Split(signed, "&X-Amz-Signature=")[0],
			reason: "Query-string authentication version 4 requires"},
		{name: "other key", signer: &Presigner{Key: Key{AccessKeyID: "OTHER", SecretAccessKey: "x"}, Region: "us-east-1", Service: "s3"},
			wantErr: ErrUnknownKey},
		{name: "other secret", signer: &Presigner{Key: Key{AccessKeyID: "LOCALBLOBKEY", SecretAccessKey: "x"}, Region: "us-east-1", Service: "s3"},
			reason: msgMismatch},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(or(c.method, "PUT"), or(c.url, signed), strings.NewReader("hello, blob"))
			if err != nil {
				t.Fatal(err)
			}
			req.Header = headers.Clone()
			for k, vs := range c.header {
				req.Header[k] = vs
			}
			got := send(t, srv, ch, req)
			if string(got.body) != "hello, blob" {
				t.Fatalf("body = %q", got.body)
			}
			v := *p
			if c.signer != nil {
				v = *c.signer
			}
			v.Now = func() time.Time { return signedAt().Add(c.now) }
			checkErr(t, v.VerifyPresigned(got.r), c.wantErr, c.reason)
		})
	}
}

func TestPresignRejectsBadExpiry(t *testing.T) {
	p := &Presigner{Key: Key{AccessKeyID: "k", SecretAccessKey: "s"}, Region: "us-east-1", Service: "s3"}
	for _, d := range []time.Duration{0, 8 * 24 * time.Hour} {
		if _, _, err := p.Presign(context.Background(), "GET", "http://localhost:4566/x", nil, d); err == nil {
			t.Errorf("Presign(%v) succeeded", d)
		}
	}
}

func TestPresignStripsDefaultPort(t *testing.T) {
	p := &Presigner{Key: Key{AccessKeyID: "k", SecretAccessKey: "s"}, Region: "us-east-1", Service: "s3"}
	u, _, err := p.Presign(context.Background(), "GET", "http://localhost:80/x", nil, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, "http://localhost/x?") {
		t.Errorf("URL = %s, want the default port dropped as it is from the signed host", u)
	}
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if strings.Join(a[k], ",") != strings.Join(b[k], ",") {
			return false
		}
	}
	return true
}

// TestSignatureIsTheSDKSigners holds Verify's own signature computation to the SDK
// signer's: for requests received over a real round trip, signed by the SDK or listing
// signed headers the way other clients might (unsorted, in capitals, repeated, absent
// from the request, ignored by the signer), both must give the same signature.
func TestSignatureIsTheSDKSigners(t *testing.T) {
	srv, ch := captureServer(t)
	json := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		name    string
		method  string
		path    string
		body    io.Reader
		header  http.Header
		listed  string // replaces the SDK's SignedHeaders when set
		service string
	}{
		{name: "GET escaped ARN path", method: "GET", path: arnPath},
		{name: "POST JSON", method: "POST", path: arnPath, body: strings.NewReader(`{"a":1}`), header: json},
		{name: "repeated query keys", method: "GET", path: "/contact/references/i/c?referenceTypes=URL&referenceTypes=EMAIL&maxResults=5"},
		{name: "query needing escapes", method: "GET", path: "/x?b=a+b&a=%C3%A9&c&d=&e=%2B%2F%3D&f=~_-."},
		{name: "query that does not parse", method: "GET", path: "/x?a=%zz&b=1;c=2&d=4"},
		{name: "path with unicode and reserved", method: "GET", path: "/users/i/%C3%A9t%C3%A9%20x%21%27%28%29%2A"},
		{name: "root path", method: "GET", path: "/"},
		{name: "spaces in signed values", method: "PUT", path: "/x", body: strings.NewReader("{}"),
			header: http.Header{"X-Custom": {"  a   b  c "}, "X-Multi": {"one", " two  three "}, "Content-Type": {"application/json"}}},
		{name: "content-length listed", method: "POST", path: "/x", body: strings.NewReader("{}"), header: json,
			listed: "content-length;content-type;host;x-amz-date"},
		{name: "content-length listed, body empty", method: "POST", path: "/x",
			listed: "content-length;host;x-amz-date"},
		{name: "content-length listed, chunked body", method: "POST", path: "/x", body: io.MultiReader(strings.NewReader("{}")), header: json,
			listed: "content-length;content-type;host;x-amz-date"},
		{name: "unsorted and in capitals", method: "GET", path: "/x", header: json, listed: "X-Amz-Date;Host;Content-Type"},
		{name: "repeated, absent and ignored headers", method: "GET", path: "/x", header: json,
			listed: "host;host;content-type;user-agent;authorization;expect;x-absent;x-amz-date"},
		{name: "date left out", method: "GET", path: "/x", listed: "host"},
		{name: "s3 escapes the path once", method: "GET", path: "/bucket/my%20key", service: "s3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, srv.URL+c.path, c.body)
			if err != nil {
				t.Fatal(err)
			}
			for k, vs := range c.header {
				req.Header[k] = vs
			}
			service := or(c.service, "connect")
			creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
			if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, sha256Hex(nil), service, "us-east-1", signedAt()); err != nil {
				t.Fatal(err)
			}
			if c.listed != "" {
				auth := req.Header.Get("Authorization")
				params := authParams(strings.TrimPrefix(auth, algorithm+" "))
				req.Header.Set("Authorization", fmt.Sprintf("%s Credential=%s, SignedHeaders=%s, Signature=%s",
					algorithm, params["Credential"], c.listed, params["Signature"]))
			}
			got := send(t, srv, ch, req)
			auth, err := parseAuthorization(got.r.Header.Get("Authorization"))
			if err != nil {
				t.Fatal(err)
			}
			length := got.r.ContentLength
			if length < 0 {
				length = int64(len(got.body))
			}
			v := &Verifier{Service: service, Lookup: lookup}
			hash := sha256Hex(got.body)
			want, log, err := v.resign(got.r, auth, length, hash, signedAt(), testSecret)
			if err != nil {
				t.Fatal(err)
			}
			if sig := v.signature(got.r, auth, length, hash, signedAt(), testSecret); sig != want {
				t.Errorf("signature %s, the SDK signer's %s; it signed:\n%s", sig, want, log.canonical)
			}
		})
	}
}

// BenchmarkVerify verifies a DescribeContact request as the Go SDK signs it.
func BenchmarkVerify(b *testing.B) {
	req := httptest.NewRequest("GET", "http://127.0.0.1:4599/contacts/inst-1/c-1", nil)
	req.Header.Set("User-Agent", "aws-sdk-go-v2/1.41.0 os/linux lang/go#1.26 md/GOOS#linux md/GOARCH#amd64 api/connect#1.175.0")
	req.Header.Set("Amz-Sdk-Invocation-Id", "6c1f52b5-8f0e-4a3c-9d58-2b7f3c6d1e90")
	req.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, sha256Hex(nil), "connect", "us-east-1", signedAt()); err != nil {
		b.Fatal(err)
	}
	v := verifierAt(signedAt())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(req, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPresignedSignatureIsTheSDKSigners holds VerifyPresigned's own signature
// computation to the SDK signer's: for the URLs Presign makes (with the SDK signer) and
// clients then use over a real round trip, it must find the signature each carries.
func TestPresignedSignatureIsTheSDKSigners(t *testing.T) {
	srv, ch := captureServer(t)
	p := benchPresigner()
	for _, c := range []struct {
		name   string
		method string
		path   string // with a query of its own, which the URL keeps
		signed http.Header
		body   io.Reader
		sent   http.Header // replaces a signed header's value as the client sends it
	}{
		{name: "upload", method: "PUT", path: "/_blobs/incoming/a/i/f?x-connectlocal-size=4",
			signed: http.Header{"Content-Type": {"application/pdf"}}, body: strings.NewReader("%PDF")},
		{name: "upload, chunked", method: "PUT", path: "/_blobs/incoming/a/i/f?x-connectlocal-size=4",
			signed: http.Header{"Content-Type": {"application/pdf"}}, body: io.MultiReader(strings.NewReader("%PDF"))},
		{name: "upload, spaces in the content type", method: "PUT", path: "/_blobs/incoming/a/i/f",
			signed: http.Header{"Content-Type": {"text/plain;  charset=utf-8"}}, body: strings.NewReader("hi"),
			sent: http.Header{"Content-Type": {" text/plain;  charset=utf-8 "}}},
		{name: "download with an escaped file name", method: "GET",
			path: "/_blobs/files/a/i/f.n?response-content-type=text%2Fplain&response-content-disposition=" +
				url.QueryEscape(`attachment; filename*=utf-8''%C3%A9t%C3%A9%20%22x%22.txt`)},
		{name: "path with escapes and unicode", method: "GET", path: "/blobs/inst-1/my%20file%3A1%C3%A9.txt"},
		{name: "root path", method: "GET", path: "/"},
	} {
		t.Run(c.name, func(t *testing.T) {
			signed, headers, err := p.Presign(context.Background(), c.method, srv.URL+c.path, c.signed, 5*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			req, err := http.NewRequest(c.method, signed, c.body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header = headers.Clone()
			for k, vs := range c.sent {
				req.Header[k] = vs
			}
			got := send(t, srv, ch, req)
			q := got.r.URL.Query()
			provided := q.Get("X-Amz-Signature")
			q.Del("X-Amz-Signature")
			sc, err := parseCredential(q.Get("X-Amz-Credential"))
			if err != nil {
				t.Fatal(err)
			}
			at, err := parseDate(q.Get("X-Amz-Date"), sc.date)
			if err != nil {
				t.Fatal(err)
			}
			listed := strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
			if sig := p.signature(got.r, q, listed, sc, at); sig != provided {
				t.Errorf("signature %s, the SDK signer's %s (signed headers %v)", sig, provided, listed)
			}
			if err := p.VerifyPresigned(got.r); err != nil {
				t.Errorf("VerifyPresigned: %v", err)
			}
		})
	}
}

// The canonical names headerValues keeps for the headers SDKs sign must be net/http's:
// a wrong one reads the header as absent, and every request signing it then takes the
// SDK signer's slow path, which still accepts it.
func TestSignedHeaderKeysAreCanonical(t *testing.T) {
	for name, key := range signedHeaderKeys {
		if want := http.CanonicalHeaderKey(name); key != want || strings.ToLower(name) != name {
			t.Errorf("signedHeaderKeys[%q] = %q, want %q and a lowercase name", name, key, want)
		}
	}
}

// benchPresigner signs and checks upload URLs as the blob server's does.
func benchPresigner() *Presigner {
	return &Presigner{Key: Key{AccessKeyID: "LOCALBLOBKEY", SecretAccessKey: "blob-secret"}, Region: "us-east-1", Service: "s3", Now: signedAt}
}

// uploadURL is the upload URL of an attached file, as blob.LocalURLs makes it.
const uploadURL = "http://127.0.0.1:4599/_blobs/incoming/000000000000/01a24c4b-ec75-785f-ae79-a68ee1d8d19e/01a24c4b-eeff-7202-b7d5-37246f361714?x-connectlocal-size=4096"

// BenchmarkPresign signs an attached file's upload URL.
func BenchmarkPresign(b *testing.B) {
	p := benchPresigner()
	h := http.Header{"Content-Type": {"application/pdf"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := p.Presign(context.Background(), "PUT", uploadURL, h, 5*time.Minute); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyPresigned checks the PUT of an attached file's upload URL.
func BenchmarkVerifyPresigned(b *testing.B) {
	p := benchPresigner()
	signed, headers, err := p.Presign(context.Background(), "PUT", uploadURL, http.Header{"Content-Type": {"application/pdf"}}, 5*time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("PUT", signed, strings.NewReader("%PDF"))
	req.Header = headers.Clone()
	req.Header.Set("User-Agent", "Go-http-client/1.1")
	b.ReportAllocs()
	for b.Loop() {
		if err := p.VerifyPresigned(req); err != nil {
			b.Fatal(err)
		}
	}
}

// A path is escaped for the canonical request byte for byte as the SDK signer escapes it.
func TestPathIsEscapedAsTheSDKSignerEscapesIt(t *testing.T) {
	var every []byte
	for c := range 256 {
		every = append(every, byte(c))
	}
	for _, path := range []string{"/", "/contacts/i-1/c_2.x~y", "/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A1%3Ainstance%2Fabc", "/a b/ü/+", string(every)} {
		if got, want := string(appendEscapedPath([]byte("GET\n"), path)), "GET\n"+httpbinding.EscapePath(path, false); got != want {
			t.Errorf("%q escaped to %q, want %q", path, got, want)
		}
	}
}

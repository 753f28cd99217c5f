// Package sigv4 verifies AWS Signature Version 4 requests.
//
// A request passes when its signature is the one the AWS SDK's own signer gives the
// request the client signed, compared in constant time. That keeps the emulator in
// lock-step with the SDKs, including their quirks (for example the double escaping
// of already-escaped paths for every service except S3). The signature is computed
// here, as the signer computes it (a test holds the two together), because the
// signer's copying made up most of a small request's verification; a signature that
// does not match is then checked by the signer itself, which also explains the
// mismatch.
package sigv4

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
)

const (
	algorithm       = "AWS4-HMAC-SHA256"
	timeFormat      = "20060102T150405Z"
	dateFormat      = "20060102"
	terminator      = "aws4_request"
	unsignedPayload = "UNSIGNED-PAYLOAD"
	defaultMaxSkew  = 15 * time.Minute
)

// msgMismatch is AWS's wording for a signature that does not match.
const msgMismatch = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

var (
	// ErrMissingAuth means the request carries no SigV4 authentication at
	// all; AWS answers MissingAuthenticationTokenException.
	ErrMissingAuth = errors.New("sigv4: missing authentication token")

	// ErrUnknownKey means the access key ID is not known; AWS answers
	// UnrecognizedClientException.
	ErrUnknownKey = errors.New("sigv4: unknown access key id")
)

// SignatureError reports a request whose authentication is present but
// wrong: malformed, out of date, scoped to another service, or simply not
// matching. Reason uses AWS's wording so it can be returned to clients as is.
// CanonicalRequest and StringToSign are what the server computed (empty when
// it never got as far as signing); they help debug client signers.
type SignatureError struct {
	Reason           string
	CanonicalRequest string
	StringToSign     string
}

func (e *SignatureError) Error() string { return e.Reason }

func sigErr(format string, args ...any) *SignatureError {
	return &SignatureError{Reason: fmt.Sprintf(format, args...)}
}

// Key is a secret access key and the account it belongs to.
type Key struct {
	AccessKeyID, SecretAccessKey, Account string
}

// Principal is who signed a request.
type Principal struct {
	AccessKeyID, Account, Region string
	SigningTime                  time.Time
}

// Verifier checks header-signed (Authorization: AWS4-HMAC-SHA256 ...)
// requests.
type Verifier struct {
	Service string // "connect"
	Lookup  func(accessKeyID string) (Key, bool)
	Now     func() time.Time // defaults to time.Now when nil
	MaxSkew time.Duration    // defaults to 15 minutes when zero

	signers sdkSigners
	keys    signingKeys
}

// signerKey identifies the credentials a signer is used for.
type signerKey struct{ accessKeyID, secret string }

// sdkSigners hands out the SDK signer for a pair of access key ID and secret. A signer
// keeps the signing keys it derives (four HMACs per region, service and day) rather
// than deriving them for every request, but its cache tells them apart by access key
// ID, region and service only: so each pair gets a signer of its own, and a key derived
// from one secret never checks a signature made with another.
type sdkSigners struct{ m sync.Map } // signerKey → *v4.Signer

func (c *sdkSigners) get(creds aws.Credentials) *v4.Signer {
	k := signerKey{creds.AccessKeyID, creds.SecretAccessKey}
	if s, ok := c.m.Load(k); ok {
		return s.(*v4.Signer)
	}
	s, _ := c.m.LoadOrStore(k, v4.NewSigner())
	return s.(*v4.Signer)
}

// Verify checks the Authorization header of r. body is the complete request
// body (already read by the caller), needed because the payload hash is part
// of the signature.
func (v *Verifier) Verify(r *http.Request, body []byte) (Principal, error) {
	auth, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return Principal{}, err
	}
	if auth.scope.service != v.Service {
		return Principal{}, sigErr("Credential should be scoped to correct service: '%s'.", v.Service)
	}
	if v.Lookup == nil {
		return Principal{}, ErrUnknownKey
	}
	key, ok := v.Lookup(auth.scope.accessKeyID)
	if !ok {
		return Principal{}, ErrUnknownKey
	}

	amzDate := r.Header.Get("X-Amz-Date")
	if amzDate == "" {
		return Principal{}, sigErr("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	signingTime, err := parseDate(amzDate, auth.scope.date)
	if err != nil {
		return Principal{}, err
	}
	if err := checkSkew(signingTime, v.now(), v.maxSkew()); err != nil {
		return Principal{}, err
	}
	hash, err := payloadHash(r.Header.Get("X-Amz-Content-Sha256"), body)
	if err != nil {
		return Principal{}, err
	}

	length := r.ContentLength
	if length < 0 {
		length = int64(len(body))
	}
	if !equal(v.signature(r, auth, length, hash, signingTime, key.SecretAccessKey), auth.signature) {
		// Ask the SDK's own signer, which also says what it signed, for the message.
		want, log, err := v.resign(r, auth, length, hash, signingTime, key.SecretAccessKey)
		if err != nil {
			return Principal{}, err
		}
		if !equal(want, auth.signature) {
			return Principal{}, log.mismatch()
		}
	}
	return Principal{
		AccessKeyID: auth.scope.accessKeyID,
		Account:     key.Account,
		Region:      auth.scope.region,
		SigningTime: signingTime,
	}, nil
}

// resign signs the request unsignedCopy rebuilds with the SDK signer, returning the
// signature and what the signer logged.
func (v *Verifier) resign(r *http.Request, auth authorization, length int64, hash string, signingTime time.Time, secret string) (string, *signingLog, error) {
	req := unsignedCopy(r, auth.signedHeaders, length)
	log := &signingLog{}
	creds := aws.Credentials{AccessKeyID: auth.scope.accessKeyID, SecretAccessKey: secret}
	err := v.signers.get(creds).SignHTTP(r.Context(), creds, req, hash,
		auth.scope.service, auth.scope.region, signingTime, log.options(v.Service))
	if err != nil {
		return "", nil, fmt.Errorf("sigv4: re-signing request: %w", err)
	}
	return authParams(strings.TrimPrefix(req.Header.Get("Authorization"), algorithm+" "))["Signature"], log, nil
}

func (v *Verifier) now() time.Time {
	if v.Now == nil {
		return time.Now()
	}
	return v.Now()
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew == 0 {
		return defaultMaxSkew
	}
	return v.MaxSkew
}

// ParseUnverified parses the Authorization header only, without checking the
// signature, for running with authentication switched off while still
// knowing who the caller claims to be. It returns ErrMissingAuth when there
// is no SigV4 Authorization header.
func ParseUnverified(r *http.Request) (accessKeyID, region string, err error) {
	auth, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return "", "", err
	}
	return auth.scope.accessKeyID, auth.scope.region, nil
}

// scope is a parsed Credential: <AKID>/<yyyymmdd>/<region>/<service>/aws4_request.
type scope struct {
	accessKeyID, date, region, service string
}

func parseCredential(cred string) (scope, error) {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return scope{}, sigErr("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred)
	}
	s := scope{accessKeyID: parts[0], date: parts[1], region: parts[2], service: parts[3]}
	switch {
	case parts[4] != terminator:
		return scope{}, sigErr("Credential should be scoped with a valid terminator: '%s', not '%s'.", terminator, parts[4])
	case s.accessKeyID == "":
		return scope{}, sigErr("Credential should contain an access key ID.")
	case s.region == "":
		return scope{}, sigErr("Credential should be scoped to a valid region.")
	}
	return s, nil
}

type authorization struct {
	scope         scope
	signedHeaders []string
	signature     string
}

func parseAuthorization(header string) (authorization, error) {
	rest, ok := strings.CutPrefix(header, algorithm+" ")
	if !ok {
		return authorization{}, ErrMissingAuth
	}
	params := authParams(rest)
	var missing strings.Builder
	for _, name := range []string{"Credential", "Signature", "SignedHeaders"} {
		if params[name] == "" {
			fmt.Fprintf(&missing, "Authorization header requires '%s' parameter. ", name)
		}
	}
	if missing.Len() > 0 {
		return authorization{}, sigErr("%sAuthorization=%s", missing.String(), header)
	}
	s, err := parseCredential(params["Credential"])
	if err != nil {
		return authorization{}, err
	}
	return authorization{
		scope:         s,
		signedHeaders: strings.Split(strings.ToLower(params["SignedHeaders"]), ";"),
		signature:     params["Signature"],
	}, nil
}

// authParams splits "Credential=a, SignedHeaders=b, Signature=c".
func authParams(s string) map[string]string {
	params := make(map[string]string, 3)
	for part := range strings.SplitSeq(s, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
			params[k] = v
		}
	}
	return params
}

// parseDate parses an X-Amz-Date value and checks it against the date in the
// credential scope, which the signing key is derived from.
func parseDate(amzDate, scopeDate string) (time.Time, error) {
	t, err := time.Parse(timeFormat, amzDate)
	if err != nil {
		return time.Time{}, sigErr("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\", got '%s'.", amzDate)
	}
	if d := amzDate[:len(dateFormat)]; d != scopeDate { // t parsed, so the date's digits lead
		return time.Time{}, sigErr("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", scopeDate, d, amzDate)
	}
	return t, nil
}

// emptyPayloadHash is the hex SHA-256 of an empty payload.
const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// checkSkew rejects requests signed too far from now, which bounds how long a
// captured request can be replayed.
func checkSkew(signed, now time.Time, skew time.Duration) error {
	now = now.UTC()
	if lo := now.Add(-skew); signed.Before(lo) {
		return sigErr("Signature expired: %s is now earlier than %s (%s - %s.)",
			signed.Format(timeFormat), lo.Format(timeFormat), now.Format(timeFormat), minutes(skew))
	}
	if hi := now.Add(skew); signed.After(hi) {
		return sigErr("Signature not yet current: %s is still later than %s (%s + %s.)",
			signed.Format(timeFormat), hi.Format(timeFormat), now.Format(timeFormat), minutes(skew))
	}
	return nil
}

func minutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return d.String()
}

// payloadHash returns the hash the client signed: its X-Amz-Content-Sha256
// header when present (after checking it really is the body's hash), or the
// hash of the body.
func payloadHash(claimed string, body []byte) (string, error) {
	computed := emptyPayloadHash // most requests are GETs
	if len(body) > 0 {
		sum := sha256.Sum256(body)
		computed = hex.EncodeToString(sum[:])
	}
	switch {
	case claimed == "":
		return computed, nil
	case claimed == unsignedPayload:
		return claimed, nil
	case !strings.EqualFold(claimed, computed):
		return "", sigErr("The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return claimed, nil
}

// unsignedCopy rebuilds the request as the client had it just before
// signing: same method, the path exactly as it went over the wire, the same
// query, and only the headers the client said it signed (the SDK signer
// signs every header it is given).
func unsignedCopy(r *http.Request, signedHeaders []string, length int64) *http.Request {
	req := &http.Request{
		Method: r.Method,
		// Opaque makes the signer use this path verbatim rather than Go's
		// re-encoding of r.URL.Path, which may differ from what the client
		// escaped (e.g. ':' in ARNs). The signer then escapes it once more
		// itself for all services but S3, as the SDKs do.
		URL:    &url.URL{Opaque: "//" + r.Host + wirePath(r), RawQuery: r.URL.RawQuery},
		Host:   r.Host,
		Header: make(http.Header, len(signedHeaders)),
	}
	for _, name := range signedHeaders {
		switch name {
		case "host":
			// Go keeps Host in r.Host, not r.Header; set above.
		case "content-length":
			// The signer signs ContentLength, not the header, and only when > 0.
			req.ContentLength = length
		default:
			if vs := r.Header.Values(name); len(vs) > 0 {
				req.Header[http.CanonicalHeaderKey(name)] = append([]string(nil), vs...)
			}
		}
	}
	return req
}

// wirePath returns the request path exactly as the client sent it.
func wirePath(r *http.Request) string {
	if p, _, _ := strings.Cut(r.RequestURI, "?"); strings.HasPrefix(p, "/") {
		return p
	}
	return r.URL.EscapedPath() // requests built in-process, or absolute-form URIs
}

// singleEscaped reports whether the SDKs sign the path escaped only once;
// S3 is the one service that does.
func singleEscaped(service string) bool { return service == "s3" }

// signingLog captures the canonical request and string to sign from the SDK
// signer's debug log, the only place it exposes them, so mismatches can be
// explained.
type signingLog struct{ canonical, stringToSign string }

func (l *signingLog) Logf(_ logging.Classification, _ string, v ...any) {
	if len(v) >= 2 {
		l.canonical, _ = v[0].(string)
		l.stringToSign, _ = v[1].(string)
	}
}

func (l *signingLog) options(service string) func(*v4.SignerOptions) {
	return func(o *v4.SignerOptions) {
		o.DisableURIPathEscaping = singleEscaped(service)
		o.LogSigning = true
		o.Logger = l
	}
}

func (l *signingLog) mismatch() *SignatureError {
	return &SignatureError{Reason: msgMismatch, CanonicalRequest: l.canonical, StringToSign: l.stringToSign}
}

func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

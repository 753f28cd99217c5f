package sigv4

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	maxExpires    = 7 * 24 * time.Hour // S3's limit for presigned URLs
	maxFutureSkew = 15 * time.Minute
	signatureKey  = "X-Amz-Signature="
)

// Presigner issues and checks query-string signed URLs (like S3 presigned
// URLs) for the emulator's own blob endpoint, so clients can upload and
// download without holding credentials.
type Presigner struct {
	Key     Key // server-held secret used for signing URLs
	Region  string
	Service string // e.g. "s3"
	Now     func() time.Time
}

// Presign returns a URL for method and rawURL that is valid for expires,
// also signing the given extra headers (e.g. Content-Type). The payload is
// not signed (UNSIGNED-PAYLOAD), so the URL works for any body. It returns
// the URL and the signed headers, other than Host, that the client must send.
func (p *Presigner) Presign(ctx context.Context, method, rawURL string, headers http.Header, expires time.Duration) (string, http.Header, error) {
	if expires < time.Second || expires > maxExpires {
		return "", nil, fmt.Errorf("sigv4: presign expiry %v outside 1s..%v", expires, maxExpires)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
	if err != nil {
		return "", nil, fmt.Errorf("sigv4: presign: %w", err)
	}
	// The signer signs the host without a default port; make the URL agree
	// so that clients send the Host that was signed.
	if port := req.URL.Port(); (port == "80" && req.URL.Scheme == "http") || (port == "443" && req.URL.Scheme == "https") {
		req.URL.Host = strings.TrimSuffix(req.URL.Host, ":"+port)
	}
	for k, vs := range headers {
		req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	q := req.URL.Query()
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(expires/time.Second), 10))
	req.URL.RawQuery = q.Encode()

	signed, signedHeaders, err := presignSigners.get(p.credentials()).PresignHTTP(ctx, p.credentials(), req, unsignedPayload,
		p.Service, p.Region, p.now(), p.options(nil))
	if err != nil {
		return "", nil, fmt.Errorf("sigv4: presign: %w", err)
	}
	signedHeaders.Del("Host")
	return signed, signedHeaders, nil
}

// VerifyPresigned checks a request made with a URL from Presign: the right
// key and scope, not expired, not dated too far in the future, and a
// signature that matches the method, path, query and signed headers.
// It returns ErrMissingAuth when the request has no presign parameters,
// ErrUnknownKey for another access key, and *SignatureError otherwise.
func (p *Presigner) VerifyPresigned(r *http.Request) error {
	q := r.URL.Query()
	if q.Get("X-Amz-Algorithm") == "" && q.Get("X-Amz-Credential") == "" && q.Get("X-Amz-Signature") == "" {
		return ErrMissingAuth
	}
	for _, name := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"} {
		if q.Get(name) == "" {
			return sigErr("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
		}
	}
	if alg := q.Get("X-Amz-Algorithm"); alg != algorithm {
		return sigErr("X-Amz-Algorithm only supports \"%s\"", algorithm)
	}
	s, err := parseCredential(q.Get("X-Amz-Credential"))
	if err != nil {
		return err
	}
	if s.accessKeyID != p.Key.AccessKeyID {
		return ErrUnknownKey
	}
	if s.region != p.Region {
		return sigErr("Credential should be scoped to a valid region, not '%s'.", s.region)
	}
	if s.service != p.Service {
		return sigErr("Credential should be scoped to correct service: '%s'.", p.Service)
	}
	signingTime, err := parseDate(q.Get("X-Amz-Date"), s.date)
	if err != nil {
		return err
	}
	expires, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	switch {
	case err != nil:
		return sigErr("X-Amz-Expires should be a number")
	case expires < 0:
		return sigErr("X-Amz-Expires must be non-negative")
	case time.Duration(expires)*time.Second > maxExpires:
		return sigErr("X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	now := p.now()
	if signingTime.After(now.Add(maxFutureSkew)) {
		return sigErr("Request is not yet valid")
	}
	if now.After(signingTime.Add(time.Duration(expires) * time.Second)) {
		return sigErr("Request has expired")
	}

	provided := q.Get("X-Amz-Signature")
	q.Del("X-Amz-Signature")
	listed := strings.Split(strings.ToLower(q.Get("X-Amz-SignedHeaders")), ";")
	if equal(p.signature(r, q, listed, s, signingTime), provided) {
		return nil
	}
	// Ask the SDK's own signer, which also says what it signed, for the message.
	req := unsignedCopy(r, listed, r.ContentLength)
	req.URL.RawQuery = q.Encode()
	var log signingLog
	signed, _, err := presignSigners.get(p.credentials()).PresignHTTP(r.Context(), p.credentials(), req, unsignedPayload,
		p.Service, p.Region, signingTime, p.options(&log))
	if err != nil {
		return fmt.Errorf("sigv4: re-signing presigned request: %w", err)
	}
	// The signer appends the signature as the last query parameter.
	want := signed[strings.LastIndex(signed, signatureKey)+len(signatureKey):]
	if !equal(want, provided) {
		return log.mismatch()
	}
	return nil
}

// signature computes the signature the SDK signer gives a URL presigned for r, whose
// query (but the signature) is q and which lists the headers listed, as sign does for
// Verifier (the scope date is signed's, as parseDate checked): re-signing with the SDK
// took four times as long.
// TestPresignedSignatureIsTheSDKSigners holds the two together.
func (p *Presigner) signature(r *http.Request, q url.Values, listed []string, sc scope, signed time.Time) string {
	names := canonicalHeaderNames(r, listed, r.ContentLength, false)
	key := presignKeys.get(p.Key.SecretAccessKey, sc.date, p.Region, p.Service)
	return sign(r, sc, q, names, r.ContentLength, unsignedPayload, signed, key)
}

// The SDK signers (see sdkSigners) and signing keys (see sign) of every Presigner, kept
// here as Presigners are copied as values: a signer made for each URL derived its
// signing key anew every time.
var (
	presignSigners sdkSigners
	presignKeys    signingKeys
)

func (p *Presigner) credentials() aws.Credentials {
	return aws.Credentials{AccessKeyID: p.Key.AccessKeyID, SecretAccessKey: p.Key.SecretAccessKey}
}

func (p *Presigner) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

// options matches the SDK's S3 presigner, and captures the signing log when
// log is not nil.
func (p *Presigner) options(log *signingLog) func(*v4.SignerOptions) {
	if log != nil {
		return log.options(p.Service)
	}
	return func(o *v4.SignerOptions) { o.DisableURIPathEscaping = singleEscaped(p.Service) }
}

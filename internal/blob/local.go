package blob

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/connectlocal/connectlocal/internal/sigv4"
)

// Query parameters of the URLs LocalURLs issues. They are signed with the rest of the
// URL, so a client cannot change them.
const (
	// SizeParam carries the size an upload URL accepts.
	SizeParam = "x-connectlocal-size"
	// The download answer's Content-Type and Content-Disposition, named as S3 names them.
	ContentTypeParam        = "response-content-type"
	ContentDispositionParam = "response-content-disposition"
)

// LocalURLs issues pre-signed URLs on connectlocal's own blob endpoint: Base + "/" + key,
// signed with SigV4 query signing (like S3's pre-signed URLs) under the Presigner's
// server-held key. The endpoint (internal/server/blob.go) verifies them with the same
// Presigner. Stores that do not issue URLs of their own (fs, mem) use it.
type LocalURLs struct {
	Base      string // e.g. http://127.0.0.1:4599/_blob
	Presigner *sigv4.Presigner
}

// Upload returns a URL for one PUT of size bytes of contentType to key. The client must
// send Content-Type: contentType.
func (l *LocalURLs) Upload(ctx context.Context, key, contentType string, size int64, expires time.Duration) (URL, error) {
	if l == nil || l.Presigner == nil {
		return URL{}, fmt.Errorf("blob: this store has no URL signer")
	}
	if !ValidKey(key) {
		return URL{}, ErrInvalidKey
	}
	q := url.Values{SizeParam: {strconv.FormatInt(size, 10)}}
	h := http.Header{"Content-Type": {contentType}}
	return l.presign(ctx, http.MethodPut, key, q, h, expires)
}

// Download returns a URL for a GET of key answered with contentType and an attachment
// Content-Disposition naming fileName.
func (l *LocalURLs) Download(ctx context.Context, key, fileName, contentType string, expires time.Duration) (URL, error) {
	if l == nil || l.Presigner == nil {
		return URL{}, fmt.Errorf("blob: this store has no URL signer")
	}
	if !ValidKey(key) {
		return URL{}, ErrInvalidKey
	}
	q := url.Values{ContentTypeParam: {contentType}, ContentDispositionParam: {ContentDisposition(fileName)}}
	return l.presign(ctx, http.MethodGet, key, q, nil, expires)
}

func (l *LocalURLs) presign(ctx context.Context, method, key string, q url.Values, h http.Header, expires time.Duration) (URL, error) {
	now := time.Now
	if l.Presigner.Now != nil {
		now = l.Presigner.Now
	}
	expiry := now().Add(expires)
	signed, headers, err := l.Presigner.Presign(ctx, method, strings.TrimSuffix(l.Base, "/")+"/"+key+"?"+q.Encode(), h, expires)
	if err != nil {
		return URL{}, err
	}
	return URL{URL: signed, Headers: FlattenHeaders(headers), Expires: expiry}, nil
}

// FlattenHeaders turns signed headers into the one-value-per-name map clients are
// handed, without Host (which the client sends from the URL).
func FlattenHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		if len(vs) > 0 && !strings.EqualFold(k, "Host") {
			out[http.CanonicalHeaderKey(k)] = strings.Join(vs, ",")
		}
	}
	return out
}

// ContentDisposition is the Content-Disposition of a download of fileName: an attachment
// with the name, encoded per RFC 2231 where it is not plain ASCII.
func ContentDisposition(fileName string) string {
	if d := mime.FormatMediaType("attachment", map[string]string{"filename": fileName}); d != "" {
		return d
	}
	return "attachment"
}

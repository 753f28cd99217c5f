package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// signature computes the signature the SDK signer gives the request unsignedCopy
// rebuilds from r, without rebuilding it: the SDK signer copies headers, maps and
// strings at every step, which made verifying a signature about a tenth of the
// server's work on a small request. TestSignatureIsTheSDKSigners holds the two
// together; Verify still asks the SDK signer about every signature this one does not
// match.
// length is the body's length, which the signer signs when content-length is listed;
// the signing key is the scope date's, which parseDate has held to signed's.
func (v *Verifier) signature(r *http.Request, a authorization, length int64, payloadHash string, signed time.Time, secret string) string {
	var query url.Values
	if r.URL.RawQuery != "" {
		query, _ = url.ParseQuery(r.URL.RawQuery)
	}
	names := canonicalHeaderNames(r, a.signedHeaders, length, true)
	return sign(r, a.scope, query, names, length, payloadHash, signed, v.keys.get(secret, a.scope.date, a.scope.region, a.scope.service))
}

// sign computes a SigV4 signature of r as the SDK signer does: over its method, its
// path as it went over the wire (escaped once more but for S3), the query given (a
// presigned URL's without its signature), the headers names lists (see
// canonicalHeaderNames) and the payload's hash, with the signing key derived for sc.
func sign(r *http.Request, sc scope, query url.Values, names []string, length int64, payloadHash string, signed time.Time, key *signingKey) string {
	b := make([]byte, 0, 512)
	b = append(b, r.Method...)
	b = append(b, '\n')
	path := wirePath(r)
	if path == "" {
		path = "/"
	}
	if singleEscaped(sc.service) {
		b = append(b, path...)
	} else {
		b = appendEscapedPath(b, path)
	}
	b = append(b, '\n')
	b = appendCanonicalQuery(b, query)
	b = append(b, '\n')
	var date [len(timeFormat)]byte
	amzDate := signed.AppendFormat(date[:0], timeFormat)
	for _, name := range names {
		b = append(b, name...)
		b = append(b, ':')
		switch name {
		case "host":
			b = append(b, stripExcessSpaces(r.Host)...)
		case "content-length":
			b = strconv.AppendInt(b, length, 10)
		case "x-amz-date":
			b = append(b, amzDate...)
		default:
			for i, value := range headerValues(r.Header, name) {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, strings.TrimSpace(stripExcessSpaces(value))...)
			}
		}
		b = append(b, '\n')
	}
	b = append(b, '\n')
	for i, name := range names {
		if i > 0 {
			b = append(b, ';')
		}
		b = append(b, name...)
	}
	b = append(b, '\n')
	b = append(b, payloadHash...)
	canonicalHash := sha256.Sum256(b)

	// The string to sign, in the same buffer.
	b = append(b[:0], algorithm+"\n"...)
	b = append(b, amzDate...)
	b = append(b, '\n')
	for _, part := range [...]string{sc.date, sc.region, sc.service} {
		b = append(b, part...)
		b = append(b, '/')
	}
	b = append(b, terminator+"\n"...)
	b = hex.AppendEncode(b, canonicalHash[:])
	mac := key.mac()
	mac.Write(b)
	sig := hex.EncodeToString(mac.Sum(b[:0]))
	key.macs.Put(mac)
	return sig
}

// appendEscapedPath appends path escaped as the SDK signer escapes it once more
// (httpbinding.EscapePath, keeping '/'): every byte but an unreserved one as %XX. Here
// it allocates nothing, where EscapePath took a third of the signature's time.
func appendEscapedPath(b []byte, path string) []byte {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~', c == '/':
			b = append(b, c)
		default:
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return b
}

// headerValues returns the values of the header whose lowercase name signatures list.
// net/http keeps headers under their canonical names, and converting a name to one
// allocates; the names the SDKs sign are converted once, here.
func headerValues(h http.Header, name string) []string {
	if key, ok := signedHeaderKeys[name]; ok {
		return h[key]
	}
	return h.Values(name)
}

// signedHeaderKeys are net/http's keys of the headers the SDKs sign, beside those sign
// handles itself (host, content-length, x-amz-date).
var signedHeaderKeys = map[string]string{
	"amz-sdk-invocation-id": "Amz-Sdk-Invocation-Id",
	"amz-sdk-request":       "Amz-Sdk-Request",
	"content-md5":           "Content-Md5",
	"content-type":          "Content-Type",
	"x-amz-content-sha256":  "X-Amz-Content-Sha256",
	"x-amz-security-token":  "X-Amz-Security-Token",
	"x-amz-target":          "X-Amz-Target",
	"x-amz-user-agent":      "X-Amz-User-Agent",
}

// canonicalHeaderNames lists, sorted, the headers the SDK signer signs in the request
// unsignedCopy rebuilds: host; content-length if listed and the body is not empty;
// each other listed header the request has, but for those the signer never signs;
// and, signing headers rather than a URL (withDate), x-amz-date, which it then sets.
// (A URL's date is in its query; one that also lists the header is left to the SDK
// signer, as this signature then differs from the one it was given.)
func canonicalHeaderNames(r *http.Request, listed []string, length int64, withDate bool) []string {
	names := make([]string, 0, len(listed)+2)
	names = append(names, "host")
	if withDate {
		names = append(names, "x-amz-date")
	}
	for _, name := range listed {
		switch name {
		case "host", "x-amz-date", "authorization", "user-agent", "x-amzn-trace-id", "expect", "transfer-encoding":
			continue
		case "content-length":
			if length <= 0 {
				continue
			}
		default:
			if len(headerValues(r.Header, name)) == 0 {
				continue
			}
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// appendCanonicalQuery appends the query as the SDK signer canonicalises it, given it
// parsed as url.Values (so malformed pairs are dropped): every key and value escaped
// outside RFC 3986's unreserved characters, sorted by key, then value.
func appendCanonicalQuery(b []byte, query url.Values) []byte {
	type param struct{ key, value string }
	params := make([]param, 0, len(query))
	for k, vs := range query {
		for _, v := range vs {
			params = append(params, param{escapeQuery(k), escapeQuery(v)})
		}
	}
	slices.SortFunc(params, func(x, y param) int {
		if c := strings.Compare(x.key, y.key); c != 0 {
			return c
		}
		return strings.Compare(x.value, y.value)
	})
	for i, p := range params {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, p.key...)
		b = append(b, '=')
		b = append(b, p.value...)
	}
	return b
}

func escapeQuery(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// stripExcessSpaces trims the spaces around s and makes each run of spaces in it one,
// as the SDK signer does to a signed header's value.
func stripExcessSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// signingKeys caches derived signing keys: deriving one takes four HMACs, and a
// client's key changes once a day.
type signingKeys struct {
	mu   sync.Mutex
	keys map[signingKeyID]*signingKey
}

type signingKeyID struct{ secret, date, region, service string }

// A signingKey keeps the HMACs it has signed with, to be reset rather than made anew:
// making one was a quarter of a signature's time.
type signingKey struct {
	key  []byte
	macs sync.Pool // of hash.Hash
}

// mac returns an HMAC-SHA256 of the key, to be put back in k.macs after use.
func (k *signingKey) mac() hash.Hash {
	if m, ok := k.macs.Get().(hash.Hash); ok {
		m.Reset()
		return m
	}
	return hmac.New(sha256.New, k.key)
}

// maxSigningKeys bounds the cache, whose keys come partly from requests (the region).
const maxSigningKeys = 64

func (c *signingKeys) get(secret, date, region, service string) *signingKey {
	id := signingKeyID{secret, date, region, service}
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.keys[id]; ok {
		return k
	}
	if c.keys == nil || len(c.keys) >= maxSigningKeys {
		c.keys = make(map[signingKeyID]*signingKey)
	}
	k := hmacSHA256([]byte("AWS4"+secret), date)
	for _, part := range []string{region, service, terminator} {
		k = hmacSHA256(k, part)
	}
	key := &signingKey{key: k}
	c.keys[id] = key
	return key
}

func hmacSHA256(key []byte, data string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(data))
	return mac.Sum(nil)
}

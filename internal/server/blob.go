package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/blob/fs"
	"github.com/connectlocal/connectlocal/internal/blob/mem"
	blobs3 "github.com/connectlocal/connectlocal/internal/blob/s3"
	"github.com/connectlocal/connectlocal/internal/connect"
	"github.com/connectlocal/connectlocal/internal/sigv4"
	"github.com/connectlocal/connectlocal/internal/store/sqlite"
)

// BlobPath is where the blob endpoint is mounted, under the public URL.
const BlobPath = "/_blob/"

// BlobHandler serves the pre-signed URLs that blob.LocalURLs issues: a PUT uploads the
// bytes of an attached file, a GET downloads them. It answers the way S3 answers its own
// pre-signed URLs, errors included (<Error><Code>AccessDenied</Code>…), so code written
// against S3 URLs works unchanged. Bodies stream straight to and from the store.
type BlobHandler struct {
	Store     blob.Store
	Presigner *sigv4.Presigner // the one that signed the URLs
	// PutUpload, when set, stores an upload instead of Store.Put, and may refuse a
	// correctly signed one with a *connect.UploadRefused, e.g. because the file's upload
	// was completed; the refusal's text is the answer's Message.
	PutUpload func(ctx context.Context, key string, body io.Reader, size int64) error
	Logger    *slog.Logger
	Now       func() time.Time
	// BodyIdleTimeout ends an upload whose body sends no byte for this long (zero: none).
	BodyIdleTimeout time.Duration
}

func (h *BlobHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.now()
	id := strings.ToUpper(strings.ReplaceAll(connect.NewUUID(), "-", "")[:16])
	w.Header().Set("x-amz-request-id", id)
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	if h.BodyIdleTimeout > 0 {
		limitIdle(w, r, h.BodyIdleTimeout)
	}
	key := strings.TrimPrefix(r.URL.Path, BlobPath)
	defer func() {
		if p := recover(); p != nil {
			h.logger().ErrorContext(r.Context(), "panic", "request_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			writeS3Error(rec, id, s3Error{Status: http.StatusInternalServerError, Code: "InternalError", Message: "We encountered an internal error. Please try again."})
		}
		h.logger().InfoContext(r.Context(), "blob request", "request_id", id, "method", r.Method, "key", key,
			"status", rec.status, "bytes", r.ContentLength, "duration", h.now().Sub(start))
	}()
	if e := h.serve(rec, r, key); e != nil {
		writeS3Error(rec, id, *e)
	}
}

func (h *BlobHandler) serve(w http.ResponseWriter, r *http.Request, key string) *s3Error {
	if r.Method != http.MethodPut && r.Method != http.MethodGet && r.Method != http.MethodHead {
		return &s3Error{Status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed", Message: "The specified method is not allowed against this resource."}
	}
	if e := h.verify(r); e != nil {
		return e
	}
	if !blob.ValidKey(key) {
		return &s3Error{Status: http.StatusBadRequest, Code: "InvalidURI", Message: "Couldn't parse the specified URI."}
	}
	if r.Method == http.MethodPut {
		return h.put(r, key)
	}
	return h.get(w, r, key)
}

// verify checks the URL's signature and expiry, in S3's words.
func (h *BlobHandler) verify(r *http.Request) *s3Error {
	err := h.Presigner.VerifyPresigned(r)
	var sigErr *sigv4.SignatureError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sigv4.ErrMissingAuth):
		return &s3Error{Status: http.StatusForbidden, Code: "AccessDenied", Message: "Access Denied"}
	case errors.Is(err, sigv4.ErrUnknownKey):
		return &s3Error{Status: http.StatusForbidden, Code: "InvalidAccessKeyId", Message: "The AWS Access Key Id you provided does not exist in our records."}
	case errors.As(err, &sigErr) && sigErr.Reason == "Request has expired":
		e := &s3Error{Status: http.StatusForbidden, Code: "AccessDenied", Message: sigErr.Reason, XAmzExpires: r.URL.Query().Get("X-Amz-Expires"), ServerTime: h.now().UTC().Format(time.RFC3339)}
		if signed, err := time.Parse("20060102T150405Z", r.URL.Query().Get("X-Amz-Date")); err == nil {
			if secs, err := strconv.Atoi(e.XAmzExpires); err == nil {
				e.Expires = signed.Add(time.Duration(secs) * time.Second).UTC().Format(time.RFC3339)
			}
		}
		return e
	case errors.As(err, &sigErr) && sigErr.Reason == "Request is not yet valid":
		return &s3Error{Status: http.StatusForbidden, Code: "AccessDenied", Message: sigErr.Reason}
	case errors.As(err, &sigErr) && sigErr.StringToSign != "":
		h.logger().DebugContext(r.Context(), "blob URL signature mismatch", "canonical_request", sigErr.CanonicalRequest, "string_to_sign", sigErr.StringToSign)
		return &s3Error{Status: http.StatusForbidden, Code: "SignatureDoesNotMatch", Message: sigErr.Reason}
	case errors.As(err, &sigErr):
		return &s3Error{Status: http.StatusBadRequest, Code: "AuthorizationQueryParametersError", Message: sigErr.Reason}
	default:
		h.logger().ErrorContext(r.Context(), "verify blob URL", "err", err)
		return &s3Error{Status: http.StatusInternalServerError, Code: "InternalError", Message: "We encountered an internal error. Please try again."}
	}
}

// put streams the body into the store. The URL says how many bytes it accepts; a body of
// another size is refused before anything is stored.
func (h *BlobHandler) put(r *http.Request, key string) *s3Error {
	size, err := strconv.ParseInt(r.URL.Query().Get(blob.SizeParam), 10, 64)
	if err != nil {
		return &s3Error{Status: http.StatusForbidden, Code: "AccessDenied", Message: "This URL does not allow uploads."}
	}
	proposed := strconv.FormatInt(r.ContentLength, 10)
	limit := strconv.FormatInt(size, 10)
	switch {
	case r.ContentLength < 0:
		return &s3Error{Status: http.StatusLengthRequired, Code: "MissingContentLength", Message: "You must provide the Content-Length HTTP header."}
	case r.ContentLength > size:
		return &s3Error{Status: http.StatusBadRequest, Code: "EntityTooLarge", Message: "Your proposed upload exceeds the maximum allowed size", ProposedSize: proposed, MaxSizeAllowed: limit}
	case r.ContentLength < size:
		return &s3Error{Status: http.StatusBadRequest, Code: "EntityTooSmall", Message: "Your proposed upload is smaller than the minimum allowed size", ProposedSize: proposed, MinSizeAllowed: limit}
	}
	put := h.Store.Put
	if h.PutUpload != nil {
		put = h.PutUpload
	}
	err = put(r.Context(), key, r.Body, size)
	var refused *connect.UploadRefused
	switch {
	case err == nil:
		return nil
	case errors.As(err, &refused):
		return &s3Error{Status: http.StatusForbidden, Code: "AccessDenied", Message: refused.Reason}
	case errors.Is(err, blob.ErrSize), errors.Is(err, io.ErrUnexpectedEOF):
		return &s3Error{Status: http.StatusBadRequest, Code: "IncompleteBody", Message: "You did not provide the number of bytes specified by the Content-Length HTTP header."}
	case errors.Is(err, os.ErrDeadlineExceeded), r.Context().Err() != nil: // the body stalled (see BodyIdleTimeout), or the client went away
		return &s3Error{Status: http.StatusBadRequest, Code: "RequestTimeout", Message: "Your socket connection to the server was not read from or written to within the timeout period."}
	default:
		h.logger().ErrorContext(r.Context(), "store blob", "key", key, "err", err)
		return &s3Error{Status: http.StatusInternalServerError, Code: "InternalError", Message: "We encountered an internal error. Please try again."}
	}
}

// get answers the object with the Content-Type and Content-Disposition the URL carries.
// Ranges and conditional requests work where the store's reader can seek.
func (h *BlobHandler) get(w http.ResponseWriter, r *http.Request, key string) *s3Error {
	rc, info, err := h.Store.Open(r.Context(), key)
	if errors.Is(err, blob.ErrNotFound) {
		return &s3Error{Status: http.StatusNotFound, Code: "NoSuchKey", Message: "The specified key does not exist.", Key: key}
	}
	if err != nil {
		h.logger().ErrorContext(r.Context(), "open blob", "key", key, "err", err)
		return &s3Error{Status: http.StatusInternalServerError, Code: "InternalError", Message: "We encountered an internal error. Please try again."}
	}
	defer rc.Close()
	q := r.URL.Query()
	ct := q.Get(blob.ContentTypeParam)
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	if cd := q.Get(blob.ContentDispositionParam); cd != "" {
		w.Header().Set("Content-Disposition", cd)
	}
	if rs, ok := rc.(io.ReadSeeker); ok {
		http.ServeContent(w, r, "", info.Modified, rs)
		return nil
	}
	w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	w.Header().Set("Last-Modified", info.Modified.UTC().Format(http.TimeFormat))
	if r.Method != http.MethodHead {
		io.Copy(w, rc)
	}
	return nil
}

func (h *BlobHandler) logger() *slog.Logger {
	if h.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Logger
}

func (h *BlobHandler) now() time.Time {
	if h.Now == nil {
		return time.Now()
	}
	return h.Now()
}

// s3Error is S3's error document.
type s3Error struct {
	XMLName        xml.Name `xml:"Error"`
	Status         int      `xml:"-"`
	Code           string   `xml:"Code"`
	Message        string   `xml:"Message"`
	Key            string   `xml:"Key,omitempty"`
	XAmzExpires    string   `xml:"X-Amz-Expires,omitempty"`
	Expires        string   `xml:"Expires,omitempty"`
	ServerTime     string   `xml:"ServerTime,omitempty"`
	ProposedSize   string   `xml:"ProposedSize,omitempty"`
	MaxSizeAllowed string   `xml:"MaxSizeAllowed,omitempty"`
	MinSizeAllowed string   `xml:"MinSizeAllowed,omitempty"`
	RequestID      string   `xml:"RequestId"`
	HostID         string   `xml:"HostId"`
}

func writeS3Error(w http.ResponseWriter, requestID string, e s3Error) {
	e.RequestID, e.HostID = requestID, "connectlocal"
	body, _ := xml.Marshal(e)
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(xml.Header)+len(body)))
	w.WriteHeader(e.Status)
	io.WriteString(w, xml.Header)
	w.Write(body)
}

// S3Config is the bucket of the s3 blob store and how to reach it.
type S3Config struct {
	Bucket    string
	Endpoint  string // e.g. http://127.0.0.1:9000; empty for Amazon S3
	Region    string // default: the server's region
	AccessKey string // with SecretKey; both empty sends unsigned requests
	SecretKey string
	PathStyle bool // <endpoint>/<bucket>/<key> rather than <bucket>.<endpoint>/<key>
}

// blobGrace is how old unreferenced bytes must be before the sweep removes them: far
// longer than any transaction that writes bytes before committing the metadata that
// refers to them. blobSweepEvery is how often the sweep runs, after once at start-up.
const (
	blobGrace      = time.Hour
	blobSweepEvery = 10 * time.Minute
)

// smallBlobLimit is the size up to which the fs blob store keeps an object in the SQLite
// database instead of a file of its own. Email messages, their renditions and analyses,
// and most attachments are smaller. A file costs a create, a rename and two fsyncs of its
// own; a row shares its batch's one fsync. Larger objects stay files, so that a big
// upload is streamed to disk rather than held in memory and written through the WAL.
const smallBlobLimit = 64 << 10

// openBlobs opens the configured blob store. For the fs and mem stores, whose URLs the
// server serves itself, it also builds the blob endpoint, signing URLs with a key kept
// in the data dir (so URLs handed out before a restart keep working until they expire),
// or a random one per start in memory.
func (s *Server) openBlobs(ctx context.Context) (blob.Store, error) {
	cfg := s.cfg
	switch cfg.BlobStore {
	case "":
		cfg.BlobStore = "fs"
		if cfg.Memory {
			cfg.BlobStore = "mem"
		}
	case "fs", "mem", "s3":
	default:
		return nil, fmt.Errorf("--blob-store must be fs, mem or s3, not %q", cfg.BlobStore)
	}
	s.cfg.BlobStore = cfg.BlobStore
	if cfg.BlobStore == "s3" {
		region := cfg.S3.Region
		if region == "" {
			region = cfg.Region
		}
		return blobs3.Open(ctx, blobs3.Config{Bucket: cfg.S3.Bucket, Endpoint: cfg.S3.Endpoint, Region: region,
			AccessKey: cfg.S3.AccessKey, SecretKey: cfg.S3.SecretKey, PathStyle: cfg.S3.PathStyle})
	}
	secret, err := blobURLSecret(cfg)
	if err != nil {
		return nil, err
	}
	p := &sigv4.Presigner{Key: sigv4.Key{AccessKeyID: "CONNECTLOCALBLOBS", SecretAccessKey: secret}, Region: cfg.Region, Service: "s3", Now: cfg.Now}
	urls := &blob.LocalURLs{Base: strings.TrimSuffix(cfg.PublicURL, "/") + strings.TrimSuffix(BlobPath, "/"), Presigner: p}
	var st blob.Store = mem.New(urls)
	if cfg.BlobStore == "fs" {
		if st, err = fs.New(filepath.Join(cfg.DataDir, "blobs"), urls); err != nil {
			return nil, err
		}
		if db, ok := s.store.(*sqlite.DB); ok && !cfg.Memory {
			st = blob.NewSplit(db.Blobs(urls), st, smallBlobLimit)
		}
	}
	s.blobEndpoint = &BlobHandler{Store: st, Presigner: p, Logger: cfg.Logger, Now: cfg.Now, BodyIdleTimeout: cfg.BodyIdleTimeout}
	return st, nil
}

// blobURLSecret is the key the blob URLs are signed with: kept in <data dir>/blob-url.key
// (created on first use, readable by the owner only), or random with --memory.
func blobURLSecret(cfg Config) (string, error) {
	if cfg.Memory {
		return rand.Text(), nil
	}
	path := filepath.Join(cfg.DataDir, "blob-url.key")
	b, err := os.ReadFile(path)
	if err == nil && len(bytes.TrimSpace(b)) > 0 {
		return string(bytes.TrimSpace(b)), nil
	}
	if err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return "", err
	}
	secret := rand.Text() + rand.Text()
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return "", err
	}
	return secret, nil
}

// sweepBlobs removes unreferenced bytes at start-up and then every blobSweepEvery, until
// ctx ends. Blob times are the store's wall-clock times, so the grace is by time.Now,
// whatever clock the server was given.
func (s *Server) sweepBlobs(ctx context.Context) {
	t := time.NewTicker(blobSweepEvery)
	defer t.Stop()
	for {
		n, err := s.service.SweepBlobs(ctx, time.Now().Add(-blobGrace))
		if err != nil && ctx.Err() == nil {
			s.cfg.Logger.Warn("sweep attached file bytes", "err", err)
		} else if n > 0 {
			s.cfg.Logger.Info("removed attached file bytes no file refers to", "objects", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

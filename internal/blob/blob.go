// Package blob defines where connectlocal keeps the bytes of attached files, and how
// clients reach them without credentials: pre-signed upload and download URLs.
//
// A Store holds opaque objects under slash-separated keys. Implementations: fs (a folder,
// the default), mem (in memory, for --memory) and s3 (any S3-compatible service). fs and
// mem issue URLs on connectlocal's own blob endpoint (see LocalURLs and
// internal/server/blob.go); s3 hands out the S3 service's own pre-signed URLs.
// blobtest is the conformance suite every implementation passes.
package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

var (
	// ErrNotFound reports that no object has the key.
	ErrNotFound = errors.New("blob: not found")
	// ErrSize reports that a body did not have the declared number of bytes.
	ErrSize = errors.New("blob: body size differs from the declared size")
	// ErrInvalidKey reports a key that is not a valid Key.
	ErrInvalidKey = errors.New("blob: invalid key")
)

// Info describes a stored object.
type Info struct {
	Key      string
	Size     int64
	Modified time.Time // when the object was last written, by the wall clock
}

// URL is a pre-signed URL: anyone holding it may make the one request it was signed for
// until Expires, sending Headers with it.
type URL struct {
	URL     string
	Headers map[string]string // headers the request must carry, other than Host
	Expires time.Time
}

// Store keeps objects. Every method is safe for concurrent use. Keys must satisfy
// ValidKey; a method given another key returns ErrInvalidKey.
type Store interface {
	// Put stores exactly size bytes read from r under key, replacing any object there.
	// The write is atomic and durable once Put returns: readers see the old object or
	// the new one, never part of one, and a crash after Put returns keeps the new one.
	// Returns ErrSize, storing nothing, if r ends before size bytes or has more.
	Put(ctx context.Context, key string, r io.Reader, size int64) error

	// Open returns a reader of the object at key and its Info. The caller closes it.
	// Returns ErrNotFound if there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, Info, error)

	// Stat returns the Info of the object at key.
	// Returns ErrNotFound if there is none.
	Stat(ctx context.Context, key string) (Info, error)

	// Copy makes dst a copy of src, as atomically and durably as Put. The copy's
	// Modified time is the time of the copy.
	// Returns ErrNotFound if src does not exist.
	Copy(ctx context.Context, src, dst string) error

	// Delete removes the object at key. It is not an error if there is none.
	Delete(ctx context.Context, key string) error

	// List returns the objects whose keys start with prefix, in key order.
	List(ctx context.Context, prefix string) ([]Info, error)

	// UploadURL returns a URL that accepts one HTTP PUT of exactly size bytes of
	// contentType as the object at key, until expires from now.
	UploadURL(ctx context.Context, key, contentType string, size int64, expires time.Duration) (URL, error)

	// DownloadURL returns a URL that answers an HTTP GET with the object at key, with
	// contentType as its Content-Type and an attachment Content-Disposition naming
	// fileName, until expires from now.
	DownloadURL(ctx context.Context, key, fileName, contentType string, expires time.Duration) (URL, error)
}

// TxWriter is a Store that can write an object as part of a store transaction: the
// object commits, or rolls back, with the records written beside it. Its Store methods
// must not be called inside a transaction of the same database, which they would wait
// for. The SQLite store's Blobs are one. Split is one too; it writes in the transaction
// when its Small store is a TxWriter, and at once otherwise.
type TxWriter interface {
	Store
	// PutTx stores data under key in tx, which must be a transaction of the store's own
	// database, replacing any object there.
	PutTx(ctx context.Context, tx store.Tx, key string, data []byte) error
	// CreateTx is PutTx for a key that has never held an object, such as one named by
	// a new ID: there is nothing to replace, so a Split does not look in its other
	// store for an object to remove.
	CreateTx(ctx context.Context, tx store.Tx, key string, data []byte) error
	// DeleteTx removes the object at key in tx, like PutTx. It is not an error if there
	// is none.
	DeleteTx(ctx context.Context, tx store.Tx, key string) error
	// MoveTx gives the object at src, which tx's database holds, the key dst, one that
	// has never held an object (like CreateTx's), in tx: its bytes are not written again.
	// ErrNotFound says that tx's database does not hold src.
	MoveTx(ctx context.Context, tx store.Tx, src, dst string) error
	// GetTx returns the bytes of the object at key as tx sees it, if tx's database holds
	// it. ErrNotFound says only that it does not: a Split keeps its large objects
	// elsewhere, where Open finds them.
	GetTx(ctx context.Context, tx store.Tx, key string) ([]byte, error)
	// HoldsInTx reports whether an object of size bytes is kept in the store's database,
	// where PutTx writes it as part of the transaction (a Split keeps only its small
	// objects there).
	HoldsInTx(size int64) bool
}

// ValidKey reports whether key is a valid object key: one or more segments separated by
// '/', each of 1 to 128 characters from A-Z a-z 0-9 . _ -, none of them "." or "..".
// Keys like that are the same on every store and safe as file paths.
func ValidKey(key string) bool {
	if key == "" || len(key) > 1024 {
		return false
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg == "." || seg == ".." || len(seg) > 128 {
			return false
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				return false
			}
		}
	}
	return true
}

// ValidPrefix reports whether prefix can start a valid key: empty, or a valid key
// optionally followed by '/'.
func ValidPrefix(prefix string) bool {
	return prefix == "" || ValidKey(strings.TrimSuffix(prefix, "/"))
}

// BytesReader returns an object held in memory as Open's reader. It also seeks, so that
// the blob endpoint serves ranges and conditional requests of it (http.ServeContent).
func BytesReader(data []byte) io.ReadCloser { return bytesReader{bytes.NewReader(data)} }

type bytesReader struct{ *bytes.Reader }

func (bytesReader) Close() error { return nil }

// ExactReader returns a reader of r that fails with ErrSize if r does not hold exactly
// size bytes: when r ends early, or when it has a byte past size. It looks for that
// extra byte before it hands out the last declared ones, so a consumer that stops after
// size bytes (an HTTP transport sending Content-Length bytes) never sees a clean end of a
// body that was too long. Implementations of Put use it so that a short or long body is
// never stored.
func ExactReader(r io.Reader, size int64) io.Reader {
	return &exactReader{r: r, left: size}
}

type exactReader struct {
	r    io.Reader
	left int64
	done bool
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.done {
		return 0, io.EOF
	}
	if e.left == 0 {
		if err := e.end(); err != nil {
			return 0, err
		}
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	switch {
	case e.left == 0:
		if err := e.end(); err != nil {
			return 0, err
		}
		return n, nil
	case errors.Is(err, io.EOF):
		return n, ErrSize
	}
	return n, err
}

// end checks that r has nothing past the declared bytes.
func (e *exactReader) end() error {
	var one [1]byte
	for {
		n, err := e.r.Read(one[:])
		if n > 0 {
			return ErrSize
		}
		if errors.Is(err, io.EOF) {
			e.done = true
			return nil
		}
		if err != nil {
			return err
		}
	}
}

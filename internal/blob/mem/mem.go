// Package mem is a blob.Store in memory, for a server started with --memory: nothing is
// written to disk and everything is gone when the process ends.
package mem

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/connectlocal/connectlocal/internal/blob"
)

// Store keeps objects in a map. Objects are never changed in place, only replaced, so
// readers share their bytes without copying.
type Store struct {
	mu      sync.RWMutex
	objects map[string]object
	urls    *blob.LocalURLs
}

type object struct {
	data     []byte
	modified time.Time
}

var _ blob.Store = (*Store)(nil)

// New returns an empty store whose URLs urls issues; with nil, UploadURL and DownloadURL
// fail.
func New(urls *blob.LocalURLs) *Store {
	return &Store{objects: map[string]object{}, urls: urls}
}

func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if !blob.ValidKey(key) {
		return blob.ErrInvalidKey
	}
	var buf bytes.Buffer
	if size > 0 && size < 1<<30 {
		buf.Grow(int(size))
	}
	if _, err := io.Copy(&buf, blob.ExactReader(r, size)); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.objects[key] = object{data: buf.Bytes(), modified: time.Now()}
	s.mu.Unlock()
	return nil
}

func (s *Store) get(key string) (object, error) {
	if !blob.ValidKey(key) {
		return object{}, blob.ErrInvalidKey
	}
	s.mu.RLock()
	o, ok := s.objects[key]
	s.mu.RUnlock()
	if !ok {
		return object{}, blob.ErrNotFound
	}
	return o, nil
}

func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, blob.Info, error) {
	o, err := s.get(key)
	if err != nil {
		return nil, blob.Info{}, err
	}
	return blob.BytesReader(o.data), blob.Info{Key: key, Size: int64(len(o.data)), Modified: o.modified}, nil
}

func (s *Store) Stat(ctx context.Context, key string) (blob.Info, error) {
	o, err := s.get(key)
	if err != nil {
		return blob.Info{}, err
	}
	return blob.Info{Key: key, Size: int64(len(o.data)), Modified: o.modified}, nil
}

func (s *Store) Copy(ctx context.Context, src, dst string) error {
	if !blob.ValidKey(dst) {
		return blob.ErrInvalidKey
	}
	o, err := s.get(src)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.objects[dst] = object{data: o.data, modified: time.Now()}
	s.mu.Unlock()
	return nil
}

func (s *Store) Delete(ctx context.Context, key string) error {
	if !blob.ValidKey(key) {
		return blob.ErrInvalidKey
	}
	s.mu.Lock()
	delete(s.objects, key)
	s.mu.Unlock()
	return nil
}

func (s *Store) List(ctx context.Context, prefix string) ([]blob.Info, error) {
	if !blob.ValidPrefix(prefix) {
		return nil, blob.ErrInvalidKey
	}
	s.mu.RLock()
	var out []blob.Info
	for k, o := range s.objects {
		if strings.HasPrefix(k, prefix) {
			out = append(out, blob.Info{Key: k, Size: int64(len(o.data)), Modified: o.modified})
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b blob.Info) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

func (s *Store) UploadURL(ctx context.Context, key, contentType string, size int64, expires time.Duration) (blob.URL, error) {
	return s.urls.Upload(ctx, key, contentType, size, expires)
}

func (s *Store) DownloadURL(ctx context.Context, key, fileName, contentType string, expires time.Duration) (blob.URL, error) {
	return s.urls.Download(ctx, key, fileName, contentType, expires)
}

// Package fs is a blob.Store in a folder: one file per object, written to a temporary
// file, synced and renamed into place, so a crash leaves the old object or the new one.
package fs

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	iofs "io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/connectlocal/connectlocal/internal/blob"
)

// staleTemp is how old a temporary file must be before New removes it as the leftover of
// a crash rather than a write in progress.
const staleTemp = time.Hour

// Store keeps objects under dir/objects/<key>; dir/tmp holds writes in progress.
type Store struct {
	objects, tmp string
	urls         *blob.LocalURLs
	// dirs keeps Delete from removing a directory it finds empty while a write is
	// creating it or renaming into it: writers hold it shared, Delete's pruning alone.
	dirs sync.RWMutex
}

var _ blob.Store = (*Store)(nil)

// New opens (creating if needed) a store in dir. urls issues the store's pre-signed URLs;
// with nil, UploadURL and DownloadURL fail. Temporary files older than an hour, left by
// a crash, are removed.
func New(dir string, urls *blob.LocalURLs) (*Store, error) {
	s := &Store{objects: filepath.Join(dir, "objects"), tmp: filepath.Join(dir, "tmp"), urls: urls}
	for _, d := range []string{s.objects, s.tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTemp {
			os.Remove(filepath.Join(s.tmp, e.Name()))
		}
	}
	return s, nil
}

func (s *Store) path(key string) (string, error) {
	if !blob.ValidKey(key) {
		return "", blob.ErrInvalidKey
	}
	return filepath.Join(s.objects, filepath.FromSlash(key)), nil
}

func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	dst, err := s.path(key)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(s.tmp, "put-*")
	if err != nil {
		return err
	}
	_, err = io.Copy(f, blob.ExactReader(ctxReader{ctx, r}, size))
	return s.install(f, err, dst)
}

// install syncs and closes the temporary file f (whose writing ended with werr) and
// renames it to dst, or removes it on any error.
func (s *Store) install(f *os.File, werr error, dst string) error {
	err := werr
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = s.rename(f.Name(), dst)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// rename moves src to dst, creating dst's directory, and syncs the directory so that the
// rename survives a crash.
func (s *Store) rename(src, dst string) error {
	dir := filepath.Dir(dst)
	s.dirs.RLock()
	defer s.dirs.RUnlock()
	if err := makeDirs(dir); err != nil {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		return err
	}
	return syncDir(dir)
}

// makeDirs creates dir and the parents it lacks, syncing the directory each one is made
// in: an object's path survives a crash only if each new directory's entry does too.
func makeDirs(dir string) error {
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := makeDirs(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, iofs.ErrExist) {
		return err
	}
	return syncDir(parent)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, blob.Info, error) {
	p, err := s.path(key)
	if err != nil {
		return nil, blob.Info{}, err
	}
	f, err := os.Open(p)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil, blob.Info{}, blob.ErrNotFound
	}
	if err != nil {
		return nil, blob.Info{}, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, blob.Info{}, err
	}
	return f, blob.Info{Key: key, Size: st.Size(), Modified: st.ModTime()}, nil
}

func (s *Store) Stat(ctx context.Context, key string) (blob.Info, error) {
	p, err := s.path(key)
	if err != nil {
		return blob.Info{}, err
	}
	st, err := os.Stat(p)
	if errors.Is(err, iofs.ErrNotExist) {
		return blob.Info{}, blob.ErrNotFound
	}
	if err != nil {
		return blob.Info{}, err
	}
	return blob.Info{Key: key, Size: st.Size(), Modified: st.ModTime()}, nil
}

// Copy hard-links src to dst (objects are never changed in place, only replaced, so the
// two cannot diverge), falling back to copying the bytes where links are not supported.
func (s *Store) Copy(ctx context.Context, src, dst string) error {
	sp, err := s.path(src)
	if err != nil {
		return err
	}
	dp, err := s.path(dst)
	if err != nil {
		return err
	}
	tmp := filepath.Join(s.tmp, "copy-"+strings.ReplaceAll(dst, "/", "_")+"-"+randomSuffix())
	if err := os.Link(sp, tmp); err == nil {
		// A link shares the source's modification time; the copy is new.
		now := time.Now()
		if err := os.Chtimes(tmp, now, now); err != nil {
			os.Remove(tmp)
			return err
		}
		if err := s.rename(tmp, dp); err != nil {
			os.Remove(tmp)
			return err
		}
		return nil
	} else if errors.Is(err, iofs.ErrNotExist) {
		return blob.ErrNotFound
	}
	in, err := os.Open(sp)
	if errors.Is(err, iofs.ErrNotExist) {
		return blob.ErrNotFound
	}
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := os.CreateTemp(s.tmp, "copy-*")
	if err != nil {
		return err
	}
	_, err = io.Copy(f, ctxReader{ctx, in})
	return s.install(f, err, dp)
}

func (s *Store) Delete(ctx context.Context, key string) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	// Remove the directories the object leaves empty; Remove fails on a non-empty one.
	s.dirs.Lock()
	defer s.dirs.Unlock()
	for dir := filepath.Dir(p); dir != s.objects && strings.HasPrefix(dir, s.objects); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break
		}
	}
	return nil
}

func (s *Store) List(ctx context.Context, prefix string) ([]blob.Info, error) {
	if !blob.ValidPrefix(prefix) {
		return nil, blob.ErrInvalidKey
	}
	// Walk only the deepest directory the prefix names.
	start := s.objects
	if d := path.Dir(prefix + "x"); d != "." {
		start = filepath.Join(s.objects, filepath.FromSlash(d))
	}
	var out []blob.Info
	err := filepath.WalkDir(start, func(p string, d iofs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, iofs.ErrNotExist) {
				return nil // removed while walking, or the prefix's directory does not exist
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(s.objects, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, iofs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		out = append(out, blob.Info{Key: key, Size: info.Size(), Modified: info.ModTime()})
		return nil
	})
	slices.SortFunc(out, func(a, b blob.Info) int { return strings.Compare(a.Key, b.Key) })
	return out, err
}

func (s *Store) UploadURL(ctx context.Context, key, contentType string, size int64, expires time.Duration) (blob.URL, error) {
	return s.urls.Upload(ctx, key, contentType, size, expires)
}

func (s *Store) DownloadURL(ctx context.Context, key, fileName, contentType string, expires time.Duration) (blob.URL, error) {
	return s.urls.Download(ctx, key, fileName, contentType, expires)
}

// ctxReader stops a long copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func randomSuffix() string { return rand.Text() }

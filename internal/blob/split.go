package blob

import (
	"bytes"
	"context"
	"errors"
	"hash/maphash"
	"io"
	"sync"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

// Split is one Store made of two: objects of up to Limit bytes go to Small, larger ones
// to Large. connectlocal keeps small objects in its SQLite database, where a write shares
// the fsync of the transactions committed with it, and large ones in files.
//
// A key lives in one of the two. A Put or Copy writes the object where its size belongs
// and then removes the key from the other store, holding the key's lock (one of 256,
// chosen by a hash of the key), so concurrent writers of a key still leave one whole
// object. Readers look in Small first, then Large,
// then Small again: an object on its way from Large to Small is in Small before it leaves
// Large. The URLs are Large's, so both stores must be served by the endpoint that signs
// them (LocalURLs), as fs and the SQLite store are.
type Split struct {
	small, large Store
	limit        int64
	seed         maphash.Seed
	locks        [256]sync.Mutex
}

var _ TxWriter = (*Split)(nil)

// NewSplit returns a Store that keeps objects of up to limit bytes in small and the
// others in large.
func NewSplit(small, large Store, limit int64) *Split {
	return &Split{small: small, large: large, limit: limit, seed: maphash.MakeSeed()}
}

// lock locks key against other writers of it and returns the unlock.
func (s *Split) lock(key string) func() {
	mu := &s.locks[maphash.String(s.seed, key)%uint64(len(s.locks))]
	mu.Lock()
	return mu.Unlock
}

// readOrder is where a reader looks for a key: Small, Large, then Small again, since an
// object moving from Large to Small is in Small before it leaves Large.
func (s *Split) readOrder() [3]Store { return [3]Store{s.small, s.large, s.small} }

func (s *Split) other(st Store) Store {
	if st == s.small {
		return s.large
	}
	return s.small
}

// evict removes key from st, if it is there, after the other store took its place.
func evict(ctx context.Context, st Store, key string) error {
	if _, err := st.Stat(ctx, key); errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	return st.Delete(ctx, key)
}

func (s *Split) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if !ValidKey(key) {
		return ErrInvalidKey
	}
	to := s.large
	if size <= s.limit {
		to = s.small
	}
	defer s.lock(key)()
	if err := to.Put(ctx, key, r, size); err != nil {
		return err
	}
	return evict(ctx, s.other(to), key)
}

// PutTx stores data in tx if it belongs in Small and Small is a TxWriter, and with Put
// otherwise.
//
// PutTx, CreateTx, DeleteTx and MoveTx do not take the key's lock: they run inside the
// store's one writer, which a Put holding that lock may be waiting for. A key they write
// must not be written at the same time by a Put of an object of the other size;
// connectlocal writes in transactions only keys of its own making, and the uploads it
// removes or moves.
func (s *Split) PutTx(ctx context.Context, tx store.Tx, key string, data []byte) error {
	small, ok := s.small.(TxWriter)
	if !ok {
		return s.Put(ctx, key, bytes.NewReader(data), int64(len(data)))
	}
	if !ValidKey(key) {
		return ErrInvalidKey
	}
	if int64(len(data)) > s.limit {
		if err := s.large.Put(ctx, key, bytes.NewReader(data), int64(len(data))); err != nil {
			return err
		}
		return small.DeleteTx(ctx, tx, key)
	}
	if err := small.PutTx(ctx, tx, key, data); err != nil {
		return err
	}
	return evict(ctx, s.large, key)
}

// CreateTx is PutTx without the look into Large (a file system call on the store's one
// writer) that PutTx makes for an older large object under the key. A large object
// still removes the key from Small, in tx, where that costs no more than a statement.
// Given a key that did hold a large object, a small CreateTx would leave that object in
// Large, hidden by the new one until a Delete.
func (s *Split) CreateTx(ctx context.Context, tx store.Tx, key string, data []byte) error {
	small, ok := s.small.(TxWriter)
	if !ok || int64(len(data)) > s.limit {
		return s.PutTx(ctx, tx, key, data)
	}
	if !ValidKey(key) {
		return ErrInvalidKey
	}
	return small.CreateTx(ctx, tx, key, data)
}

// DeleteTx removes key from Small in tx, if Small is a TxWriter, and from Large at
// once: a transaction that rolls back after it keeps a small object but not a large one.
func (s *Split) DeleteTx(ctx context.Context, tx store.Tx, key string) error {
	small, ok := s.small.(TxWriter)
	if !ok {
		return s.Delete(ctx, key)
	}
	if !ValidKey(key) {
		return ErrInvalidKey
	}
	if err := small.DeleteTx(ctx, tx, key); err != nil {
		return err
	}
	return evict(ctx, s.large, key)
}

// MoveTx moves a small object in tx, if Small is a TxWriter; a key it moves from is
// removed from Large at once, as DeleteTx removes one.
func (s *Split) MoveTx(ctx context.Context, tx store.Tx, src, dst string) error {
	small, ok := s.small.(TxWriter)
	if !ok {
		return ErrNotFound
	}
	if !ValidKey(src) || !ValidKey(dst) {
		return ErrInvalidKey
	}
	if err := small.MoveTx(ctx, tx, src, dst); err != nil {
		return err
	}
	return evict(ctx, s.large, src)
}

// HoldsInTx reports whether an object of size bytes is small, and Small a TxWriter.
func (s *Split) HoldsInTx(size int64) bool {
	_, ok := s.small.(TxWriter)
	return ok && size <= s.limit
}

// GetTx reads key in tx if it is a small object and Small is a TxWriter; ErrNotFound
// otherwise, whether the key is a large object or none.
func (s *Split) GetTx(ctx context.Context, tx store.Tx, key string) ([]byte, error) {
	small, ok := s.small.(TxWriter)
	if !ok {
		return nil, ErrNotFound
	}
	return small.GetTx(ctx, tx, key)
}

func (s *Split) Copy(ctx context.Context, src, dst string) error {
	if !ValidKey(src) || !ValidKey(dst) {
		return ErrInvalidKey
	}
	defer s.lock(dst)()
	// The copy stays in the store of its source.
	for _, st := range s.readOrder() {
		if _, err := st.Stat(ctx, src); errors.Is(err, ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		switch err := st.Copy(ctx, src, dst); {
		case errors.Is(err, ErrNotFound):
			continue
		case err != nil:
			return err
		}
		return evict(ctx, s.other(st), dst)
	}
	return ErrNotFound
}

func (s *Split) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return ErrInvalidKey
	}
	defer s.lock(key)()
	if err := evict(ctx, s.small, key); err != nil {
		return err
	}
	return evict(ctx, s.large, key)
}

func (s *Split) Open(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	var (
		rc   io.ReadCloser
		info Info
		err  error
	)
	for _, st := range s.readOrder() {
		if rc, info, err = st.Open(ctx, key); !errors.Is(err, ErrNotFound) {
			break
		}
	}
	return rc, info, err
}

func (s *Split) Stat(ctx context.Context, key string) (Info, error) {
	var (
		info Info
		err  error
	)
	for _, st := range s.readOrder() {
		if info, err = st.Stat(ctx, key); !errors.Is(err, ErrNotFound) {
			break
		}
	}
	return info, err
}

// List merges the two stores' lists. A key listed by both (an object moving between
// them) is listed once, as Small has it, as Open would read it.
func (s *Split) List(ctx context.Context, prefix string) ([]Info, error) {
	small, err := s.small.List(ctx, prefix)
	if err != nil {
		return nil, err
	}
	large, err := s.large.List(ctx, prefix)
	if err != nil {
		return nil, err
	}
	out := make([]Info, 0, len(small)+len(large))
	for len(small) > 0 || len(large) > 0 {
		switch {
		case len(large) == 0 || len(small) > 0 && small[0].Key <= large[0].Key:
			if len(large) > 0 && small[0].Key == large[0].Key {
				large = large[1:]
			}
			out = append(out, small[0])
			small = small[1:]
		default:
			out = append(out, large[0])
			large = large[1:]
		}
	}
	return out, nil
}

func (s *Split) UploadURL(ctx context.Context, key, contentType string, size int64, expires time.Duration) (URL, error) {
	return s.large.UploadURL(ctx, key, contentType, size, expires)
}

func (s *Split) DownloadURL(ctx context.Context, key, fileName, contentType string, expires time.Duration) (URL, error) {
	return s.large.DownloadURL(ctx, key, fileName, contentType, expires)
}

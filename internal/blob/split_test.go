package blob_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/blob/blobtest"
	"github.com/connectlocal/connectlocal/internal/blob/fs"
	"github.com/connectlocal/connectlocal/internal/store"
	"github.com/connectlocal/connectlocal/internal/store/sqlite"
)

// newSplit is the split connectlocal runs by default: a SQLite database's blobs for
// objects of up to limit bytes, a folder for the others.
func newSplit(t *testing.T, urls *blob.LocalURLs, limit int64) (split *blob.Split, small, large blob.Store) {
	split, _, small, large = newSplitDB(t, urls, limit)
	return split, small, large
}

// newSplitDB is newSplit with the database, for tests that write in its transactions.
func newSplitDB(t *testing.T, urls *blob.LocalURLs, limit int64) (split *blob.Split, db *sqlite.DB, small, large blob.Store) {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "connectlocal.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	files, err := fs.New(filepath.Join(dir, "blobs"), urls)
	if err != nil {
		t.Fatal(err)
	}
	small = db.Blobs(urls)
	return blob.NewSplit(small, files, limit), db, small, files
}

func TestSplitConformance(t *testing.T) {
	// At 8 bytes the suite's replacements and copies cross between the two stores; at
	// 64 KiB (the server's) its small objects are all in the database.
	for _, limit := range []int64{8, 64 << 10} {
		t.Run(fmt.Sprint("Limit", limit), func(t *testing.T) {
			blobtest.Run(t, func(t *testing.T) blobtest.Harness {
				return blobtest.Local(t, func(urls *blob.LocalURLs) blob.Store {
					split, _, _ := newSplit(t, urls, limit)
					return split
				})
			})
		})
	}
}

// where reports which of the two stores hold key.
func where(t *testing.T, key string, small, large blob.Store) string {
	t.Helper()
	var in []string
	for name, st := range map[string]blob.Store{"small": small, "large": large} {
		switch _, err := st.Stat(t.Context(), key); {
		case err == nil:
			in = append(in, name)
		case !errors.Is(err, blob.ErrNotFound):
			t.Fatalf("%s.Stat(%s): %v", name, key, err)
		}
	}
	if len(in) == 2 {
		return "both"
	}
	return strings.Join(in, "")
}

func TestSplitKeepsAKeyInTheStoreOfItsSize(t *testing.T) {
	split, small, large := newSplit(t, nil, 10)
	ctx := t.Context()
	put := func(key, data string) {
		t.Helper()
		if err := split.Put(ctx, key, strings.NewReader(data), int64(len(data))); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		do   func()
		key  string
		want string
	}{
		{func() { put("k", "ten bytes!") }, "k", "small"},
		{func() { put("k", "eleven byte") }, "k", "large"},
		{func() { put("k", "short") }, "k", "small"},
		{func() { put("big", "more than ten") }, "big", "large"},
		{func() {
			if err := split.Copy(ctx, "big", "big-copy"); err != nil {
				t.Fatal(err)
			}
		}, "big-copy", "large"},
		{func() {
			if err := split.Copy(ctx, "k", "big-copy"); err != nil {
				t.Fatal(err)
			}
		}, "big-copy", "small"},
		{func() {
			if err := split.Delete(ctx, "k"); err != nil {
				t.Fatal(err)
			}
		}, "k", ""},
	}
	for i, s := range steps {
		s.do()
		if got := where(t, s.key, small, large); got != s.want {
			t.Errorf("step %d: %s is in %q, want %q", i, s.key, got, s.want)
		}
	}
}

// A crash between writing a key to one store and removing it from the other leaves it in
// both. Readers then see Small's object, which is the one a Put of a small object wrote
// last; a Put that wrote Large last had not returned.
func TestSplitPrefersSmallWhenAKeyIsInBoth(t *testing.T) {
	split, small, large := newSplit(t, nil, 4)
	ctx := t.Context()
	if err := large.Put(ctx, "k", strings.NewReader("large object"), 12); err != nil {
		t.Fatal(err)
	}
	if err := small.Put(ctx, "k", strings.NewReader("new"), 3); err != nil {
		t.Fatal(err)
	}
	rc, info, err := split.Open(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	got.ReadFrom(rc)
	rc.Close()
	if got.String() != "new" || info.Size != 3 {
		t.Errorf("Open reads %q (size %d), want Small's %q", got.String(), info.Size, "new")
	}
	infos, err := split.List(ctx, "")
	if err != nil || len(infos) != 1 || infos[0].Size != 3 {
		t.Errorf("List = %+v, %v; want k once, with Small's size", infos, err)
	}
	if err := split.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if got := where(t, "k", small, large); got != "" {
		t.Errorf("after Delete, k is in %s", got)
	}
}

// Writes inside the database's transactions run on its one writer, which a Put outside
// may be waiting for while it holds the key's lock: PutTx and DeleteTx must not wait for
// that lock.
func TestSplitWritesInTransactionsBesidePuts(t *testing.T) {
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "connectlocal.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.New(filepath.Join(dir, "blobs"), nil)
	if err != nil {
		t.Fatal(err)
	}
	split := blob.NewSplit(db.Blobs(nil), files, 8)
	ctx := t.Context()
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		for g := range 4 {
			key := fmt.Sprint("k", g)
			wg.Go(func() {
				for range 50 {
					if err := split.Put(ctx, key, strings.NewReader("put"), 3); err != nil {
						t.Error(err)
						return
					}
				}
			})
			wg.Go(func() {
				for i := range 50 {
					err := db.Update(ctx, func(tx store.Tx) error {
						switch i % 3 {
						case 0:
							return split.PutTx(ctx, tx, key, []byte("in tx"))
						case 1:
							return split.PutTx(ctx, tx, key, []byte("large, in a transaction"))
						}
						return split.DeleteTx(ctx, tx, key)
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
	}()
	select {
	case <-done:
		db.Close()
	case <-time.After(time.Minute):
		t.Fatal("writes in transactions and Puts of the same keys deadlocked") // db stays open: closing it would wait too
	}
}

// GetTx reads what the transaction's database holds: a small object, as the transaction
// sees it. A large object is not there, and GetTx says ErrNotFound for it as for a key
// that is nowhere; the caller then reads with Open. HoldsInTx tells the two sizes apart.
func TestSplitGetTxReadsSmallObjectsOnly(t *testing.T) {
	split, db, _, _ := newSplitDB(t, nil, 8)
	if !split.HoldsInTx(8) || split.HoldsInTx(9) {
		t.Errorf("HoldsInTx(8), HoldsInTx(9) = %v, %v; want true, false", split.HoldsInTx(8), split.HoldsInTx(9))
	}
	ctx := t.Context()
	for key, body := range map[string]string{"small": "tiny", "large": "more than eight bytes"} {
		if err := split.Put(ctx, key, strings.NewReader(body), int64(len(body))); err != nil {
			t.Fatal(err)
		}
	}
	err := db.Update(ctx, func(tx store.Tx) error {
		if got, err := split.GetTx(ctx, tx, "small"); err != nil || string(got) != "tiny" {
			t.Errorf("GetTx(small) = %q, %v", got, err)
		}
		for _, key := range []string{"large", "none"} {
			if got, err := split.GetTx(ctx, tx, key); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("GetTx(%s) = %q, %v; want ErrNotFound", key, got, err)
			}
		}
		// The transaction's own write, not yet committed.
		if err := split.PutTx(ctx, tx, "fresh", []byte("new")); err != nil {
			return err
		}
		if got, err := split.GetTx(ctx, tx, "fresh"); err != nil || string(got) != "new" {
			t.Errorf("GetTx of a write in the same transaction = %q, %v", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// CreateTx is for keys that never held an object, and so does not look in Large for one
// to remove: a small CreateTx over a large object leaves it there (Open still reads the
// new one, from Small). A large CreateTx still removes the key from Small, where a stale
// object would hide the new one from readers.
func TestSplitCreateTxLooksNoFurtherThanTheDatabase(t *testing.T) {
	split, db, small, large := newSplitDB(t, nil, 8)
	ctx := t.Context()
	put := func(st blob.Store, key, data string) {
		t.Helper()
		if err := st.Put(ctx, key, strings.NewReader(data), int64(len(data))); err != nil {
			t.Fatal(err)
		}
	}
	put(large, "stale-large", "an old large object")
	put(small, "stale-small", "old")
	creates := map[string]string{"new-small": "tiny", "new-large": "more than eight", "stale-large": "small", "stale-small": "now a large one"}
	err := db.Update(ctx, func(tx store.Tx) error {
		for key, data := range creates {
			if err := split.CreateTx(ctx, tx, key, []byte(data)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"new-small": "small", "new-large": "large", "stale-large": "both", "stale-small": "large"} {
		if got := where(t, key, small, large); got != want {
			t.Errorf("%s is in %q, want %q", key, got, want)
		}
		rc, _, err := split.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		got.ReadFrom(rc)
		rc.Close()
		if got.String() != creates[key] {
			t.Errorf("Open(%s) reads %q, want %q", key, got.String(), creates[key])
		}
	}
	// A small object created in a transaction that rolls back is not stored.
	rollback := errors.New("roll back")
	err = db.Update(ctx, func(tx store.Tx) error {
		if err := split.CreateTx(ctx, tx, "gone", []byte("tiny")); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if got := where(t, "gone", small, large); got != "" {
		t.Errorf("a rolled back CreateTx left its object in %q", got)
	}
}

// MoveTx gives a small object a new key in the transaction, and only there: a rollback
// leaves it under its old key. A key the database does not hold (a large object, or
// none) is ErrNotFound, and stays where it is.
func TestSplitMoveTxRenamesSmallObjectsInTheTransaction(t *testing.T) {
	split, db, small, large := newSplitDB(t, nil, 8)
	ctx := t.Context()
	for key, body := range map[string]string{"uploads/a": "tiny", "uploads/b": "kept", "uploads/large": "more than eight bytes"} {
		if err := split.Put(ctx, key, strings.NewReader(body), int64(len(body))); err != nil {
			t.Fatal(err)
		}
	}
	read := func(key string) string {
		t.Helper()
		rc, _, err := split.Open(ctx, key)
		if err != nil {
			t.Fatalf("Open(%s): %v", key, err)
		}
		defer rc.Close()
		var got bytes.Buffer
		got.ReadFrom(rc)
		return got.String()
	}
	err := db.Update(ctx, func(tx store.Tx) error {
		if err := split.MoveTx(ctx, tx, "uploads/a", "files/a"); err != nil {
			return err
		}
		if got, err := split.GetTx(ctx, tx, "files/a"); err != nil || string(got) != "tiny" {
			t.Errorf("GetTx(files/a) in the moving transaction = %q, %v", got, err)
		}
		for _, src := range []string{"uploads/large", "uploads/none", "uploads/a"} {
			if err := split.MoveTx(ctx, tx, src, "files/x"); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("MoveTx(%s) = %v, want ErrNotFound", src, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := where(t, "uploads/a", small, large); got != "" {
		t.Errorf("the moved object's old key is in %q", got)
	}
	if got, in := read("files/a"), where(t, "files/a", small, large); got != "tiny" || in != "small" {
		t.Errorf("files/a reads %q from %q, want tiny from small", got, in)
	}
	if got := read("uploads/large"); got != "more than eight bytes" {
		t.Errorf("the large object reads %q after a MoveTx of it", got)
	}

	rollback := errors.New("roll back")
	err = db.Update(ctx, func(tx store.Tx) error {
		if err := split.MoveTx(ctx, tx, "uploads/b", "files/b"); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if got := read("uploads/b"); got != "kept" || where(t, "files/b", small, large) != "" {
		t.Errorf("after a rolled-back MoveTx, uploads/b reads %q and files/b is in %q", got, where(t, "files/b", small, large))
	}
}

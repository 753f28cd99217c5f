package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

// A database made before migration 0003, holding an idempotency entry and a record of
// an instance, is brought up to date without losing either: the entry is found through
// its new key and still conflicts with a second answer, and DeleteInstance, which lost
// its index, still finds the record.
func TestMigration0003KeepsIdempotencyEntries(t *testing.T) {
	path := oldDatabase(t, 2,
		`INSERT INTO idempotency (account, operation, token, request_hash, response, created)
			VALUES ('111111111111', 'StartTaskContact', 'tok', 'h1', CAST('{"ContactId":"c1"}' AS BLOB), 5)`,
		`INSERT INTO records (account, kind, instance, id, data, created, updated)
			VALUES ('111111111111', 'queue', 'i1', 'q1', '{}', 1, 1)`,
	)
	db, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	got, err := getIdempotency(t, db, "tok")
	if err != nil {
		t.Fatalf("GetIdempotency after the migration: %v", err)
	}
	if got.RequestHash != "h1" || string(got.Response) != `{"ContactId":"c1"}` || !got.Created.Equal(time.Unix(0, 5)) {
		t.Errorf("migrated entry = %+v", got)
	}
	err = db.Update(ctx, func(tx store.Tx) error {
		again := store.Idempotency{Account: "111111111111", Operation: "StartTaskContact", Token: "tok", RequestHash: "h2", Response: []byte(`{}`)}
		if err := tx.PutIdempotency(ctx, again); !errors.Is(err, store.ErrConflict) {
			t.Errorf("PutIdempotency of the migrated token: err = %v, want ErrConflict", err)
		}
		return tx.DeleteInstance(ctx, "111111111111", "i1")
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(ctx, func(tx store.Tx) error {
		_, err := tx.Get(ctx, store.Key{Account: "111111111111", Kind: "queue", Instance: "i1", ID: "q1"})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("record of the deleted instance: err = %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Entries are indexed by a 64-bit hash of (account, operation, token); two tokens whose
// hashes collide must stay apart. A row planted under another token's hash stands in
// for such a collision.
func TestIdempotencyLookupComparesTheWholeKey(t *testing.T) {
	db := openBatched(t)
	ctx := t.Context()
	mine := store.Idempotency{Account: "111111111111", Operation: "StartTaskContact", Token: "tok", RequestHash: "mine", Response: []byte(`{}`)}
	err := db.Update(ctx, func(st store.Tx) error {
		key := idempotencyKey(mine.Account, mine.Operation, mine.Token)
		res, err := st.(*tx).c.exec(`INSERT INTO idempotency (key, account, operation, token, request_hash, response, created)
			VALUES (?, '111111111111', 'StartTaskContact', 'other', 'theirs', '{}', 1)`, key)
		if err != nil {
			return err
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return err
		}
		st.(*tx).tokens.add(key, seq) // as PutIdempotency of the other token would
		if _, err := st.GetIdempotency(ctx, mine.Account, mine.Operation, mine.Token); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetIdempotency before the Put: err = %v, want ErrNotFound", err)
		}
		return st.PutIdempotency(ctx, mine)
	})
	if err != nil {
		t.Fatalf("PutIdempotency beside a colliding entry: %v", err)
	}
	if got, err := getIdempotency(t, db, mine.Token); err != nil || got.RequestHash != "mine" {
		t.Errorf("GetIdempotency = %q, %v; want its own entry, not the colliding one", got.RequestHash, err)
	}
}

// The expiry sweep walks entries in storing order and stops at the first that has not
// expired (there is no index on created to keep up): an entry stored after a newer one
// stays until that one expires too. Readers check Created, so it is never answered.
// The sweep in steps (a limit) does the same within each step.
func TestIdempotencySweepFollowsStoringOrder(t *testing.T) {
	for _, limit := range []int{0, 1, 10} {
		t.Run(fmt.Sprint("limit ", limit), func(t *testing.T) { testSweepFollowsStoringOrder(t, limit) })
	}
}

func testSweepFollowsStoringOrder(t *testing.T, limit int) {
	db := openBatched(t)
	ctx := t.Context()
	t0 := time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC)
	entry := func(token string, created time.Time) store.Idempotency {
		return store.Idempotency{Account: "111111111111", Operation: "StartTaskContact", Token: token, RequestHash: "h", Response: []byte(`{}`), Created: created}
	}
	kept := func(tokens ...string) {
		t.Helper()
		for _, tok := range []string{"old", "newer", "stored-late"} {
			_, err := getIdempotency(t, db, tok)
			want := false
			for _, k := range tokens {
				want = want || k == tok
			}
			if got := err == nil; got != want {
				t.Errorf("entry %q kept = %v, want %v (err %v)", tok, got, want, err)
			}
		}
	}
	update := func(fn func(tx store.Tx) error) {
		t.Helper()
		if err := db.Update(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	sweep := func(before time.Time) {
		t.Helper()
		for {
			var n int
			update(func(tx store.Tx) (err error) {
				n, err = tx.DeleteIdempotencyBefore(ctx, before, limit)
				return err
			})
			if limit <= 0 || n < limit {
				return
			}
		}
	}
	update(func(tx store.Tx) error {
		for _, e := range []store.Idempotency{entry("old", t0), entry("newer", t0.Add(2*time.Hour)), entry("stored-late", t0)} {
			if err := tx.PutIdempotency(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	sweep(t0.Add(time.Hour))
	kept("newer", "stored-late")
	sweep(t0.Add(3 * time.Hour))
	kept()
}

func getIdempotency(t *testing.T, db *DB, token string) (store.Idempotency, error) {
	var got store.Idempotency
	err := db.View(t.Context(), func(tx store.Tx) error {
		var err error
		got, err = tx.GetIdempotency(t.Context(), "111111111111", "StartTaskContact", token)
		return err
	})
	return got, err
}

// PutIdempotency of an entry GetIdempotency found missing skips the look for it, and
// only that once: a second Put of it in the same transaction, or a Put of it in a later
// one, still finds the stored entry and conflicts.
func TestIdempotencyPutAfterAMissStillConflicts(t *testing.T) {
	db := openBatched(t)
	ctx := t.Context()
	entry := store.Idempotency{Account: "111111111111", Operation: "StartTaskContact", Token: "tok", RequestHash: "h", Response: []byte(`{}`)}
	err := db.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.GetIdempotency(ctx, entry.Account, entry.Operation, entry.Token); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetIdempotency before the Put: err = %v, want ErrNotFound", err)
		}
		if err := tx.PutIdempotency(ctx, entry); err != nil {
			return err
		}
		if err := tx.PutIdempotency(ctx, entry); !errors.Is(err, store.ErrConflict) {
			t.Errorf("second PutIdempotency in the transaction: err = %v, want ErrConflict", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.GetIdempotency(ctx, entry.Account, "StartEmailContact", entry.Token); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("GetIdempotency of another operation's token: err = %v, want ErrNotFound", err)
		}
		return tx.PutIdempotency(ctx, entry)
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("PutIdempotency in a later transaction: err = %v, want ErrConflict", err)
	}
}

// oldDatabase makes a database of the schema version given (migrations 1 to version
// applied, as a server of that time left it), runs statements in it, and returns its path.
func oldDatabase(t *testing.T, version int, statements ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	scripts, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil || len(scripts) < version {
		t.Fatalf("migrations: %v, %v; want at least %d", scripts, err, version)
	}
	for _, f := range scripts[:version] {
		script, err := fs.ReadFile(migrations, f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(script)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	for _, q := range append([]string{fmt.Sprintf("PRAGMA user_version = %d", version)}, statements...) {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

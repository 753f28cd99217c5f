package sqlite

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
)

// Open starts a reader connection before any View asks for one, so that the first
// request after start-up does not wait for it to open; the first View then takes that
// connection rather than opening a second. Closing the database right after Open, with
// the connection perhaps still opening, waits for it and closes it too.
func TestOpenWarmsAReader(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "warm.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(10 * time.Second)
	for len(db.readers.idle) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no reader connection was opened within 10 s of Open")
		}
		time.Sleep(time.Millisecond)
	}
	if err := db.View(t.Context(), func(tx store.Tx) error {
		_, err := tx.Exists(t.Context(), store.Key{Account: "a", Kind: "k", Instance: "i", ID: "id"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if open := len(db.readers.room); open != 1 {
		t.Errorf("%d reader connections open after the first View, want the warmed one alone", open)
	}

	for range 20 {
		db, err := Open(filepath.Join(t.TempDir(), "closed.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("Close right after Open: %v", err)
		}
		if n := len(db.readers.idle); n != 0 {
			t.Fatalf("%d reader connections left in the pool after Close", n)
		}
	}
}

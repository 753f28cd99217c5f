//go:build unix

package sqlite_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/connectlocal/connectlocal/internal/store"
)

// A new database is built beside its path and linked into place whole (see
// createIfMissing): Open leaves the database alone in its directory, once closed, with
// the permissions SQLite gives the files it makes (0644 less the umask; 077 here, so
// that a mode set regardless of it shows). TestSchemaVersion checks its WAL mode and
// schema.
func TestNewDatabaseLeavesNoOtherFile(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0o077))
	db, path := openFile(t, nil)
	err := db.Update(t.Context(), func(tx store.Tx) error {
		return tx.Put(t.Context(), store.Record{Account: "a", Kind: "k", Instance: "i", ID: "1", Data: []byte(`{}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != filepath.Base(path) {
		t.Errorf("the directory holds %q, want the database alone", names)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the database's mode: %v, %v; want 0600 (0644 less the umask 077)", fi.Mode(), err)
	}
}

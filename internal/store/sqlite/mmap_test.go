package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/connectlocal/connectlocal/internal/store"
)

// Readers map the database file (see dsnQuery), so a View reads the pages the
// checkpointer copies into the file while it is mapped. Every acknowledged write must
// read back as written, through several restarts of the WAL; and on Linux the file must
// be among the process's mappings, so the test fails if readers stop mapping it.
func TestMappedReadsSeeEveryWriteThroughWALRestarts(t *testing.T) {
	db, path := openRestartingOften(t)
	bg := context.Background()

	const ids = 50
	want := map[string][]byte{}
	check := func(id string) {
		var got store.Record
		err := db.View(bg, func(tx store.Tx) (err error) {
			got, err = tx.Get(bg, rec(id, "").Key())
			return err
		})
		if err != nil || !bytes.Equal(got.Data, want[id]) {
			t.Fatalf("record %s read back %.20q..., %v; want %.20q...", id, got.Data, err, want[id])
		}
	}
	// 6,000 bytes a version, a page of its own near enough: 2,000 versions are some
	// 1,500 WAL pages, which restart the WAL many times at 64 pages.
	for i := range 2000 {
		r := rec(fmt.Sprint(i%ids), "")
		v := fmt.Sprintf("version %d;", i)
		r.Data = bytes.Repeat([]byte(v), 6000/len(v))
		if err := db.Update(bg, func(tx store.Tx) error { return tx.Put(bg, r) }); err != nil {
			t.Fatal(err)
		}
		want[r.ID] = r.Data
		check(r.ID)
		if i >= ids {
			check(fmt.Sprint(i * 7 % ids))
		}
	}

	if runtime.GOOS != "linux" {
		return
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(maps), path+"\n") {
		t.Errorf("no mapping of %s among the process's mappings", path)
	}
}

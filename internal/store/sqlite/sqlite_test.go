package sqlite_test

import (
	"bufio"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/store"
	"github.com/connectlocal/connectlocal/internal/store/sqlite"
	"github.com/connectlocal/connectlocal/internal/store/storetest"
)

func openFile(t testing.TB, now func() time.Time) (*sqlite.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "connectlocal.db")
	db, err := sqlite.Open(path, now)
	if err != nil {
		t.Fatalf("Open %s: %v", path, err)
	}
	return db, path
}

func TestConformanceFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, _ := openFile(t, nil)
		return db
	})
}

func TestConformanceMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := sqlite.Open(sqlite.MemoryPath, nil)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return db
	})
}

func TestMemoryDatabasesAreSeparate(t *testing.T) {
	a, err := sqlite.Open(sqlite.MemoryPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlite.Open(sqlite.MemoryPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	r := store.Record{Account: "1", Kind: "queue", Instance: "i", ID: "q"}
	if err := a.Update(t.Context(), func(tx store.Tx) error { return tx.Put(t.Context(), r) }); err != nil {
		t.Fatal(err)
	}
	err = b.View(t.Context(), func(tx store.Tx) error { _, err := tx.Get(t.Context(), r.Key()); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second in-memory store sees the first one's record: err = %v", err)
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	db, path := openFile(t, nil)
	ctx := t.Context()
	r := store.Record{Account: "111111111111", Kind: "queue", Instance: "i1", ID: "q1", Name: "Sales", Data: []byte(`{"x":1}`)}
	var seq int64
	err := db.Update(ctx, func(tx store.Tx) error {
		if err := tx.Put(ctx, r); err != nil {
			return err
		}
		if err := tx.PutIdempotency(ctx, store.Idempotency{Account: r.Account, Operation: "CreateQueue", Token: "t", RequestHash: "h"}); err != nil {
			return err
		}
		var err error
		if seq, err = tx.AppendEvent(ctx, store.Event{Type: "QueueCreated", Subject: "q1"}); err != nil {
			return err
		}
		return tx.SetCursor(ctx, "webhooks", seq)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	db, err = sqlite.Open(path, nil) // migrations must not run again
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	err = db.View(ctx, func(tx store.Tx) error {
		got, err := tx.GetByName(ctx, r.Account, r.Kind, r.Instance, r.Name)
		if err != nil {
			return err
		}
		if string(got.Data) != string(r.Data) {
			t.Errorf("Data after reopen = %s", got.Data)
		}
		if _, err := tx.GetIdempotency(ctx, r.Account, "CreateQueue", "t"); err != nil {
			return err
		}
		if evs, err := tx.Events(ctx, 0, 0); err != nil || len(evs) != 1 {
			t.Errorf("events after reopen = %v, %v", evs, err)
		}
		if c, err := tx.Cursor(ctx, "webhooks"); err != nil || c != seq {
			t.Errorf("cursor after reopen = %d, %v; want %d", c, err, seq)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View after reopen: %v", err)
	}
	// Seqs continue after the reopen.
	err = db.Update(ctx, func(tx store.Tx) error {
		next, err := tx.AppendEvent(ctx, store.Event{Type: "Next"})
		if err == nil && next <= seq {
			t.Errorf("Seq after reopen = %d, want > %d", next, seq)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAcknowledgedWritesSurviveKill has a child process commit records and
// report each one, kills it with SIGKILL mid-stream, and checks that every
// reported record is in the database.
func TestAcknowledgedWritesSurviveKill(t *testing.T) {
	const envPath = "CONNECTLOCAL_STORE_KILL_DB"
	ctx := t.Context()
	if path := os.Getenv(envPath); path != "" { // the child
		db, err := sqlite.Open(path, nil)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		for i := 0; ; i++ {
			id := fmt.Sprint("q", i)
			err := db.Update(ctx, func(tx store.Tx) error {
				return tx.Put(ctx, store.Record{Account: "1", Kind: "queue", Instance: "i", ID: id, Data: []byte(`{}`)})
			})
			if err != nil {
				fmt.Println("error:", err)
				os.Exit(1)
			}
			fmt.Println(id)
		}
	}

	path := filepath.Join(t.TempDir(), "kill.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestAcknowledgedWritesSurviveKill$")
	cmd.Env = append(os.Environ(), envPath+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	lines := bufio.NewScanner(out)
	for len(acked) < 50 && lines.Scan() {
		acked = append(acked, lines.Text())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if len(acked) < 50 {
		t.Fatalf("child stopped after %d records: %v", len(acked), acked)
	}

	db, err := sqlite.Open(path, nil)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	err = db.View(ctx, func(tx store.Tx) error {
		for _, id := range acked {
			if _, err := tx.Get(ctx, store.Key{Account: "1", Kind: "queue", Instance: "i", ID: id}); err != nil {
				return fmt.Errorf("acknowledged record %s: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestClockIsInjected(t *testing.T) {
	var tick atomic.Int64
	base := time.Date(2025, 1, 2, 3, 4, 5, 6, time.FixedZone("X", 3600))
	now := func() time.Time { return base.Add(time.Duration(tick.Add(1)) * time.Second) }
	db, err := sqlite.Open(sqlite.MemoryPath, now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	k := store.Key{Account: "1", Kind: "queue", Instance: "i", ID: "q"}
	put := func() {
		t.Helper()
		r := store.Record{Account: k.Account, Kind: k.Kind, Instance: k.Instance, ID: k.ID}
		if err := db.Update(ctx, func(tx store.Tx) error { return tx.Put(ctx, r) }); err != nil {
			t.Fatal(err)
		}
	}
	get := func() store.Record {
		t.Helper()
		var r store.Record
		if err := db.View(ctx, func(tx store.Tx) error { var err error; r, err = tx.Get(ctx, k); return err }); err != nil {
			t.Fatal(err)
		}
		return r
	}
	put() // clock reads base+1s
	r := get()
	if want := base.Add(time.Second).UTC(); r.Created != want || r.Updated != want {
		t.Errorf("first Put: Created %v, Updated %v; want both %v in UTC, to the nanosecond", r.Created, r.Updated, want)
	}
	put() // base+2s
	r = get()
	if want := base.Add(time.Second).UTC(); r.Created != want {
		t.Errorf("second Put: Created %v, want %v", r.Created, want)
	}
	if want := base.Add(2 * time.Second).UTC(); r.Updated != want {
		t.Errorf("second Put: Updated %v, want %v", r.Updated, want)
	}
}

func TestSchemaVersion(t *testing.T) {
	db, path := openFile(t, nil)
	db.Close()

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v int
	if err := raw.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v < 1 {
		t.Fatalf("user_version = %d after Open, want >= 1", v)
	}
	var mode string
	if err := raw.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var pageSize int
	if err := raw.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil || pageSize != 8192 {
		t.Errorf("page_size = %d, %v; want 8192", pageSize, err)
	}
	if _, err := raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if db, err := sqlite.Open(path, nil); err == nil {
		db.Close()
		t.Error("Open of a database with a newer schema succeeded")
	}
}

// A file left by a crash while a database was built beside its path is removed by a
// later Open once it is ten minutes old; a younger one may be another process's build
// under way, and stays.
func TestOpenRemovesStaleBuilds(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "connectlocal.db")
	stale, young := path+".new-stale", path+".new-young"
	for _, name := range []string{stale, young} {
		if err := os.WriteFile(name, []byte("half a database"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-11 * time.Minute)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stale build is still there: %v", err)
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("the young build was removed: %v", err)
	}
}

func TestOpenRejectsURIs(t *testing.T) {
	for _, p := range []string{"", "file:x.db", "x.db?mode=ro", "file::memory:"} {
		if db, err := sqlite.Open(p, nil); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

// BenchmarkPut measures one Put per Update: the cost of a committed write,
// fsync included for a file.
func BenchmarkPut(b *testing.B) {
	for _, mode := range []string{"file", "memory"} {
		b.Run(mode, func(b *testing.B) {
			db := openBench(b, mode)
			ctx := b.Context()
			data := []byte(`{"Name":"queue","Description":"a queue of moderate size","HoursOfOperationId":"h1"}`)
			b.ResetTimer()
			for i := range b.N {
				r := store.Record{Account: "111111111111", Kind: "queue", Instance: "i1", ID: fmt.Sprint("q", i), Name: fmt.Sprint("n", i), Data: data}
				if err := db.Update(ctx, func(tx store.Tx) error { return tx.Put(ctx, r) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPutParallel measures concurrent Updates, which queue for the one
// writer connection.
func BenchmarkPutParallel(b *testing.B) {
	db := openBench(b, "file")
	ctx := b.Context()
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			r := store.Record{Account: "111111111111", Kind: "queue", Instance: "i1", ID: fmt.Sprint("q", i), Data: []byte(`{}`)}
			if err := db.Update(ctx, func(tx store.Tx) error { return tx.Put(ctx, r) }); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkPutBatch measures Puts when 100 share one Update (one fsync).
func BenchmarkPutBatch(b *testing.B) {
	db := openBench(b, "file")
	ctx := b.Context()
	b.ResetTimer()
	for i := 0; i < b.N; i += 100 {
		err := db.Update(ctx, func(tx store.Tx) error {
			for j := i; j < i+100 && j < b.N; j++ {
				r := store.Record{Account: "111111111111", Kind: "queue", Instance: "i1", ID: fmt.Sprint("q", j), Data: []byte(`{}`)}
				if err := tx.Put(ctx, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGet measures one Get per View.
func BenchmarkGet(b *testing.B) {
	db := openBench(b, "file")
	ctx := b.Context()
	putQueues(b, db, 1000, func(i int) store.Record {
		return store.Record{Account: "1", Kind: "queue", Instance: "i1", ID: fmt.Sprint("q", i), Data: []byte(`{}`)}
	})
	b.ResetTimer()
	for i := range b.N {
		k := store.Key{Account: "1", Kind: "queue", Instance: "i1", ID: fmt.Sprint("q", i%1000)}
		if err := db.View(ctx, func(tx store.Tx) error { _, err := tx.Get(ctx, k); return err }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetByName measures one GetByName per View among n named records of the
// kind: an instance's ten default flows, and a thousand queues.
func BenchmarkGetByName(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			db := openBench(b, "file")
			ctx := b.Context()
			putQueues(b, db, n, func(i int) store.Record {
				return store.Record{Account: "1", Kind: "queue", Instance: "i1", ID: fmt.Sprint("q", i), Name: fmt.Sprint("queue ", i), Data: make([]byte, 700)}
			})
			b.ResetTimer()
			for i := range b.N {
				name := fmt.Sprint("queue ", i%n)
				if err := db.View(ctx, func(tx store.Tx) error { _, err := tx.GetByName(ctx, "1", "queue", "i1", name); return err }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// putQueues puts the records record(0) to record(n-1) in one Update.
func putQueues(b *testing.B, db *sqlite.DB, n int, record func(i int) store.Record) {
	b.Helper()
	err := db.Update(b.Context(), func(tx store.Tx) error {
		for i := range n {
			if err := tx.Put(b.Context(), record(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

func openBench(b *testing.B, mode string) *sqlite.DB {
	b.Helper()
	var db *sqlite.DB
	if mode == "memory" {
		var err error
		if db, err = sqlite.Open(sqlite.MemoryPath, nil); err != nil {
			b.Fatal(err)
		}
	} else {
		db, _ = openFile(b, nil)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

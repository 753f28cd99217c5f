package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/connectlocal/connectlocal/internal/store"
	"github.com/connectlocal/connectlocal/internal/store/postgres"
	"github.com/connectlocal/connectlocal/internal/store/storetest"
)

// The tests need a PostgreSQL server. CONNECTLOCAL_TEST_POSTGRES, a
// connection URL, names one (the role needs CREATE on its database: each
// store gets a schema of its own, dropped afterwards). Without it the tests
// start a throwaway cluster from the installed binaries (Debian:
// apt-get install postgresql) in a temporary directory, and skip if there
// are none.

// server is the PostgreSQL server of this test binary, found or started by
// the first test that needs it.
var server struct {
	once  sync.Once
	url   string // connection URL of its maintenance database
	skip  string // why the tests skip, if they do
	err   error
	admin *pgxpool.Pool
	stop  func() // stops a cluster the tests started
}

func TestMain(m *testing.M) {
	code := m.Run()
	if server.admin != nil {
		server.admin.Close()
	}
	if server.stop != nil {
		server.stop()
	}
	os.Exit(code)
}

// serverURL returns the URL of the test server's maintenance database,
// starting a cluster the first time if need be; it skips the test if there
// is no server to be had.
func serverURL(t *testing.T) string {
	t.Helper()
	server.once.Do(func() {
		start := time.Now()
		server.url = os.Getenv("CONNECTLOCAL_TEST_POSTGRES")
		if server.url == "" {
			server.url, server.stop, server.skip, server.err = startCluster()
		}
		if server.err == nil && server.skip == "" {
			server.admin, server.err = pgxpool.New(context.Background(), server.url)
		}
		if server.stop != nil && server.err == nil {
			t.Logf("started a throwaway PostgreSQL cluster in %v", time.Since(start).Round(time.Millisecond))
		}
	})
	if server.skip != "" {
		t.Skip(server.skip)
	}
	if server.err != nil {
		t.Fatalf("PostgreSQL test server: %v", server.err)
	}
	return server.url
}

// startCluster initdb's a cluster in a temporary directory and runs it on a
// free loopback port, as the postgres user when the tests run as root
// (PostgreSQL refuses to run as root). It returns the URL of the cluster's
// "postgres" database and a function that stops the cluster and removes the
// directory, or why the tests must skip.
func startCluster() (dsn string, stop func(), skip string, err error) {
	bin := findBinaries()
	if bin == "" {
		return "", nil, "no PostgreSQL server: set CONNECTLOCAL_TEST_POSTGRES to a connection URL, or install PostgreSQL (apt-get install -y postgresql)", nil
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return "", nil, "running as root and there is no postgres user to run PostgreSQL as", nil
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	dir, err := os.MkdirTemp("", "connectlocal-pg-")
	if err != nil {
		return "", nil, "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return "", nil, "", err
		}
	}
	command := func(name string, args ...string) *exec.Cmd {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir // the postgres user may not be able to enter the working directory
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		return cmd
	}
	data := filepath.Join(dir, "data")
	out, err := command("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput()
	if err != nil {
		return "", nil, "", fmt.Errorf("initdb: %v\n%s", err, out)
	}
	for attempt := 0; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return "", nil, "", err
		}
		logPath := filepath.Join(dir, "postgres.log")
		logFile, err := os.Create(logPath)
		if err != nil {
			return "", nil, "", err
		}
		// A throwaway cluster need not survive a crash: no fsync.
		cmd := command("postgres", "-D", data, "-h", "127.0.0.1", "-p", strconv.Itoa(port), "-k", dir,
			"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
			"-c", "shared_buffers=32MB", "-c", "max_connections=200")
		cmd.Stdout, cmd.Stderr = logFile, logFile
		// Should the test binary die without cleaning up, so does the server.
		cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
		if err := cmd.Start(); err != nil {
			logFile.Close()
			return "", nil, "", fmt.Errorf("start postgres: %w", err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); logFile.Close(); close(exited) }()
		stop := func() {
			cmd.Process.Signal(syscall.SIGINT) // fast shutdown
			select {
			case <-exited:
			case <-time.After(15 * time.Second):
				cmd.Process.Kill()
				<-exited
			}
			os.RemoveAll(dir)
		}
		dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
		err = waitReady(dsn, exited)
		if err == nil {
			return dsn, stop, "", nil
		}
		stop2 := func() { // like stop, but keep dir for the next attempt
			cmd.Process.Signal(syscall.SIGQUIT)
			<-exited
		}
		stop2()
		if attempt == 2 {
			log, _ := os.ReadFile(logPath)
			return "", nil, "", fmt.Errorf("postgres did not start: %v\n%s", err, log)
		}
	}
}

// findBinaries returns the directory of the newest installed PostgreSQL's
// initdb and postgres, or "".
func findBinaries() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { // newest major version first
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	if p, err := exec.LookPath("initdb"); err == nil {
		if p, err := filepath.EvalSymlinks(p); err == nil {
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	for _, d := range dirs {
		_, err1 := os.Stat(filepath.Join(d, "initdb"))
		_, err2 := os.Stat(filepath.Join(d, "postgres"))
		if err1 == nil && err2 == nil {
			return d
		}
	}
	return ""
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady waits until the server at dsn accepts connections, or it exits.
func waitReady(dsn string, exited <-chan struct{}) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgx.Connect(ctx, dsn)
		cancel()
		if err == nil {
			conn.Close(context.Background())
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-exited:
			return errors.New("postgres exited")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

var schemas atomic.Int64

// freshSchema creates an empty schema on the test server and returns a
// connection URL whose search_path is that schema; the schema is dropped
// when the test ends.
func freshSchema(t *testing.T) string {
	dsn, _ := freshSchemaNamed(t)
	return dsn
}

// freshSchemaNamed is freshSchema that also returns the schema's name.
func freshSchemaNamed(t *testing.T) (dsn, schema string) {
	t.Helper()
	base := serverURL(t)
	name := fmt.Sprintf("connectlocal_test_%d_%d", os.Getpid(), schemas.Add(1))
	if _, err := server.admin.Exec(t.Context(), "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := server.admin.Exec(ctx, "DROP SCHEMA "+name+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return withParam(t, base, "search_path", name), name
}

// withParam adds a run-time parameter to a connection URL or keyword/value
// connection string.
func withParam(t *testing.T, dsn, key, value string) string {
	t.Helper()
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " " + key + "=" + value
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("CONNECTLOCAL_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t *testing.T, dsn string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(t.Context(), dsn, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return db
}

// openFresh opens a store on a schema of its own; the caller closes it.
func openFresh(t *testing.T) *postgres.DB { return open(t, freshSchema(t)) }

func TestConformance(t *testing.T) {
	serverURL(t) // skip once, not in every subtest
	storetest.Run(t, func(t *testing.T) store.Store { return openFresh(t) })
}

// closeAtEnd closes db when the test ends.
func closeAtEnd(t *testing.T, db *postgres.DB) *postgres.DB {
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	dsn, schema := freshSchemaNamed(t)
	ctx := t.Context()
	db := open(t, dsn)
	r := store.Record{Account: "111111111111", Kind: "queue", Instance: "i1", ID: "q1", Name: "Sales", Data: []byte(`{"x":1}`)}
	var seq int64
	err := db.Update(ctx, func(tx store.Tx) error {
		if err := tx.Put(ctx, r); err != nil {
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
	db.Close()

	db = closeAtEnd(t, open(t, dsn)) // migrations must not run again
	err = db.Update(ctx, func(tx store.Tx) error {
		got, err := tx.GetByName(ctx, r.Account, r.Kind, r.Instance, r.Name)
		if err != nil || string(got.Data) != string(r.Data) {
			t.Errorf("after reopen: %+v, %v", got, err)
		}
		if c, err := tx.Cursor(ctx, "webhooks"); err != nil || c != seq {
			t.Errorf("cursor after reopen = %d, %v; want %d", c, err, seq)
		}
		next, err := tx.AppendEvent(ctx, store.Event{Type: "Next"})
		if err != nil || next <= seq {
			t.Errorf("Seq after reopen = %d, %v; want above %d", next, err, seq)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var versions []int
	rows, err := server.admin.Query(ctx, "SELECT version FROM "+schema+".connectlocal_schema ORDER BY version")
	if err == nil {
		versions, err = pgx.CollectRows(rows, pgx.RowTo[int])
	}
	if err != nil || len(versions) != 1 || versions[0] != 1 {
		t.Errorf("schema versions = %v, %v; want [1]", versions, err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	dsn, schema := freshSchemaNamed(t)
	open(t, dsn).Close()
	if _, err := server.admin.Exec(t.Context(), "INSERT INTO "+schema+".connectlocal_schema (version, name) VALUES (99, 'future')"); err != nil {
		t.Fatal(err)
	}
	if db, err := postgres.Open(t.Context(), dsn, nil); err == nil {
		db.Close()
		t.Fatal("Open of a schema from a newer build succeeded")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open: %v; want a schema-version error", err)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := postgres.Open(t.Context(), "postgres://u:secret@127.0.0.1:notaport/db", nil); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("Open with a bad URL: %v; want an error that does not quote the password", err)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := postgres.Open(ctx, fmt.Sprintf("postgres://u@127.0.0.1:%d/db?connect_timeout=2", port), nil); err == nil {
		t.Error("Open of a server that is not there succeeded")
	}
}

// Replicas starting together must not race to create the schema.
func TestConcurrentOpen(t *testing.T) {
	dsn := freshSchema(t)
	const replicas = 4
	var wg sync.WaitGroup
	errs := make(chan error, replicas)
	for range replicas {
		wg.Go(func() {
			db, err := postgres.Open(t.Context(), dsn, nil)
			if err == nil {
				db.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Open: %v", err)
		}
	}
}

// Strings PostgreSQL cannot store are not found, and writing them fails,
// without spoiling the transaction.
func TestUnstorableStrings(t *testing.T) {
	db := closeAtEnd(t, openFresh(t))
	ctx := t.Context()
	ok := store.Record{Account: "1", Kind: "queue", Instance: "i", ID: "q"}
	err := db.Update(ctx, func(tx store.Tx) error {
		for _, bad := range []string{"\xff", "a\x00b"} {
			if _, err := tx.Get(ctx, store.Key{Account: "1", Kind: "queue", Instance: "i", ID: bad}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Get %q: err = %v, want ErrNotFound", bad, err)
			}
			if _, err := tx.GetByName(ctx, "1", "queue", "i", bad); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("GetByName %q: err = %v, want ErrNotFound", bad, err)
			}
			if err := tx.Delete(ctx, store.Key{Account: "1", Kind: "queue", Instance: bad, ID: "q"}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Delete %q: err = %v, want ErrNotFound", bad, err)
			}
			if res, err := tx.List(ctx, store.Page{Account: bad, Kind: "queue"}); err != nil || len(res.Records) != 0 {
				t.Errorf("List %q = %v, %v", bad, res, err)
			}
			r := ok
			r.Name = bad
			if err := tx.Put(ctx, r); err == nil {
				t.Errorf("Put named %q succeeded", bad)
			}
		}
		return tx.Put(ctx, ok) // the transaction still works
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// Two replicas running the outbox consumer loop of internal/connect/outbox.go
// (Cursor, then Events, then per event an Update that re-reads the cursor,
// handles the event and advances the cursor) while events are being written
// must handle every event exactly once between them.
func TestReplicasConsumeOutboxOnce(t *testing.T) {
	dsn := freshSchema(t)
	replicas := []*postgres.DB{closeAtEnd(t, open(t, dsn)), closeAtEnd(t, open(t, dsn))}
	ctx := t.Context()
	const producersPerReplica, eventsPerProducer, consumersPerReplica = 2, 60, 2
	total := len(replicas) * producersPerReplica * eventsPerProducer

	var mu sync.Mutex
	handled := map[int64]int{} // Seq → times handled, as committed

	var produced atomic.Int64
	var producers, consumers sync.WaitGroup
	errs := make(chan error, 100)
	for i, db := range replicas {
		for p := range producersPerReplica {
			producers.Go(func() {
				for n := range eventsPerProducer {
					err := db.Update(ctx, func(tx store.Tx) error {
						_, err := tx.AppendEvent(ctx, store.Event{Type: "Test", Subject: fmt.Sprintf("r%d-p%d-%d", i, p, n)})
						return err
					})
					if err != nil {
						errs <- err
						return
					}
					produced.Add(1)
				}
			})
		}
	}
	consume := func(db *postgres.DB) (int, error) {
		count := 0
		for {
			var batch []store.Event
			err := db.View(ctx, func(tx store.Tx) error {
				after, err := tx.Cursor(ctx, "test")
				if err != nil {
					return err
				}
				batch, err = tx.Events(ctx, after, 7)
				return err
			})
			if err != nil || len(batch) == 0 {
				return count, err
			}
			for _, e := range batch {
				var did bool
				err := db.Update(ctx, func(tx store.Tx) error {
					did = false
					cursor, err := tx.Cursor(ctx, "test")
					if err != nil || cursor >= e.Seq {
						return err // another consumer got here first
					}
					// A side effect in the same transaction: a second
					// handling of the event would conflict here.
					if err := tx.PutIdempotency(ctx, store.Idempotency{Account: "a", Operation: "handle", Token: strconv.FormatInt(e.Seq, 10)}); err != nil {
						return fmt.Errorf("event %d handled twice: %w", e.Seq, err)
					}
					did = true
					return tx.SetCursor(ctx, "test", e.Seq)
				})
				if err != nil {
					return count, err
				}
				if did {
					mu.Lock()
					handled[e.Seq]++
					mu.Unlock()
					count++
				}
			}
		}
	}
	done := make(chan struct{})
	for _, db := range replicas {
		for range consumersPerReplica {
			consumers.Go(func() {
				for {
					finished := false
					select {
					case <-done:
						finished = true // one last pass after the producers stop
					default:
					}
					if _, err := consume(db); err != nil {
						errs <- err
						return
					}
					if finished {
						return
					}
					time.Sleep(time.Millisecond)
				}
			})
		}
	}
	producers.Wait()
	close(done)
	consumers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if produced.Load() != int64(total) {
		t.Fatalf("produced %d events, want %d", produced.Load(), total)
	}

	var all []store.Event
	if err := replicas[0].View(ctx, func(tx store.Tx) error {
		var err error
		all, err = tx.Events(ctx, 0, 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(all) != total {
		t.Fatalf("%d events in the outbox, want %d", len(all), total)
	}
	for _, e := range all {
		if n := handled[e.Seq]; n != 1 {
			t.Errorf("event %d handled %d times, want once", e.Seq, n)
		}
	}
	if len(handled) != total {
		t.Errorf("%d events handled, want %d", len(handled), total)
	}
}

// A reader polling the outbox of two replicas that write concurrently, each
// time for the events after the highest Seq it has seen, must see every
// event: none may commit below a Seq already visible.
func TestSeqOrderIsCommitOrderAcrossReplicas(t *testing.T) {
	dsn := freshSchema(t)
	replicas := []*postgres.DB{closeAtEnd(t, open(t, dsn)), closeAtEnd(t, open(t, dsn))}
	ctx := t.Context()
	const writersPerReplica, eventsPerWriter = 3, 40

	var writers sync.WaitGroup
	errs := make(chan error, writersPerReplica*len(replicas))
	for _, db := range replicas {
		for range writersPerReplica {
			writers.Go(func() {
				for range eventsPerWriter {
					err := db.Update(ctx, func(tx store.Tx) error {
						if _, err := tx.AppendEvent(ctx, store.Event{Type: "Test"}); err != nil {
							return err
						}
						time.Sleep(200 * time.Microsecond) // widen the gap between Seq and commit
						return nil
					})
					if err != nil {
						errs <- err
						return
					}
				}
			})
		}
	}
	stop := make(chan struct{})
	seen := map[int64]bool{}
	var high int64
	var reader sync.WaitGroup
	reader.Go(func() {
		for {
			// Whether the writers had finished before this poll began: only
			// then does an empty poll mean the reader has seen everything.
			stopping := false
			select {
			case <-stop:
				stopping = true
			default:
			}
			var evs []store.Event
			err := replicas[1].View(ctx, func(tx store.Tx) error {
				var err error
				evs, err = tx.Events(ctx, high, 0)
				return err
			})
			if err != nil {
				errs <- err
				return
			}
			for _, e := range evs {
				seen[e.Seq] = true
				high = e.Seq
			}
			if stopping && len(evs) == 0 {
				return
			}
		}
	})
	writers.Wait()
	close(stop)
	reader.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var all []store.Event
	if err := replicas[0].View(ctx, func(tx store.Tx) error {
		var err error
		all, err = tx.Events(ctx, 0, 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(all) != writersPerReplica*len(replicas)*eventsPerWriter {
		t.Fatalf("%d events, want %d", len(all), writersPerReplica*len(replicas)*eventsPerWriter)
	}
	var missed []int64
	for _, e := range all {
		if !seen[e.Seq] {
			missed = append(missed, e.Seq)
		}
	}
	if len(missed) > 0 {
		t.Errorf("the reader never saw events %v of %d: they committed below a Seq it had already seen", missed, len(all))
	}
}

// Stores in different schemas of one database are independent, and do not
// wait for each other's write lock.
func TestSchemasAreIndependent(t *testing.T) {
	a, b := closeAtEnd(t, openFresh(t)), closeAtEnd(t, openFresh(t))
	ctx := t.Context()
	r := store.Record{Account: "1", Kind: "queue", Instance: "i", ID: "q"}
	entered := make(chan struct{})
	release := make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- a.Update(ctx, func(tx store.Tx) error {
			close(entered)
			<-release
			return tx.Put(ctx, r)
		})
	}()
	<-entered
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err := b.Update(wctx, func(tx store.Tx) error { return tx.Put(wctx, r) })
	cancel()
	close(release)
	if err != nil {
		t.Fatalf("Update of schema b while schema a holds its write lock: %v", err)
	}
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	var seqs []int64
	for _, db := range []*postgres.DB{a, b} {
		err := db.Update(ctx, func(tx store.Tx) error {
			seq, err := tx.AppendEvent(ctx, store.Event{Type: "X"})
			seqs = append(seqs, seq)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if seqs[0] != 1 || seqs[1] != 1 {
		t.Errorf("first Seqs = %v; want each schema to count from 1", seqs)
	}
}

// A look-up by name searches records_name even in a generic plan, which PostgreSQL may
// choose for a statement run many times and which knows no name: the statements say the
// name is not ”, which the partial index needs to be of use.
func TestNameLookUpsSearchTheNameIndex(t *testing.T) {
	ctx := t.Context()
	dsn := freshSchema(t)
	closeAtEnd(t, open(t, dsn)) // migrated
	conn, err := pgx.Connect(ctx, withParam(t, dsn, "plan_cache_mode", "force_generic_plan"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// A few rows make a scan the cheapest plan; with scans off, the planner shows
	// the best index the statement allows.
	if _, err := conn.Exec(ctx, "SET enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ query, args string }{
		"GetByName":        {postgres.QGetByName, "'acct', 'queue', 'inst', 'Support'"},
		"ExistsByName":     {postgres.QExistsByName, "'acct', 'queue', 'inst', 'Support'"},
		"Put's name check": {postgres.QPut, "'acct', 'queue', 'inst', 'q1', 'Support', '', now(), now()"},
	} {
		if _, err := conn.Exec(ctx, "PREPARE p AS "+c.query); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rows, err := conn.Query(ctx, "EXPLAIN EXECUTE p("+c.args+")")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(strings.Join(plan, "\n"), "records_name") {
			t.Errorf("%s: generic plan does not search records_name:\n%s", name, strings.Join(plan, "\n"))
		}
		if _, err := conn.Exec(ctx, "DEALLOCATE p"); err != nil {
			t.Fatal(err)
		}
	}
}

// Package server assembles connectlocal: it opens the store, builds the Connect service
// and serves the API over HTTP behind the middleware every request passes (request ID,
// panic recovery, body limit, SigV4, one log line).
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/connect"
	"github.com/connectlocal/connectlocal/internal/console"
	"github.com/connectlocal/connectlocal/internal/sigv4"
	"github.com/connectlocal/connectlocal/internal/store"
	"github.com/connectlocal/connectlocal/internal/store/postgres"
	"github.com/connectlocal/connectlocal/internal/store/sqlite"
)

// Config is everything that can be set from flags or the environment.
type Config struct {
	Addr      string // listen address, e.g. 127.0.0.1:4599; ":0" picks a free port
	DataDir   string // where the SQLite file lives; ignored with Memory
	Memory    bool   // keep all state in memory, write no files
	Postgres  string // PostgreSQL connection URL: state lives there, not in SQLite, so replicas can share it
	Region    string
	Auth      string      // "sigv4" (verify signatures) or "off" (accept any)
	Keys      []sigv4.Key // accepted credentials; the default test/test key is always there
	PublicURL string      // base URL clients reach; defaults to http://<Addr>
	// BlobStore keeps the bytes of attached files: "fs" (DataDir/blobs, the default),
	// "mem" (the default with Memory) or "s3" (the S3 bucket).
	BlobStore string
	S3        S3Config
	// WebhookURL receives every EventBridge event and notification rules deliver, POSTed
	// as JSON; empty keeps them only in the delivery log.
	WebhookURL string
	// BodyIdleTimeout ends a request whose body sends no byte for this long; zero is
	// 20 s.
	BodyIdleTimeout time.Duration
	// IdleTimeout closes a keep-alive connection that waits this long for its next
	// request; zero is 2 minutes.
	IdleTimeout time.Duration
	Logger      *slog.Logger
	Now         func() time.Time // injected clock; nil is time.Now
	// TuneGC has the server keep the process's garbage collector target, which
	// SetGCPercent set, in step with its store (see followTokenIndex); for a program's
	// main, like SetGCPercent.
	TuneGC bool
}

// Server is a running connectlocal.
type Server struct {
	cfg      Config
	store    store.Store
	service  *connect.Service
	api      *api.Handler
	http     *http.Server
	listener net.Listener
	defaults connect.Defaults
	keys     map[string]sigv4.Key
	verifier *sigv4.Verifier
	// blobEndpoint serves the URLs of attached files; nil when the blob store (S3)
	// serves its own.
	blobEndpoint *BlobHandler
	stop         context.CancelFunc // ends the background workers
	workers      sync.WaitGroup
}

// Open opens the store, bootstraps the default instance and starts listening. It listens
// before serving so that a port already in use is reported here, not later.
func Open(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.BodyIdleTimeout <= 0 {
		cfg.BodyIdleTimeout = defaultBodyIdleTimeout
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = defaultIdleTimeout
	}
	switch cfg.Auth {
	case "":
		cfg.Auth = "sigv4"
	case "sigv4", "off":
	default:
		return nil, fmt.Errorf("--auth must be sigv4 or off, not %q", cfg.Auth)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, err
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://" + ln.Addr().String()
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		ln.Close()
		return nil, err
	}
	if cfg.TuneGC {
		followTokenIndex(st)
	}
	s := &Server{cfg: cfg, store: st, listener: ln, keys: map[string]sigv4.Key{}}
	s.keys[connect.DefaultAccessKey] = sigv4.Key{AccessKeyID: connect.DefaultAccessKey, SecretAccessKey: connect.DefaultSecretKey, Account: connect.DefaultAccount}
	for _, k := range cfg.Keys {
		s.keys[k.AccessKeyID] = k
	}
	s.verifier = &sigv4.Verifier{Service: "connect", Lookup: s.lookupKey, Now: cfg.Now}
	blobs, err := s.openBlobs(ctx)
	if err != nil {
		st.Close()
		ln.Close()
		return nil, fmt.Errorf("blob store: %w", err)
	}
	s.service = connect.New(connect.Config{Store: st, Region: cfg.Region, PublicURL: cfg.PublicURL, Logger: cfg.Logger, Now: cfg.Now, Blobs: blobs})
	if s.defaults, err = s.service.Bootstrap(ctx); err != nil {
		st.Close()
		ln.Close()
		return nil, fmt.Errorf("bootstrap the default instance: %w", err)
	}
	if s.blobEndpoint != nil {
		s.blobEndpoint.PutUpload = s.service.PutUpload
	}
	s.api = api.NewHandler(s.service, cfg.Logger)
	s.http = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: cfg.IdleTimeout, ErrorLog: slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn)}
	go s.http.Serve(ln)
	work, stop := workersContext()
	s.stop = stop
	s.workers.Go(func() { s.service.RunTimers(work, time.Second) })
	s.workers.Go(func() { s.sweepBlobs(work) })
	s.workers.Go(func() { s.service.RunSweeps(work, retiredSweepEvery) })
	s.workers.Go(func() { s.service.RunAnalytics(work, 200*time.Millisecond) })
	s.workers.Go(func() { s.service.RunRules(work, 200*time.Millisecond) })
	s.workers.Go(func() { s.runDeliveries(work, 200*time.Millisecond) })
	return s, nil
}

// retiredSweepEvery is how often the outbox events every job has passed and the expired
// client tokens are removed (Service.SweepRetired). A step of the sweep takes about 2 ms
// of the writer; at 10 s, what a full-speed load leaves is about a hundred steps, not
// the seconds of them a sweep every minute would be.
const retiredSweepEvery = 10 * time.Second

// routes mounts the Connect API (behind the middleware, SigV4 included) and the local
// admin endpoints, which take no signature.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/_connectlocal/", s.admin())
	mux.Handle(console.Path, console.New(s.service, s.cfg.Logger))
	if s.blobEndpoint != nil {
		mux.Handle(BlobPath, s.blobEndpoint)
	}
	mux.Handle("/", s.middleware(s.api))
	return mux
}

func openStore(ctx context.Context, cfg Config) (store.Store, error) {
	if cfg.Postgres != "" {
		return postgres.Open(ctx, cfg.Postgres, cfg.Now)
	}
	if cfg.Memory {
		return sqlite.Open(":memory:", cfg.Now)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, err
	}
	return sqlite.Open(filepath.Join(cfg.DataDir, "connectlocal.db"), cfg.Now)
}

func (s *Server) lookupKey(id string) (sigv4.Key, bool) {
	k, ok := s.keys[id]
	return k, ok
}

// URL is the address clients use: the endpoint to give every SDK.
func (s *Server) URL() string { return s.cfg.PublicURL }

// Defaults are the IDs of the default instance and its resources.
func (s *Server) Defaults() connect.Defaults { return s.defaults }

// Close stops accepting requests, waits up to timeout for those in flight, then closes
// the store.
func (s *Server) Close(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.http.Close()
	}
	s.stop()
	s.workers.Wait()
	return errors.Join(err, s.store.Close())
}

// workersContext is the context of the server's background workers, ended by its
// cancel. What they write is a background job's (store.BackgroundJob), which nobody
// waits on: the SQLite store runs the requests' Updates first.
func workersContext() (context.Context, context.CancelFunc) {
	return context.WithCancel(store.BackgroundJob(context.Background()))
}

package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/google/pprof/profile"

	"github.com/connectlocal/connectlocal/internal/logbuf"
	"github.com/connectlocal/connectlocal/internal/server"
)

// The signals that start and stop a profiled server's CPU profile (see serveProfiled).
const (
	profileStart = syscall.SIGUSR1
	profileStop  = syscall.SIGUSR2
)

// serveProfiled is the server of a -cpuprofile run: the same server package and defaults
// as cmd/connectlocal (text log lines on standard error, SigV4, the fs blob store). It
// profiles its CPU only from each profileStart to the next profileStop, the turns the
// bench records, and writes the turns merged into one profile at SIGTERM: a profile of
// the server's whole life also held its start, the warm-ups, and the analysis job's
// backlog after the email load, which took more CPU than the load itself. What the server
// allocated in its whole life goes to the profile's name plus ".allocs" (go tool pprof
// -sample_index=alloc_space).
func serveProfiled(args []string) error {
	fs := flag.NewFlagSet("internal-serve", flag.ContinueOnError)
	path := fs.String("cpuprofile", "", "")
	addr := fs.String("addr", "127.0.0.1:0", "")
	dataDir := fs.String("data-dir", "", "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	turns := make(chan os.Signal, 4)
	signal.Notify(turns, profileStart, profileStop)
	server.SetGCPercent() // as cmd/connectlocal does
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logs := logbuf.New(os.Stderr) // as cmd/connectlocal does
	defer logs.Flush()
	srv, err := server.Open(ctx, server.Config{Addr: *addr, DataDir: *dataDir, TuneGC: true, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		return err
	}
	fmt.Println("connectlocal is listening on", srv.URL())
	var p turnProfiler
	for ctx.Err() == nil {
		select {
		case sig := <-turns:
			if sig == profileStart {
				err = p.start()
			} else {
				err = p.stop()
			}
			if err != nil {
				return errors.Join(err, srv.Close(10*time.Second))
			}
		case <-ctx.Done():
		}
	}
	err = p.stop()
	runtime.GC() // the allocs profile counts what the last collection saw
	return errors.Join(err, p.write(*path), writeAllocs(*path+".allocs"), srv.Close(10*time.Second))
}

// turnProfiler profiles the CPU in turns and merges them.
type turnProfiler struct {
	running bool
	turn    bytes.Buffer
	merged  *profile.Profile
}

func (t *turnProfiler) start() error {
	if t.running {
		return nil
	}
	t.turn.Reset()
	if err := pprof.StartCPUProfile(&t.turn); err != nil {
		return err
	}
	t.running = true
	return nil
}

func (t *turnProfiler) stop() error {
	if !t.running {
		return nil
	}
	pprof.StopCPUProfile()
	t.running = false
	turn, err := profile.Parse(&t.turn)
	if err != nil {
		return err
	}
	if t.merged == nil {
		t.merged = turn
		return nil
	}
	t.merged, err = profile.Merge([]*profile.Profile{t.merged, turn})
	return err
}

// write writes the merged turns to path; with no turn (a run whose phases measured
// none), it writes nothing.
func (t *turnProfiler) write(path string) error {
	if t.merged == nil {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	return errors.Join(t.merged.Write(f), f.Close())
}

func writeAllocs(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	return errors.Join(pprof.Lookup("allocs").WriteTo(f, 0), f.Close())
}

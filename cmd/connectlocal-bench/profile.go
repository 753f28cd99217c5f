package main

import (
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

	"github.com/connectlocal/connectlocal/internal/logbuf"
	"github.com/connectlocal/connectlocal/internal/server"
)

// serveProfiled is the server of a -cpuprofile run: the same server package and defaults
// as cmd/connectlocal (text log lines on standard error, SigV4, the fs blob store), with
// the CPU profiler running from start to SIGTERM. What the server allocated in that
// time goes to the profile's name plus ".allocs" (go tool pprof -sample_index=alloc_space).
func serveProfiled(args []string) error {
	fs := flag.NewFlagSet("internal-serve", flag.ContinueOnError)
	profile := fs.String("cpuprofile", "", "")
	addr := fs.String("addr", "127.0.0.1:0", "")
	dataDir := fs.String("data-dir", "", "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Create(*profile)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	server.SetGCPercent() // as cmd/connectlocal does
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logs := logbuf.New(os.Stderr) // as cmd/connectlocal does
	defer logs.Flush()
	srv, err := server.Open(ctx, server.Config{Addr: *addr, DataDir: *dataDir, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		return err
	}
	fmt.Println("connectlocal is listening on", srv.URL())
	<-ctx.Done()
	pprof.StopCPUProfile()
	runtime.GC() // the allocs profile counts what the last collection saw
	return errors.Join(f.Close(), writeAllocs(*profile+".allocs"), srv.Close(10*time.Second))
}

func writeAllocs(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	return errors.Join(pprof.Lookup("allocs").WriteTo(f, 0), f.Close())
}

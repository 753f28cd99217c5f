// Command connectlocal-bench measures connectlocal the way the README reports it: the
// throughput and latency of the contact operations under load, each as a ratio of a
// floor (a bare net/http server decoding the same JSON, driven by the same generator);
// start-up time; memory; and how read latency changes with the number of stored
// contacts.
//
// The load generator signs every request afresh with SigV4 as aws-sdk-go-v2 does (its
// own v4 signer, the SDK's headers, a ClientToken where the SDK fills one in), runs each
// workload at a chosen concurrency for a chosen time, and prints requests/s and
// p50/p90/p99/max latency per operation. Unless -addr points it at a running server, it
// builds ./cmd/connectlocal and starts it on a loopback port and a temporary data dir.
// Everything listens on 127.0.0.1 only, and every phase is bounded in time.
//
// Usage (from the module root):
//
//	go run ./cmd/connectlocal-bench            # the full run behind the README figures
//	go run ./cmd/connectlocal-bench -quick     # a smoke run of under two minutes
//	go run ./cmd/connectlocal-bench -phases load -workloads task,describe -c 32 -d 20s
//	go run ./cmd/connectlocal-bench -addr 127.0.0.1:4599 -workloads describe
//	go run ./cmd/connectlocal-bench -phases load -workloads task -cpuprofile task.pprof
//
// It exits with status 1 when a target is missed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "-internal-floor" {
		if err := serveFloor(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "-internal-serve" {
		if err := serveProfiled(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "connectlocal (profiled):", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "connectlocal-bench:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	quick       bool
	addr        string
	serverBin   string
	phases      []string
	workloads   []string
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	startups    int
	contacts    []int
	scaleDur    time.Duration
	populateC   int
	cpuProfile  string
	timeout     time.Duration
	keep        bool
	serverEnv   envList
}

// envList is a repeatable NAME=VALUE flag.
type envList []string

func (e *envList) String() string { return strings.Join(*e, " ") }

func (e *envList) Set(v string) error {
	if !strings.Contains(v, "=") {
		return fmt.Errorf("want NAME=VALUE, not %q", v)
	}
	*e = append(*e, v)
	return nil
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("connectlocal-bench", flag.ContinueOnError)
	var c config
	var phases, wls, contacts string
	fs.BoolVar(&c.quick, "quick", false, "a smoke run of under two minutes: shorter runs, 10k vs 100k contacts")
	fs.StringVar(&c.addr, "addr", "", "drive this running server (loopback only) instead of starting one; only the load phase runs")
	fs.StringVar(&c.serverBin, "server-bin", "", "connectlocal binary to start (default: CGO_ENABLED=0 go build ./cmd/connectlocal)")
	fs.StringVar(&phases, "phases", "startup,memory,load,disk,scale", "phases to run")
	fs.StringVar(&wls, "workloads", "task,describe,references,upload,email", "workloads of the load phase")
	fs.IntVar(&c.concurrency, "c", 16, "concurrent clients")
	fs.DurationVar(&c.duration, "d", 0, "measured time per workload (default 10s, 2s with -quick)")
	fs.DurationVar(&c.warmup, "warmup", 0, "unrecorded warm-up before each measurement (default 1s, 500ms with -quick)")
	fs.IntVar(&c.startups, "startups", 0, "start-up runs per data dir state (default 15, 3 with -quick)")
	fs.StringVar(&contacts, "contacts", "", "stored-contact counts of the scale phase (default 10000,1000000; 10000,100000 with -quick)")
	fs.DurationVar(&c.scaleDur, "scale-d", 0, "measured time per operation and count in the scale phase (default 5s, 1.5s with -quick)")
	fs.IntVar(&c.populateC, "populate-c", 32, "concurrent StartTaskContact clients that populate the scale phase")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "run the server in a child of the bench that profiles its CPU in the measured turns, written to this file at the end (and its allocations to FILE.allocs)")
	fs.DurationVar(&c.timeout, "timeout", 0, "abandon the run after this long (default 60m, 4m with -quick)")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary directory (data dirs, server logs)")
	fs.Var(&c.serverEnv, "server-env", "NAME=VALUE added to the environment of the connectlocal process only (repeatable), e.g. GOGC=400")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	def := func(d *time.Duration, full, quick time.Duration) {
		if *d == 0 {
			*d = full
			if c.quick {
				*d = quick
			}
		}
	}
	def(&c.duration, 10*time.Second, 2*time.Second)
	def(&c.warmup, time.Second, 500*time.Millisecond)
	def(&c.scaleDur, 5*time.Second, 1500*time.Millisecond)
	def(&c.timeout, 60*time.Minute, 4*time.Minute)
	if c.startups == 0 {
		c.startups = 15
		if c.quick {
			c.startups = 3
		}
	}
	if contacts == "" {
		contacts = "10000,1000000"
		if c.quick {
			contacts = "10000,100000"
		}
	}
	for _, s := range strings.Split(contacts, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return c, fmt.Errorf("-contacts: %q is not a count", s)
		}
		c.contacts = append(c.contacts, n)
	}
	slices.Sort(c.contacts)
	c.phases = splitList(phases)
	c.workloads = splitList(wls)
	for _, p := range c.phases {
		if !slices.Contains([]string{"startup", "memory", "load", "disk", "scale"}, p) {
			return c, fmt.Errorf("-phases: unknown phase %q", p)
		}
	}
	known := map[string]bool{}
	for _, w := range workloads() {
		known[w.name] = true
	}
	for _, w := range c.workloads {
		if !known[w] {
			return c, fmt.Errorf("-workloads: unknown workload %q", w)
		}
	}
	if c.addr != "" {
		host, _, err := net.SplitHostPort(c.addr)
		if ip := net.ParseIP(host); err != nil || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
			return c, fmt.Errorf("-addr must be a loopback address such as 127.0.0.1:4599, not %q", c.addr)
		}
		c.phases = []string{"load"}
	}
	if c.concurrency < 1 {
		return c, errors.New("-c must be at least 1")
	}
	return c, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// bench is one run.
type bench struct {
	cfg         config
	out         io.Writer
	tmp         string
	bin         string
	gen         *gen
	concurrency int
	warmup      time.Duration
	server      *proc // nil with -addr
	env         env
	tasks       *pool
	files       *uploads
	analysis    *analysisTracker
	results     *results
}

func run(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := parseFlags(args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	tmp, err := os.MkdirTemp("", "connectlocal-bench-")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Fprintln(os.Stderr, "keeping", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	b := &bench{cfg: cfg, out: out, tmp: tmp, gen: newGen(max(cfg.concurrency, cfg.populateC)), concurrency: cfg.concurrency,
		warmup: cfg.warmup, tasks: &pool{}, results: &results{}}
	mode := "full"
	if cfg.quick {
		mode = "quick"
	}
	fmt.Fprintf(out, "connectlocal-bench (%s run): %d cores (GOMAXPROCS %d), %s, %s/%s, %s; generator and server on the same machine\n",
		mode, runtime.NumCPU(), runtime.GOMAXPROCS(0), cpuModel(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if cfg.addr == "" {
		built := "given by -server-bin"
		if cfg.serverBin != "" {
			b.bin = cfg.serverBin
		} else if b.bin, err = buildServer(tmp); err != nil {
			return err
		} else {
			built = "built with CGO_ENABLED=0 go build"
		}
		fmt.Fprintf(out, "server: %s (%s), default flags, on 127.0.0.1 with a fresh data dir under %s\n", b.bin, built, tmp)
		if len(cfg.serverEnv) > 0 {
			fmt.Fprintf(out, "server environment: %s\n", cfg.serverEnv.String())
		}
		if cfg.cpuProfile != "" {
			fmt.Fprintf(out, "load and scale phases: the server runs as a child of this bench that profiles its CPU in the measured turns (not the warm-ups, nor the analysis backlog after the email load), written to %s\n", cfg.cpuProfile)
		}
	}
	fmt.Fprintf(out, "load average before the run: %s (other processes on the machine skew every figure; see the CPU table)\n", loadAvg())
	fmt.Fprintln(out)
	for _, phase := range []string{"startup", "memory", "load", "disk", "scale"} {
		if !slices.Contains(cfg.phases, phase) {
			continue
		}
		var err error
		switch phase {
		case "startup":
			err = b.startupPhase(ctx)
		case "memory":
			err = b.memoryPhase(ctx)
		case "disk":
			err = b.diskPhase(ctx)
		case "load":
			err = b.loadPhase(ctx)
		case "scale":
			err = b.scalePhase(ctx)
		}
		if err != nil {
			b.server.stop()
			return fmt.Errorf("%s phase: %w", phase, err)
		}
	}
	b.server.stop()
	b.results.printMemory(out)
	return b.results.verdict(out)
}

// startServer starts connectlocal on a fresh data dir named name. With -cpuprofile, the
// load and scale phases' server is instead this program as a child that runs the same
// server package with the CPU profiler on (see serveProfiled).
func (b *bench) startServer(ctx context.Context, name string) (*proc, time.Duration, error) {
	dir := filepath.Join(b.tmp, name)
	logPath := filepath.Join(b.tmp, name+".log")
	if b.cfg.cpuProfile != "" && (name == "load" || name == "scale") {
		self, err := os.Executable()
		if err != nil {
			return nil, 0, err
		}
		profile := b.cfg.cpuProfile
		if name == "scale" {
			profile = strings.TrimSuffix(profile, filepath.Ext(profile)) + ".scale" + filepath.Ext(profile)
		}
		p, up, err := startConnectlocal(ctx, self, []string{"-internal-serve", "-cpuprofile", profile}, dir, logPath, b.cfg.serverEnv)
		if p != nil {
			p.profiled = true
		}
		return p, up, err
	}
	return startConnectlocal(ctx, b.bin, nil, dir, logPath, b.cfg.serverEnv)
}

// settle waits until the server has been idle (under 5% of a core) for half a second, so
// that the background jobs' backlog of one phase does not run in the next (at most 3
// minutes), and then until the OS has written out what the phase wrote: populating a
// million contacts leaves gigabytes to the kernel's writeback, which would otherwise
// run during the next measurement and stall its fsyncs and page faults.
func (b *bench) settle(ctx context.Context) {
	b.settleFor(ctx, 3*time.Minute)
	syscall.Sync()
}

func (b *bench) settleFor(ctx context.Context, limit time.Duration) {
	if b.server == nil {
		sleep(ctx, time.Second)
		return
	}
	deadline := time.Now().Add(limit)
	prev, err := cpuTime(b.server.pid())
	for err == nil && ctx.Err() == nil && time.Now().Before(deadline) {
		sleep(ctx, 500*time.Millisecond)
		var now time.Duration
		if now, err = cpuTime(b.server.pid()); err != nil {
			return
		}
		if now-prev <= 25*time.Millisecond {
			return
		}
		prev = now
	}
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return "unknown CPU"
}

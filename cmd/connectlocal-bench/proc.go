package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is a server process the bench started: connectlocal or the floor.
type proc struct {
	name     string
	cmd      *exec.Cmd
	base     string // http://127.0.0.1:port
	done     chan struct{}
	err      error
	profiled bool // a server run by serveProfiled, which profiles when told to
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// spawn starts a process whose server will listen on addr. Its standard error goes to
// logPath (connectlocal logs one line per request there); standard output is discarded.
// The process dies with the bench (PR_SET_PDEATHSIG).
func spawn(name, addr, logPath string, env []string, bin string, args ...string) (*proc, error) {
	cmd := exec.Command(bin, args...)
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if logPath != "" {
		f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		cmd.Stderr = f
	}
	p := &proc{name: name, cmd: cmd, base: "http://" + addr, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// profile tells a profiled server to start (on) or stop profiling; others ignore it.
func (p *proc) profile(on bool) {
	if p == nil || !p.profiled {
		return
	}
	sig := profileStop
	if on {
		sig = profileStart
	}
	_ = p.cmd.Process.Signal(sig)
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop ends the process with SIGTERM (a graceful shutdown), or SIGKILL after 15 s.
func (p *proc) stop() {
	if p == nil || p.exited() {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// kill ends the process with SIGKILL.
func (p *proc) kill() {
	if p == nil || p.exited() {
		return
	}
	p.cmd.Process.Kill()
	<-p.done
}

// startConnectlocal starts the server binary on a loopback port and data dir and waits
// until it answers a signed request. It returns the time from process start to that
// first successful answer.
func startConnectlocal(ctx context.Context, bin string, prefix []string, dataDir, logPath string, env []string) (*proc, time.Duration, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	args := append(slices.Clone(prefix), "--addr", addr, "--data-dir", dataDir)
	g := newGen(1)
	g.client.Transport.(*http.Transport).DisableKeepAlives = true
	w := g.worker(target{base: "http://" + addr}, nil, 1)
	start := time.Now()
	p, err := spawn("connectlocal", addr, logPath, env, bin, args...)
	if err != nil {
		return nil, 0, err
	}
	up, err := waitUp(ctx, p, w, start)
	if err != nil {
		p.kill()
		return nil, 0, fmt.Errorf("%w (log: %s)", err, tail(logPath))
	}
	return p, up, nil
}

// waitUp polls with a signed ListInstances until it succeeds, for at most 60 s.
func waitUp(ctx context.Context, p *proc, w *worker, start time.Time) (time.Duration, error) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, err := w.call(ctx, "ListInstances", http.MethodGet, "/instance", nil, nil)
		if err == nil {
			return time.Since(start), nil
		}
		var apiErr *apiError
		if errors.As(err, &apiErr) {
			return 0, fmt.Errorf("%s is up but answered %v", p.name, err)
		}
		if p.exited() {
			return 0, fmt.Errorf("%s exited: %v", p.name, p.err)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return 0, fmt.Errorf("%s did not answer within 60 s: %v", p.name, err)
		}
		time.Sleep(200 * time.Microsecond)
	}
}

// startFloor starts the floor server: this very program, with -internal-floor.
func startFloor() (*proc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p, err := spawn("floor", addr, "", nil, self, "-internal-floor", addr)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(p.base + "/")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return p, nil
		}
		if p.exited() {
			return nil, fmt.Errorf("floor exited: %v", p.err)
		}
		time.Sleep(time.Millisecond)
	}
	p.kill()
	return nil, errors.New("the floor server did not start")
}

// buildServer builds ./cmd/connectlocal into dir as the README's install command does:
// with CGO_ENABLED=0, a static binary. connectlocal needs no cgo (its SQLite is pure
// Go), and with cgo enabled the net package links the C library dynamically, whose
// loading costs a restart about 8 ms of its 45 on a 2-core VM.
func buildServer(dir string) (string, error) {
	bin := filepath.Join(dir, "connectlocal")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/connectlocal")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("CGO_ENABLED=0 go build ./cmd/connectlocal (run the bench from the module root): %w", err)
	}
	// Write the new 40 MB binary (and go build's cache) out now: left to the kernel's
	// writeback, it is written during the first start-ups and slows their fsyncs (a
	// restart's median by about 8 ms).
	syscall.Sync()
	return bin, nil
}

// memory is a process's resident set (bytes): the whole, its peak, and the part that is
// the process's own (anonymous) rather than mapped files (chiefly the binary, whose pages
// are the OS's file cache).
type memory struct{ rss, hwm, anon int64 }

func readMemory(pid int) (memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	defer f.Close()
	var m memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		switch k {
		case "VmRSS":
			m.rss = n << 10
		case "VmHWM":
			m.hwm = n << 10
		case "RssAnon":
			m.anon = n << 10
		}
	}
	return m, sc.Err()
}

// cpuTime is the CPU time a process has used, from /proc/<pid>/stat.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces; the fields after it are space-separated.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100, nil // USER_HZ is 100 on Linux
}

func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-5):], " | ")
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// cpuSnapshot is the CPU time used so far by the machine (all processes), this bench and
// a server process.
type cpuSnapshot struct {
	at                    time.Time
	machine, self, server time.Duration
}

func snapshotCPU(serverPID int) cpuSnapshot {
	s := cpuSnapshot{at: time.Now()}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line)
		// cpu user nice system idle iowait irq softirq steal ...
		for i, v := range f[1:] {
			if i == 3 || i == 4 || i > 7 {
				continue
			}
			n, _ := strconv.ParseInt(v, 10, 64)
			s.machine += time.Duration(n) * time.Second / 100
		}
	}
	s.self, _ = cpuTime(os.Getpid())
	if serverPID > 0 {
		s.server, _ = cpuTime(serverPID)
	}
	return s
}

// cpuUse is what the machine's CPUs did between two snapshots, in cores.
type cpuUse struct {
	server, bench, other float64
}

// add averages c, measured over d, with o, measured over od, weighting each by its time.
func (c cpuUse) add(d time.Duration, o cpuUse, od time.Duration) cpuUse {
	total := (d + od).Seconds()
	if total <= 0 {
		return cpuUse{}
	}
	wc, wo := d.Seconds()/total, od.Seconds()/total
	return cpuUse{server: c.server*wc + o.server*wo, bench: c.bench*wc + o.bench*wo, other: c.other*wc + o.other*wo}
}

func cpuBetween(a, b cpuSnapshot) cpuUse {
	wall := b.at.Sub(a.at).Seconds()
	if wall <= 0 {
		return cpuUse{}
	}
	server := (b.server - a.server).Seconds()
	self := (b.self - a.self).Seconds()
	other := (b.machine - a.machine).Seconds() - server - self
	return cpuUse{server: server / wall, bench: self / wall, other: max(other, 0) / wall}
}

// loadAvg is the first field of /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

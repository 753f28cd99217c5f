package main

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"
)

// The targets of issue 8, for a 2-core machine with the generator on it.
const (
	targetWriteShare = 0.25
	targetReadShare  = 0.50
	targetP99        = 10 * time.Millisecond
	targetStartup    = 50 * time.Millisecond
	targetIdleRSS    = 25 << 20
	targetFlat       = 2.0
)

type opStats struct {
	op       string
	stats    stats
	firstErr string
}

type loadResult struct {
	wl        *workload
	ops       []opStats
	total     stats // every request of the workload
	floor     stats // the same requests against the floor
	floorErrs string
	cpu, fcpu cpuUse // during the measurement against connectlocal, and against the floor
}

// cpuPerRequest is the server's CPU time per request.
func cpuPerRequest(u cpuUse, s stats) time.Duration {
	if s.perSec == 0 {
		return 0
	}
	return time.Duration(u.server / s.perSec * float64(time.Second))
}

func (l loadResult) share() float64 {
	if l.floor.perSec == 0 {
		return 0
	}
	return l.total.perSec / l.floor.perSec
}

type analysisResult struct {
	idle, underLoad []time.Duration
	sent, pending   int
	drain           time.Duration
	rate            float64
}

type scaleRow struct {
	contacts int
	ops      []opStats
	cpu      []cpuUse // per op
	mem      memory
}

type memRow struct {
	state string
	mem   memory
}

type results struct {
	startFresh, startExisting []time.Duration
	memory                    []memRow
	disk                      []diskRow
	load                      []loadResult
	analysis                  *analysisResult
	emails                    int
	scale                     []scaleRow
	populated                 int
	populateTime              time.Duration
}

func (r *results) addMemory(state string, m memory) { r.memory = append(r.memory, memRow{state, m}) }

func (r *results) addLoad(wl *workload, rec *recorder, elapsed time.Duration, cpu cpuUse, floor *recorder, floorElapsed time.Duration, fcpu cpuUse) {
	l := loadResult{wl: wl, cpu: cpu, fcpu: fcpu}
	var all []time.Duration
	errs := 0
	for _, op := range rec.order {
		l.ops = append(l.ops, opStats{op: op, stats: summarise(rec.lat[op], rec.errs[op], elapsed), firstErr: rec.firstErr[op]})
		all = append(all, rec.lat[op]...)
		errs += rec.errs[op]
	}
	l.total = summarise(all, errs, elapsed)
	var fall []time.Duration
	ferrs := 0
	for _, op := range floor.order {
		fall = append(fall, floor.lat[op]...)
		ferrs += floor.errs[op]
		if floor.firstErr[op] != "" && l.floorErrs == "" {
			l.floorErrs = op + ": " + floor.firstErr[op]
		}
	}
	l.floor = summarise(fall, ferrs, floorElapsed)
	r.load = append(r.load, l)
}

func ms(d time.Duration) string {
	switch {
	case d == 0:
		return "–"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func us(d time.Duration) string { return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond)) }

// pct shows a share to a tenth of a point, so that a share just short of a target never
// shows as the target itself.
func pct(f float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", 100*f), ".0") + "%" }

func count(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (r *results) printStartup(w io.Writer) {
	fmt.Fprintln(w, "Start-up: process start to the first successful signed request (ListInstances)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| data dir | runs | min | median | max |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: |")
	for _, row := range []struct {
		name string
		d    []time.Duration
	}{{"fresh (creates the database and the default instance)", r.startFresh}, {"existing (a restart)", r.startExisting}} {
		s := summarise(row.d, 0, 0)
		sorted := slices.Clone(row.d)
		slices.Sort(sorted)
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s |\n", row.name, len(row.d), ms(sorted[0]), ms(median(row.d)), ms(s.max))
	}
	fmt.Fprintln(w)
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (r *results) printMemory(w io.Writer) {
	if len(r.memory) == 0 {
		return
	}
	fmt.Fprintln(w, "Memory: resident set (VmRSS) of the server process, the part of it that is the process's own (RssAnon, which holds SQLite's page caches; the rest is mapped files: the binary, and the database pages SQLite's readers map, which are the OS's file cache and counted once per reader), and the peak (VmHWM)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| state | RSS | own (anonymous) | peak |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: |")
	for _, m := range r.memory {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", m.state, mib(m.mem.rss), mib(m.mem.anon), mib(m.mem.hwm))
	}
	fmt.Fprintln(w)
}

func (r *results) printLoad(w io.Writer, concurrency int, d time.Duration) {
	fmt.Fprintf(w, "Load: %d concurrent clients, %s measured per workload after a warm-up; every request signed afresh with SigV4\n", concurrency, d)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| workload | operation | requests | req/s | p50 | p90 | p99 | max | errors | floor req/s | of floor |")
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, l := range r.load {
		for _, o := range l.ops {
			s := o.stats
			share, floor := "", ""
			if len(l.ops) == 1 {
				share, floor = pct(l.share()), fmt.Sprintf("%.0f", l.floor.perSec)
			}
			fmt.Fprintf(w, "| %s | %s | %d | %.0f | %s | %s | %s | %s | %d | %s | %s |\n",
				l.wl.title, o.op, s.n, s.perSec, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), s.errs, floor, share)
		}
		if len(l.ops) > 1 {
			s := l.total
			fmt.Fprintf(w, "| %s | all requests | %d | %.0f | %s | %s | %s | %s | %d | %.0f | %s |\n",
				l.wl.title, s.n, s.perSec, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), s.errs, l.floor.perSec, pct(l.share()))
		}
	}
	fmt.Fprintln(w)
	for _, l := range r.load {
		fmt.Fprintf(w, "- %s (%s): %s\n", l.wl.title, l.wl.kind, l.wl.about)
		for _, o := range l.ops {
			if o.firstErr != "" {
				fmt.Fprintf(w, "  - first error of %s: %s\n", o.op, o.firstErr)
			}
		}
		if l.floorErrs != "" {
			fmt.Fprintf(w, "  - first error against the floor: %s\n", l.floorErrs)
		}
	}
	fmt.Fprintln(w, "- floor: a bare net/http server in its own process that reads the body, decodes the JSON into an `any` and answers `{}`; driven by the same generator with the same requests")
	fmt.Fprintln(w)
	// The clients' latency includes the generator's share of the two cores; the
	// floor's own figures say how much of a p99 that is before the server does anything.
	fmt.Fprintln(w, "The floor's latency in the same turns (all requests)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| workload | p50 | p90 | p99 | max |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: |")
	for _, l := range r.load {
		s := l.floor
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", l.wl.title, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Where the CPU went during each measurement, in cores of the machine's %d (other processes: everything but the server under test and this bench), and the server's CPU time per request\n", runtime.NumCPU())
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| workload | connectlocal | generator | other processes | CPU per request | floor | generator | other processes | CPU per request |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, l := range r.load {
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %.2f | %s | %.2f | %.2f | %.2f | %s |\n", l.wl.title,
			l.cpu.server, l.cpu.bench, l.cpu.other, us(cpuPerRequest(l.cpu, l.total)),
			l.fcpu.server, l.fcpu.bench, l.fcpu.other, us(cpuPerRequest(l.fcpu, l.floor)))
	}
	fmt.Fprintln(w)
	if a := r.analysis; a != nil {
		fmt.Fprintln(w, "Email analysis: from StartEmailContact's answer until ListContactReferences lists the CONTACT_ANALYSIS reference")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| when | emails timed | p50 | p90 | p99 | max |")
		fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: |")
		for _, row := range []struct {
			name string
			d    []time.Duration
		}{{"one email at a time, otherwise idle", a.idle}, {fmt.Sprintf("during the StartEmailContact load (every 10th of %d emails)", a.sent), a.underLoad}} {
			s := summarise(row.d, 0, 0)
			fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s |\n", row.name, s.n, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max))
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "The analysis job got through %.0f emails/s; its backlog was gone %s after the load stopped", a.rate, ms(a.drain))
		if a.pending > 0 {
			fmt.Fprintf(w, " (%d timed emails still pending when the bench stopped waiting)", a.pending)
		}
		fmt.Fprintln(w, ".")
		fmt.Fprintln(w)
	}
}

func (r *results) printScale(w io.Writer, concurrency int, d time.Duration) {
	if len(r.scale) == 0 {
		return
	}
	fmt.Fprintf(w, "Read latency against the number of stored contacts: %d concurrent clients, %s per operation, random contacts\n", concurrency, d)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| operation | stored contacts | req/s | p50 | p90 | p99 | max | errors | server CPU per request | other processes (cores) | server RSS (own) |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for i := range r.scale[0].ops {
		for _, row := range r.scale {
			o := row.ops[i]
			s := o.stats
			fmt.Fprintf(w, "| %s | %s | %.0f | %s | %s | %s | %s | %d | %s | %.2f | %s |\n", o.op, count(row.contacts), s.perSec, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), s.errs,
				us(cpuPerRequest(row.cpu[i], s)), row.cpu[i].other, mib(row.mem.rss)+" ("+mib(row.mem.anon)+")")
		}
	}
	fmt.Fprintln(w)
	if len(r.scale) > 1 {
		lo, hi := r.scale[0], r.scale[len(r.scale)-1]
		for i := range lo.ops {
			fmt.Fprintf(w, "- %s from %s to %s contacts: p50 ×%.2f, p99 ×%.2f\n", lo.ops[i].op, count(lo.contacts), count(hi.contacts),
				ratio(hi.ops[i].stats.p50, lo.ops[i].stats.p50), ratio(hi.ops[i].stats.p99, lo.ops[i].stats.p99))
		}
	}
	if r.populateTime > 0 {
		fmt.Fprintf(w, "- populated over HTTP by concurrent StartTaskContact requests (the same request as the load phase): %s contacts in %s, %.0f/s\n",
			count(r.populated), r.populateTime.Round(time.Second), float64(r.populated)/r.populateTime.Seconds())
	}
	fmt.Fprintln(w)
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// verdict prints each target with its figure and returns an error if one is missed.
func (r *results) verdict(w io.Writer) error {
	type check struct {
		target, figure string
		ok             bool
	}
	var checks []check
	for _, l := range r.load {
		want := targetReadShare
		if l.wl.kind == "write" {
			want = targetWriteShare
		}
		checks = append(checks, check{fmt.Sprintf("%s (%s) ≥ %s of the floor", l.wl.title, l.wl.kind, pct(want)), pct(l.share()), l.share() >= want && l.total.errs == 0})
		worst := opStats{}
		for _, o := range l.ops {
			if o.stats.p99 >= worst.stats.p99 {
				worst = o
			}
		}
		checks = append(checks, check{fmt.Sprintf("%s p99 < %s", l.wl.title, ms(targetP99)), fmt.Sprintf("%s (%s)", ms(worst.stats.p99), worst.op), worst.stats.p99 < targetP99})
	}
	if len(r.startFresh) > 0 {
		for _, s := range []struct {
			name string
			d    []time.Duration
		}{{"fresh data dir", r.startFresh}, {"existing data dir", r.startExisting}} {
			m := median(s.d)
			checks = append(checks, check{fmt.Sprintf("start-up, %s, median < %s", s.name, ms(targetStartup)), ms(m), m < targetStartup})
		}
	}
	for _, m := range r.memory {
		if strings.HasPrefix(m.state, "idle") {
			checks = append(checks, check{fmt.Sprintf("idle RSS < %s", mib(targetIdleRSS)), mib(m.mem.rss), m.mem.rss < targetIdleRSS})
		}
	}
	if len(r.scale) > 1 {
		lo, hi := r.scale[0], r.scale[len(r.scale)-1]
		for i := range lo.ops {
			p50, p99 := ratio(hi.ops[i].stats.p50, lo.ops[i].stats.p50), ratio(hi.ops[i].stats.p99, lo.ops[i].stats.p99)
			checks = append(checks, check{fmt.Sprintf("%s latency %s → %s contacts within ×%.0f", lo.ops[i].op, count(lo.contacts), count(hi.contacts), targetFlat),
				fmt.Sprintf("p50 ×%.2f, p99 ×%.2f", p50, p99), p50 <= targetFlat && p99 <= targetFlat})
		}
	}
	if len(checks) == 0 {
		return nil
	}
	fmt.Fprintln(w, "Targets (2 cores, generator on the same machine)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | figure | met |")
	fmt.Fprintln(w, "| --- | ---: | :---: |")
	missed := 0
	for _, c := range checks {
		mark := "yes"
		if !c.ok {
			mark, missed = "**no**", missed+1
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", c.target, c.figure, mark)
	}
	fmt.Fprintln(w)
	if missed > 0 {
		return fmt.Errorf("%d of %d targets missed", missed, len(checks))
	}
	fmt.Fprintln(w, "all targets met")
	return nil
}

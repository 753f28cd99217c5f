package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// startupPhase starts the server several times on a fresh data dir (it creates the
// database and the default instance) and on an existing one (a restart), timing from
// process start to the first successful signed request.
func (b *bench) startupPhase(ctx context.Context) error {
	fmt.Fprintf(os.Stderr, "start-up: %d runs on a fresh data dir, %d on an existing one\n", b.cfg.startups, b.cfg.startups)
	var fresh, existing []time.Duration
	first := filepath.Join(b.tmp, "startup-0")
	logPath := filepath.Join(b.tmp, "startup.log")
	for i := range b.cfg.startups {
		dir := filepath.Join(b.tmp, fmt.Sprintf("startup-%d", i))
		// What the run before wrote (its database, its shutdown's checkpoint, the removal
		// of its data dir) is written out first, as before each load turn: left to the
		// kernel's writeback it lands during this run and slows its fsyncs.
		syscall.Sync()
		p, up, err := startConnectlocal(ctx, b.bin, nil, dir, logPath, b.cfg.serverEnv)
		if err != nil {
			return err
		}
		p.stop()
		fresh = append(fresh, up)
		if dir != first {
			os.RemoveAll(dir)
		}
	}
	for range b.cfg.startups {
		syscall.Sync()
		p, up, err := startConnectlocal(ctx, b.bin, nil, first, logPath, b.cfg.serverEnv)
		if err != nil {
			return err
		}
		p.stop()
		existing = append(existing, up)
	}
	b.results.startFresh, b.results.startExisting = fresh, existing
	b.results.printStartup(b.out)
	return nil
}

// memoryPhase starts the server the load phase then uses and measures its resident set
// once it has answered a request and idled.
func (b *bench) memoryPhase(ctx context.Context) error {
	if err := b.ensureServer(ctx); err != nil {
		return err
	}
	sleep(ctx, 2*time.Second)
	b.settle(ctx)
	m, err := readMemory(b.server.pid())
	if err != nil {
		return err
	}
	b.results.addMemory("idle, after start-up and one request", m)
	return nil
}

func (b *bench) ensureServer(ctx context.Context) error {
	if b.server != nil || b.cfg.addr != "" {
		if b.env.instanceID == "" {
			return b.discover(ctx)
		}
		return nil
	}
	p, _, err := b.startServer(ctx, "load")
	if err != nil {
		return err
	}
	b.server = p
	return b.discover(ctx)
}

// discover finds the default instance, its default inbound flow and its email address
// through the API (with the SDK; none of this is measured).
func (b *bench) discover(ctx context.Context) error {
	base := "http://" + b.cfg.addr
	if b.server != nil {
		base = b.server.base
	}
	c := connect.New(connect.Options{
		Region:       region,
		BaseEndpoint: aws.String(base),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
	})
	insts, err := c.ListInstances(ctx, &connect.ListInstancesInput{})
	if err != nil {
		return fmt.Errorf("list instances: %w", err)
	}
	if len(insts.InstanceSummaryList) == 0 {
		return fmt.Errorf("the server at %s has no instance", base)
	}
	inst := insts.InstanceSummaryList[0]
	for _, i := range insts.InstanceSummaryList {
		if aws.ToString(i.InstanceAlias) == "connectlocal" {
			inst = i
		}
	}
	e := env{base: base, instanceID: aws.ToString(inst.Id), instanceARN: aws.ToString(inst.Arn)}
	flows, err := c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: inst.Id, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}})
	if err != nil {
		return fmt.Errorf("list flows: %w", err)
	}
	for _, f := range flows.ContactFlowSummaryList {
		if aws.ToString(f.Name) == "Default inbound flow" || e.flowID == "" {
			e.flowID = aws.ToString(f.Id)
		}
	}
	addrs, err := c.SearchEmailAddresses(ctx, &connect.SearchEmailAddressesInput{InstanceId: inst.Id})
	if err != nil {
		return fmt.Errorf("search email addresses: %w", err)
	}
	if len(addrs.EmailAddresses) > 0 {
		e.emailAddr = aws.ToString(addrs.EmailAddresses[0].EmailAddress)
	}
	if e.flowID == "" || e.emailAddr == "" {
		return fmt.Errorf("instance %s needs a contact flow and an email address", e.instanceID)
	}
	b.env = e
	return nil
}

// loadPhase runs each workload against connectlocal, then the same workload against the
// floor.
func (b *bench) loadPhase(ctx context.Context) error {
	if err := b.ensureServer(ctx); err != nil {
		return err
	}
	floor, err := startFloor()
	if err != nil {
		return err
	}
	defer floor.kill()
	for _, w := range workloads() {
		if !slices.Contains(b.cfg.workloads, w.name) {
			continue
		}
		if err := b.runWorkload(ctx, w, floor); err != nil {
			return fmt.Errorf("%s: %w", w.name, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	b.results.printLoad(b.out, b.concurrency, b.cfg.duration)
	if b.server != nil {
		m, err := readMemory(b.server.pid())
		if err == nil {
			b.results.addMemory(fmt.Sprintf("after the load phase (%d task and %d email contacts stored)", b.tasks.len(), b.results.emails), m)
		}
		b.server.stop()
		b.server = nil
	}
	return nil
}

func (b *bench) runWorkload(ctx context.Context, wl *workload, floor *proc) error {
	fmt.Fprintf(os.Stderr, "load: %s, %d clients, %s\n", wl.title, b.concurrency, b.cfg.duration)
	if wl.prepare != nil {
		if err := wl.prepare(b, ctx, b.cfg.duration); err != nil {
			return err
		}
	}
	b.settle(ctx)
	iterate := func(ctx context.Context, w *worker) error { return wl.iterate(b, ctx, w) }
	var ar *analysisResult
	if wl.name == "email" {
		n := 10
		if b.cfg.quick {
			n = 3
		}
		idle, err := b.idleAnalysis(ctx, n)
		if err != nil {
			return err
		}
		b.settle(ctx)
		ar = &analysisResult{idle: idle}
		b.analysis = newAnalysisTracker(10)
		pctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Go(func() { b.analysis.poll(pctx, b) })
		defer func() { stop(); wg.Wait(); b.analysis = nil }()
	}
	if ar == nil {
		rec, elapsed, use, frec, felapsed, fuse := b.alternate(ctx, floor, iterate)
		b.results.addLoad(wl, rec, elapsed, use, frec, felapsed, fuse)
		return nil
	}
	// The email workload runs once against each: the server keeps analysing the
	// emails sent to it after the load stops, which a floor turn would share the
	// CPU with.
	rec, elapsed, use := b.measure(ctx, target{base: b.env.base}, b.server, b.cfg.duration, iterate)
	loadEnd := time.Now()
	limit := 5 * time.Minute
	if b.cfg.quick {
		limit = 20 * time.Second
	}
	for b.analysis.pending() > 0 && time.Since(loadEnd) < limit && ctx.Err() == nil {
		sleep(ctx, 20*time.Millisecond)
	}
	a := b.analysis
	a.mu.Lock()
	ar.underLoad = slices.Clone(a.lat)
	ar.sent = a.sentN
	ar.pending = len(a.queue)
	ar.drain = a.lastDone.Sub(loadEnd)
	if ar.pending > 0 {
		ar.drain = time.Since(loadEnd)
	}
	ar.rate = float64(a.sentN) / a.lastDone.Sub(a.start).Seconds()
	a.mu.Unlock()
	b.results.analysis = ar
	b.results.emails += a.sentN
	b.settle(ctx)
	frec, felapsed, fuse := b.measure(ctx, target{base: floor.base, floor: true}, floor, b.cfg.duration, iterate)
	b.results.addLoad(wl, rec, elapsed, use, frec, felapsed, fuse)
	return nil
}

// rounds is how many turns the server and the floor take in a workload's measurement.
// Other tenants of a VM slow it down for seconds at a time; short turns taken in
// alternation share such a spell out between the two rather than letting it fall on
// one, and the share of the floor moves less from one run to the next.
const rounds = 3

// alternate measures the server and the floor in turns, rounds times each for a total of
// the configured duration, and returns each one's merged figures.
func (b *bench) alternate(ctx context.Context, floor *proc, iterate func(context.Context, *worker) error) (rec *recorder, elapsed time.Duration, use cpuUse, frec *recorder, felapsed time.Duration, fuse cpuUse) {
	rec, frec = newRecorder(), newRecorder()
	d := b.cfg.duration / rounds
	for i := range rounds {
		if i > 0 {
			b.settle(ctx)
		}
		r, e, u := b.measure(ctx, target{base: b.env.base}, b.server, d, iterate)
		rec.merge(r)
		use = use.add(elapsed, u, e)
		elapsed += e
		b.settle(ctx)
		r, e, u = b.measure(ctx, target{base: floor.base, floor: true}, floor, d, iterate)
		frec.merge(r)
		fuse = fuse.add(felapsed, u, e)
		felapsed += e
	}
	return rec, elapsed, use, frec, felapsed, fuse
}

// measure drives a target for a warm-up, then for d, recording; it returns what the CPUs
// did meanwhile, the process's (p, nil for a server the bench did not start) included.
// A profiled server profiles only what is recorded (see serveProfiled).
func (b *bench) measure(ctx context.Context, t target, p *proc, d time.Duration, iterate func(context.Context, *worker) error) (*recorder, time.Duration, cpuUse) {
	if b.warmup > 0 {
		b.gen.drive(ctx, t, b.concurrency, b.warmup, false, iterate)
	}
	pid := 0
	if p != nil {
		pid = p.pid()
	}
	p.profile(true)
	before := snapshotCPU(pid)
	rec, elapsed := b.gen.drive(ctx, t, b.concurrency, d, true, iterate)
	use := cpuBetween(before, snapshotCPU(pid))
	p.profile(false)
	return rec, elapsed, use
}

// populate stores task contacts with concurrent StartTaskContact requests over HTTP until
// there are total.
func (b *bench) populate(ctx context.Context, total int, label string) error {
	need := total - b.tasks.len()
	if need <= 0 {
		return nil
	}
	var left, failures atomic.Int64
	left.Store(int64(need))
	var firstErr atomic.Value
	start, before := time.Now(), b.tasks.len()
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i := range b.cfg.populateC {
		w := b.gen.worker(target{base: b.env.base}, nil, uint64(time.Now().UnixNano())+uint64(i))
		wg.Go(func() {
			for ctx.Err() == nil && left.Add(-1) >= 0 {
				if err := b.startTask(ctx, w); err != nil {
					left.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					if failures.Add(1) > 100 {
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
			}
		})
	}
	go func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				n := b.tasks.len() - before
				fmt.Fprintf(os.Stderr, "  %s: %d of %d stored, %.0f/s\n", label, b.tasks.len(), total, float64(n)/time.Since(start).Seconds())
			}
		}
	}()
	wg.Wait()
	close(done)
	if failures.Load() > 100 {
		return fmt.Errorf("populating: more than 100 failed requests, the first: %v", firstErr.Load())
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	b.results.populated += b.tasks.len() - before
	b.results.populateTime += time.Since(start)
	return nil
}

// scalePhase measures DescribeContact and ListContactReferences at each count of stored
// contacts, populating a fresh server with StartTaskContact over HTTP.
func (b *bench) scalePhase(ctx context.Context) error {
	p, _, err := b.startServer(ctx, "scale")
	if err != nil {
		return err
	}
	b.server = p
	defer func() { p.stop(); b.server = nil }()
	if err := b.discover(ctx); err != nil {
		return err
	}
	b.tasks = &pool{}
	for _, n := range b.cfg.contacts {
		fmt.Fprintf(os.Stderr, "scale: populating %d contacts with %d concurrent StartTaskContact clients\n", n, b.cfg.populateC)
		if err := b.populate(ctx, n, "scale"); err != nil {
			return err
		}
		b.settle(ctx)
		row := scaleRow{contacts: b.tasks.len()}
		for _, wl := range workloads() {
			if wl.name != "describe" && wl.name != "references" {
				continue
			}
			fmt.Fprintf(os.Stderr, "scale: %s at %d contacts\n", wl.title, b.tasks.len())
			iterate := func(ctx context.Context, w *worker) error { return wl.iterate(b, ctx, w) }
			rec, elapsed, use := b.measure(ctx, target{base: b.env.base}, p, b.cfg.scaleDur, iterate)
			op := rec.order[0]
			row.ops = append(row.ops, opStats{op: op, stats: summarise(rec.lat[op], rec.errs[op], elapsed), firstErr: rec.firstErr[op]})
			row.cpu = append(row.cpu, use)
		}
		if m, err := readMemory(p.pid()); err == nil {
			row.mem = m
			b.results.addMemory(fmt.Sprintf("%s task contacts stored, after the reads", count(row.contacts)), m)
		}
		b.results.scale = append(b.results.scale, row)
	}
	b.results.printScale(b.out, b.concurrency, b.cfg.scaleDur)
	return nil
}

package connect

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// TestAnAnalysisYieldsToABusyServerOnlySoLong: while the server has more requests in
// progress than cores, an email's analysis waits busyYield before it starts, so that
// its redaction does not take the CPU those requests need. It waits no longer, so that a
// load that never ends delays analyses without stopping them, and a client polling for
// its analysis one request at a time does not make the server busy.
func TestAnAnalysisYieldsToABusyServerOnlySoLong(t *testing.T) {
	s, _, _, d := newTestService(t)
	cores := runtime.GOMAXPROCS(0)
	for range cores {
		s.RequestStarted()
	}
	if s.busy() {
		t.Fatalf("busy with %d requests in progress on %d cores", cores, cores)
	}
	s.RequestStarted()
	if !s.busy() {
		t.Fatalf("not busy with %d requests in progress on %d cores", cores+1, cores)
	}
	startPlainEmail(t, s, d, "Busy", "analysed all the same")
	// A wait that lasted while the server is busy would end only with ctx, and the
	// analysis with it.
	ctx, cancel := context.WithTimeout(bg, 10*time.Second)
	defer cancel()
	start := time.Now()
	if n, err := s.ProcessEmailAnalytics(ctx); err != nil || n != 1 {
		t.Fatalf("analysed %d emails (%v) on a busy server, want 1", n, err)
	}
	if waited := time.Since(start); waited < busyYield {
		t.Errorf("analysed %v after it was asked on a busy server; want a wait of %v first", waited, busyYield)
	}
	for range cores + 1 {
		s.RequestEnded()
	}
	if s.busy() || s.requests.Load() != 0 {
		t.Errorf("%d requests in progress after all ended", s.requests.Load())
	}
}

// TestAJobWokenOnABusyServerWaitsBeforeItReads: a commit wakes the jobs that read the
// outbox, but on a busy server a job waits busyYield first, so that it reads the
// events of the commits meanwhile together rather than a few at every commit.
func TestAJobWokenOnABusyServerWaitsBeforeItReads(t *testing.T) {
	s, _, _, _ := newTestService(t)
	for range runtime.GOMAXPROCS(0) + 1 {
		s.RequestStarted()
	}
	runs := make(chan time.Time, 2)
	ctx, cancel := context.WithCancel(bg)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s.runLoop(ctx, time.Hour, "test job", s.outbox.wait, func(context.Context) (int, error) {
			runs <- time.Now()
			return 0, nil
		})
	}()
	defer func() { cancel(); <-stopped }()
	<-runs // the run at start; the loop took its wake-up channel before it
	woken := time.Now()
	s.outbox.notify()
	if ran := <-runs; ran.Sub(woken) < busyYield {
		t.Errorf("the job ran %v after a commit woke it on a busy server; want %v or more", ran.Sub(woken), busyYield)
	}
}

package connect

import (
	"runtime"
	"testing"
	"time"
)

// TestAnAnalysisYieldsToABusyServerOnlySoLong: while the server has more requests in
// progress than cores, an email's analysis waits analysisYield before it starts, so that
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
	start := time.Now()
	if n, err := s.ProcessEmailAnalytics(bg); err != nil || n != 1 {
		t.Fatalf("analysed %d emails (%v) on a busy server, want 1", n, err)
	}
	if waited := time.Since(start); waited < analysisYield {
		t.Errorf("analysed %v after it was asked on a busy server; want a wait of %v first", waited, analysisYield)
	}
	for range cores + 1 {
		s.RequestEnded()
	}
	if s.busy() || s.requests.Load() != 0 {
		t.Errorf("%d requests in progress after all ended", s.requests.Load())
	}
}

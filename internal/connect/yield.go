package connect

import (
	"context"
	"runtime"
	"time"
)

// busyYield is how long background work waits before it starts while the server is
// busier than its cores (see busy). It is work no client's request waits on, and on two
// cores it takes the CPU that the requests in progress need: under the bench's email
// load, the jobs' share of the CPU was what lay between the email's rate and its
// targets. So, while the server is busy,
//   - an email's analysis waits busyYield before its redaction (ProcessEmailAnalytics);
//   - a job that a commit wakes waits busyYield before it reads the outbox (runLoop), and
//     then reads the events of all the commits meanwhile at once, rather than a few at
//     every commit, hundreds of times a second.
//
// The wait is bounded, so that a load that never ends delays background work without
// stopping it: analyses go on at up to about fifty a second.
const busyYield = 20 * time.Millisecond

// RequestStarted and RequestEnded bracket each API request the server serves, so that
// the background jobs can tell a busy server (see busy).
func (s *Service) RequestStarted() { s.requests.Add(1) }

// RequestEnded ends what RequestStarted began.
func (s *Service) RequestEnded() { s.requests.Add(-1) }

// busy reports more API requests in progress than the process has cores to run them. A
// client that polls for an analysis, one request at a time, does not make the server
// busy; sixteen clients at once on two cores do.
func (s *Service) busy() bool { return s.requests.Load() > int64(runtime.GOMAXPROCS(0)) }

// yieldToRequests waits busyYield, or until ctx ends, when the server is busy.
func (s *Service) yieldToRequests(ctx context.Context) {
	if !s.busy() {
		return
	}
	t := time.NewTimer(busyYield)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// analysisTracker measures how long after StartEmailContact answers its CONTACT_ANALYSIS
// reference becomes listable. Every sampleEvery-th email is queued; one poller asks
// ListContactReferences about the oldest queued email only (the analysis job works
// through the outbox in order), and waits between asks for a hundredth of that email's
// age (see pollWait), so polling adds a few requests per second whatever the backlog.
type analysisTracker struct {
	mu       sync.Mutex
	every    int
	sentN    int
	start    time.Time
	queue    []sample
	lat      []time.Duration
	lastDone time.Time
}

type sample struct {
	id   string
	sent time.Time
}

var analysisType = url.Values{"referenceTypes": {"CONTACT_ANALYSIS"}}

func newAnalysisTracker(every int) *analysisTracker {
	return &analysisTracker{every: every, start: time.Now()}
}

func (a *analysisTracker) sent(id string, at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sentN%a.every == 0 {
		a.queue = append(a.queue, sample{id, at})
	}
	a.sentN++
}

// analysed reports whether the contact's CONTACT_ANALYSIS reference is listable.
func analysed(ctx context.Context, w *worker, env env, id string) (bool, error) {
	out, err := w.call(ctx, "ListContactReferences", http.MethodGet, "/contact/references/"+env.instanceID+"/"+id, analysisType, nil)
	if err != nil {
		return false, err
	}
	var r struct{ ReferenceSummaryList []json.RawMessage }
	if err := json.Unmarshal(out, &r); err != nil {
		return false, err
	}
	return len(r.ReferenceSummaryList) > 0, nil
}

// poll runs until ctx ends, recording each queued email once it is analysed.
func (a *analysisTracker) poll(ctx context.Context, b *bench) {
	w := b.gen.worker(target{base: b.env.base}, nil, 7)
	for ctx.Err() == nil {
		a.mu.Lock()
		if len(a.queue) == 0 {
			a.mu.Unlock()
			sleep(ctx, 5*time.Millisecond)
			continue
		}
		head := a.queue[0]
		a.mu.Unlock()
		ok, err := analysed(ctx, w, b.env, head.id)
		if err != nil || !ok {
			sleep(ctx, pollWait(time.Since(head.sent)))
			continue
		}
		now := time.Now()
		a.mu.Lock()
		a.queue = a.queue[1:]
		a.lat = append(a.lat, now.Sub(head.sent))
		a.lastDone = now
		a.mu.Unlock()
	}
}

// pollWait is how long the poller waits before asking again about an email sent age
// ago: 5 ms, or a hundredth of its age, which keeps each latency to within about 1%.
// Asking every 5 ms while the head of a backlog waited 20 s was 200 requests a second,
// a load on the server that the floor's turns do not carry.
func pollWait(age time.Duration) time.Duration {
	return max(5*time.Millisecond, age/100)
}

func (a *analysisTracker) pending() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.queue)
}

// idleAnalysis sends n emails one at a time to an otherwise idle server and measures, for
// each, the time from StartEmailContact's answer until its analysis is listable.
func (b *bench) idleAnalysis(ctx context.Context, n int) ([]time.Duration, error) {
	w := b.gen.worker(target{base: b.env.base}, nil, 3)
	var lat []time.Duration
	for range n {
		id, err := b.sendEmail(ctx, w, "StartEmailContact")
		if err != nil {
			return nil, err
		}
		sent := time.Now()
		for {
			ok, err := analysed(ctx, w, b.env, id)
			if err != nil {
				return nil, err
			}
			if ok {
				lat = append(lat, time.Since(sent))
				break
			}
			if time.Since(sent) > 30*time.Second {
				return lat, errTimeout("the analysis of an email")
			}
			sleep(ctx, time.Millisecond)
		}
	}
	return lat, nil
}

type errTimeout string

func (e errTimeout) Error() string { return string(e) + " took longer than 30 s" }

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

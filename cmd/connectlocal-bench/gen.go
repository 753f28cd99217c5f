package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The credentials and region connectlocal accepts by default.
const (
	accessKey = "test"
	secretKey = "test"
	region    = "us-east-1"
	userAgent = "aws-sdk-go-v2/1.48.0 ua/2.1 os/linux lang/go api/connect m/E,e connectlocal-bench"
)

// gen is the load generator's shared state: one HTTP client (keep-alive connections, as an
// SDK client keeps them) and, per operation, one answer of the real server. When the
// floor is driven, its fixed answer is replaced by that recorded answer before the
// workload reads it, so a workload does the same client-side work against both servers.
type gen struct {
	client *http.Client
	creds  aws.Credentials

	mu     sync.Mutex
	canned map[string][]byte
}

func newGen(concurrency int) *gen {
	tr := &http.Transport{
		MaxIdleConns:        4 * concurrency,
		MaxIdleConnsPerHost: 2 * concurrency,
		IdleConnTimeout:     90 * time.Second,
	}
	return &gen{
		client: &http.Client{Transport: tr, Timeout: 60 * time.Second},
		creds:  aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secretKey, Source: "connectlocal-bench"},
		canned: map[string][]byte{},
	}
}

func (g *gen) keep(op string, body []byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.canned[op]; !ok {
		g.canned[op] = bytes.Clone(body)
	}
}

func (g *gen) cannedFor(op string) []byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.canned[op]
}

// target is a server the generator drives: connectlocal, or the floor.
type target struct {
	base  string // http://127.0.0.1:port
	floor bool
}

// worker is one simulated client: it runs one request at a time, signing each afresh.
type worker struct {
	g      *gen
	t      target
	signer *v4.Signer
	rng    *mrand.Rand
	rec    *recorder // nil: record nothing (population)
}

func (g *gen) worker(t target, rec *recorder, seed uint64) *worker {
	return &worker{g: g, t: t, signer: v4.NewSigner(), rng: mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), rec: rec}
}

// apiError is a non-2xx answer.
type apiError struct {
	status int
	body   string
}

func (e *apiError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.status, e.body) }

// call sends one Connect API request the way aws-sdk-go-v2 sends it (the same headers,
// the payload hash, a fresh SigV4 signature over amz-sdk-*, content-length,
// content-type, host and x-amz-date) and returns the answer's body. Against the floor it
// returns the answer connectlocal gave to the same operation.
func (w *worker) call(ctx context.Context, op, method, path string, query url.Values, body []byte) ([]byte, error) {
	u := w.t.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Amz-Sdk-Invocation-Id", newUUID())
	req.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
	req.Header.Set("User-Agent", userAgent)
	sum := sha256.Sum256(body)
	if err := w.signer.SignHTTP(ctx, w.g.creds, req, hex.EncodeToString(sum[:]), "connect", region, start); err != nil {
		return nil, err
	}
	return w.do(op, req, start)
}

// raw sends an unsigned request, e.g. a PUT to a pre-signed URL. Against the floor the
// URL's origin is replaced by the floor's.
func (w *worker) raw(ctx context.Context, op, method, rawURL string, header http.Header, body []byte) ([]byte, error) {
	if w.t.floor {
		if u, err := url.Parse(rawURL); err == nil {
			rawURL = w.t.base + u.RequestURI()
		}
	}
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, method, rawURL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	return w.do(op, req, start)
}

func (w *worker) do(op string, req *http.Request, start time.Time) ([]byte, error) {
	resp, err := w.g.client.Do(req)
	if err != nil {
		w.rec.fail(op, err)
		return nil, err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err != nil {
		w.rec.fail(op, err)
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		e := &apiError{status: resp.StatusCode, body: strings.TrimSpace(string(data))}
		w.rec.fail(op, e)
		return nil, e
	}
	w.rec.ok(op, d)
	if w.t.floor {
		return w.g.cannedFor(op), nil
	}
	w.g.keep(op, data)
	return data, nil
}

// recorder collects one worker's latencies per operation.
type recorder struct {
	lat      map[string][]time.Duration
	errs     map[string]int
	firstErr map[string]string
	order    []string
}

func newRecorder() *recorder {
	return &recorder{lat: map[string][]time.Duration{}, errs: map[string]int{}, firstErr: map[string]string{}}
}

func (r *recorder) see(op string) {
	if _, ok := r.lat[op]; !ok {
		r.lat[op] = nil
		r.order = append(r.order, op)
	}
}

func (r *recorder) ok(op string, d time.Duration) {
	if r == nil {
		return
	}
	r.see(op)
	r.lat[op] = append(r.lat[op], d)
}

func (r *recorder) fail(op string, err error) {
	if r == nil {
		return
	}
	r.see(op)
	r.errs[op]++
	if _, ok := r.firstErr[op]; !ok {
		msg := err.Error()
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		r.firstErr[op] = msg
	}
}

// merge adds o's figures to r.
func (r *recorder) merge(o *recorder) {
	for _, op := range o.order {
		r.see(op)
		r.lat[op] = append(r.lat[op], o.lat[op]...)
		r.errs[op] += o.errs[op]
		if _, ok := r.firstErr[op]; !ok && o.firstErr[op] != "" {
			r.firstErr[op] = o.firstErr[op]
		}
	}
}

// stats summarises latencies.
type stats struct {
	n                  int
	errs               int
	perSec             float64
	p50, p90, p99, max time.Duration
}

func summarise(lat []time.Duration, errs int, elapsed time.Duration) stats {
	s := stats{n: len(lat), errs: errs}
	if elapsed > 0 {
		s.perSec = float64(len(lat)) / elapsed.Seconds()
	}
	if len(lat) == 0 {
		return s
	}
	sorted := slices.Clone(lat)
	slices.Sort(sorted)
	at := func(p float64) time.Duration {
		i := int(p*float64(len(sorted))+0.5) - 1
		return sorted[min(max(i, 0), len(sorted)-1)]
	}
	s.p50, s.p90, s.p99, s.max = at(0.50), at(0.90), at(0.99), sorted[len(sorted)-1]
	return s
}

// drive runs n workers, each calling iterate in a loop, for d, and returns their merged
// recorder (empty unless record) and the time they took.
func (g *gen) drive(ctx context.Context, t target, n int, d time.Duration, record bool, iterate func(context.Context, *worker) error) (*recorder, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d+90*time.Second) // a stuck request must not hang the run
	defer cancel()
	recs := make([]*recorder, n)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for i := range n {
		recs[i] = newRecorder()
		w := g.worker(t, recs[i], uint64(time.Now().UnixNano())+uint64(i)*7919)
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				if err := iterate(ctx, w); err != nil {
					// A failing request is counted; pause so a persistent failure
					// does not turn into a busy loop.
					time.Sleep(time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	total := newRecorder()
	if record {
		for _, r := range recs {
			total.merge(r)
		}
	}
	return total, elapsed
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

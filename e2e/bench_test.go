package e2e

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/connectlocal/connectlocal/connectlocaltest"
)

// Contact throughput and latency through the real SDK over HTTP, every request signed
// with SigV4, against the SQLite file store:
//
//	go test ./e2e -run '^$' -bench Contact -benchtime 2000x
func BenchmarkStartTaskContact(b *testing.B) {
	srv := connectlocaltest.Start(b, connectlocaltest.WithDataDir(b.TempDir()))
	c := connect.NewFromConfig(srv.Config)
	in := &connect.StartTaskContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactFlowId: aws.String(srv.Defaults.ContactFlowID), Name: aws.String("bench")}
	measure(b, func() error { _, err := c.StartTaskContact(ctx, in); return err })
}

func BenchmarkDescribeContact(b *testing.B) {
	srv := connectlocaltest.Start(b, connectlocaltest.WithDataDir(b.TempDir()))
	c := connect.NewFromConfig(srv.Config)
	out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactFlowId: aws.String(srv.Defaults.ContactFlowID), Name: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	in := &connect.DescribeContactInput{InstanceId: aws.String(srv.Defaults.InstanceID), ContactId: out.ContactId}
	measure(b, func() error { _, err := c.DescribeContact(ctx, in); return err })
}

// measure runs call b.N times from parallel clients and reports requests/s and the
// p50/p99 latency.
func measure(b *testing.B, call func() error) {
	var mu sync.Mutex
	latencies := make([]time.Duration, 0, b.N)
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			t := time.Now()
			if err := call(); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t))
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkEmailAnalysisLatency measures, per email, the time from StartEmailContact to
// its CONTACT_ANALYSIS reference being listable, with redaction on:
//
//	go test ./e2e -run '^$' -bench EmailAnalysis -benchtime 50x
func BenchmarkEmailAnalysisLatency(b *testing.B) {
	srv := connectlocaltest.Start(b, connectlocaltest.WithDataDir(b.TempDir()))
	c := connect.NewFromConfig(srv.Config)
	in := emailInput(srv, func(in *connect.StartEmailContactInput) { in.EmailMessage.RawMessage.Body = aws.String(piiEmail) })
	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		in.ClientToken = nil
		t := time.Now()
		out, err := c.StartEmailContact(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		for {
			refs, err := c.ListContactReferences(ctx, &connect.ListContactReferencesInput{InstanceId: in.InstanceId, ContactId: out.ContactId, ReferenceTypes: []types.ReferenceType{types.ReferenceTypeContactAnalysis}})
			if err != nil {
				b.Fatal(err)
			}
			if len(refs.ReferenceSummaryList) > 0 {
				break
			}
			if time.Since(t) > 10*time.Second {
				b.Fatal("no analysis after 10 s")
			}
			time.Sleep(2 * time.Millisecond)
		}
		latencies = append(latencies, time.Since(t))
	}
	b.StopTimer()
	slices.Sort(latencies)
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
}

package e2e

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"

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

package e2e

import (
	"net"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"
)

// TestAcknowledgedContactsSurviveKill9 runs the connectlocal binary on a data dir, has
// 16 clients start task contacts, kills the process with SIGKILL while requests are in
// flight, restarts it on the same data dir and describes every contact whose
// StartTaskContact was answered. The store commits concurrent requests together and
// fsyncs once for them (group commit); an answer must still mean the contact is on disk.
func TestAcknowledgedContactsSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := filepath.Join(t.TempDir(), "connectlocal")
	build := exec.Command("go", "build", "-o", bin, "github.com/connectlocal/connectlocal/cmd/connectlocal")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dataDir := t.TempDir()

	proc, c := runServer(t, bin, dataDir)
	inst, flow := defaultInstance(t, c)
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
		stop  = make(chan struct{})
	)
	for range 16 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				out, err := c.StartTaskContact(ctx, &connect.StartTaskContactInput{InstanceId: inst, ContactFlowId: flow, Name: aws.String("durable"),
					Attributes: map[string]string{"k": "v"}})
				if err != nil {
					continue // refused: the process is gone (or going)
				}
				mu.Lock()
				acked = append(acked, aws.ToString(out.ContactId))
				mu.Unlock()
			}
		})
	}
	// Kill once a few hundred contacts are acknowledged, with requests still in flight.
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := proc.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	proc.Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 300 {
		t.Fatalf("only %d contacts acknowledged in 30 s", len(acked))
	}

	_, c = runServer(t, bin, dataDir)
	for _, id := range acked {
		if _, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: inst, ContactId: aws.String(id)}); err != nil {
			t.Errorf("acknowledged contact %s after kill -9: %v", id, err)
		}
	}
	t.Logf("%d acknowledged contacts, all there after kill -9", len(acked))
}

// runServer starts the binary on dataDir and a free loopback port, and returns it with a
// client that does not retry, once it answers.
func runServer(t *testing.T, bin, dataDir string) (*exec.Cmd, *connect.Client) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "--addr", addr, "--data-dir", dataDir) // its log lines are dropped
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	c := connect.New(connect.Options{
		Region: "us-east-1", BaseEndpoint: aws.String("http://" + addr),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		Retryer:     aws.NopRetryer{},
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := c.ListInstances(ctx, &connect.ListInstancesInput{}); err == nil {
			return cmd, c
		} else if time.Now().After(deadline) {
			t.Fatalf("server did not answer: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func defaultInstance(t *testing.T, c *connect.Client) (instance, flow *string) {
	t.Helper()
	insts := must(c.ListInstances(ctx, &connect.ListInstancesInput{}))(t)
	instance = insts.InstanceSummaryList[0].Id
	flows := must(c.ListContactFlows(ctx, &connect.ListContactFlowsInput{InstanceId: instance, ContactFlowTypes: []types.ContactFlowType{types.ContactFlowTypeContactFlow}}))(t)
	for _, f := range flows.ContactFlowSummaryList {
		if aws.ToString(f.Name) == "Default inbound flow" {
			flow = f.Id
		}
	}
	if flow == nil {
		t.Fatal("no Default inbound flow")
	}
	return instance, flow
}

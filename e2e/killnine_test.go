package e2e

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
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
// A retry of each answered request with its ClientToken must then answer the same
// contact: the SQLite store finds tokens through an index in memory, built again from
// the database when the server starts.
func TestAcknowledgedContactsSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := buildServer(t)
	dataDir := t.TempDir()

	proc, c := runServer(t, bin, dataDir)
	inst, flow := defaultInstance(t, c)
	type ack struct{ token, id string }
	var (
		mu    sync.Mutex
		acked []ack
		wg    sync.WaitGroup
		stop  = make(chan struct{})
	)
	input := func(token string) *connect.StartTaskContactInput {
		return &connect.StartTaskContactInput{InstanceId: inst, ContactFlowId: flow, Name: aws.String("durable"),
			Attributes: map[string]string{"k": "v"}, ClientToken: aws.String(token)}
	}
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				token := fmt.Sprintf("kill9-%d-%d", w, i)
				out, err := c.StartTaskContact(ctx, input(token))
				if err != nil {
					continue // refused: the process is gone (or going)
				}
				mu.Lock()
				acked = append(acked, ack{token, aws.ToString(out.ContactId)})
				mu.Unlock()
			}
		})
	}
	// Kill once a few hundred contacts are acknowledged, with requests still in flight.
	killOnce(t, proc, 300, func() int { mu.Lock(); defer mu.Unlock(); return len(acked) }, stop, &wg)

	_, c = runServer(t, bin, dataDir)
	for _, a := range acked {
		if _, err := c.DescribeContact(ctx, &connect.DescribeContactInput{InstanceId: inst, ContactId: aws.String(a.id)}); err != nil {
			t.Errorf("acknowledged contact %s after kill -9: %v", a.id, err)
		}
		out, err := c.StartTaskContact(ctx, input(a.token))
		if err != nil || aws.ToString(out.ContactId) != a.id {
			t.Errorf("retry of %s after kill -9 = %v, %v; want contact %s", a.token, out, err, a.id)
		}
	}
	t.Logf("%d acknowledged contacts, all there after kill -9, and their retries answered with them", len(acked))
}

// acceptedFile is an attached file whose upload and Complete were answered.
type acceptedFile struct {
	contact, id string
	body        []byte
}

// TestAcknowledgedFilesSurviveKill9 does for attached files what
// TestAcknowledgedContactsSurviveKill9 does for contacts. Small files' bytes are rows of
// the database, written by the PUT to the upload URL and by Complete in transactions
// shared with other requests; an email's message files are written in the transaction
// that creates the contact. After a kill -9 and a restart, every email that was answered
// has its message file, and every file whose Complete was answered is APPROVED and
// downloads as uploaded.
func TestAcknowledgedFilesSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := buildServer(t)
	dataDir := t.TempDir()
	proc, c := runServer(t, bin, dataDir)
	inst, _ := defaultInstance(t, c)
	addrs := must(c.SearchEmailAddresses(ctx, &connect.SearchEmailAddressesInput{InstanceId: inst}))(t)
	if len(addrs.EmailAddresses) == 0 {
		t.Fatal("the default instance has no email address")
	}
	var emails []string
	for range 40 {
		out := must(c.StartEmailContact(ctx, &connect.StartEmailContactInput{
			InstanceId: inst, DestinationEmailAddress: addrs.EmailAddresses[0].EmailAddress,
			FromEmailAddress: &types.EmailAddressInfo{EmailAddress: aws.String("jane.doe@example.com")},
			EmailMessage: &types.InboundEmailContent{MessageSourceType: types.InboundMessageSourceTypeRaw, RawMessage: &types.InboundRawMessage{
				Subject: aws.String("Invoice"), Body: aws.String("<p>Please find the invoice attached.</p>"), ContentType: aws.String("text/html"),
			}},
		}))(t)
		emails = append(emails, aws.ToString(out.ContactId))
	}
	arn := func(contact string) *string {
		return aws.String("arn:aws:connect:us-east-1:000000000000:instance/" + aws.ToString(inst) + "/contact/" + contact)
	}
	var (
		mu       sync.Mutex
		accepted []acceptedFile
		wg       sync.WaitGroup
		stop     = make(chan struct{})
	)
	for w := range 8 {
		wg.Go(func() {
			// Each worker attaches to its own emails, at most the 10 files an email takes.
			for i := 0; i < 50; i++ {
				select {
				case <-stop:
					return
				default:
				}
				contact := emails[w*5+i/10]
				body := bytes.Repeat(fmt.Appendf(nil, "worker %d file %d; ", w, i), 100)
				up, err := c.StartAttachedFileUpload(ctx, &connect.StartAttachedFileUploadInput{
					InstanceId: inst, AssociatedResourceArn: arn(contact), FileName: aws.String(fmt.Sprintf("f%d.txt", i)),
					FileSizeInBytes: aws.Int64(int64(len(body))), FileUseCaseType: types.FileUseCaseTypeAttachment,
				})
				if err != nil {
					continue // the process is gone (or going)
				}
				if status, _, err := filePutReader(up.UploadUrlMetadata, bytes.NewReader(body), int64(len(body))); err != nil || status != http.StatusOK {
					continue
				}
				if _, err := c.CompleteAttachedFileUpload(ctx, &connect.CompleteAttachedFileUploadInput{InstanceId: inst, AssociatedResourceArn: arn(contact), FileId: up.FileId}); err != nil {
					continue
				}
				mu.Lock()
				accepted = append(accepted, acceptedFile{contact, aws.ToString(up.FileId), body})
				mu.Unlock()
			}
		})
	}
	killOnce(t, proc, 100, func() int { mu.Lock(); defer mu.Unlock(); return len(accepted) }, stop, &wg)

	_, c = runServer(t, bin, dataDir)
	get := func(contact, id string) []byte {
		f, err := c.GetAttachedFile(ctx, &connect.GetAttachedFileInput{InstanceId: inst, AssociatedResourceArn: arn(contact), FileId: aws.String(id)})
		if err != nil {
			t.Errorf("file %s after kill -9: %v", id, err)
			return nil
		}
		if f.FileStatus != types.FileStatusTypeApproved || f.DownloadUrlMetadata == nil {
			t.Errorf("file %s after kill -9 is %s", id, f.FileStatus)
			return nil
		}
		_, b := fileGet(t, aws.ToString(f.DownloadUrlMetadata.Url))
		return b
	}
	for _, contact := range emails {
		refs := must(c.ListContactReferences(ctx, &connect.ListContactReferencesInput{InstanceId: inst, ContactId: aws.String(contact),
			ReferenceTypes: []types.ReferenceType{types.ReferenceTypeEmailMessage}}))(t)
		if len(refs.ReferenceSummaryList) != 1 {
			t.Errorf("email %s after kill -9: %d message references", contact, len(refs.ReferenceSummaryList))
			continue
		}
		m, ok := refs.ReferenceSummaryList[0].(*types.ReferenceSummaryMemberEmailMessage)
		if !ok {
			t.Fatalf("EMAIL_MESSAGE reference is a %T", refs.ReferenceSummaryList[0])
		}
		a := aws.ToString(m.Value.Arn)
		if b := get(contact, a[strings.LastIndex(a, "/")+1:]); b != nil && !bytes.Contains(b, []byte("Please find the invoice attached.")) {
			t.Errorf("email %s after kill -9: its message file reads %q", contact, b)
		}
	}
	for _, f := range accepted {
		if b := get(f.contact, f.id); b != nil && !bytes.Equal(b, f.body) {
			t.Errorf("file %s after kill -9: %d bytes, want the %d uploaded", f.id, len(b), len(f.body))
		}
	}
	t.Logf("%d emails and %d completed files, all there after kill -9", len(emails), len(accepted))
}

// killOnce kills proc with SIGKILL once acknowledged() reaches n, while the clients'
// requests are in flight, then stops the clients (closing stop) and waits for them. It
// fails the test if n are not acknowledged within 30 s.
func killOnce(t *testing.T, proc *exec.Cmd, n int, acknowledged func() int, stop chan struct{}, clients *sync.WaitGroup) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for acknowledged() < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := proc.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	proc.Wait()
	close(stop)
	clients.Wait()
	if got := acknowledged(); got < n {
		t.Fatalf("only %d requests acknowledged in 30 s, want %d", got, n)
	}
}

// buildServer builds the connectlocal binary into the test's temporary directory.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "connectlocal")
	build := exec.Command("go", "build", "-o", bin, "github.com/connectlocal/connectlocal/cmd/connectlocal")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
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

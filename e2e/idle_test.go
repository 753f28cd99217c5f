package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/connectlocal/connectlocal/connectlocaltest"
	"github.com/connectlocal/connectlocal/internal/server"
)

// stalledBody is a body that sends a few bytes of the length it declares and then
// nothing, until the test ends.
func stalledBody(t *testing.T) io.Reader {
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	go w.Write([]byte(`{"Name":`))
	return r
}

// A request whose body stops arriving is answered once it has sent nothing for
// BodyIdleTimeout, rather than holding its connection for good: an API request with a
// SerializationException, as for any body that cannot be read, and an upload with S3's
// RequestTimeout. The server goes on serving.
func TestAStalledRequestBodyTimesOut(t *testing.T) {
	idle := 300 * time.Millisecond
	f := startFileEnv(t, connectlocaltest.Option(func(c *server.Config) { c.BodyIdleTimeout = idle }))
	client := &http.Client{Timeout: 10 * time.Second}
	t.Cleanup(client.CloseIdleConnections)

	t.Run("API request", func(t *testing.T) {
		req := must(http.NewRequest(http.MethodPut, f.srv.URL+"/contact/task/"+f.srv.Defaults.InstanceID, stalledBody(t)))(t)
		req.ContentLength = 100
		start := time.Now()
		resp := must(client.Do(req))(t)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("X-Amzn-Errortype") != "SerializationException" || !strings.Contains(string(raw), "timeout") {
			t.Errorf("answer %d %s %s, want 400 SerializationException naming the timeout", resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), raw)
		}
		if waited := time.Since(start); waited < idle {
			t.Errorf("answered after %v, before the body had been idle %v", waited, idle)
		}
	})

	t.Run("upload", func(t *testing.T) {
		arn := f.emailContact()
		up := must(f.start(arn, "stalled.pdf", 100))(t)
		req := must(http.NewRequest(http.MethodPut, aws.ToString(up.UploadUrlMetadata.Url), stalledBody(t)))(t)
		req.ContentLength = 100
		for k, v := range up.UploadUrlMetadata.HeadersToInclude {
			req.Header.Set(k, v)
		}
		resp := must(client.Do(req))(t)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), "<Code>RequestTimeout</Code>") {
			t.Errorf("answer %d %s, want 400 RequestTimeout", resp.StatusCode, raw)
		}
		// The file is still PROCESSING, and a whole upload to the same URL goes through.
		if status, resp := filePut(t, up.UploadUrlMetadata, make([]byte, 100)); status != http.StatusOK {
			t.Errorf("the upload after the stalled one: %d %s", status, resp)
		}
	})

	// A request whose body arrives in time is not cut short by the deadline its reads
	// set, however long its handler then takes.
	if _, id := f.attach(f.emailContact(), "whole.pdf", make([]byte, 100)); id != "APPROVED" {
		t.Errorf("a whole upload ended %s", id)
	}
}

// Package connectlocaltest starts an in-process connectlocal for Go tests and hands back
// an aws.Config that points the official SDK at it.
//
//	srv := connectlocaltest.Start(t)
//	client := connect.NewFromConfig(srv.Config)
//	out, err := client.DescribeInstance(ctx, &connect.DescribeInstanceInput{InstanceId: aws.String(srv.Defaults.InstanceID)})
package connectlocaltest

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/connectlocal/connectlocal/internal/connect"
	"github.com/connectlocal/connectlocal/internal/server"
	"github.com/connectlocal/connectlocal/internal/sigv4"
)

// Server is a running connectlocal for one test.
type Server struct {
	URL      string
	Config   aws.Config // default credentials (test/test, account 000000000000)
	Defaults connect.Defaults
	srv      *server.Server
}

// Option changes how the server starts.
type Option func(*server.Config)

// WithDataDir keeps state in a SQLite file in dir instead of in memory, so a second
// server on the same dir sees it.
func WithDataDir(dir string) Option {
	return func(c *server.Config) { c.Memory, c.DataDir = false, dir }
}

// WithKey adds accepted credentials mapped to an account.
func WithKey(accessKeyID, secret, account string) Option {
	return func(c *server.Config) {
		c.Keys = append(c.Keys, sigv4.Key{AccessKeyID: accessKeyID, SecretAccessKey: secret, Account: account})
	}
}

// WithClock injects the server's clock.
func WithClock(now func() time.Time) Option {
	return func(c *server.Config) { c.Now = now }
}

// WithWebhook sends the rules' EventBridge events and notifications to url.
func WithWebhook(url string) Option {
	return func(c *server.Config) { c.WebhookURL = url }
}

// WithS3Blobs keeps the bytes of attached files in a bucket of an S3-compatible service
// at endpoint, addressed path-style; upload and download URLs are then that service's.
func WithS3Blobs(endpoint, bucket, accessKeyID, secret string) Option {
	return func(c *server.Config) {
		c.BlobStore = "s3"
		c.S3 = server.S3Config{Endpoint: endpoint, Bucket: bucket, AccessKey: accessKeyID, SecretKey: secret, PathStyle: true}
	}
}

// WithAuthOff accepts any signature.
func WithAuthOff() Option {
	return func(c *server.Config) { c.Auth = "off" }
}

// Start starts a server on a free loopback port, in memory unless an option says
// otherwise, and stops it when the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := server.Config{Addr: "127.0.0.1:0", Memory: true}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := server.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("connectlocaltest: start: %v", err)
	}
	s := &Server{URL: srv.URL(), Defaults: srv.Defaults(), srv: srv}
	s.Config = s.ConfigFor(connect.DefaultAccessKey, connect.DefaultSecretKey)
	t.Cleanup(func() { s.Stop() })
	return s
}

// ConfigFor returns an aws.Config that signs with other credentials.
func (s *Server) ConfigFor(accessKeyID, secret string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(accessKeyID, secret, ""),
		BaseEndpoint: aws.String(s.URL),
	}
}

// Stop shuts the server down; a test that restarts on the same data dir calls it first.
// Stopping twice is harmless.
func (s *Server) Stop() {
	if s.srv != nil {
		s.srv.Close(5 * time.Second)
		s.srv = nil
	}
}

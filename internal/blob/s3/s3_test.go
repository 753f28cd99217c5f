package s3_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/connectlocal/connectlocal/internal/blob/blobtest"
	"github.com/connectlocal/connectlocal/internal/blob/s3"
)

// TestConformance runs the suite against a real S3-protocol server started in-process
// (gofakes3), a fresh bucket per subtest. That server checks no signatures, so the
// tampering and expiry cases are left to Amazon S3 itself.
func TestConformance(t *testing.T) {
	endpoint := blobtest.S3Server(t)
	var n atomic.Int64
	blobtest.Run(t, func(t *testing.T) blobtest.Harness {
		st, err := s3.Open(context.Background(), s3.Config{
			Bucket: fmt.Sprintf("conformance-%d", n.Add(1)), Endpoint: endpoint, Region: "us-east-1",
			AccessKey: "test", SecretKey: "test", PathStyle: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		return blobtest.Harness{Store: st}
	})
}

// Package s3 is a blob.Store in a bucket of an S3-compatible service (Amazon S3, MinIO,
// LocalStack, ...), through aws-sdk-go-v2. Upload and download URLs are the service's
// own pre-signed URLs, so clients send the bytes to the S3 service, not to connectlocal.
package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/connectlocal/connectlocal/internal/blob"
)

// Config says which bucket to use and how to reach it.
type Config struct {
	Bucket    string
	Endpoint  string // e.g. http://127.0.0.1:9000; empty for Amazon S3 itself
	Region    string // default us-east-1
	AccessKey string // with SecretKey; both empty means unsigned (anonymous) requests
	SecretKey string
	PathStyle bool // address the bucket as <endpoint>/<bucket> rather than <bucket>.<endpoint>
	// HTTPClient, when set, carries the store's requests (tests); nil is the SDK's.
	HTTPClient *http.Client
}

// Store keeps objects as S3 objects with the same keys.
type Store struct {
	bucket  string
	client  *awss3.Client
	presign *awss3.PresignClient
}

var _ blob.Store = (*Store)(nil)

// Open connects to the bucket, creating it if it does not exist.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("s3: a bucket is required")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	awsCfg := aws.Config{Region: cfg.Region, Credentials: aws.AnonymousCredentials{}}
	if cfg.AccessKey != "" || cfg.SecretKey != "" {
		awsCfg.Credentials = credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")
	}
	if cfg.HTTPClient != nil {
		awsCfg.HTTPClient = cfg.HTTPClient
	}
	client := awss3.NewFromConfig(awsCfg, func(o *awss3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.PathStyle
		// Checksums only where S3 requires them: a default CRC32 would be signed into
		// every pre-signed PUT as the checksum of an empty body, and S3-compatible
		// services differ in their support of trailing checksums.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	s := &Store{bucket: cfg.Bucket, client: client, presign: awss3.NewPresignClient(client)}
	_, err := client.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String(cfg.Bucket)})
	if isNotFound(err) {
		_, err = client.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(cfg.Bucket)})
		var owned *types.BucketAlreadyOwnedByYou
		if errors.As(err, &owned) {
			err = nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("s3: bucket %s: %w", cfg.Bucket, err)
	}
	return s, nil
}

// isNotFound reports whether err says the object or bucket does not exist.
func isNotFound(err error) bool {
	if err == nil {
		return false
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "NoSuchKey", "NotFound", "NoSuchBucket":
			return true
		}
	}
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound
}

// Put is one PutObject, which S3 applies whole or not at all. A seekable body of the
// wrong size is refused before sending; a stream is sent unsigned (UNSIGNED-PAYLOAD: it
// cannot be hashed first) without retries (it cannot be sent twice), and stops with
// ErrSize before its last byte if it is longer or shorter than size, so S3 stores nothing.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if !blob.ValidKey(key) {
		return blob.ErrInvalidKey
	}
	body := r
	var opts []func(*awss3.Options)
	if rs, ok := r.(io.ReadSeeker); ok {
		left, err := remaining(rs)
		if err != nil {
			return err
		}
		if left != size {
			return blob.ErrSize
		}
	} else {
		body = blob.ExactReader(r, size)
		opts = append(opts, func(o *awss3.Options) {
			o.APIOptions = append(o.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
			o.Retryer = aws.NopRetryer{}
		})
	}
	_, err := s.client.PutObject(ctx, &awss3.PutObjectInput{
		Bucket: aws.String(s.bucket), Key: aws.String(key), Body: body, ContentLength: aws.Int64(size),
	}, opts...)
	if errors.Is(err, blob.ErrSize) {
		return blob.ErrSize
	}
	return err
}

// remaining is how many bytes rs has from its current offset.
func remaining(rs io.ReadSeeker) (int64, error) {
	cur, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, err
	}
	end, err := rs.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, err
	}
	_, err = rs.Seek(cur, io.SeekStart)
	return end - cur, err
}

func (s *Store) Open(ctx context.Context, key string) (io.ReadCloser, blob.Info, error) {
	if !blob.ValidKey(key) {
		return nil, blob.Info{}, blob.ErrInvalidKey
	}
	out, err := s.client.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if isNotFound(err) {
		return nil, blob.Info{}, blob.ErrNotFound
	}
	if err != nil {
		return nil, blob.Info{}, err
	}
	return out.Body, blob.Info{Key: key, Size: aws.ToInt64(out.ContentLength), Modified: aws.ToTime(out.LastModified)}, nil
}

func (s *Store) Stat(ctx context.Context, key string) (blob.Info, error) {
	if !blob.ValidKey(key) {
		return blob.Info{}, blob.ErrInvalidKey
	}
	out, err := s.client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if isNotFound(err) {
		return blob.Info{}, blob.ErrNotFound
	}
	if err != nil {
		return blob.Info{}, err
	}
	return blob.Info{Key: key, Size: aws.ToInt64(out.ContentLength), Modified: aws.ToTime(out.LastModified)}, nil
}

// Copy is a server-side CopyObject: the bytes do not pass through connectlocal.
func (s *Store) Copy(ctx context.Context, src, dst string) error {
	if !blob.ValidKey(src) || !blob.ValidKey(dst) {
		return blob.ErrInvalidKey
	}
	// Keys are made of URL-safe characters only, so the copy source needs no escaping.
	_, err := s.client.CopyObject(ctx, &awss3.CopyObjectInput{
		Bucket: aws.String(s.bucket), Key: aws.String(dst), CopySource: aws.String(s.bucket + "/" + src),
	})
	if isNotFound(err) {
		return blob.ErrNotFound
	}
	return err
}

func (s *Store) Delete(ctx context.Context, key string) error {
	if !blob.ValidKey(key) {
		return blob.ErrInvalidKey
	}
	_, err := s.client.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if isNotFound(err) {
		return nil
	}
	return err
}

func (s *Store) List(ctx context.Context, prefix string) ([]blob.Info, error) {
	if !blob.ValidPrefix(prefix) {
		return nil, blob.ErrInvalidKey
	}
	var out []blob.Info
	p := awss3.NewListObjectsV2Paginator(s.client, &awss3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Contents {
			out = append(out, blob.Info{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size), Modified: aws.ToTime(o.LastModified)})
		}
	}
	return out, nil
}

// UploadURL is S3's pre-signed PutObject: Content-Type and Content-Length are signed, so
// S3 itself refuses another type or size.
func (s *Store) UploadURL(ctx context.Context, key, contentType string, size int64, expires time.Duration) (blob.URL, error) {
	if !blob.ValidKey(key) {
		return blob.URL{}, blob.ErrInvalidKey
	}
	expiry := time.Now().Add(expires)
	req, err := s.presign.PresignPutObject(ctx, &awss3.PutObjectInput{
		Bucket: aws.String(s.bucket), Key: aws.String(key), ContentType: aws.String(contentType), ContentLength: aws.Int64(size),
	}, awss3.WithPresignExpires(expires))
	if err != nil {
		return blob.URL{}, err
	}
	return blob.URL{URL: req.URL, Headers: blob.FlattenHeaders(req.SignedHeader), Expires: expiry}, nil
}

// DownloadURL is S3's pre-signed GetObject, with the answer's Content-Type and
// Content-Disposition overridden through the signed response-* parameters.
func (s *Store) DownloadURL(ctx context.Context, key, fileName, contentType string, expires time.Duration) (blob.URL, error) {
	if !blob.ValidKey(key) {
		return blob.URL{}, blob.ErrInvalidKey
	}
	expiry := time.Now().Add(expires)
	req, err := s.presign.PresignGetObject(ctx, &awss3.GetObjectInput{
		Bucket: aws.String(s.bucket), Key: aws.String(key),
		ResponseContentType: aws.String(contentType), ResponseContentDisposition: aws.String(blob.ContentDisposition(fileName)),
	}, awss3.WithPresignExpires(expires))
	if err != nil {
		return blob.URL{}, err
	}
	return blob.URL{URL: req.URL, Headers: blob.FlattenHeaders(req.SignedHeader), Expires: expiry}, nil
}

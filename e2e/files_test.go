package e2e

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/connect"
	"github.com/aws/aws-sdk-go-v2/service/connect/types"

	"github.com/connectlocal/connectlocal/connectlocaltest"
	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/blob/blobtest"
	"github.com/connectlocal/connectlocal/internal/server"
)

// fileEICAR is the EICAR anti-virus test string.
const fileEICAR = `X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`

var fileISOTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)

// fileEnv is a server and a client, with helpers for the attached-file operations.
type fileEnv struct {
	t   *testing.T
	srv *connectlocaltest.Server
	c   *connect.Client
}

func startFileEnv(t *testing.T, opts ...connectlocaltest.Option) *fileEnv {
	srv := connectlocaltest.Start(t, opts...)
	// Concurrent calls make a client dial connections it then leaves unused; at shutdown
	// the server waits 5 s for such connections unless the client closes them first.
	transport := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(transport.CloseIdleConnections)
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	c := connect.NewFromConfig(srv.Config, func(o *connect.Options) { o.HTTPClient = &http.Client{Transport: transport} })
	return &fileEnv{t: t, srv: srv, c: c}
}

func (f *fileEnv) inst() *string { return aws.String(f.srv.Defaults.InstanceID) }

// emailContact creates an email contact and returns its ARN.
func (f *fileEnv) emailContact() string {
	f.t.Helper()
	out := must(f.c.CreateContact(ctx, &connect.CreateContactInput{
		InstanceId: f.inst(), Channel: types.ChannelEmail, InitiationMethod: types.ContactInitiationMethodFlow, Name: aws.String("email"),
	}))(f.t)
	return aws.ToString(out.ContactArn)
}

func (f *fileEnv) start(arn, name string, size int64, mutate ...func(*connect.StartAttachedFileUploadInput)) (*connect.StartAttachedFileUploadOutput, error) {
	in := &connect.StartAttachedFileUploadInput{
		InstanceId: f.inst(), AssociatedResourceArn: aws.String(arn), FileName: aws.String(name),
		FileSizeInBytes: aws.Int64(size), FileUseCaseType: types.FileUseCaseTypeAttachment,
	}
	for _, m := range mutate {
		m(in)
	}
	return f.c.StartAttachedFileUpload(ctx, in)
}

func (f *fileEnv) complete(arn, id string) error {
	_, err := f.c.CompleteAttachedFileUpload(ctx, &connect.CompleteAttachedFileUploadInput{InstanceId: f.inst(), AssociatedResourceArn: aws.String(arn), FileId: aws.String(id)})
	return err
}

func (f *fileEnv) get(arn, id string) (*connect.GetAttachedFileOutput, error) {
	return f.c.GetAttachedFile(ctx, &connect.GetAttachedFileInput{InstanceId: f.inst(), AssociatedResourceArn: aws.String(arn), FileId: aws.String(id)})
}

func (f *fileEnv) delete(arn, id string) error {
	_, err := f.c.DeleteAttachedFile(ctx, &connect.DeleteAttachedFileInput{InstanceId: f.inst(), AssociatedResourceArn: aws.String(arn), FileId: aws.String(id)})
	return err
}

// attach runs the whole upload and returns the file's ID and status.
func (f *fileEnv) attach(arn, name string, body []byte) (string, string) {
	f.t.Helper()
	up := must(f.start(arn, name, int64(len(body))))(f.t)
	if status, resp := filePut(f.t, up.UploadUrlMetadata, body); status != http.StatusOK {
		f.t.Fatalf("upload: %d %s", status, resp)
	}
	id := aws.ToString(up.FileId)
	if err := f.complete(arn, id); err != nil {
		f.t.Fatal(err)
	}
	return id, string(must(f.get(arn, id))(f.t).FileStatus)
}

// filePut PUTs body to the upload URL as a user would: net/http, the URL, and only the
// headers handed out with it.
func filePut(t testing.TB, meta *types.UploadUrlMetadata, body []byte) (int, string) {
	t.Helper()
	status, resp, err := filePutReader(meta, bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	return status, resp
}

func filePutReader(meta *types.UploadUrlMetadata, body io.Reader, size int64) (int, string, error) {
	req, err := http.NewRequest(http.MethodPut, aws.ToString(meta.Url), body)
	if err != nil {
		return 0, "", err
	}
	req.ContentLength = size
	for k, v := range meta.HeadersToInclude {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

func fileGet(t testing.TB, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func fileInvalidReason(t *testing.T, err error) types.AttachedFileInvalidRequestExceptionReason {
	t.Helper()
	e := wantError[*types.InvalidRequestException](t, err)
	r, ok := e.Reason.(*types.InvalidRequestExceptionReasonMemberAttachedFileInvalidRequestExceptionReason)
	if !ok {
		t.Fatalf("InvalidRequestException %q has Reason %#v", aws.ToString(e.Message), e.Reason)
	}
	return r.Value
}

func fileQuotaReason(t *testing.T, err error) types.AttachedFileServiceQuotaExceededExceptionReason {
	t.Helper()
	e := wantError[*types.ServiceQuotaExceededException](t, err)
	r, ok := e.Reason.(*types.ServiceQuotaExceededExceptionReasonMemberAttachedFileServiceQuotaExceededExceptionReason)
	if !ok {
		t.Fatalf("ServiceQuotaExceededException %q has Reason %#v", aws.ToString(e.Message), e.Reason)
	}
	return r.Value
}

func TestFilesLifeCycle(t *testing.T) {
	for _, store := range []struct {
		name string
		opts func(t *testing.T) []connectlocaltest.Option
	}{
		{"Memory", func(t *testing.T) []connectlocaltest.Option { return nil }},
		{"Folder", func(t *testing.T) []connectlocaltest.Option {
			return []connectlocaltest.Option{connectlocaltest.WithDataDir(t.TempDir())}
		}},
		{"S3", func(t *testing.T) []connectlocaltest.Option {
			return []connectlocaltest.Option{connectlocaltest.WithS3Blobs(blobtest.S3Server(t), "attachments", "s3key", "s3secret")}
		}},
	} {
		t.Run(store.name, func(t *testing.T) {
			f := startFileEnv(t, store.opts(t)...)
			testFileLifeCycle(t, f, store.name == "S3")
		})
	}
}

func testFileLifeCycle(t *testing.T, f *fileEnv, s3 bool) {
	arn := f.emailContact()
	body := []byte("%PDF-1.7\n" + strings.Repeat("quarterly numbers\n", 5000))
	before := time.Now()
	up := must(f.start(arn, "Q3 report.pdf", int64(len(body)), func(in *connect.StartAttachedFileUploadInput) {
		in.Tags = map[string]string{"team": "billing"}
	}))(t)
	id := aws.ToString(up.FileId)
	inst := f.srv.Defaults.InstanceID
	t.Run("Started", func(t *testing.T) {
		if up.FileStatus != types.FileStatusTypeProcessing {
			t.Errorf("FileStatus %s", up.FileStatus)
		}
		if want := "arn:aws:connect:us-east-1:000000000000:instance/" + inst + "/file/" + id; aws.ToString(up.FileArn) != want {
			t.Errorf("FileArn %s, want %s", aws.ToString(up.FileArn), want)
		}
		if !fileISOTime.MatchString(aws.ToString(up.CreationTime)) {
			t.Errorf("CreationTime %q", aws.ToString(up.CreationTime))
		}
		if cb, ok := up.CreatedBy.(*types.CreatedByInfoMemberAWSIdentityArn); !ok || cb.Value != "arn:aws:iam::000000000000:user/test" {
			t.Errorf("CreatedBy %#v", up.CreatedBy)
		}
		m := up.UploadUrlMetadata
		if !s3 && !strings.HasPrefix(aws.ToString(m.Url), f.srv.URL+"/_blob/") {
			t.Errorf("upload URL %s is not under the public URL", aws.ToString(m.Url))
		}
		if !strings.Contains(aws.ToString(m.Url), "X-Amz-Signature=") {
			t.Errorf("upload URL %s is not signed", aws.ToString(m.Url))
		}
		expiry, err := time.Parse("2006-01-02T15:04:05.000Z", aws.ToString(m.UrlExpiry))
		if err != nil || expiry.Before(before.Add(299*time.Second)) || expiry.After(time.Now().Add(301*time.Second)) {
			t.Errorf("UrlExpiry %q is not 300 s away (%v)", aws.ToString(m.UrlExpiry), err)
		}
		if m.HeadersToInclude["Content-Type"] != "application/pdf" {
			t.Errorf("HeadersToInclude %v", m.HeadersToInclude)
		}
		got := must(f.get(arn, id))(t)
		if got.FileStatus != types.FileStatusTypeProcessing || got.DownloadUrlMetadata != nil {
			t.Errorf("before completion: %s, download %+v", got.FileStatus, got.DownloadUrlMetadata)
		}
	})
	if status, resp := filePut(t, up.UploadUrlMetadata, body); status != http.StatusOK {
		t.Fatalf("upload: %d %s", status, resp)
	}
	if err := f.complete(arn, id); err != nil {
		t.Fatal(err)
	}
	var downloadURL string
	t.Run("Approved", func(t *testing.T) {
		got := must(f.get(arn, id))(t)
		if got.FileStatus != types.FileStatusTypeApproved || aws.ToString(got.FileName) != "Q3 report.pdf" ||
			aws.ToInt64(got.FileSizeInBytes) != int64(len(body)) || got.FileUseCaseType != types.FileUseCaseTypeAttachment ||
			aws.ToString(got.AssociatedResourceArn) != arn || got.Tags["team"] != "billing" || aws.ToString(got.CreationTime) != aws.ToString(up.CreationTime) {
			t.Errorf("file: %+v", got)
		}
		if got.DownloadUrlMetadata == nil {
			t.Fatal("an APPROVED file has no DownloadUrlMetadata")
		}
		if !fileISOTime.MatchString(aws.ToString(got.DownloadUrlMetadata.UrlExpiry)) {
			t.Errorf("download UrlExpiry %q", aws.ToString(got.DownloadUrlMetadata.UrlExpiry))
		}
		downloadURL = aws.ToString(got.DownloadUrlMetadata.Url)
		resp, b := fileGet(t, downloadURL)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(b, body) {
			t.Fatalf("download: %d, %d bytes", resp.StatusCode, len(b))
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="Q3 report.pdf"` {
			t.Errorf("Content-Disposition %q", cd)
		}
	})
	t.Run("BatchGet", func(t *testing.T) {
		out := must(f.c.BatchGetAttachedFileMetadata(ctx, &connect.BatchGetAttachedFileMetadataInput{
			InstanceId: f.inst(), AssociatedResourceArn: aws.String(arn), FileIds: []string{id},
		}))(t)
		if len(out.Files) != 1 || aws.ToString(out.Files[0].FileId) != id || out.Files[0].FileStatus != types.FileStatusTypeApproved || len(out.Errors) != 0 {
			t.Errorf("BatchGet: %+v", out)
		}
	})
	t.Run("UploadURLRefusedAfterCompletion", func(t *testing.T) {
		if s3 {
			t.Skip("an S3 URL stays valid until it expires; what it uploads no longer reaches the file")
		}
		status, resp := filePut(t, up.UploadUrlMetadata, body)
		if status != http.StatusForbidden || !strings.Contains(resp, "<Code>AccessDenied</Code>") || !strings.Contains(resp, "is complete (APPROVED)") {
			t.Errorf("reused upload URL: %d %s", status, resp)
		}
	})
	t.Run("ReuploadDoesNotChangeTheFile", func(t *testing.T) {
		filePut(t, up.UploadUrlMetadata, bytes.Repeat([]byte("x"), len(body)))
		if _, b := fileGet(t, downloadURL); !bytes.Equal(b, body) {
			t.Error("the file's bytes changed after completion")
		}
	})
	t.Run("CompleteAgainIsInvalidRequest", func(t *testing.T) {
		wantError[*types.InvalidRequestException](t, f.complete(arn, id), "already complete", "APPROVED")
	})
	t.Run("MissingUploadFails", func(t *testing.T) {
		up := must(f.start(arn, "never.txt", 10))(t)
		must(struct{}{}, f.complete(arn, aws.ToString(up.FileId)))(t)
		got := must(f.get(arn, aws.ToString(up.FileId)))(t)
		if got.FileStatus != types.FileStatusTypeFailed || got.DownloadUrlMetadata != nil {
			t.Errorf("missing upload: %s, %+v", got.FileStatus, got.DownloadUrlMetadata)
		}
	})
	t.Run("ShortUploadFails", func(t *testing.T) {
		if !s3 {
			t.Skip("connectlocal's own URLs refuse a short upload (TestFilesUploadURLRefusals)")
		}
		up := must(f.start(arn, "short.txt", 10))(t)
		filePut(t, up.UploadUrlMetadata, []byte("12345")) // the test S3 server checks no signed length
		must(struct{}{}, f.complete(arn, aws.ToString(up.FileId)))(t)
		if got := must(f.get(arn, aws.ToString(up.FileId)))(t); got.FileStatus != types.FileStatusTypeFailed {
			t.Errorf("short upload: %s", got.FileStatus)
		}
	})
	t.Run("DeleteThenNotFoundEverywhere", func(t *testing.T) {
		must(struct{}{}, f.delete(arn, id))(t)
		_, err := f.get(arn, id)
		wantError[*types.ResourceNotFoundException](t, err, id)
		wantError[*types.ResourceNotFoundException](t, f.complete(arn, id))
		wantError[*types.ResourceNotFoundException](t, f.delete(arn, id))
		out := must(f.c.BatchGetAttachedFileMetadata(ctx, &connect.BatchGetAttachedFileMetadataInput{
			InstanceId: f.inst(), AssociatedResourceArn: aws.String(arn), FileIds: []string{id},
		}))(t)
		if len(out.Files) != 0 || len(out.Errors) != 1 || aws.ToString(out.Errors[0].FileId) != id {
			t.Errorf("BatchGet after delete: %+v", out)
		}
		if resp, _ := fileGet(t, downloadURL); resp.StatusCode != http.StatusNotFound {
			t.Errorf("download after delete: %d", resp.StatusCode)
		}
		if !s3 {
			if status, resp := filePut(t, up.UploadUrlMetadata, body); status != http.StatusForbidden || !strings.Contains(resp, "no longer exists") {
				t.Errorf("upload after delete: %d %s", status, resp)
			}
		}
	})
}

func TestFilesUploadURLRefusals(t *testing.T) {
	clock := blobtest.NewClock()
	f := startFileEnv(t, connectlocaltest.WithClock(clock.Now))
	arn := f.emailContact()
	body := []byte("name,amount\nann,12\n")
	fresh := func(mutate ...func(*connect.StartAttachedFileUploadInput)) *types.UploadUrlMetadata {
		t.Helper()
		return must(f.start(arn, "data.csv", int64(len(body)), mutate...))(t).UploadUrlMetadata
	}
	wantS3Error := func(t *testing.T, status int, resp string, wantStatus int, code string) {
		t.Helper()
		if status != wantStatus || !strings.Contains(resp, "<Error><Code>"+code+"</Code>") {
			t.Errorf("want %d %s, got %d %s", wantStatus, code, status, resp)
		}
	}
	t.Run("Expired", func(t *testing.T) {
		m := fresh(func(in *connect.StartAttachedFileUploadInput) { in.UrlExpiryInSeconds = aws.Int32(5) })
		clock.Advance(6 * time.Second)
		status, resp := filePut(t, m, body)
		wantS3Error(t, status, resp, http.StatusForbidden, "AccessDenied")
		if !strings.Contains(resp, "<Message>Request has expired</Message>") || !strings.Contains(resp, "<X-Amz-Expires>5</X-Amz-Expires>") {
			t.Errorf("expiry answer: %s", resp)
		}
	})
	t.Run("ExpiresAtUrlExpiry", func(t *testing.T) {
		m := fresh(func(in *connect.StartAttachedFileUploadInput) { in.UrlExpiryInSeconds = aws.Int32(60) })
		want := clock.Now().Add(60 * time.Second).UTC().Format("2006-01-02T15:04:05.000Z")
		if aws.ToString(m.UrlExpiry) != want {
			t.Errorf("UrlExpiry %s, want %s", aws.ToString(m.UrlExpiry), want)
		}
		clock.Advance(59 * time.Second)
		if status, resp := filePut(t, m, body); status != http.StatusOK {
			t.Errorf("a second before expiry: %d %s", status, resp)
		}
	})
	t.Run("Tampered", func(t *testing.T) {
		m := fresh()
		other := fresh()
		u, _ := url.Parse(aws.ToString(m.Url))
		o, _ := url.Parse(aws.ToString(other.Url))
		swapped := *u
		swapped.Path = o.Path // this URL's signature on the other file's upload
		longer := *u
		q := u.Query()
		q.Set("X-Amz-Expires", "3600")
		longer.RawQuery = q.Encode()
		bigger := *u
		q = u.Query()
		q.Set(blob.SizeParam, "1000000")
		bigger.RawQuery = q.Encode()
		forged := *u
		q = u.Query()
		sig := []byte(q.Get("X-Amz-Signature"))
		sig[0] ^= 1
		q.Set("X-Amz-Signature", string(sig))
		forged.RawQuery = q.Encode()
		for name, target := range map[string]string{"OtherFile": swapped.String(), "LongerExpiry": longer.String(), "BiggerSize": bigger.String(), "Signature": forged.String()} {
			status, resp := filePut(t, &types.UploadUrlMetadata{Url: aws.String(target), HeadersToInclude: m.HeadersToInclude}, body)
			if status != http.StatusForbidden || !strings.Contains(resp, "<Code>SignatureDoesNotMatch</Code>") {
				t.Errorf("%s: %d %s", name, status, resp)
			}
		}
		status, resp := filePut(t, &types.UploadUrlMetadata{Url: m.Url, HeadersToInclude: map[string]string{"Content-Type": "text/html"}}, body)
		wantS3Error(t, status, resp, http.StatusForbidden, "SignatureDoesNotMatch")
		status, resp = filePut(t, &types.UploadUrlMetadata{Url: aws.String(u.Scheme + "://" + u.Host + u.Path)}, body)
		wantS3Error(t, status, resp, http.StatusForbidden, "AccessDenied")
	})
	t.Run("WrongSize", func(t *testing.T) {
		m := fresh()
		status, resp := filePut(t, m, append(body, '!'))
		wantS3Error(t, status, resp, http.StatusBadRequest, "EntityTooLarge")
		status, resp = filePut(t, m, body[:len(body)-1])
		wantS3Error(t, status, resp, http.StatusBadRequest, "EntityTooSmall")
		// A body that ends before its Content-Length.
		status, resp, err := filePutReader(m, io.MultiReader(bytes.NewReader(body[:5]), fileErrReader{}), int64(len(body)))
		if err == nil && status < 400 {
			t.Errorf("a body cut short: %d %s", status, resp)
		}
		// What was refused was not stored: completing finds nothing.
		id := fileIDFromUploadURL(t, m)
		must(struct{}{}, f.complete(arn, id))(t)
		if got := must(f.get(arn, id))(t); got.FileStatus != types.FileStatusTypeFailed {
			t.Errorf("after refused uploads: %s", got.FileStatus)
		}
	})
	t.Run("DownloadURLExpires", func(t *testing.T) {
		id, status := f.attach(arn, "d.csv", body)
		if status != "APPROVED" {
			t.Fatalf("status %s", status)
		}
		got := must(f.c.GetAttachedFile(ctx, &connect.GetAttachedFileInput{InstanceId: f.inst(), AssociatedResourceArn: aws.String(arn), FileId: aws.String(id), UrlExpiryInSeconds: aws.Int32(10)}))(t)
		clock.Advance(11 * time.Second)
		resp, b := fileGet(t, aws.ToString(got.DownloadUrlMetadata.Url))
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "Request has expired") {
			t.Errorf("expired download URL: %d %s", resp.StatusCode, b)
		}
	})
	t.Run("DownloadURLIsReadOnly", func(t *testing.T) {
		id, _ := f.attach(arn, "r.csv", body)
		got := must(f.get(arn, id))(t)
		status, resp := filePut(t, &types.UploadUrlMetadata{Url: got.DownloadUrlMetadata.Url}, []byte("replaced"))
		wantS3Error(t, status, resp, http.StatusForbidden, "SignatureDoesNotMatch")
	})
}

type fileErrReader struct{}

func (fileErrReader) Read([]byte) (int, error) { return 0, errors.New("connection lost") }

// fileIDFromUploadURL reads the file ID from an upload URL of connectlocal's own endpoint
// (.../incoming/<account>/<instance>/<file>).
func fileIDFromUploadURL(t *testing.T, m *types.UploadUrlMetadata) string {
	u, err := url.Parse(aws.ToString(m.Url))
	if err != nil {
		t.Fatal(err)
	}
	return u.Path[strings.LastIndex(u.Path, "/")+1:]
}

func TestFilesEICARIsRejected(t *testing.T) {
	f := startFileEnv(t)
	arn := f.emailContact()
	for name, body := range map[string][]byte{
		"Alone":         []byte(fileEICAR),
		"Inside":        []byte("hello\n" + fileEICAR + "\nbye"),
		"AcrossBuffers": append(bytes.Repeat([]byte{'a'}, 32<<10-30), fileEICAR...),
	} {
		t.Run(name, func(t *testing.T) {
			id, status := f.attach(arn, name+".txt", body)
			if status != "REJECTED" {
				t.Errorf("status %s", status)
			}
			if got := must(f.get(arn, id))(t); got.DownloadUrlMetadata != nil {
				t.Error("a REJECTED file has a download URL")
			}
			must(struct{}{}, f.delete(arn, id))(t) // keep under the 10-file quota
		})
	}
	t.Run("AlmostEICARIsApproved", func(t *testing.T) {
		if _, status := f.attach(arn, "almost.txt", []byte(fileEICAR[:len(fileEICAR)-1])); status != "APPROVED" {
			t.Errorf("status %s", status)
		}
	})
}

func TestFilesStartRefusals(t *testing.T) {
	f := startFileEnv(t)
	arn := f.emailContact()
	for name, tc := range map[string]struct {
		file   string
		size   int64
		reason types.AttachedFileInvalidRequestExceptionReason
	}{
		"Executable":    {"setup.exe", 10, types.AttachedFileInvalidRequestExceptionReasonInvalidFileType},
		"NoExtension":   {"README", 10, types.AttachedFileInvalidRequestExceptionReasonInvalidFileType},
		"TooBig":        {"film.mp4", 20<<20 + 1, types.AttachedFileInvalidRequestExceptionReasonInvalidFileSize},
		"Slash":         {"a/b.pdf", 10, types.AttachedFileInvalidRequestExceptionReasonInvalidFileName},
		"Backslash":     {`a\b.pdf`, 10, types.AttachedFileInvalidRequestExceptionReasonInvalidFileName},
		"OnlyExtension": {".pdf", 10, types.AttachedFileInvalidRequestExceptionReasonInvalidFileName},
		"LeadingSpace":  {" a.pdf", 10, types.AttachedFileInvalidRequestExceptionReasonInvalidFileName},
		"TrailingSpace": {"a.pdf ", 10, types.AttachedFileInvalidRequestExceptionReasonInvalidFileName},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.start(arn, tc.file, tc.size)
			if got := fileInvalidReason(t, err); got != tc.reason {
				t.Errorf("Reason %s, want %s", got, tc.reason)
			}
		})
	}
	t.Run("UpperCaseExtensionAndExactLimit", func(t *testing.T) {
		must(f.start(arn, "SCAN.PDF", 20<<20))(t)
	})
	t.Run("ModelConstraints", func(t *testing.T) {
		// The model's own constraints are checked first, as Connect does, in AWS's
		// validation wording; a file name or size that breaks them carries the Reason the
		// operation documents for names and sizes.
		for name, tc := range map[string]struct {
			mutate func(*connect.StartAttachedFileUploadInput)
			reason types.AttachedFileInvalidRequestExceptionReason
		}{
			"ControlCharacter": {func(in *connect.StartAttachedFileUploadInput) { in.FileName = aws.String("a\tb.pdf") }, types.AttachedFileInvalidRequestExceptionReasonInvalidFileName},
			"FormatCharacter":  {func(in *connect.StartAttachedFileUploadInput) { in.FileName = aws.String("a\u200b.pdf") }, types.AttachedFileInvalidRequestExceptionReasonInvalidFileName},
			"NameTooLong": {func(in *connect.StartAttachedFileUploadInput) {
				in.FileName = aws.String(strings.Repeat("a", 253) + ".pdf")
			}, types.AttachedFileInvalidRequestExceptionReasonInvalidFileName},
			"EmptySize":      {func(in *connect.StartAttachedFileUploadInput) { in.FileSizeInBytes = aws.Int64(0) }, types.AttachedFileInvalidRequestExceptionReasonInvalidFileSize},
			"ExpiryTooShort": {func(in *connect.StartAttachedFileUploadInput) { in.UrlExpiryInSeconds = aws.Int32(4) }, ""},
			"ExpiryTooLong":  {func(in *connect.StartAttachedFileUploadInput) { in.UrlExpiryInSeconds = aws.Int32(301) }, ""},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := f.start(arn, "ok.pdf", 10, tc.mutate)
				e := wantError[*types.InvalidRequestException](t, err, "validation error")
				var got types.AttachedFileInvalidRequestExceptionReason
				if r, ok := e.Reason.(*types.InvalidRequestExceptionReasonMemberAttachedFileInvalidRequestExceptionReason); ok {
					got = r.Value
				}
				if got != tc.reason {
					t.Errorf("Reason = %q, want %q", got, tc.reason)
				}
			})
		}
	})
	t.Run("UseCaseOtherThanAttachment", func(t *testing.T) {
		_, err := f.start(arn, "m.json", 10, func(in *connect.StartAttachedFileUploadInput) { in.FileUseCaseType = types.FileUseCaseTypeEmailMessage })
		wantError[*types.InvalidRequestException](t, err, "Only ATTACHMENT")
	})
	t.Run("AWSIdentityArnCannotBeSet", func(t *testing.T) {
		_, err := f.start(arn, "a.pdf", 10, func(in *connect.StartAttachedFileUploadInput) {
			in.CreatedBy = &types.CreatedByInfoMemberAWSIdentityArn{Value: "arn:aws:iam::000000000000:user/someone"}
		})
		wantError[*types.InvalidRequestException](t, err, "AWSIdentityArn")
	})
	t.Run("AssociatedResource", func(t *testing.T) {
		inst := f.srv.Defaults.InstanceID
		taskID := task(t, f.c, f.srv)
		other := must(f.c.CreateInstance(ctx, &connect.CreateInstanceInput{IdentityManagementType: types.DirectoryTypeConnectManaged, InstanceAlias: aws.String("files-other"),
			InboundCallsEnabled: aws.Bool(true), OutboundCallsEnabled: aws.Bool(true)}))(t)
		for name, target := range map[string]string{
			"TaskContact":      "arn:aws:connect:us-east-1:000000000000:instance/" + inst + "/contact/" + taskID,
			"UnknownContact":   "arn:aws:connect:us-east-1:000000000000:instance/" + inst + "/contact/00000000-0000-4000-8000-000000000000",
			"OtherInstance":    strings.Replace(arn, inst, aws.ToString(other.Id), 1),
			"OtherAccountCase": "arn:aws:cases:us-east-1:111111111111:domain/d1/case/c1",
			"Queue":            "arn:aws:connect:us-east-1:000000000000:instance/" + inst + "/queue/" + f.srv.Defaults.QueueID,
			"NotAnARN":         "email-contact",
		} {
			_, err := f.start(target, "a.pdf", 10)
			var e *types.InvalidRequestException
			if !errors.As(err, &e) {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
	t.Run("UnknownInstance", func(t *testing.T) {
		_, err := f.c.StartAttachedFileUpload(ctx, &connect.StartAttachedFileUploadInput{
			InstanceId: aws.String("00000000-0000-4000-8000-000000000000"), AssociatedResourceArn: aws.String(arn),
			FileName: aws.String("a.pdf"), FileSizeInBytes: aws.Int64(1), FileUseCaseType: types.FileUseCaseTypeAttachment,
		})
		wantError[*types.InvalidRequestException](t, err, "Instance not found")
	})
}

func TestFilesCasesAndCreatedBy(t *testing.T) {
	f := startFileEnv(t)
	caseARN := "arn:aws:cases:us-east-1:000000000000:domain/7a1b/case/c-42"
	agent := "arn:aws:connect:us-east-1:000000000000:instance/" + f.srv.Defaults.InstanceID + "/agent/0b8e1c2d"
	up := must(f.start(caseARN, "photo.png", 4, func(in *connect.StartAttachedFileUploadInput) {
		in.CreatedBy = &types.CreatedByInfoMemberConnectUserArn{Value: agent}
	}))(t)
	if cb, ok := up.CreatedBy.(*types.CreatedByInfoMemberConnectUserArn); !ok || cb.Value != agent {
		t.Errorf("CreatedBy %#v", up.CreatedBy)
	}
	if status, resp := filePut(t, up.UploadUrlMetadata, []byte("\x89PNG")); status != http.StatusOK {
		t.Fatalf("upload: %d %s", status, resp)
	}
	must(struct{}{}, f.complete(caseARN, aws.ToString(up.FileId)))(t)
	got := must(f.get(caseARN, aws.ToString(up.FileId)))(t)
	resp, _ := fileGet(t, aws.ToString(got.DownloadUrlMetadata.Url))
	if resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
	}
	t.Run("NotFoundThroughAnotherResource", func(t *testing.T) {
		_, err := f.get("arn:aws:cases:us-east-1:000000000000:domain/7a1b/case/c-43", aws.ToString(up.FileId))
		wantError[*types.ResourceNotFoundException](t, err)
	})
	t.Run("AgentOfAnotherInstance", func(t *testing.T) {
		_, err := f.start(caseARN, "x.png", 4, func(in *connect.StartAttachedFileUploadInput) {
			in.CreatedBy = &types.CreatedByInfoMemberConnectUserArn{Value: "arn:aws:connect:us-east-1:000000000000:instance/other/agent/1"}
		})
		wantError[*types.InvalidRequestException](t, err, "ConnectUserArn")
	})
}

func TestFilesQuotas(t *testing.T) {
	f := startFileEnv(t)
	t.Run("TenFilesPerEmail", func(t *testing.T) {
		arn := f.emailContact()
		var ids []string
		for i := range 10 {
			ids = append(ids, aws.ToString(must(f.start(arn, fmt.Sprintf("f%d.txt", i), 10))(t).FileId))
		}
		_, err := f.start(arn, "f10.txt", 10)
		if got := fileQuotaReason(t, err); got != types.AttachedFileServiceQuotaExceededExceptionReasonTotalFileCountExceeded {
			t.Errorf("Reason %s", got)
		}
		// A FAILED file holds no bytes and no place; neither does a deleted one.
		must(struct{}{}, f.complete(arn, ids[0]))(t)
		must(f.start(arn, "f10.txt", 10))(t)
		must(struct{}{}, f.delete(arn, ids[1]))(t)
		must(f.start(arn, "f11.txt", 10))(t)
		if _, err := f.start(arn, "f12.txt", 10); err == nil {
			t.Error("an eleventh live file was accepted")
		}
		// Another email has its own quota.
		must(f.start(f.emailContact(), "g.txt", 10))(t)
	})
	t.Run("FortyMegabytesPerEmail", func(t *testing.T) {
		arn := f.emailContact()
		must(f.start(arn, "a.mp4", 20<<20))(t)
		must(f.start(arn, "b.mp4", 20<<20))(t)
		_, err := f.start(arn, "c.txt", 1)
		if got := fileQuotaReason(t, err); got != types.AttachedFileServiceQuotaExceededExceptionReasonTotalFileSizeExceeded {
			t.Errorf("Reason %s", got)
		}
	})
}

func TestFilesBatchGetReportsUnknownAndForeignIDs(t *testing.T) {
	f := startFileEnv(t, connectlocaltest.WithKey("AKOTHER", "other-secret", "111111111111"))
	arn, otherArn := f.emailContact(), f.emailContact()
	mine, _ := f.attach(arn, "mine.txt", []byte("mine"))
	processing := aws.ToString(must(f.start(arn, "later.txt", 3))(t).FileId)
	theirs, _ := f.attach(otherArn, "theirs.txt", []byte("theirs"))
	deleted, _ := f.attach(arn, "gone.txt", []byte("gone"))
	must(struct{}{}, f.delete(arn, deleted))(t)
	out := must(f.c.BatchGetAttachedFileMetadata(ctx, &connect.BatchGetAttachedFileMetadataInput{
		InstanceId: f.inst(), AssociatedResourceArn: aws.String(arn),
		FileIds: []string{mine, "00000000-0000-4000-8000-000000000000", theirs, processing, deleted, mine},
	}))(t)
	var found []string
	for _, file := range out.Files {
		found = append(found, aws.ToString(file.FileId)+":"+string(file.FileStatus))
		if !fileISOTime.MatchString(aws.ToString(file.CreationTime)) || file.CreatedBy == nil {
			t.Errorf("file metadata: %+v", file)
		}
	}
	if want := []string{mine + ":APPROVED", processing + ":PROCESSING"}; strings.Join(found, " ") != strings.Join(want, " ") {
		t.Errorf("Files %v, want %v", found, want)
	}
	var failed []string
	for _, e := range out.Errors {
		failed = append(failed, aws.ToString(e.FileId))
		if aws.ToString(e.ErrorCode) != "404" || !strings.Contains(aws.ToString(e.ErrorMessage), "not found") {
			t.Errorf("error entry %+v", e)
		}
	}
	if want := []string{"00000000-0000-4000-8000-000000000000", theirs, deleted}; strings.Join(failed, " ") != strings.Join(want, " ") {
		t.Errorf("Errors for %v, want %v", failed, want)
	}
	t.Run("UnknownInstanceFailsTheCall", func(t *testing.T) {
		_, err := f.c.BatchGetAttachedFileMetadata(ctx, &connect.BatchGetAttachedFileMetadataInput{
			InstanceId: aws.String("00000000-0000-4000-8000-000000000000"), AssociatedResourceArn: aws.String(arn), FileIds: []string{mine},
		})
		wantError[*types.ResourceNotFoundException](t, err)
	})
	t.Run("OtherAccountSeesNothing", func(t *testing.T) {
		other := connect.NewFromConfig(f.srv.ConfigFor("AKOTHER", "other-secret"))
		_, err := other.GetAttachedFile(ctx, &connect.GetAttachedFileInput{InstanceId: f.inst(), AssociatedResourceArn: aws.String(arn), FileId: aws.String(mine)})
		wantError[*types.ResourceNotFoundException](t, err)
	})
}

func TestFilesIdempotentStart(t *testing.T) {
	f := startFileEnv(t)
	arn := f.emailContact()
	token := func(in *connect.StartAttachedFileUploadInput) { in.ClientToken = aws.String("token-1") }
	first := must(f.start(arn, "a.pdf", 10, token))(t)
	again := must(f.start(arn, "a.pdf", 10, token))(t)
	if aws.ToString(again.FileId) != aws.ToString(first.FileId) {
		t.Errorf("a retry created file %s after %s", aws.ToString(again.FileId), aws.ToString(first.FileId))
	}
	_, err := f.start(arn, "b.pdf", 10, token)
	wantError[*types.ResourceConflictException](t, err, "token-1")
}

func TestFilesConfiguration(t *testing.T) {
	f := startFileEnv(t)
	describeScope := func(scope types.AttachmentScope) *types.AttachedFilesConfiguration {
		t.Helper()
		return must(f.c.DescribeAttachedFilesConfiguration(ctx, &connect.DescribeAttachedFilesConfigurationInput{InstanceId: f.inst(), AttachmentScope: scope}))(t).AttachedFilesConfiguration
	}
	extensions := func(c *types.ExtensionConfiguration) string {
		var out []string
		for _, e := range c.AllowedExtensions {
			out = append(out, aws.ToString(e.Extension))
		}
		return strings.Join(out, " ")
	}
	const defaults = "csv doc docx heic jfif jpeg jpg mov mp4 pdf png ppt pptx rtf txt wav xls xlsx"
	t.Run("Defaults", func(t *testing.T) {
		for _, scope := range types.AttachmentScope("").Values() {
			c := describeScope(scope)
			if c.AttachmentScope != scope || aws.ToString(c.InstanceId) != f.srv.Defaults.InstanceID ||
				aws.ToInt64(c.MaximumSizeLimitInBytes) != 20<<20 || extensions(c.ExtensionConfiguration) != defaults {
				t.Errorf("%s: %+v", scope, c)
			}
		}
		list := must(f.c.ListAttachedFilesConfigurations(ctx, &connect.ListAttachedFilesConfigurationsInput{InstanceId: f.inst()}))(t)
		if len(list.AttachedFilesConfigurations) != 4 || list.NextToken != nil {
			t.Errorf("List: %+v", list)
		}
	})
	t.Run("Paginated", func(t *testing.T) {
		var scopes []string
		p := connect.NewListAttachedFilesConfigurationsPaginator(f.c, &connect.ListAttachedFilesConfigurationsInput{InstanceId: f.inst(), MaxResults: aws.Int32(3)})
		for p.HasMorePages() {
			for _, c := range must(p.NextPage(ctx))(t).AttachedFilesConfigurations {
				scopes = append(scopes, string(c.AttachmentScope))
			}
		}
		if strings.Join(scopes, " ") != "EMAIL CHAT CASE TASK" {
			t.Errorf("scopes %v", scopes)
		}
	})
	arn := f.emailContact()
	t.Run("UpdateIsPartialAndApplies", func(t *testing.T) {
		out := must(f.c.UpdateAttachedFilesConfiguration(ctx, &connect.UpdateAttachedFilesConfigurationInput{
			InstanceId: f.inst(), AttachmentScope: types.AttachmentScopeEmail,
			ExtensionConfiguration: &types.ExtensionConfiguration{AllowedExtensions: []types.AllowedExtension{{Extension: aws.String("ZIP")}, {Extension: aws.String("pdf")}, {Extension: aws.String("zip")}}},
		}))(t)
		if extensions(out.ExtensionConfiguration) != "zip pdf" || aws.ToInt64(out.MaximumSizeLimitInBytes) != 20<<20 || out.LastModifiedTime == nil {
			t.Errorf("Update: %+v", out)
		}
		must(f.c.UpdateAttachedFilesConfiguration(ctx, &connect.UpdateAttachedFilesConfigurationInput{
			InstanceId: f.inst(), AttachmentScope: types.AttachmentScopeEmail, MaximumSizeLimitInBytes: aws.Int64(100),
		}))(t)
		c := describeScope(types.AttachmentScopeEmail)
		if extensions(c.ExtensionConfiguration) != "zip pdf" || aws.ToInt64(c.MaximumSizeLimitInBytes) != 100 || c.LastModifiedTime == nil {
			t.Errorf("after two partial updates: %+v", c)
		}
		if c := describeScope(types.AttachmentScopeChat); extensions(c.ExtensionConfiguration) != defaults {
			t.Errorf("CHAT changed: %+v", c)
		}
		must(f.start(arn, "bundle.zip", 100))(t)
		_, err := f.start(arn, "report.csv", 10)
		if got := fileInvalidReason(t, err); got != types.AttachedFileInvalidRequestExceptionReasonInvalidFileType {
			t.Errorf("csv after the update: %s", got)
		}
		_, err = f.start(arn, "bundle.zip", 101)
		if got := fileInvalidReason(t, err); got != types.AttachedFileInvalidRequestExceptionReasonInvalidFileSize {
			t.Errorf("101 bytes after the update: %s", got)
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		_, err := f.c.UpdateAttachedFilesConfiguration(ctx, &connect.UpdateAttachedFilesConfigurationInput{InstanceId: f.inst(), AttachmentScope: types.AttachmentScopeTask})
		wantError[*types.InvalidParameterException](t, err, "at least one")
		_, err = f.c.UpdateAttachedFilesConfiguration(ctx, &connect.UpdateAttachedFilesConfigurationInput{InstanceId: f.inst(), AttachmentScope: types.AttachmentScopeTask, MaximumSizeLimitInBytes: aws.Int64(104857601)})
		wantError[*types.InvalidParameterException](t, err, "validation error")
		_, err = f.c.UpdateAttachedFilesConfiguration(ctx, &connect.UpdateAttachedFilesConfigurationInput{InstanceId: f.inst(), AttachmentScope: types.AttachmentScopeTask,
			ExtensionConfiguration: &types.ExtensionConfiguration{AllowedExtensions: []types.AllowedExtension{{Extension: aws.String(".pdf")}}}})
		wantError[*types.InvalidParameterException](t, err, "validation error")
		_, err = f.c.DescribeAttachedFilesConfiguration(ctx, &connect.DescribeAttachedFilesConfigurationInput{InstanceId: aws.String("00000000-0000-4000-8000-000000000000"), AttachmentScope: types.AttachmentScopeEmail})
		wantError[*types.ResourceNotFoundException](t, err)
	})
}

func TestFilesConcurrentUploads(t *testing.T) {
	for name, opts := range map[string]func(t *testing.T) connectlocaltest.Option{
		"Folder": func(t *testing.T) connectlocaltest.Option { return connectlocaltest.WithDataDir(t.TempDir()) },
		"S3": func(t *testing.T) connectlocaltest.Option {
			return connectlocaltest.WithS3Blobs(blobtest.S3Server(t), "attachments", "s3key", "s3secret")
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := startFileEnv(t, opts(t))
			const n = 40
			arns := make([]string, n/10)
			for i := range arns {
				arns[i] = f.emailContact()
			}
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i := range n {
				wg.Go(func() {
					arn := arns[i%len(arns)]
					body := bytes.Repeat([]byte(fmt.Sprintf("file %d;", i)), 1000+i*100)
					if err := fileRoundTrip(f, arn, fmt.Sprintf("f%d.txt", i), body); err != nil {
						errs <- fmt.Errorf("file %d: %w", i, err)
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

// fileRoundTrip runs a whole life cycle without touching t, for use in goroutines.
func fileRoundTrip(f *fileEnv, arn, name string, body []byte) error {
	up, err := f.start(arn, name, int64(len(body)))
	if err != nil {
		return err
	}
	status, resp, err := filePutReader(up.UploadUrlMetadata, bytes.NewReader(body), int64(len(body)))
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("upload: %d %s %v", status, resp, err)
	}
	if err := f.complete(arn, aws.ToString(up.FileId)); err != nil {
		return err
	}
	got, err := f.get(arn, aws.ToString(up.FileId))
	if err != nil {
		return err
	}
	if got.FileStatus != types.FileStatusTypeApproved || got.DownloadUrlMetadata == nil {
		return fmt.Errorf("status %s", got.FileStatus)
	}
	resp2, err := http.Get(aws.ToString(got.DownloadUrlMetadata.Url))
	if err != nil {
		return err
	}
	defer resp2.Body.Close()
	b, err := io.ReadAll(resp2.Body)
	if err != nil || !bytes.Equal(b, body) {
		return fmt.Errorf("download: %d bytes, %v", len(b), err)
	}
	return nil
}

func TestFilesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	f := startFileEnv(t, connectlocaltest.WithDataDir(dir))
	arn := f.emailContact()
	body := []byte("kept across restarts")
	up := must(f.start(arn, "kept.txt", int64(len(body))))(t)
	f.srv.Stop()
	// Same data dir and listen address: the URL signed before the restart still works.
	u, _ := url.Parse(f.srv.URL)
	f2 := startFileEnv(t, connectlocaltest.WithDataDir(dir), func(c *server.Config) { c.Addr = u.Host })
	if status, resp := filePut(t, up.UploadUrlMetadata, body); status != http.StatusOK {
		t.Fatalf("upload after restart: %d %s", status, resp)
	}
	must(struct{}{}, f2.complete(arn, aws.ToString(up.FileId)))(t)
	got := must(f2.get(arn, aws.ToString(up.FileId)))(t)
	if _, b := fileGet(t, aws.ToString(got.DownloadUrlMetadata.Url)); !bytes.Equal(b, body) {
		t.Errorf("downloaded %q", b)
	}
}

// filePattern is n deterministic bytes, generated as they are read: a 100 MB body that
// takes no memory on the client side.
type filePattern struct{ n, off int64 }

func (p *filePattern) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), p.n-p.off)]
	for i := range b {
		b[i] = byte((p.off + int64(i)) % 253)
	}
	p.off += int64(len(b))
	return len(b), nil
}

// BenchmarkUploadDownload100MB uploads, completes (scans) and downloads a 100 MiB file
// through the folder blob store, and reports the throughputs and the process's peak heap
// above what it was before (client and server share the process; the client side streams
// from a generator and to a hash, so the peak is the server's). Run it with
// -benchtime=1x.
func BenchmarkUploadDownload100MB(b *testing.B) {
	const size = 100 << 20
	srv := connectlocaltest.Start(b, connectlocaltest.WithDataDir(b.TempDir()))
	c := connect.NewFromConfig(srv.Config)
	inst := aws.String(srv.Defaults.InstanceID)
	must(c.UpdateAttachedFilesConfiguration(ctx, &connect.UpdateAttachedFilesConfigurationInput{
		InstanceId: inst, AttachmentScope: types.AttachmentScopeCase, MaximumSizeLimitInBytes: aws.Int64(size),
	}))(b)
	want := sha256.New()
	io.Copy(want, &filePattern{n: size})
	for i := 0; i < b.N; i++ {
		arn := fmt.Sprintf("arn:aws:cases:us-east-1:000000000000:domain/bench/case/c%d", i)
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		peak := fileWatchHeap()

		up := must(c.StartAttachedFileUpload(ctx, &connect.StartAttachedFileUploadInput{
			InstanceId: inst, AssociatedResourceArn: aws.String(arn), FileName: aws.String("big.mp4"),
			FileSizeInBytes: aws.Int64(size), FileUseCaseType: types.FileUseCaseTypeAttachment,
		}))(b)
		t0 := time.Now()
		status, resp, err := filePutReader(up.UploadUrlMetadata, &filePattern{n: size}, size)
		if err != nil || status != http.StatusOK {
			b.Fatalf("upload: %d %s %v", status, resp, err)
		}
		upTime := time.Since(t0)
		t1 := time.Now()
		must(c.CompleteAttachedFileUpload(ctx, &connect.CompleteAttachedFileUploadInput{InstanceId: inst, AssociatedResourceArn: aws.String(arn), FileId: up.FileId}))(b)
		scanTime := time.Since(t1)
		got := must(c.GetAttachedFile(ctx, &connect.GetAttachedFileInput{InstanceId: inst, AssociatedResourceArn: aws.String(arn), FileId: up.FileId}))(b)
		if got.FileStatus != types.FileStatusTypeApproved {
			b.Fatalf("status %s", got.FileStatus)
		}
		t2 := time.Now()
		r, err := http.Get(aws.ToString(got.DownloadUrlMetadata.Url))
		if err != nil {
			b.Fatal(err)
		}
		h := sha256.New()
		n, err := io.Copy(h, r.Body)
		r.Body.Close()
		downTime := time.Since(t2)
		if err != nil || n != size || !bytes.Equal(h.Sum(nil), want.Sum(nil)) {
			b.Fatalf("download: %d bytes, %v", n, err)
		}
		heapPeak := peak()
		mb := float64(size) / (1 << 20)
		b.ReportMetric(mb/upTime.Seconds(), "upload-MB/s")
		b.ReportMetric(mb/scanTime.Seconds(), "complete-MB/s")
		b.ReportMetric(mb/downTime.Seconds(), "download-MB/s")
		b.ReportMetric(float64(heapPeak-base.HeapInuse)/(1<<20), "peak-heap-MB")
		b.Logf("100 MiB: upload %.0f MB/s, complete (copy + scan) %.0f MB/s, download %.0f MB/s; peak heap in use %.1f MB above the %.1f MB before; process peak RSS (VmHWM) %s",
			mb/upTime.Seconds(), mb/scanTime.Seconds(), mb/downTime.Seconds(), float64(heapPeak-base.HeapInuse)/(1<<20), float64(base.HeapInuse)/(1<<20), fileVmHWM())
	}
}

// fileWatchHeap samples HeapInuse every few milliseconds until the returned function is
// called, which returns the highest value seen.
func fileWatchHeap() func() uint64 {
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		var peak uint64
		var m runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				result <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-result }
}

// fileVmHWM is the process's peak resident set size, from /proc/self/status.
func fileVmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fields := strings.Fields(v)
			if kb, err := strconv.Atoi(fields[0]); err == nil {
				return fmt.Sprintf("%.0f MB", float64(kb)/1024)
			}
		}
	}
	return "unknown"
}

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

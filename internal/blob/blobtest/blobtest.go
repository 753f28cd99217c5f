// Package blobtest is the conformance suite every blob.Store passes: storage semantics
// (exact sizes, atomic replacement, copy, list, delete) and URLs that plain net/http
// clients can use with only the headers they are handed.
//
//	func TestConformance(t *testing.T) {
//		blobtest.Run(t, func(t *testing.T) blobtest.Harness { return blobtest.Local(t, newStore) })
//	}
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/server"
	"github.com/connectlocal/connectlocal/internal/sigv4"
)

// Harness is one fresh, empty store under test and what the suite may assume of it.
type Harness struct {
	Store blob.Store
	// ChecksSignatures says that the service behind the store's URLs refuses a tampered
	// URL (a test S3 server may accept anything).
	ChecksSignatures bool
	// Advance moves the clock the store's URLs are checked against; nil if it cannot.
	Advance func(time.Duration)
}

// Clock is a settable clock for URLs checked against an injected time.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at the wall clock's time.
func NewClock() *Clock { return &Clock{t: time.Now().UTC()} }

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Local returns a harness for a store whose URLs blob.LocalURLs issues: it serves them
// with connectlocal's blob endpoint on a test HTTP server, signed under a settable clock.
func Local(t *testing.T, newStore func(urls *blob.LocalURLs) blob.Store) Harness {
	t.Helper()
	clock := NewClock()
	p := &sigv4.Presigner{Key: sigv4.Key{AccessKeyID: "blobtest", SecretAccessKey: "blobtest-secret"}, Region: "us-east-1", Service: "s3", Now: clock.Now}
	urls := &blob.LocalURLs{Presigner: p}
	st := newStore(urls)
	srv := httptest.NewServer(&server.BlobHandler{Store: st, Presigner: p, Now: clock.Now})
	t.Cleanup(srv.Close)
	urls.Base = srv.URL + strings.TrimSuffix(server.BlobPath, "/")
	return Harness{Store: st, ChecksSignatures: true, Advance: clock.Advance}
}

// S3Server starts an in-process S3-compatible server (gofakes3, in memory) for the test
// and returns its endpoint, for path-style requests with any credentials. It does not
// check signatures or expiry.
func S3Server(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(gofakes3.New(s3mem.New(), gofakes3.WithAutoBucket(true)).Server())
	t.Cleanup(srv.Close)
	return srv.URL
}

var ctx = context.Background()

// Run runs the suite; newHarness is called once per subtest.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	tests := []struct {
		name string
		fn   func(*testing.T, Harness)
	}{
		{"PutOpenStat", testPutOpenStat},
		{"PutReplaces", testPutReplaces},
		{"PutWrongSizeStoresNothing", testPutWrongSize},
		{"PutStreams", testPutStreams},
		{"Missing", testMissing},
		{"InvalidKeys", testInvalidKeys},
		{"Copy", testCopy},
		{"Delete", testDelete},
		{"List", testList},
		{"Concurrent", testConcurrent},
		{"ConcurrentPutAndDeleteInOneFolder", testPutDeleteRace},
		{"UploadAndDownloadURLs", testURLs},
		{"UploadURLRefusesWrongSize", testUploadWrongSize},
		{"URLsRefuseTampering", testTampering},
		{"URLsExpire", testExpiry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newHarness(t)) })
	}
}

func put(t *testing.T, st blob.Store, key string, data []byte) {
	t.Helper()
	if err := st.Put(ctx, key, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatalf("Put(%s): %v", key, err)
	}
}

func read(t *testing.T, st blob.Store, key string) []byte {
	t.Helper()
	rc, info, err := st.Open(ctx, key)
	if err != nil {
		t.Fatalf("Open(%s): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	if info.Size != int64(len(b)) || info.Key != key {
		t.Errorf("Open(%s) info %+v, read %d bytes", key, info, len(b))
	}
	return b
}

func testPutOpenStat(t *testing.T, h Harness) {
	before := time.Now().Add(-time.Minute)
	put(t, h.Store, "a/b/c.txt", []byte("hello"))
	if got := read(t, h.Store, "a/b/c.txt"); string(got) != "hello" {
		t.Errorf("read %q", got)
	}
	info, err := h.Store.Stat(ctx, "a/b/c.txt")
	if err != nil || info.Size != 5 || info.Key != "a/b/c.txt" {
		t.Fatalf("Stat = %+v, %v", info, err)
	}
	if info.Modified.Before(before) || info.Modified.After(time.Now().Add(time.Minute)) {
		t.Errorf("Modified %v is not about now", info.Modified)
	}
}

func testPutReplaces(t *testing.T, h Harness) {
	put(t, h.Store, "k", []byte("first version"))
	put(t, h.Store, "k", []byte("second"))
	if got := read(t, h.Store, "k"); string(got) != "second" {
		t.Errorf("read %q", got)
	}
}

func testPutWrongSize(t *testing.T, h Harness) {
	for _, tc := range []struct {
		name string
		body io.Reader
	}{
		{"ShortSeekable", strings.NewReader("1234")},
		{"LongSeekable", strings.NewReader("123456")},
		{"ShortStream", iotest.OneByteReader(strings.NewReader("1234"))},
		{"LongStream", iotest.OneByteReader(strings.NewReader("123456"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := "wrong/" + tc.name
			if err := h.Store.Put(ctx, key, tc.body, 5); !errors.Is(err, blob.ErrSize) {
				t.Errorf("Put = %v, want ErrSize", err)
			}
			if _, err := h.Store.Stat(ctx, key); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("after a refused Put, Stat = %v, want ErrNotFound", err)
			}
		})
	}
	t.Run("KeepsTheOldObject", func(t *testing.T) {
		put(t, h.Store, "keep", []byte("12345"))
		if err := h.Store.Put(ctx, "keep", strings.NewReader("12"), 5); !errors.Is(err, blob.ErrSize) {
			t.Errorf("Put = %v, want ErrSize", err)
		}
		if got := read(t, h.Store, "keep"); string(got) != "12345" {
			t.Errorf("read %q after a refused replacement", got)
		}
	})
}

// pattern is a reader of n deterministic bytes that is not an io.Seeker.
type pattern struct{ n, off int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), p.n-p.off)]
	for i := range b {
		b[i] = byte((p.off + int64(i)) * 7 % 251)
	}
	p.off += int64(len(b))
	return len(b), nil
}

func testPutStreams(t *testing.T, h Harness) {
	const n = 8<<20 + 123
	if err := h.Store.Put(ctx, "big", &pattern{n: n}, n); err != nil {
		t.Fatal(err)
	}
	want := sha256.New()
	io.Copy(want, &pattern{n: n})
	got := sha256.Sum256(read(t, h.Store, "big"))
	if !bytes.Equal(got[:], want.Sum(nil)) {
		t.Error("streamed object reads back different bytes")
	}
}

func testMissing(t *testing.T, h Harness) {
	if _, _, err := h.Store.Open(ctx, "no/such"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Open = %v", err)
	}
	if _, err := h.Store.Stat(ctx, "no/such"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat = %v", err)
	}
	if err := h.Store.Copy(ctx, "no/such", "dst"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Copy = %v", err)
	}
	if err := h.Store.Delete(ctx, "no/such"); err != nil {
		t.Errorf("Delete of a missing object = %v", err)
	}
}

func testInvalidKeys(t *testing.T, h Harness) {
	for _, key := range []string{"", "/a", "a/", "a//b", "../a", "a/../b", "a/./b", "a b", "a\x00b", "ü"} {
		if err := h.Store.Put(ctx, key, strings.NewReader("x"), 1); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Put(%q) = %v", key, err)
		}
		if _, _, err := h.Store.Open(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Open(%q) = %v", key, err)
		}
		if _, err := h.Store.UploadURL(ctx, key, "text/plain", 1, time.Minute); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("UploadURL(%q) = %v", key, err)
		}
	}
	if _, err := h.Store.List(ctx, "../"); !errors.Is(err, blob.ErrInvalidKey) {
		t.Errorf("List(../) = %v", err)
	}
}

func testCopy(t *testing.T, h Harness) {
	put(t, h.Store, "src/x", []byte("payload"))
	if err := h.Store.Copy(ctx, "src/x", "dst/y/z"); err != nil {
		t.Fatal(err)
	}
	put(t, h.Store, "src/x", []byte("changed"))
	if err := h.Store.Delete(ctx, "src/x"); err != nil {
		t.Fatal(err)
	}
	if got := read(t, h.Store, "dst/y/z"); string(got) != "payload" {
		t.Errorf("copy reads %q after its source changed and was deleted", got)
	}
	info, err := h.Store.Stat(ctx, "dst/y/z")
	if err != nil || time.Since(info.Modified) > time.Minute {
		t.Errorf("copy's Modified = %v, %v; want about now", info.Modified, err)
	}
}

func testDelete(t *testing.T, h Harness) {
	put(t, h.Store, "d/1", []byte("x"))
	put(t, h.Store, "d/2", []byte("y"))
	if err := h.Store.Delete(ctx, "d/1"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.Stat(ctx, "d/1"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat after Delete = %v", err)
	}
	if got := read(t, h.Store, "d/2"); string(got) != "y" {
		t.Errorf("the other object reads %q", got)
	}
	if err := h.Store.Delete(ctx, "d/2"); err != nil {
		t.Fatal(err)
	}
	put(t, h.Store, "d/3", []byte("z")) // its emptied folder is usable again
	if got := read(t, h.Store, "d/3"); string(got) != "z" {
		t.Errorf("read %q", got)
	}
}

func testList(t *testing.T, h Harness) {
	for _, k := range []string{"files/a/2", "files/a/1", "files/b/1", "incoming/a/1", "filesx"} {
		put(t, h.Store, k, []byte(k))
	}
	keys := func(prefix string) string {
		infos, err := h.Store.List(ctx, prefix)
		if err != nil {
			t.Fatalf("List(%q): %v", prefix, err)
		}
		var ks []string
		for _, i := range infos {
			if i.Size != int64(len(i.Key)) {
				t.Errorf("List(%q): %s has size %d", prefix, i.Key, i.Size)
			}
			ks = append(ks, i.Key)
		}
		return strings.Join(ks, " ")
	}
	for prefix, want := range map[string]string{
		"":          "files/a/1 files/a/2 files/b/1 filesx incoming/a/1",
		"files/":    "files/a/1 files/a/2 files/b/1",
		"files":     "files/a/1 files/a/2 files/b/1 filesx",
		"files/a/":  "files/a/1 files/a/2",
		"incoming/": "incoming/a/1",
		"nothing/":  "",
	} {
		if got := keys(prefix); got != want {
			t.Errorf("List(%q) = %q, want %q", prefix, got, want)
		}
	}
}

func testConcurrent(t *testing.T, h Harness) {
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			data := bytes.Repeat([]byte{byte(i)}, 64<<10+i)
			key := fmt.Sprintf("c/%d", i)
			if err := h.Store.Put(ctx, key, bytes.NewReader(data), int64(len(data))); err != nil {
				t.Errorf("Put(%s): %v", key, err)
			}
			// Concurrent writers of one key: one of them wins whole.
			if err := h.Store.Put(ctx, "c/shared", bytes.NewReader(data[:1000]), 1000); err != nil {
				t.Errorf("Put(c/shared): %v", err)
			}
		})
	}
	wg.Wait()
	for i := range 16 {
		if got := read(t, h.Store, fmt.Sprintf("c/%d", i)); len(got) != 64<<10+i || got[0] != byte(i) {
			t.Errorf("c/%d reads %d bytes", i, len(got))
		}
	}
	if got := read(t, h.Store, "c/shared"); len(got) != 1000 || !bytes.Equal(got, bytes.Repeat(got[:1], 1000)) {
		t.Error("c/shared is a mix of writers")
	}
}

// testPutDeleteRace writes and deletes objects of one folder at once: a Delete that
// leaves a folder empty must not break a write into it.
func testPutDeleteRace(t *testing.T, h Harness) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 25 {
				key := fmt.Sprintf("race/%d/%d/x", i%3, g)
				if err := h.Store.Put(ctx, key, strings.NewReader("data"), 4); err != nil {
					t.Errorf("Put(%s): %v", key, err)
					return
				}
				if err := h.Store.Copy(ctx, key, key+"-copy"); err != nil {
					t.Errorf("Copy(%s): %v", key, err)
					return
				}
				for _, k := range []string{key, key + "-copy"} {
					if err := h.Store.Delete(ctx, k); err != nil {
						t.Errorf("Delete(%s): %v", k, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// upload PUTs body to u exactly as a user of StartAttachedFileUpload would: net/http,
// the URL, and only the headers handed out with it.
func upload(t *testing.T, u blob.URL, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, u.URL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range u.Headers {
		req.Header.Set(k, v)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func testURLs(t *testing.T, h Harness) {
	data := []byte("%PDF-1.4 not really a pdf")
	up, err := h.Store.UploadURL(ctx, "incoming/u1", "application/pdf", int64(len(data)), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(up.Expires); d < 4*time.Minute || d > 6*time.Minute {
		t.Errorf("Expires %v is not 5 minutes away", up.Expires)
	}
	if up.Headers["Content-Type"] != "application/pdf" {
		t.Errorf("upload headers %v do not carry the Content-Type", up.Headers)
	}
	if status, body := upload(t, up, data); status != http.StatusOK {
		t.Fatalf("PUT: %d %s", status, body)
	}
	if got := read(t, h.Store, "incoming/u1"); !bytes.Equal(got, data) {
		t.Errorf("stored %q", got)
	}
	down, err := h.Store.DownloadURL(ctx, "incoming/u1", "Résumé final.pdf", "application/pdf", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(down.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, data) {
		t.Fatalf("GET: %d %q", resp.StatusCode, got)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != blob.ContentDisposition("Résumé final.pdf") {
		t.Errorf("Content-Disposition %q, want %q", cd, blob.ContentDisposition("Résumé final.pdf"))
	}
	// The download URL is for GET only.
	req, _ := http.NewRequest(http.MethodPut, down.URL, strings.NewReader("overwrite"))
	if status, _ := do(t, req); status < 400 && h.ChecksSignatures {
		t.Errorf("PUT to a download URL: %d", status)
	}
}

func testUploadWrongSize(t *testing.T, h Harness) {
	if !h.ChecksSignatures {
		t.Skip("S3 refuses another size through the signed Content-Length; this server checks no signatures")
	}
	up, err := h.Store.UploadURL(ctx, "incoming/sized", "text/plain", 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"123456789", "12345678901"} {
		if status, resp := upload(t, up, []byte(body)); status < 400 || status >= 500 {
			t.Errorf("PUT of %d bytes to a 10-byte URL: %d %s", len(body), status, resp)
		}
	}
	if _, err := h.Store.Stat(ctx, "incoming/sized"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("a refused upload stored something: %v", err)
	}
}

func testTampering(t *testing.T, h Harness) {
	if !h.ChecksSignatures {
		t.Skip("the service behind this store's URLs does not check signatures")
	}
	data := []byte("0123456789")
	up, err := h.Store.UploadURL(ctx, "incoming/t1", "text/plain", 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(up.URL)
	other := *u
	other.Path = strings.Replace(u.Path, "incoming/t1", "incoming/t2", 1)
	longer := *u
	q := u.Query()
	q.Set("X-Amz-Expires", "604800")
	longer.RawQuery = q.Encode()
	for name, target := range map[string]string{"OtherKey": other.String(), "LongerExpiry": longer.String()} {
		status, body := upload(t, blob.URL{URL: target, Headers: up.Headers}, data)
		if status != http.StatusForbidden || !strings.Contains(body, "<Code>SignatureDoesNotMatch</Code>") {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	status, body := upload(t, blob.URL{URL: up.URL, Headers: map[string]string{"Content-Type": "text/html"}}, data)
	if status != http.StatusForbidden {
		t.Errorf("another Content-Type: %d %s", status, body)
	}
	for _, k := range []string{"incoming/t1", "incoming/t2"} {
		if _, err := h.Store.Stat(ctx, k); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("a refused upload stored %s", k)
		}
	}
}

func testExpiry(t *testing.T, h Harness) {
	if h.Advance == nil || !h.ChecksSignatures {
		t.Skip("the clock of this store's URLs cannot be moved")
	}
	up, err := h.Store.UploadURL(ctx, "incoming/e1", "text/plain", 3, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	h.Advance(6 * time.Second)
	status, body := upload(t, up, []byte("abc"))
	if status != http.StatusForbidden || !strings.Contains(body, "<Code>AccessDenied</Code><Message>Request has expired</Message>") {
		t.Errorf("expired URL: %d %s", status, body)
	}
}

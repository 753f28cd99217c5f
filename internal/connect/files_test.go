package connect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/blob/mem"
	"github.com/connectlocal/connectlocal/internal/sigv4"
	"github.com/connectlocal/connectlocal/internal/store"
	"github.com/connectlocal/connectlocal/internal/store/sqlite"
)

// Crash safety of attached files is checked here, against the real SQLite store and the
// in-memory blob store, because a crash between writing bytes and committing metadata
// cannot be caused through the API.

const testCase = "arn:aws:cases:us-east-1:000000000000:domain/d/case/c"

// crashStore is a store whose next Update runs its function and then fails instead of
// committing, as if the process died just before the commit.
type crashStore struct {
	store.Store
	crashNext bool
}

var errCrash = errors.New("simulated crash before commit")

func (c *crashStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	if !c.crashNext {
		return c.Store.Update(ctx, fn)
	}
	c.crashNext = false
	return c.Store.Update(ctx, func(tx store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errCrash
	})
}

// testURLs signs blob URLs that no test fetches.
var testURLs = &blob.LocalURLs{Base: "http://127.0.0.1:1/_blob", Presigner: &sigv4.Presigner{Key: sigv4.Key{AccessKeyID: "k", SecretAccessKey: "s"}, Region: "us-east-1", Service: "s3"}}

func newFilesService(t *testing.T) (*Service, *crashStore, *mem.Store, string) {
	t.Helper()
	st, err := sqlite.Open(sqlite.MemoryPath, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cs := &crashStore{Store: st}
	blobs := mem.New(testURLs)
	s := New(Config{Store: cs, Blobs: blobs})
	d, err := s.Bootstrap(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s, cs, blobs, d.InstanceID
}

// startFile starts an upload on the test case and stores body as its upload.
func startFile(t *testing.T, s *Service, blobs blob.Store, instance, name string, body []byte) string {
	t.Helper()
	out, err := s.StartAttachedFileUpload(bg, &api.StartAttachedFileUploadRequest{
		InstanceId: instance, AssociatedResourceArn: testCase, FileName: name, FileSizeInBytes: api.Int64(int64(len(body))), FileUseCaseType: "ATTACHMENT",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := blobs.Put(bg, uploadKey(DefaultAccount, instance, out.FileId), bytes.NewReader(body), int64(len(body))); err != nil {
		t.Fatal(err)
	}
	return out.FileId
}

var bg = context.Background()

func getFile(t *testing.T, s *Service, instance, id string) *api.GetAttachedFileResponse {
	t.Helper()
	out, err := s.GetAttachedFile(bg, &api.GetAttachedFileRequest{InstanceId: instance, AssociatedResourceArn: testCase, FileId: id})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func blobKeys(t *testing.T, blobs blob.Store, prefix string) string {
	t.Helper()
	infos, err := blobs.List(bg, prefix)
	if err != nil {
		t.Fatal(err)
	}
	var ks []string
	for _, i := range infos {
		ks = append(ks, i.Key)
	}
	return strings.Join(ks, " ")
}

// approvedHaveBytes checks the invariant: every APPROVED file's bytes exist.
func approvedHaveBytes(t *testing.T, s *Service, blobs blob.Store, instance string) {
	t.Helper()
	err := s.store.View(bg, func(tx store.Tx) error {
		files, err := attachedFiles(bg, tx, DefaultAccount, instance, testCase)
		for _, f := range files {
			if f.FileStatus == fileApproved {
				if _, err := blobs.Stat(bg, f.BlobKey); err != nil {
					t.Errorf("APPROVED file %s has no bytes at %q: %v", f.FileId, f.BlobKey, err)
				}
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCompleteCrashBeforeCommitLeavesNoApprovedFileAndNoOrphanForever(t *testing.T) {
	s, cs, blobs, inst := newFilesService(t)
	id := startFile(t, s, blobs, inst, "a.txt", []byte("hello"))
	cs.crashNext = true
	if _, err := s.CompleteAttachedFileUpload(bg, &api.CompleteAttachedFileUploadRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileId: id}); !errors.Is(err, errCrash) {
		t.Fatalf("Complete = %v, want the crash", err)
	}
	if got := getFile(t, s, inst, id); got.FileStatus != fileProcessing || got.DownloadUrlMetadata != nil {
		t.Errorf("after a crash before commit: %s", got.FileStatus)
	}
	approvedHaveBytes(t, s, blobs, inst)
	// A crash that keeps the process from removing its copy leaves bytes no file refers
	// to; the sweep removes them once they are older than its grace.
	stray := "files/" + DefaultAccount + "/" + inst + "/" + id + "/stray"
	blobs.Put(bg, stray, strings.NewReader("hello"), 5)
	if n, err := s.SweepBlobs(bg, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Errorf("a sweep within the grace removed %d (%v)", n, err)
	}
	if n, err := s.SweepBlobs(bg, time.Now().Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("sweep removed %d (%v), want the stray copy", n, err)
	}
	if got := blobKeys(t, blobs, "files/"); got != "" {
		t.Errorf("files/ holds %q", got)
	}
	// The upload is still there; completing again approves it.
	if _, err := s.CompleteAttachedFileUpload(bg, &api.CompleteAttachedFileUploadRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileId: id}); err != nil {
		t.Fatal(err)
	}
	if got := getFile(t, s, inst, id); got.FileStatus != fileApproved || got.DownloadUrlMetadata == nil {
		t.Errorf("after completing: %s", got.FileStatus)
	}
	approvedHaveBytes(t, s, blobs, inst)
	if got := blobKeys(t, blobs, "incoming/"); got != "" {
		t.Errorf("the upload was not removed after completion: %q", got)
	}
}

func TestSweepRemovesOnlyBytesNoFileRefersTo(t *testing.T) {
	s, _, blobs, inst := newFilesService(t)
	approved := startFile(t, s, blobs, inst, "a.txt", []byte("approved"))
	if _, err := s.CompleteAttachedFileUpload(bg, &api.CompleteAttachedFileUploadRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileId: approved}); err != nil {
		t.Fatal(err)
	}
	processing := startFile(t, s, blobs, inst, "p.txt", []byte("processing"))
	deleted := startFile(t, s, blobs, inst, "d.txt", []byte("deleted"))
	if _, err := s.CompleteAttachedFileUpload(bg, &api.CompleteAttachedFileUploadRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileId: deleted}); err != nil {
		t.Fatal(err)
	}
	var deletedKey string
	s.store.View(bg, func(tx store.Tx) error {
		f, err := s.file(bg, tx, DefaultAccount, inst, deleted, testCase)
		deletedKey = f.BlobKey
		return err
	})
	// Delete the metadata only, as a crash right after DeleteAttachedFile's commit would.
	s.store.Update(bg, func(tx store.Tx) error { return tx.Delete(bg, fileKey(DefaultAccount, inst, deleted)) })
	prefix := DefaultAccount + "/" + inst + "/"
	orphans := []string{
		"incoming/" + prefix + "never-committed",
		"incoming/" + prefix + approved, // a PUT to the upload URL after completion
		"files/" + prefix + approved + ".oldcopy",
		"files/" + prefix + approved + "/old-copy", // the layout of data dirs from before
		deletedKey,
	}
	for _, k := range orphans {
		blobs.Put(bg, k, strings.NewReader("x"), 1)
	}
	blobs.Put(bg, "other/data", strings.NewReader("x"), 1) // not connectlocal's layout
	var approvedKey string
	s.store.View(bg, func(tx store.Tx) error {
		f, err := s.file(bg, tx, DefaultAccount, inst, approved, testCase)
		approvedKey = f.BlobKey
		return err
	})
	n, err := s.SweepBlobs(bg, time.Now().Add(time.Minute))
	if err != nil || n != len(orphans) {
		t.Errorf("SweepBlobs removed %d (%v), want %d", n, err, len(orphans))
	}
	want := strings.Join([]string{approvedKey, "incoming/" + prefix + processing, "other/data"}, " ")
	if got := blobKeys(t, blobs, ""); got != want {
		t.Errorf("left %q, want %q", got, want)
	}
}

// newTxBlobsService is a service whose blob store writes in its store's transactions, as
// the server's default does: objects of up to 64 KiB in the SQLite database, larger ones
// elsewhere (here in memory).
func newTxBlobsService(t *testing.T) (*Service, blob.Store, Defaults) {
	s, _, blobs, d := newCrashTxBlobsService(t)
	return s, blobs, d
}

// txBlobsLimit is the size up to which newTxBlobsService keeps an object in the database.
const txBlobsLimit = 64 << 10

// newCrashTxBlobsService is newTxBlobsService whose store can be made to crash.
func newCrashTxBlobsService(t *testing.T) (*Service, *crashStore, blob.Store, Defaults) {
	st, err := sqlite.Open(sqlite.MemoryPath, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cs := &crashStore{Store: st}
	blobs := blob.NewSplit(st.Blobs(testURLs), mem.New(testURLs), txBlobsLimit)
	s := New(Config{Store: cs, Blobs: blobs})
	d, err := s.Bootstrap(bg)
	if err != nil {
		t.Fatal(err)
	}
	return s, cs, blobs, d
}

// With such a store, CompleteAttachedFileUpload settles a small upload in one transaction
// (completeInTx), and anything else as any store does. Every outcome must come out the
// same both ways: the status, the bytes kept for an APPROVED file, and nothing else left,
// the upload least of all.
func TestCompleteOutcomesAreTheSameInOneTransaction(t *testing.T) {
	small := bytes.Repeat([]byte("x"), 100)
	large := bytes.Repeat([]byte("y"), 100<<10)
	infected := append([]byte("hello\n"), eicar...)
	cases := []struct {
		name             string
		declared, stored []byte // stored nil: nothing uploaded
		want             string
	}{
		{"Small", small, small, fileApproved},
		{"Large", large, large, fileApproved},
		{"EICAR", infected, infected, fileRejected},
		{"Short", small, small[1:], fileFailed},
		{"Long", small, append(small, '!'), fileFailed},
		{"Missing", small, nil, fileFailed},
	}
	for kind, newService := range fileServices {
		for _, tc := range cases {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				s, _, blobs, inst := newService(t)
				out, err := s.StartAttachedFileUpload(bg, &api.StartAttachedFileUploadRequest{
					InstanceId: inst, AssociatedResourceArn: testCase, FileName: "a.txt", FileSizeInBytes: api.Int64(int64(len(tc.declared))), FileUseCaseType: "ATTACHMENT",
				})
				if err != nil {
					t.Fatal(err)
				}
				if tc.stored != nil {
					if err := blobs.Put(bg, uploadKey(DefaultAccount, inst, out.FileId), bytes.NewReader(tc.stored), int64(len(tc.stored))); err != nil {
						t.Fatal(err)
					}
				}
				complete := &api.CompleteAttachedFileUploadRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileId: out.FileId}
				if _, err := s.CompleteAttachedFileUpload(bg, complete); err != nil {
					t.Fatal(err)
				}
				if got := getFile(t, s, inst, out.FileId); got.FileStatus != tc.want {
					t.Errorf("status %s, want %s", got.FileStatus, tc.want)
				}
				if got := blobKeys(t, blobs, "incoming/"); got != "" {
					t.Errorf("uploads left: %q", got)
				}
				want := ""
				if tc.want == fileApproved {
					want = fileBlobKey(t, s, inst, out.FileId)
					if got := readBlob(t, blobs, want); !bytes.Equal(got, tc.stored) {
						t.Errorf("kept %d bytes, want the %d uploaded", len(got), len(tc.stored))
					}
				}
				if got := blobKeys(t, blobs, "files/"); got != want {
					t.Errorf("files/ holds %q, want %q", got, want)
				}
				// Only a PROCESSING or APPROVED file counts toward the case's quotas.
				wantCount, wantBytes := 0, int64(0)
				if tc.want == fileApproved {
					wantCount, wantBytes = 1, int64(len(tc.declared))
				}
				if n, size := caseQuota(t, s, inst); n != wantCount || size != wantBytes {
					t.Errorf("the case's quotas count %d files of %d bytes, want %d of %d", n, size, wantCount, wantBytes)
				}
				_, err = s.CompleteAttachedFileUpload(bg, complete)
				if apiErr := (*api.Error)(nil); !errors.As(err, &apiErr) || apiErr.Code != api.InvalidRequest {
					t.Errorf("a second Complete: %v, want InvalidRequestException", err)
				}
			})
		}
	}
}

// fileServices are the two ways the service keeps files' bytes: in a blob store that
// cannot write in the store's transactions, and in the server's default, which can.
var fileServices = map[string]func(t *testing.T) (*Service, *crashStore, blob.Store, string){
	"mem": func(t *testing.T) (*Service, *crashStore, blob.Store, string) {
		s, cs, blobs, inst := newFilesService(t)
		return s, cs, blobs, inst
	},
	"txBlobs": func(t *testing.T) (*Service, *crashStore, blob.Store, string) {
		s, cs, blobs, d := newCrashTxBlobsService(t)
		return s, cs, blobs, d.InstanceID
	},
}

// TestCompleteCrashBeforeCommitLeavesNoApprovedFileAndNoOrphanForever, with the
// server's default store: a Complete in one transaction that dies before its commit
// leaves the file PROCESSING, its upload in place and no copy, for the next Complete.
func TestCompleteInOneTransactionThatCrashesLeavesTheUpload(t *testing.T) {
	s, cs, blobs, inst := fileServices["txBlobs"](t)
	id := startFile(t, s, blobs, inst, "a.pdf", []byte("the bytes"))
	complete := &api.CompleteAttachedFileUploadRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileId: id}
	cs.crashNext = true
	if _, err := s.CompleteAttachedFileUpload(bg, complete); !errors.Is(err, errCrash) {
		t.Fatalf("Complete: %v, want the crash", err)
	}
	if got := getFile(t, s, inst, id); got.FileStatus != fileProcessing {
		t.Errorf("after the crash: %s", got.FileStatus)
	}
	if got, want := blobKeys(t, blobs, ""), uploadKey(DefaultAccount, inst, id); got != want {
		t.Errorf("after the crash the store holds %q, want only the upload %q", got, want)
	}
	if _, err := s.CompleteAttachedFileUpload(bg, complete); err != nil {
		t.Fatal(err)
	}
	if got := getFile(t, s, inst, id); got.FileStatus != fileApproved {
		t.Errorf("completed again: %s", got.FileStatus)
	}
}

func readBlob(t *testing.T, blobs blob.Store, key string) []byte {
	t.Helper()
	rc, _, err := blobs.Open(bg, key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fileBlobKey is the key of a file's approved bytes.
func fileBlobKey(t *testing.T, s *Service, instance, id string) string {
	t.Helper()
	var f fileRecord
	err := s.store.View(bg, func(tx store.Tx) error {
		return load(bg, tx, fileKey(DefaultAccount, instance, id), &f, "File")
	})
	if err != nil {
		t.Fatal(err)
	}
	return f.BlobKey
}

// With a blob store that writes in transactions (the server's default, where small objects
// are rows of the SQLite database), a system file's bytes commit with its record: a
// rolled-back transaction leaves nothing for the sweep.
func TestSystemFilesCommitWithTheirRecord(t *testing.T) {
	s, blobs, d := newTxBlobsService(t)
	put := func(commit bool) (string, error) {
		var key string
		err := s.store.Update(bg, func(tx store.Tx) error {
			staged, err := s.stageSystemFiles(bg, tx, DefaultAccount, d.InstanceID, systemFile{"message.json", "EMAIL_MESSAGE", "application/json", []byte(`{"Body":"hi"}`)})
			if err != nil {
				return err
			}
			key = staged[0].key
			if _, err := s.recordSystemFile(bg, tx, DefaultAccount, d.InstanceID, testCase, staged[0]); err != nil || commit {
				return err
			}
			return errCrash
		})
		return key, err
	}
	key, err := put(false)
	if !errors.Is(err, errCrash) {
		t.Fatal(err)
	}
	if _, err := blobs.Stat(bg, key); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("after a rollback, Stat of the file's bytes = %v, want ErrNotFound", err)
	}
	if key, err = put(true); err != nil {
		t.Fatal(err)
	}
	if info, err := blobs.Stat(bg, key); err != nil || info.Size != int64(len(`{"Body":"hi"}`)) {
		t.Errorf("after the commit, Stat of the file's bytes = %+v, %v", info, err)
	}
}

func TestSystemFiles(t *testing.T) {
	s, _, blobs, inst := newFilesService(t)
	put := func(commit bool) (string, error) {
		var id string
		err := s.store.Update(bg, func(tx store.Tx) error {
			staged, err := s.stageSystemFiles(bg, tx, DefaultAccount, inst, systemFile{"message.json", "EMAIL_MESSAGE", "application/json", []byte(`{"Body":"hi"}`)})
			if err != nil {
				return err
			}
			id = staged[0].id
			if _, err := s.recordSystemFile(bg, tx, DefaultAccount, inst, testCase, staged[0]); err != nil || commit {
				return err
			}
			return errCrash
		})
		return id, err
	}
	t.Run("RolledBackLeavesBytesForTheSweep", func(t *testing.T) {
		if _, err := put(false); !errors.Is(err, errCrash) {
			t.Fatal(err)
		}
		if n, _ := s.SweepBlobs(bg, time.Now().Add(time.Minute)); n != 1 {
			t.Errorf("swept %d, want the rolled-back file's bytes", n)
		}
	})
	id, err := put(true)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ApprovedAtOnceOutsideTheQuotas", func(t *testing.T) {
		got := getFile(t, s, inst, id)
		if got.FileStatus != fileApproved || got.FileUseCaseType != "EMAIL_MESSAGE" || got.DownloadUrlMetadata == nil ||
			got.CreatedBy.AWSIdentityArn != serviceRoleARN(DefaultAccount) {
			t.Errorf("system file: %+v", got)
		}
		for range fileQuotas["CASE"].count {
			if _, err := s.StartAttachedFileUpload(bg, &api.StartAttachedFileUploadRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileName: "a.txt", FileSizeInBytes: api.Int64(1), FileUseCaseType: "ATTACHMENT"}); err != nil {
				t.Fatalf("the system file took a place in the quota: %v", err)
			}
		}
		approvedHaveBytes(t, s, blobs, inst)
	})
	// A file record leaves out its ARN and, for a system file, its creator: they follow
	// from the rest. A record stored with them, as records were before, reads the same.
	t.Run("RecordLeavesOutWhatFollowsFromTheRest", func(t *testing.T) {
		want := getFile(t, s, inst, id)
		if want.FileArn != s.arn(DefaultAccount, inst, kindFile, id) {
			t.Errorf("FileArn %s", want.FileArn)
		}
		f := storedFile(t, s, inst, id, `"FileArn"`, `"CreatedBy"`)
		f.FileArn, f.CreatedBy = "arn:aws:connect:us-east-1:000000000000:instance/"+inst+"/file/"+id, want.CreatedBy
		k := fileKey(DefaultAccount, inst, id)
		if err := s.store.Update(bg, func(tx store.Tx) error { return save(bg, tx, k, "", f) }); err != nil {
			t.Fatal(err)
		}
		got := getFile(t, s, inst, id)
		got.DownloadUrlMetadata, want.DownloadUrlMetadata = nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("from a record of before: %+v\nwant %+v", got, want)
		}
	})
	t.Run("DeleteFileThenSweep", func(t *testing.T) {
		err := s.store.Update(bg, func(tx store.Tx) error { return s.deleteFile(bg, tx, DefaultAccount, inst, id) })
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetAttachedFile(bg, &api.GetAttachedFileRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileId: id}); err == nil {
			t.Error("deleted file still found")
		}
		if n, _ := s.SweepBlobs(bg, time.Now().Add(time.Minute)); n != 1 {
			t.Errorf("swept %d, want the deleted file's bytes", n)
		}
	})
}

// An uploaded file's record leaves out its ARN too, from its start to its outcome.
func TestUploadedFileRecordLeavesOutItsARN(t *testing.T) {
	s, _, blobs, inst := newFilesService(t)
	id := startFile(t, s, blobs, inst, "a.txt", []byte("hello"))
	storedFile(t, s, inst, id, `"FileArn"`)
	if _, err := s.CompleteAttachedFileUpload(bg, &api.CompleteAttachedFileUploadRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileId: id}); err != nil {
		t.Fatal(err)
	}
	if f := storedFile(t, s, inst, id, `"FileArn"`); f.FileStatus != fileApproved || f.CreatedBy == nil {
		t.Errorf("stored %+v", f)
	}
	if got := getFile(t, s, inst, id); got.FileArn != s.arn(DefaultAccount, inst, kindFile, id) {
		t.Errorf("FileArn %s", got.FileArn)
	}
}

// storedFile reads a file's record as stored, failing the test if it holds any of absent.
func storedFile(t *testing.T, s *Service, instance, id string, absent ...string) *fileRecord {
	t.Helper()
	var rec store.Record
	err := s.store.View(bg, func(tx store.Tx) (err error) {
		rec, err = tx.Get(bg, fileKey(DefaultAccount, instance, id))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range absent {
		if bytes.Contains(rec.Data, []byte(a)) {
			t.Errorf("the record holds %s, which follows from the rest: %s", a, rec.Data)
		}
	}
	var f fileRecord
	if err := json.Unmarshal(rec.Data, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

func TestEICARScannerFindsTheStringAcrossWrites(t *testing.T) {
	for _, pad := range []int{0, 1, 30, 100} {
		data := append(bytes.Repeat([]byte{'.'}, pad), eicar...)
		data = append(data, "tail"...)
		for chunk := 1; chunk <= len(data); chunk++ {
			sc := &eicarScanner{}
			var err error
			for off := 0; off < len(data) && err == nil; off += chunk {
				_, err = sc.Write(data[off:min(off+chunk, len(data))])
			}
			if !sc.found || !errors.Is(err, errFound) {
				t.Fatalf("pad %d, writes of %d: not found", pad, chunk)
			}
		}
	}
	sc := &eicarScanner{}
	io.Copy(sc, io.MultiReader(bytes.NewReader(eicar[:40]), strings.NewReader("x"), bytes.NewReader(eicar[40:])))
	if sc.found {
		t.Error("found a broken EICAR string")
	}
}

// A data dir from before the per-resource file index has files and no index, and one
// from before the index held sizes has an index of IDs alone: the first write that needs
// the index builds it from the files, so the quotas still count them, and removes the
// old one.
func TestFileIndexIsBuiltForFilesWrittenBeforeIt(t *testing.T) {
	for _, old := range []string{"none", "IDs alone"} {
		t.Run(old, func(t *testing.T) {
			s, _, blobs, inst := newFilesService(t)
			var want []string
			for _, body := range []string{"a", "bb", "ccc"} {
				want = append(want, startFile(t, s, blobs, inst, body+".txt", []byte(body)))
			}
			complete := &api.CompleteAttachedFileUploadRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileId: want[1]}
			if _, err := s.CompleteAttachedFileUpload(bg, complete); err != nil {
				t.Fatal(err)
			}
			oldKey := store.Key{Account: DefaultAccount, Kind: kindOldFileIndex, Instance: inst, ID: testCase}
			err := s.store.Update(bg, func(tx store.Tx) error { // forget the index, as an old data dir would
				for _, id := range []string{indexComplete, testCase} {
					if err := tx.Delete(bg, fileIndexKey(DefaultAccount, inst, id)); err != nil {
						return err
					}
				}
				if old == "none" {
					return nil
				}
				ids, _ := json.Marshal(map[string][]string{"Files": want})
				return tx.Put(bg, store.Record{Account: oldKey.Account, Kind: oldKey.Kind, Instance: oldKey.Instance, ID: oldKey.ID, Data: ids})
			})
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, startFile(t, s, blobs, inst, "d.txt", []byte("dddd")))
			// a, ccc (PROCESSING), bb (APPROVED) and dddd count.
			if n, size := caseQuota(t, s, inst); n != 4 || size != 10 {
				t.Errorf("the case's quotas count %d files of %d bytes, want 4 of 10", n, size)
			}
			err = s.store.View(bg, func(tx store.Tx) error {
				if _, err := tx.Get(bg, oldKey); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("the old index: %v, want it removed", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			err = s.store.View(bg, func(tx store.Tx) error {
				files, err := attachedFiles(bg, tx, DefaultAccount, inst, testCase)
				for _, f := range files {
					got = append(got, f.FileId)
				}
				return err
			})
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("files of the case after the rebuild = %v (%v), want %v", got, err, want)
			}
		})
	}
}

// caseQuota returns how many files, and bytes, count toward the test case's quotas.
func caseQuota(t *testing.T, s *Service, instance string) (n int, bytes int64) {
	t.Helper()
	err := s.store.View(bg, func(tx store.Tx) error {
		idx, err := fileIndexOf(bg, tx, DefaultAccount, instance, testCase)
		n, bytes = idx.counted()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n, bytes
}

// StartEmailContact stores its message's bytes before the transaction that records them;
// a request that transaction would refuse must store none, and one it accepts must leave
// the two files' bytes where the records point.
func TestStartEmailContactStoresBytesOnlyForAnEmailItAccepts(t *testing.T) {
	for kind, newService := range fileServices {
		t.Run(kind, func(t *testing.T) {
			s, _, blobs, inst := newService(t)
			email := func(dest, flow string) (*api.StartEmailContactResponse, error) {
				return s.StartEmailContact(bg, &api.StartEmailContactRequest{
					InstanceId: inst, DestinationEmailAddress: dest, ContactFlowId: flow,
					FromEmailAddress: &api.EmailAddressInfo{EmailAddress: "jane@example.com"},
					EmailMessage: &api.InboundEmailContent{MessageSourceType: "RAW", RawMessage: &api.InboundRawMessage{
						Subject: "Hi", ContentType: "text/plain", Body: "Call me on 415-555-0100",
					}},
				})
			}
			for _, bad := range [][2]string{{"nobody@connectlocal.email.connect.aws", ""}, {"support@connectlocal.email.connect.aws", "no-such-flow"}} {
				if _, err := email(bad[0], bad[1]); err == nil || !strings.Contains(err.Error(), "not") {
					t.Fatalf("StartEmailContact to %v = %v, want ResourceNotFoundException", bad, err)
				}
			}
			if keys := blobKeys(t, blobs, "files/"); keys != "" {
				t.Errorf("refused emails stored bytes: %s", keys)
			}
			out, err := email("support@connectlocal.email.connect.aws", "")
			if err != nil {
				t.Fatal(err)
			}
			var files []fileRecord
			err = s.store.View(bg, func(tx store.Tx) error {
				c, err := s.contact(WithCaller(bg, Caller{Account: DefaultAccount}), tx, inst, out.ContactId)
				if err != nil {
					return err
				}
				for _, r := range c.References {
					if r.Type != "EMAIL_MESSAGE" && r.Type != "EMAIL_MESSAGE_PLAIN_TEXT" {
						continue
					}
					var f fileRecord
					if err := load(bg, tx, fileKey(DefaultAccount, inst, idFromARN(r.Arn)), &f, "File"); err != nil {
						return err
					}
					files = append(files, f)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 2 {
				t.Errorf("%d message files, want 2: %+v", len(files), files)
			}
			for _, f := range files { // outside the View: a Split's Stat waits for the database
				if _, err := blobs.Stat(bg, f.BlobKey); err != nil {
					t.Errorf("%s file %s has no bytes at %q: %v", f.FileUseCaseType, f.FileId, f.BlobKey, err)
				}
			}
		})
	}
}

// attachedFiles returns the user files attached to the resource arn.
func attachedFiles(ctx context.Context, tx store.Tx, account, instance, arn string) ([]fileRecord, error) {
	idx, err := fileIndexOf(ctx, tx, account, instance, arn)
	if err != nil {
		return nil, err
	}
	out := make([]fileRecord, 0, len(idx.Files))
	for _, e := range idx.Files {
		var f fileRecord
		if err := load(ctx, tx, fileKey(account, instance, e.ID), &f, "File"); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// PutUpload stores an upload only while its file is PROCESSING. With the server's
// default store a small upload is checked and written in one transaction, so a PUT
// whose transaction dies stores nothing (the check made apart from the write, it would
// have stored the bytes all the same); a PUT to the URL of a file completed or deleted
// is refused and stores nothing, with either kind of blob store.
func TestPutUploadStoresOnlyWhileTheFileIsProcessing(t *testing.T) {
	body := []byte("hello")
	refused := func(err error) bool {
		var r *UploadRefused
		return errors.As(err, &r)
	}
	for kind, newService := range fileServices {
		t.Run(kind, func(t *testing.T) {
			s, cs, blobs, inst := newService(t)
			start := func(name string) string {
				out, err := s.StartAttachedFileUpload(bg, &api.StartAttachedFileUploadRequest{
					InstanceId: inst, AssociatedResourceArn: testCase, FileName: name, FileSizeInBytes: api.Int64(int64(len(body))), FileUseCaseType: "ATTACHMENT",
				})
				if err != nil {
					t.Fatal(err)
				}
				return out.FileId
			}
			put := func(id string) error {
				return s.PutUpload(bg, uploadKey(DefaultAccount, inst, id), bytes.NewReader(body), int64(len(body)))
			}
			id := start("a.txt")
			if kind == "txBlobs" {
				cs.crashNext = true
				if err := put(id); !errors.Is(err, errCrash) {
					t.Fatalf("a PUT whose transaction dies: %v, want %v", err, errCrash)
				}
				if got := blobKeys(t, blobs, "incoming/"); got != "" {
					t.Errorf("a PUT that did not commit stored %q", got)
				}
			}
			if err := put(id); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CompleteAttachedFileUpload(bg, &api.CompleteAttachedFileUploadRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileId: id}); err != nil {
				t.Fatal(err)
			}
			if got := getFile(t, s, inst, id).FileStatus; got != fileApproved {
				t.Fatalf("status %s, want APPROVED", got)
			}
			if err := put(id); !refused(err) {
				t.Errorf("a PUT after Complete: %v, want UploadRefused", err)
			}
			gone := start("b.txt")
			if _, err := s.DeleteAttachedFile(bg, &api.DeleteAttachedFileRequest{InstanceId: inst, AssociatedResourceArn: testCase, FileId: gone}); err != nil {
				t.Fatal(err)
			}
			if err := put(gone); !refused(err) {
				t.Errorf("a PUT after Delete: %v, want UploadRefused", err)
			}
			if got := blobKeys(t, blobs, "incoming/"); got != "" {
				t.Errorf("refused PUTs stored %q", got)
			}
			if err := s.PutUpload(bg, "files/x/y/z", bytes.NewReader(body), int64(len(body))); !refused(err) {
				t.Errorf("a PUT to a key that is no upload's: %v, want UploadRefused", err)
			}
		})
	}
}

// memberString finds a top-level member only, and reads no further than it: what comes
// after (here, not even JSON) is never looked at.
func TestMemberStringReadsUpToTheMember(t *testing.T) {
	for _, tc := range []struct {
		data, want string
		fails      bool
	}{
		{data: `{"Channel":"EMAIL","Id":"c1"}`, want: "EMAIL"},
		{data: `{"Arn":"a","Nested":{"Channel":"TASK"},"Channel":"EMAIL"}`, want: "EMAIL"},
		{data: `{"Arn":"a","Channel":"VOICE", not JSON`, want: "VOICE"},
		{data: `{"Id":"c1"}`, want: ""},
		{data: `{"Channel":1}`, fails: true},
		{data: `["Channel","EMAIL"]`, fails: true},
		{data: `{"Id":`, fails: true},
	} {
		got, err := memberString([]byte(tc.data), "Channel")
		if (err != nil) != tc.fails || got != tc.want {
			t.Errorf("memberString(%s) = %q, %v; want %q (fails: %v)", tc.data, got, err, tc.want, tc.fails)
		}
	}
}

// gatedStore is a blob store whose Puts wait until the test opens its gate, to find out
// what else can go on while one is under way.
type gatedStore struct {
	blob.Store
	entered chan string   // the key of each Put begun
	gate    chan struct{} // closed to let the Puts go on
}

func (g *gatedStore) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	g.entered <- key
	<-g.gate
	return g.Store.Put(ctx, key, r, size)
}

// A file too large for the SQLite database goes to the file system, and the fsyncs that
// takes, up to a 5 MiB email's worth, must not hold the store's one writer: the files of
// a large email, and the redacted ones of its analysis, are stored before the
// transaction that records them, while other writes go on.
func TestALargeEmailsFilesAreStoredWhileOtherWritesGoOn(t *testing.T) {
	st, err := sqlite.Open(sqlite.MemoryPath, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	large := &gatedStore{Store: mem.New(testURLs), entered: make(chan string, 8), gate: make(chan struct{})}
	s := New(Config{Store: st, Blobs: blob.NewSplit(st.Blobs(testURLs), large, 64<<10)})
	d, err := s.Bootstrap(bg)
	if err != nil {
		t.Fatal(err)
	}
	// whileStoring runs work, waits until it stores a large file, and checks that a
	// StartTaskContact meanwhile is answered before that file is stored.
	whileStoring := func(what string, work func() error) {
		t.Helper()
		done := make(chan error, 1)
		go func() { done <- work() }()
		select {
		case <-large.entered:
		case err := <-done:
			t.Fatalf("%s stored no large file (%v)", what, err)
		}
		task := make(chan error, 1)
		go func() {
			_, err := s.StartTaskContact(bg, &api.StartTaskContactRequest{InstanceId: d.InstanceID, ContactFlowId: d.ContactFlowID, Name: "t"})
			task <- err
		}()
		select {
		case err := <-task:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("a StartTaskContact waited for %s to store a large file", what)
		}
		close(large.gate)
		if err := <-done; err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for len(large.entered) > 0 { // the other large files work stored
			<-large.entered
		}
		large.gate = make(chan struct{})
	}
	body := strings.Repeat("Hello Jane Doe, the parcel has not arrived. ", 2000) // 88 KB
	var contactID string
	whileStoring("StartEmailContact", func() error {
		out, err := s.StartEmailContact(bg, &api.StartEmailContactRequest{
			InstanceId: d.InstanceID, DestinationEmailAddress: "support@connectlocal.email.connect.aws",
			FromEmailAddress: &api.EmailAddressInfo{EmailAddress: "jane@example.com"},
			EmailMessage: &api.InboundEmailContent{MessageSourceType: "RAW", RawMessage: &api.InboundRawMessage{
				Subject: "Where is my parcel", ContentType: "text/plain", Body: body,
			}},
		})
		if err == nil {
			contactID = out.ContactId
		}
		return err
	})
	whileStoring("the email's analysis", func() error {
		_, err := s.ProcessEmailAnalytics(bg)
		return err
	})
	close(large.gate) // no more waiting
	refs, err := s.ListContactReferences(bg, &api.ListContactReferencesRequest{InstanceId: d.InstanceID, ContactId: contactID,
		ReferenceTypes: []string{"EMAIL_MESSAGE", "EMAIL_MESSAGE_PLAIN_TEXT", "EMAIL_MESSAGE_REDACTED", "EMAIL_MESSAGE_PLAIN_TEXT_REDACTED", "CONTACT_ANALYSIS"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refs.ReferenceSummaryList {
		if r.Attachment == nil {
			continue
		}
		f := getFile(t, s, d.InstanceID, idFromARN(r.Attachment.Arn))
		if f.FileSizeInBytes == nil || *f.FileSizeInBytes == 0 {
			t.Errorf("%s file %s has no bytes", r.Attachment.Name, f.FileId)
		}
	}
	if n := len(refs.ReferenceSummaryList); n != 5 {
		t.Errorf("the email has %d of its 5 files", n)
	}
}

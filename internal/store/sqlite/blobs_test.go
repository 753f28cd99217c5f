package sqlite_test

import (
	"bytes"
	"testing"

	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/blob/blobtest"
	"github.com/connectlocal/connectlocal/internal/store/sqlite"
)

func TestBlobsConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blobtest.Harness {
		db, _ := openFile(t, nil)
		t.Cleanup(func() { db.Close() })
		return blobtest.Local(t, func(urls *blob.LocalURLs) blob.Store { return db.Blobs(urls) })
	})
}

func TestBlobsSurviveReopen(t *testing.T) {
	db, path := openFile(t, nil)
	data := bytes.Repeat([]byte("bytes "), 1000)
	if err := db.Blobs(nil).Put(t.Context(), "files/a/b", bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rc, info, err := db.Blobs(nil).Open(t.Context(), "files/a/b")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var got bytes.Buffer
	got.ReadFrom(rc)
	if !bytes.Equal(got.Bytes(), data) || info.Size != int64(len(data)) {
		t.Errorf("after reopening, the object reads %d bytes (Info %+v), want %d", got.Len(), info, len(data))
	}
}

package fs_test

import (
	"testing"

	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/blob/blobtest"
	"github.com/connectlocal/connectlocal/internal/blob/fs"
)

func TestConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blobtest.Harness {
		dir := t.TempDir()
		return blobtest.Local(t, func(urls *blob.LocalURLs) blob.Store {
			st, err := fs.New(dir, urls)
			if err != nil {
				t.Fatal(err)
			}
			return st
		})
	})
}

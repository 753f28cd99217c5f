package mem_test

import (
	"testing"

	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/blob/blobtest"
	"github.com/connectlocal/connectlocal/internal/blob/mem"
)

func TestConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blobtest.Harness {
		return blobtest.Local(t, func(urls *blob.LocalURLs) blob.Store { return mem.New(urls) })
	})
}

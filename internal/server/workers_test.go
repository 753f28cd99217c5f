package server

import (
	"testing"

	"github.com/connectlocal/connectlocal/internal/store"
)

// TestTheWorkersWriteAsBackgroundJobs: every background worker's Updates (analyses,
// rules, deliveries, timers, sweeps) are marked, so that the SQLite store runs the
// requests' first.
func TestTheWorkersWriteAsBackgroundJobs(t *testing.T) {
	ctx, cancel := workersContext()
	defer cancel()
	if !store.IsBackgroundJob(ctx) {
		t.Error("the workers' context is not marked as a background job's")
	}
}

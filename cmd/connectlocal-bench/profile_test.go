package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"
)

// A profiled server's profile holds the turns the bench records and nothing between
// them.
func TestTheProfileHoldsOnlyItsTurns(t *testing.T) {
	var p turnProfiler
	for _, step := range []func() error{p.start, spinInFirstTurn, p.stop, spinBetweenTurns, p.start, spinInSecondTurn, p.stop} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "cpu.pprof")
	if err := p.write(path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	merged, err := profile.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, s := range merged.Sample {
		for _, loc := range s.Location {
			for _, line := range loc.Line {
				name := line.Function.Name // the package's import path, then .spin...
				seen = append(seen, name[strings.LastIndex(name, ".")+1:])
			}
		}
	}
	for _, fn := range []string{"spinInFirstTurn", "spinInSecondTurn"} {
		if !slices.Contains(seen, fn) {
			t.Errorf("no sample of %s, which ran in a turn", fn)
		}
	}
	if slices.Contains(seen, "spinBetweenTurns") {
		t.Error("a sample of spinBetweenTurns, which ran between the turns")
	}
}

//go:noinline
func spinInFirstTurn() error { spin(); return nil }

//go:noinline
func spinBetweenTurns() error { spin(); return nil }

//go:noinline
func spinInSecondTurn() error { spin(); return nil }

var sink int

// spin keeps a CPU busy for 300 ms: some 30 samples at the profiler's 100 a second.
func spin() {
	for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); {
		for i := range 10000 {
			sink += i
		}
	}
}

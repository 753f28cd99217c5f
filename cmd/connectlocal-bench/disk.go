package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// The disk phase measures what every durable write waits for on this machine, with no
// server: an fdatasync of a group commit's WAL frames. The server's WAL is on the same
// file system as this bench's temporary directory.
const (
	diskFrames = 27        // a commit of six StartTaskContacts, about 4.5 WAL frames each
	diskFrame  = 4096 + 24 // a page and its frame header
	diskCycles = 1000
	diskWrap   = 32 << 20 // the writes start over at the top of the file, as the WAL does
)

// diskPhase writes diskFrames frames and fdatasyncs them, diskCycles times in a row, and
// prints the fdatasync's latency. A StartTaskContact answers after one or two of these
// (the one under way when it commits, then its own), so its p99 cannot be much under
// twice this p99 plus the request's own time.
func (b *bench) diskPhase(ctx context.Context) error {
	fmt.Fprintf(os.Stderr, "disk: %d fdatasyncs of %d KiB\n", diskCycles, diskFrames*diskFrame/1024)
	f, err := os.CreateTemp(b.tmp, "disk-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	frames := make([]byte, diskFrames*diskFrame)
	var lat []time.Duration
	var off int64
	start := time.Now()
	for range diskCycles {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if off+int64(len(frames)) > diskWrap {
			off = 0
		}
		if _, err := f.WriteAt(frames, off); err != nil {
			return err
		}
		off += int64(len(frames))
		t := time.Now()
		if err := syscall.Fdatasync(int(f.Fd())); err != nil {
			return err
		}
		lat = append(lat, time.Since(t))
	}
	b.results.disk = summarise(lat, 0, time.Since(start))
	b.results.printDisk(b.out)
	return nil
}

func (r *results) printDisk(w io.Writer) {
	s := r.disk
	fmt.Fprintf(w, "Disk: fdatasync after writing %d KiB (a commit of six contacts' WAL frames), %d times in a row, no server running\n\n", diskFrames*diskFrame/1024, s.n)
	fmt.Fprintln(w, "| fdatasyncs | per second | p50 | p90 | p99 | max |")
	fmt.Fprintln(w, "| ---: | ---: | ---: | ---: | ---: | ---: |")
	fmt.Fprintf(w, "| %d | %.0f | %s | %s | %s | %s |\n\n", s.n, s.perSec, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max))
}

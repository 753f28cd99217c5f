package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"time"
)

// The disk phase measures what every durable write waits for on this machine, with no
// server: an fdatasync of a group commit's WAL frames, alone and with the I/O of WAL
// checkpoints going on beside it. The server's files are on the same file system as
// this bench's temporary directory. It runs after the load phase: the files it writes
// and deletes (the file system may discard their blocks afterwards) should not be the
// writes' neighbours.
const (
	diskFrames = 27        // a commit of six StartTaskContacts, about 4.5 WAL frames each
	diskFrame  = 4096 + 24 // a page and its frame header
	diskCycles = 1000
	diskWrap   = 32 << 20 // the writes start over at the top of the file, as the WAL does

	// A checkpoint of the load phase's write rate: about 2 MiB of pages, scattered over
	// the database file, written and fsynced every 100 ms.
	ckptPages = 512
	ckptEvery = 100 * time.Millisecond
	ckptSpan  = 20000 // pages of the file the checkpoint's pages are spread over
)

// diskRow is one disk measurement.
type diskRow struct {
	beside string // what else the disk was doing
	stats  stats
}

// diskPhase times diskCycles fdatasyncs of diskFrames frames in a row, once alone and
// once beside a checkpointer, and prints their latency. A StartTaskContact answers
// after one or two of them (the one under way when it commits, then its own).
func (b *bench) diskPhase(ctx context.Context) error {
	fmt.Fprintf(os.Stderr, "disk: %d fdatasyncs of %d KiB, alone and beside checkpoints\n", diskCycles, diskFrames*diskFrame/1024)
	alone, err := timeSyncs(ctx, b.tmp)
	if err != nil {
		return err
	}
	b.results.disk = append(b.results.disk, diskRow{"nothing", alone})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var ckptErr error
	wg.Go(func() { ckptErr = checkpoints(b.tmp, stop) })
	beside, err := timeSyncs(ctx, b.tmp)
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	if ckptErr != nil {
		return ckptErr
	}
	b.results.disk = append(b.results.disk, diskRow{fmt.Sprintf("%d KiB of scattered pages written and fsynced to another file every %s, as a checkpoint", ckptPages*4, ckptEvery), beside})
	b.results.printDisk(b.out)
	return nil
}

// timeSyncs writes and fdatasyncs a WAL-like file in dir diskCycles times.
func timeSyncs(ctx context.Context, dir string) (stats, error) {
	f, err := os.CreateTemp(dir, "disk-wal-*")
	if err != nil {
		return stats{}, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	frames := make([]byte, diskFrames*diskFrame)
	var lat []time.Duration
	var off int64
	start := time.Now()
	for range diskCycles {
		if err := ctx.Err(); err != nil {
			return stats{}, err
		}
		if off+int64(len(frames)) > diskWrap {
			off = 0
		}
		if _, err := f.WriteAt(frames, off); err != nil {
			return stats{}, err
		}
		off += int64(len(frames))
		t := time.Now()
		if err := syscall.Fdatasync(int(f.Fd())); err != nil {
			return stats{}, err
		}
		lat = append(lat, time.Since(t))
	}
	return summarise(lat, 0, time.Since(start)), nil
}

// checkpoints writes ckptPages pages over a database-like file in dir and fsyncs it,
// every ckptEvery, until stop is closed.
func checkpoints(dir string, stop <-chan struct{}) error {
	f, err := os.CreateTemp(dir, "disk-db-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	page := make([]byte, 4096)
	t := time.NewTicker(ckptEvery)
	defer t.Stop()
	next := 0
	for {
		for range ckptPages {
			next = (next + 7919) % ckptSpan // a prime stride: scattered, every page in turn
			if _, err := f.WriteAt(page, int64(next)*4096); err != nil {
				return err
			}
		}
		if err := f.Sync(); err != nil {
			return err
		}
		select {
		case <-stop:
			return nil
		case <-t.C:
		}
	}
}

func (r *results) printDisk(w io.Writer) {
	fmt.Fprintf(w, "Disk: fdatasync after writing %d KiB (a commit of six contacts' WAL frames), %d times in a row, no server running\n\n", diskFrames*diskFrame/1024, diskCycles)
	fmt.Fprintln(w, "| beside | fdatasyncs per second | p50 | p90 | p99 | max |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: |")
	for _, d := range r.disk {
		s := d.stats
		fmt.Fprintf(w, "| %s | %.0f | %s | %s | %s | %s |\n", d.beside, s.perSec, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max))
	}
	fmt.Fprintln(w)
}

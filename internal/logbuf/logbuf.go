// Package logbuf batches log lines into fewer writes.
//
// The server logs a line per request. Written straight to stderr that is a write
// system call per request, about 5% of the server's CPU on a read. A Writer keeps
// the lines and writes them out together a moment later, so a busy server makes
// one write for many lines and an idle one still shows each line within Delay.
package logbuf

import (
	"io"
	"sync"
	"time"
)

// Delay is the longest a line waits in the buffer before it is written.
const Delay = 2 * time.Millisecond

// flushAt is the buffer size that is written out at once, without waiting for Delay.
const flushAt = 32 << 10

// Writer is an io.Writer that buffers what it is given and writes it to the
// underlying writer within Delay, in the order given. It is safe for concurrent use.
// What is still buffered when the process is killed is lost; Flush before a
// graceful exit.
type Writer struct {
	out     io.Writer
	delay   time.Duration
	writing sync.Mutex // held while writing to out, so that flushes keep their order

	mu    sync.Mutex // guards buf, spare and timer
	buf   []byte
	spare []byte      // the last buffer written out, for reuse
	timer *time.Timer // pending flush; nil when buf is empty
}

// New returns a Writer that writes to out.
func New(out io.Writer) *Writer { return &Writer{out: out, delay: Delay} }

// Write buffers p. It does not fail: an error writing to the underlying writer
// comes back from Flush, or is lost if nothing calls it (as a log line written to
// a closed stderr is).
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	if w.buf == nil {
		w.buf, w.spare = w.spare, nil
	}
	w.buf = append(w.buf, p...)
	full := len(w.buf) >= flushAt
	if !full && w.timer == nil {
		w.timer = time.AfterFunc(w.delay, func() { w.Flush() })
	}
	w.mu.Unlock()
	if full {
		w.Flush()
	}
	return len(p), nil
}

// Flush writes out everything buffered so far.
func (w *Writer) Flush() error {
	w.writing.Lock()
	defer w.writing.Unlock()
	w.mu.Lock()
	data := w.buf
	w.buf = nil
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	w.mu.Unlock()
	if len(data) == 0 {
		return nil
	}
	_, err := w.out.Write(data)
	if cap(data) <= 2*flushAt {
		w.mu.Lock()
		w.spare = data[:0]
		w.mu.Unlock()
	}
	return err
}

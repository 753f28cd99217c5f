package logbuf

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is the underlying writer: it keeps each Write it is given.
type recorder struct {
	mu     sync.Mutex
	writes []string
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.writes = append(r.writes, string(p))
	return len(p), nil
}

func (r *recorder) all() (string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.writes, ""), len(r.writes)
}

func TestLinesWaitForTheDelayAndGoOutInOneWrite(t *testing.T) {
	var out recorder
	w := &Writer{out: &out, delay: time.Hour}
	for i := range 3 {
		fmt.Fprintf(w, "line %d\n", i)
	}
	if got, _ := out.all(); got != "" {
		t.Fatalf("written before the delay: %q", got)
	}
	w.Flush()
	if got, n := out.all(); got != "line 0\nline 1\nline 2\n" || n != 1 {
		t.Errorf("after the flush: %q in %d writes, want 3 lines in 1", got, n)
	}
}

func TestALineIsWrittenWithoutAFlush(t *testing.T) {
	var out recorder
	w := New(&out)
	for _, line := range []string{"first\n", "second\n"} {
		fmt.Fprint(w, line)
		deadline := time.Now().Add(5 * time.Second)
		for got, _ := out.all(); !strings.HasSuffix(got, line); got, _ = out.all() {
			if time.Now().After(deadline) {
				t.Fatalf("after 5 s the writer still holds %q", line)
			}
			time.Sleep(Delay)
		}
	}
}

func TestFlushWritesAtOnce(t *testing.T) {
	var out recorder
	w := New(&out)
	fmt.Fprintln(w, "shutting down")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, _ := out.all(); got != "shutting down\n" {
		t.Errorf("after Flush: %q", got)
	}
	if err := w.Flush(); err != nil { // nothing buffered: no write
		t.Fatal(err)
	}
	if _, n := out.all(); n != 1 {
		t.Errorf("%d writes, want 1", n)
	}
}

func TestAFullBufferIsWrittenWithoutWaiting(t *testing.T) {
	var out recorder
	w := &Writer{out: &out, delay: time.Hour}
	line := bytes.Repeat([]byte("x"), 1023)
	line = append(line, '\n')
	for range flushAt / len(line) {
		w.Write(line)
	}
	if got, _ := out.all(); len(got) != flushAt {
		t.Errorf("%d bytes written at once, want %d", len(got), flushAt)
	}
}

func TestConcurrentLinesKeepTheirOrderAndStayWhole(t *testing.T) {
	var out recorder
	w := New(&out)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				fmt.Fprintf(w, "g%d %04d\n", g, i)
			}
		})
	}
	wg.Wait()
	w.Flush()
	got, _ := out.all()
	next := map[string]int{}
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != 8*2000 {
		t.Fatalf("%d lines, want %d", len(lines), 8*2000)
	}
	for _, l := range lines {
		var g string
		var i int
		if _, err := fmt.Sscanf(l, "%s %d", &g, &i); err != nil {
			t.Fatalf("torn line %q", l)
		}
		if i != next[g] {
			t.Fatalf("%s: line %d after %d", g, i, next[g]-1)
		}
		next[g]++
	}
}

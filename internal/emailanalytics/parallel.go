package emailanalytics

import (
	"runtime"
	"slices"
	"strings"
	"sync"
)

// parallelMin is the size from which Detect and the HTML tokenizer split
// their work across goroutines: below it (most emails) they cost more than
// they save. Offsets are int32 throughout, which bounds input to 2 GiB.
const parallelMin = 128 << 10

// contextMargin is how much text around its part each worker reads. Every
// detector looks at most a few lines around a match (a sign-off before a
// name, a cue before a number), far less than this.
const contextMargin = 2048

// workers returns how many parts to process n bytes in: one per processor,
// at most four, and none smaller than half of parallelMin.
func workers(n int) int {
	if n < parallelMin {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), 4, n/(parallelMin/2))
}

// detectParallel scans parts of the text concurrently. Each worker reads its
// part plus a margin on both sides and keeps the candidates that start in
// its part, so the union of candidates is what one scan of the whole text
// finds. Overlaps are then resolved over the whole, and each worker looks
// for repeats of the values found anywhere among its own words.
func detectParallel(text, lower string, n int) []Entity {
	bounds := splitLines(text, n)
	dets := make([]*detector, n)
	offs := make([]int, n)
	cands := make([][]cand, n)
	parallel(n, func(p int) {
		ps, pe := bounds[p], bounds[p+1]
		cs := lineStartAt(text, max(0, ps-contextMargin))
		ce := lineEndAt(text, min(len(text), pe+contextMargin))
		d := newDetector(text[cs:ce], lower[cs:ce])
		d.scan()
		// Keep what starts in the part, in place, in text offsets.
		kept := d.cands[:0]
		for _, c := range d.cands {
			if s := int(c.start) + cs; s >= ps && s < pe {
				kept = append(kept, cand{start: c.start + int32(cs), end: c.end + int32(cs), kind: c.kind})
			}
		}
		dets[p], offs[p], cands[p] = d, cs, kept
	})
	ents := resolve(text, slices.Concat(cands...))
	k := learnKnown(ents)
	if k == nil {
		return ents
	}
	added := make([][]Entity, n)
	parallel(n, func(p int) {
		added[p] = dets[p].repeats(ents, k, offs[p], bounds[p], bounds[p+1])
	})
	if more := slices.Concat(added...); len(more) > 0 {
		return mergeByStart(ents, more)
	}
	return ents
}

// parallel runs f(0) … f(n-1) concurrently and waits for them.
func parallel(n int, f func(int)) {
	var wg sync.WaitGroup
	for p := 1; p < n; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(p)
		}()
	}
	f(0)
	wg.Wait()
}

// splitLines returns n+1 offsets that cut text into n parts of about equal
// size, each cut at the start of a line.
func splitLines(text string, n int) []int {
	b := make([]int, n+1)
	b[n] = len(text)
	for p := 1; p < n; p++ {
		at := max(b[p-1], p*len(text)/n)
		if i := strings.IndexByte(text[at:], '\n'); i >= 0 {
			at += i + 1
		} else {
			at = len(text)
		}
		b[p] = at
	}
	return b
}

// lineEndAt returns the offset just after the line containing i.
func lineEndAt(t string, i int) int {
	if j := strings.IndexByte(t[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(t)
}

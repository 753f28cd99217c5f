package server

import "testing"

// The room the heap has to grow into between collections stays four times liveHeap
// however large the store's index of tokens grows, down to a floor of 25%.
func TestTheGCTargetLeavesTheTokenIndexOut(t *testing.T) {
	for _, c := range []struct {
		index int64
		want  int
	}{
		{0, GCPercent},
		{liveHeap, GCPercent / 2},
		{36 << 20, 72}, // a million tokens: 400 × 8 / 44
		{1 << 40, 25},
	} {
		if got := gcPercentBeside(c.index); got != c.want {
			t.Errorf("gcPercentBeside(%d) = %d, want %d", c.index, got, c.want)
		}
	}
}

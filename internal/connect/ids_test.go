package connect

import (
	"fmt"
	"regexp"
	"testing"
	"time"
)

// IDs are UUIDs in their 8-4-4-4-12 form: random ones (version 4) for request IDs, and
// time-ordered ones (version 7) for resources, which sort in the order they were made.
func TestUUIDsHaveTheirVersionsAndForm(t *testing.T) {
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	v7 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	t0 := time.Date(2026, 12, 6, 18, 0, 0, 0, time.UTC)
	prev := ""
	for i := range 1000 {
		id := NewUUID()
		if !v4.MatchString(id) || seen[id] {
			t.Fatalf("NewUUID() = %q: not a new version 4 UUID", id)
		}
		seen[id] = true
		ordered := timeOrderedUUID(t0.Add(time.Duration(i) * time.Millisecond))
		if !v7.MatchString(ordered) || ordered <= prev {
			t.Fatalf("timeOrderedUUID = %q after %q: not a version 7 UUID in time order", ordered, prev)
		}
		prev = ordered
	}
	var b [16]byte
	for i := range b {
		b[i] = byte(i*17 + 3)
	}
	want := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	if got := formatUUID(b); got != want {
		t.Errorf("formatUUID = %q, want %q", got, want)
	}
}

package main

import (
	"testing"
	"time"
)

// The poller asks about an email at most every 5 ms, and for one sent long ago a
// hundredth of its age apart: the latency it records is then late by at most about 1%,
// and a backlog of 20 s costs the server 5 requests a second rather than 200.
func TestPollWaitIsAHundredthOfTheAge(t *testing.T) {
	for _, tc := range []struct{ age, want time.Duration }{
		{0, 5 * time.Millisecond},
		{300 * time.Millisecond, 5 * time.Millisecond},
		{time.Second, 10 * time.Millisecond},
		{20 * time.Second, 200 * time.Millisecond},
	} {
		if got := pollWait(tc.age); got != tc.want {
			t.Errorf("pollWait(%v) = %v, want %v", tc.age, got, tc.want)
		}
	}
}

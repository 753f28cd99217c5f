package api

import (
	"encoding/json"
	"testing"
	"time"
)

// A timestamp read from the wire keeps its milliseconds exactly: the JavaScript SDK sends
// ScheduledTime as 1795594610.01, and float arithmetic would make it .009.
func TestTimeReadsEpochSecondsToTheMillisecond(t *testing.T) {
	for in, want := range map[string]int64{
		`1795594610.01`:              1795594610010,
		`1795594610.1`:               1795594610100,
		`1795594610.123`:             1795594610123,
		`1795594610.9999`:            1795594610999,
		`1795594610`:                 1795594610000,
		`"1795594610.28"`:            1795594610280,
		`1.79559461e9`:               1795594610000,
		`"2026-11-24T08:17:52.070Z"`: time.Date(2026, 11, 24, 8, 17, 52, 70e6, time.UTC).UnixMilli(),
	} {
		var got Time
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got.UnixMilli() != want {
			t.Errorf("%s: %d ms, want %d", in, got.UnixMilli(), want)
		}
	}
	for ms := int64(1795594610000); ms < 1795594611000; ms++ {
		b, _ := json.Marshal(NewTime(time.UnixMilli(ms)))
		var back Time
		if err := json.Unmarshal(b, &back); err != nil || back.UnixMilli() != ms {
			t.Fatalf("%d ms written as %s read back as %d ms (%v)", ms, b, back.UnixMilli(), err)
		}
	}
}

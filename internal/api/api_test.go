package api

import (
	"context"
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

// What validation lets through but the input type cannot hold (an integer member with
// no maximum beyond int32) is a SerializationException whose message reads as
// encoding/json's, although the input is decoded by the v1 package.
func TestAnIntegerBeyondItsTypeIsASerializationException(t *testing.T) {
	for _, doc := range []string{
		`{"InstanceId":"i","Name":"q","HoursOfOperationId":"h","MaxContacts":4294967296}`,
		`{"InstanceId":"i","Name":"q","HoursOfOperationId":"h","MaxContacts":-2147483649}`,
	} {
		_, err := handle(context.Background(), nil, requestDocument(t, doc), Service.CreateQueue)
		var want CreateQueueRequest
		stdErr := json.Unmarshal([]byte(doc), &want)
		e, ok := err.(*Error)
		if !ok || stdErr == nil || e.Code != SerializationException || e.Message != stdErr.Error() {
			t.Errorf("%s: %v, want a SerializationException saying %q", doc, err, stdErr)
		}
	}
}

// requestDocument decodes a request body as the Handler does.
func requestDocument(t *testing.T, body string) map[string]any {
	t.Helper()
	v, err := decodeBody([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is not an object", body)
	}
	return doc
}

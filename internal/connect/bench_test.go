package connect

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/store/sqlite"
)

// BenchmarkStartTaskContactInMemory is the store's writer's work for one task, the
// bench's StartTaskContact request, with no HTTP and no fsync: the in-memory store runs
// each Update at once. It is the figure to watch when a change moves work into or out
// of the writer, which every durable write waits for; profile it with -cpuprofile.
func BenchmarkStartTaskContactInMemory(b *testing.B) {
	st, err := sqlite.Open(sqlite.MemoryPath, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	s := New(Config{Store: st, Now: time.Now})
	d, err := s.Bootstrap(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	ctx := WithCaller(context.Background(), Caller{Account: DefaultAccount, AccessKeyID: DefaultAccessKey})
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		n++
		_, err := s.StartTaskContact(ctx, &api.StartTaskContactRequest{
			ClientToken: "token-" + strconv.Itoa(n), InstanceId: d.InstanceID, ContactFlowId: d.ContactFlowID,
			Name: "Callback request", Description: "The customer asked for a call back about order 4471.",
			References: map[string]api.Reference{
				"ticket": {Type: "URL", Value: "https://tickets.example.com/T-" + strconv.Itoa(n)},
				"note":   {Type: "STRING", Value: "Prefers mornings"},
			},
			Attributes: map[string]string{"customerId": "C-" + strconv.Itoa(n), "priority": "high"},
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

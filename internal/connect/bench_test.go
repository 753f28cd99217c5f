package connect

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/blob"
	"github.com/connectlocal/connectlocal/internal/blob/mem"
	"github.com/connectlocal/connectlocal/internal/store/sqlite"
)

// BenchmarkStartTaskContactInMemory is the store's writer's work for one task, the
// bench's StartTaskContact request, with no HTTP and no fsync: the in-memory store runs
// each Update at once. It is the figure to watch when a change moves work into or out
// of the writer, which every durable write waits for; profile it with -cpuprofile.
func BenchmarkStartTaskContactInMemory(b *testing.B) {
	s, d, ctx := inMemoryService(b)
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

// BenchmarkEmailInMemory is the work of one email with analysis on arrival, the bench's
// StartEmailContact request and the analysis job's handling of it, on the in-memory
// store.
// Its profile (-cpuprofile) tells the writer's part, (*batcher).transact, from the
// rest: redaction and everything else the job prepares outside the writer.
func BenchmarkEmailInMemory(b *testing.B) {
	html, err := os.ReadFile("../../cmd/connectlocal-bench/email.html") // the bench's email
	if err != nil {
		b.Fatal(err)
	}
	s, d, ctx := inMemoryService(b)
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		n++
		_, err := s.StartEmailContact(ctx, &api.StartEmailContactRequest{
			ClientToken: "token-" + strconv.Itoa(n), InstanceId: d.InstanceID, DestinationEmailAddress: d.EmailAddress,
			FromEmailAddress: &api.EmailAddressInfo{EmailAddress: "maria.garcia@example.com", DisplayName: "Maria Garcia"},
			EmailMessage: &api.InboundEmailContent{MessageSourceType: "RAW", RawMessage: &api.InboundRawMessage{
				Subject: "Order #4471-2209 has not arrived", Body: string(html), ContentType: "text/html",
				Headers: map[string]string{"MESSAGE_ID": "<" + strconv.Itoa(n) + "@mail.example.com>"},
			}},
		})
		if err != nil {
			b.Fatal(err)
		}
		if analysed, err := s.ProcessEmailAnalytics(ctx); err != nil || analysed != 1 {
			b.Fatalf("analysed %d emails: %v", analysed, err)
		}
	}
}

// inMemoryService is a Service on the in-memory store, which runs each Update at once,
// with small blobs in its transactions as the server keeps them (blob.Split), and the
// default instance; ctx calls as the default account.
func inMemoryService(b testing.TB) (*Service, Defaults, context.Context) {
	st, err := sqlite.Open(sqlite.MemoryPath, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	s := New(Config{Store: st, Now: time.Now, Blobs: blob.NewSplit(st.Blobs(nil), mem.New(nil), 64<<10)})
	d, err := s.Bootstrap(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return s, d, WithCaller(context.Background(), Caller{Account: DefaultAccount, AccessKeyID: DefaultAccessKey})
}

// BenchmarkDecodeRecord decodes a stored task contact, as every DescribeContact does,
// with encoding/json and with decodeRecord.
func BenchmarkDecodeRecord(b *testing.B) {
	records := storedContacts(b)
	data := records[0]
	for _, dec := range []struct {
		name   string
		decode func([]byte, any) error
	}{{"encoding-json", json.Unmarshal}, {"decodeRecord", decodeRecord}} {
		b.Run(dec.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var c contactRecord
				if err := dec.decode(data, &c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

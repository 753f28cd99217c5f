package connect

import (
	"context"
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

// benchEmailHTML is an inbound customer email like the bench's (cmd/connectlocal-bench),
// with the kinds of PII the analysis redacts.
const benchEmailHTML = `<html><body>
<p>Hello support team,</p>
<p>My name is Maria Garcia and I am writing about order <b>#4471-2209</b>, which I placed on
the 3rd of March. The parcel was supposed to arrive last Tuesday, but the tracking page has
said "in transit" for eight days now.</p>
<p>Could you please check what happened? You can reach me at maria.garcia@example.com or on my
mobile, +1 (206) 555-0143, any weekday between 9am and 5pm. If it is easier, my husband
John Garcia can also take the call.</p>
<p>If the parcel is lost, I would like a refund to the card I paid with (Visa ending
4111 1111 1111 1111) rather than store credit. The delivery address on the order is
1234 Elm Street, Apartment 5B, Springfield, IL 62704.</p>
<table border="1"><tr><th>Item</th><th>Qty</th><th>Price</th></tr>
<tr><td>Ceramic teapot, blue</td><td>1</td><td>$39.00</td></tr></table>
<p>Thank you for your help,<br>Maria Garcia<br>Springfield, Illinois</p>
</body></html>`

// BenchmarkEmailInMemory is the work of one email with analysis on arrival, the bench's
// StartEmailContact request and the analysis job's handling of it, on the in-memory
// store with small blobs in its transactions as the server keeps them (blob.Split).
// Its profile (-cpuprofile) tells the writer's part, (*batcher).transact, from the
// rest: redaction and everything else the job prepares outside the writer.
func BenchmarkEmailInMemory(b *testing.B) {
	st, err := sqlite.Open(sqlite.MemoryPath, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	s := New(Config{Store: st, Now: time.Now, Blobs: blob.NewSplit(st.Blobs(nil), mem.New(nil), 64<<10)})
	d, err := s.Bootstrap(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	ctx := WithCaller(context.Background(), Caller{Account: DefaultAccount, AccessKeyID: DefaultAccessKey})
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		n++
		_, err := s.StartEmailContact(ctx, &api.StartEmailContactRequest{
			ClientToken: "token-" + strconv.Itoa(n), InstanceId: d.InstanceID, DestinationEmailAddress: d.EmailAddress,
			FromEmailAddress: &api.EmailAddressInfo{EmailAddress: "maria.garcia@example.com", DisplayName: "Maria Garcia"},
			EmailMessage: &api.InboundEmailContent{MessageSourceType: "RAW", RawMessage: &api.InboundRawMessage{
				Subject: "Order #4471-2209 has not arrived", Body: benchEmailHTML, ContentType: "text/html",
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

package connect

import (
	"strings"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
)

// The line an email's analysis gives it in its thread's summary is made from the
// message it has just redacted; the analyses of later emails of the thread make it
// again with emailLine. Both must give the same line.
func TestAnEmailsThreadLineIsTheOneLaterEmailsGiveIt(t *testing.T) {
	s, _, _, d := newTestService(t)
	body := `<p>Hello, this is Maria Garcia. My card 4111 1111 1111 1111 was charged twice;</p>
<p>call me on +1 206 555 0100 or write to maria.garcia@example.com. Order 1234.</p>`
	senders := []api.EmailAddressInfo{
		{EmailAddress: "maria.garcia@example.com", DisplayName: "Maria Garcia"},
		{EmailAddress: "maria.garcia@example.com"},
	}
	for _, from := range senders {
		for _, policy := range []string{"None", "RedactedOnly", "RedactedAndOriginal"} {
			for _, mask := range []string{"PII", "EntityType"} {
				for _, entities := range [][]string{{}, {"NAME"}} {
					settings := EmailAnalyticsSettings{Enabled: true, Policy: policy, MaskMode: mask, Entities: entities, Trigger: AnalyzeOnArrival}
					c := &contactRecord{Contact: api.Contact{Id: s.newID()}, EmailMessage: &EmailMessage{
						From: from, Subject: "Refund for Maria Garcia, card 4111 1111 1111 1111", ContentType: "text/html",
						Body: body, ReceivedAt: time.Date(2026, 4, 10, 9, 30, 0, 0, time.UTC),
					}}
					red, err := s.redactEmail(bg, nil, DefaultAccount, d.InstanceID, c, body, settings)
					if err != nil {
						t.Fatal(err)
					}
					plain := red.plain
					if want := emailLine(c.EmailMessage, plain, settings); red.threadLine != want {
						t.Errorf("%+v from %+v: the analysis's line\n%s\nlater analyses' line\n%s", settings, from, red.threadLine, want)
					}
					if policy != "None" && strings.Contains(red.threadLine, "Garcia") {
						t.Errorf("%+v: the line leaks the name: %s", settings, red.threadLine)
					}
				}
			}
		}
	}
}

package connect

import (
	"bytes"
	"encoding/json"
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

// The message, redacted message and analysis files are indented by JSON v2's indenting
// for speed; their bytes must be those encoding/json's Encoder, with HTML left as it is
// and two spaces of indent, wrote before.
func TestIndentedJSONIsEncodingJSONs(t *testing.T) {
	html := "<p class=\"x\">Hi &amp; bye</p>\n\t<br/> \u2028 \u2029 \x01 caf\u00e9 \U0001F600 \\ \"q\" </script>"
	values := []any{
		MessageDocument{ContactId: "c", InstanceId: "i", From: Address{Address: "a@example.com", DisplayName: "A <a>"},
			To: []Address{{Address: "b@example.com"}, {Address: "c@example.com", DisplayName: "C"}}, Cc: []Address{},
			Subject: "S & <T>", ContentType: "text/html", Headers: map[string]string{"MESSAGE_ID": "<m@x>", "B": ""}, Body: html,
			ReceivedTime: "2026-04-10T09:30:00.000Z"},
		MessageDocument{}, // nil slices and map: null
		map[string]any{
			"Version": analysisVersion, "Empty": map[string]any{}, "None": []string{}, "Nil": nil, "Float": 1.5, "Int": 42,
			"Nested": map[string]any{"Deep": []any{map[string]any{"K": []int{1, 2}}, "s", true, false}},
			"Text":   html,
		},
		[]any{},
		"just text",
	}
	for _, v := range values {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		got, err := indentJSON(v)
		if err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Errorf("indentJSON(%T) = %v\n%s\nwant\n%s", v, err, got, want.Bytes())
		}
	}
}

package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"testing"
)

// BenchmarkHandlerStartEmailContact is the API layer's work for the bench's email
// request: decode, validate, set the operation's input, answer. The service does
// nothing.
func BenchmarkHandlerStartEmailContact(b *testing.B) {
	html, err := os.ReadFile("../../cmd/connectlocal-bench/email.html") // the bench's email
	if err != nil {
		b.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{
		"ClientToken": "8c1c2a4e-5b9f-4f0e-8d8a-3e1f6f0c9b7d", "InstanceId": "1f3c5d7e-9a0b-4c2d-8e6f-a1b2c3d4e5f6",
		"FromEmailAddress":        map[string]string{"EmailAddress": "maria.garcia@example.com", "DisplayName": "Maria Garcia"},
		"DestinationEmailAddress": "support@connectlocal.email.connect.aws",
		"EmailMessage": map[string]any{"MessageSourceType": "RAW", "RawMessage": map[string]any{
			"Subject": "Order #4471-2209 has not arrived", "Body": string(html), "ContentType": "text/html",
			"Headers": map[string]string{"MESSAGE_ID": "<8c1c2a4e@mail.example.com>"},
		}},
	})
	if err != nil {
		b.Fatal(err)
	}
	h := NewHandler(&emailService{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if w := putEmail(h, body); w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

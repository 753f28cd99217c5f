package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	jsonv1 "github.com/go-json-experiment/json/v1"
)

// fromDocument sets every operation's input as decoding the document's JSON did before
// it: for random documents of each input type (members present, absent and null, lists
// and maps with null elements, timestamps as numbers and as text, unknown keys), the
// input it sets equals what encoding/json's v1 decoding makes of the document, and it
// declines exactly the documents that decoding refuses (integers beyond their Go type).
func TestADocumentSetsTheInputAsDecodingItsJSONDoes(t *testing.T) {
	inputs := 0
	for m := range reflect.TypeFor[Service]().Methods() {
		in := m.Type.In(1).Elem() // func(context.Context, *Input) (*Output, error)
		inputs++
		r := rand.New(rand.NewPCG(uint64(inputs), 8))
		for i := range 20 {
			doc, _ := randomValue(r, in, 0).(map[string]any)
			if doc == nil {
				doc = map[string]any{}
			}
			body, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			want := reflect.New(in)
			decodeErr := jsonv1.Unmarshal(body, want.Interface())
			got := reflect.New(in)
			ok := fromDocument(got.Interface(), doc)
			switch {
			case ok != (decodeErr == nil):
				t.Fatalf("%s, document %d %s: fromDocument %v, decoding its JSON: %v", m.Name, i, body, ok, decodeErr)
			case ok && !reflect.DeepEqual(got.Interface(), want.Interface()):
				t.Fatalf("%s, document %d %s:\nset     %+v\ndecoded %+v", m.Name, i, body, got.Elem(), want.Elem())
			}
		}
	}
	if inputs < 100 {
		t.Fatalf("only %d operations", inputs)
	}
}

// randomValue returns a document value for Go type t, or nil (null) now and then.
func randomValue(r *rand.Rand, t reflect.Type, depth int) any {
	if r.IntN(12) == 0 {
		return nil
	}
	if t == timeType {
		switch r.IntN(3) {
		case 0:
			return json.Number(fmt.Sprintf("%d.%03d", 1_700_000_000+r.IntN(1e8), r.IntN(1000)))
		case 1:
			return json.Number(fmt.Sprint(1_700_000_000 + r.IntN(1e8)))
		}
		return "2026-04-10T12:34:56.789Z"
	}
	switch t.Kind() {
	case reflect.String:
		return strings.Repeat("x", r.IntN(3)) + "<é>\"\\"
	case reflect.Bool:
		return r.IntN(2) == 0
	case reflect.Int32, reflect.Int64:
		if r.IntN(40) == 0 {
			return json.Number("4294967296") // beyond an int32
		}
		return json.Number(fmt.Sprint(r.IntN(2000) - 1000))
	case reflect.Float64:
		return json.Number(fmt.Sprintf("%d.%d", r.IntN(100), r.IntN(100)))
	case reflect.Pointer:
		return randomValue(r, t.Elem(), depth)
	case reflect.Slice:
		if depth > 4 {
			return []any{}
		}
		list := make([]any, r.IntN(3))
		for i := range list {
			list[i] = randomValue(r, t.Elem(), depth+1)
		}
		return list
	case reflect.Map:
		if depth > 4 {
			return map[string]any{}
		}
		m := map[string]any{}
		for range r.IntN(3) {
			m[fmt.Sprint("k", r.IntN(100))] = randomValue(r, t.Elem(), depth+1)
		}
		return m
	case reflect.Struct:
		obj := map[string]any{}
		if depth > 4 {
			return obj
		}
		for f := range t.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if r.IntN(4) > 0 {
				obj[name] = randomValue(r, f.Type, depth+1)
			}
		}
		if r.IntN(4) == 0 {
			obj["NoSuchMember"] = "ignored"
		}
		return obj
	}
	panic("no document value for " + t.String())
}

// emailService answers StartEmailContact with a fixed ID, and keeps the input it got.
type emailService struct {
	Unimplemented
	in *StartEmailContactRequest
}

func (s *emailService) StartEmailContact(_ context.Context, in *StartEmailContactRequest) (*StartEmailContactResponse, error) {
	s.in = in
	return &StartEmailContactResponse{ContactId: "c1"}, nil
}

// putEmail serves a StartEmailContact request of this body.
func putEmail(h *Handler, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPut, "/contact/email", nil)
	r.Body = NewBody(body)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// When a key repeats, validation checks its last value, and the operation gets just that
// value. Decoding the body's JSON a second time merged the two objects, and so handed
// the operation a member validation never saw (here a DisplayName far beyond its limit).
func TestARepeatedKeyGivesTheOperationOnlyTheValueValidated(t *testing.T) {
	body := `{"InstanceId":"i","DestinationEmailAddress":"a@example.com",
		"EmailMessage":{"MessageSourceType":"RAW","RawMessage":{"Subject":"s","ContentType":"text/plain","Body":"b"}},
		"FromEmailAddress":{"EmailAddress":"b@example.com","DisplayName":"` + strings.Repeat("x", 300_000) + `"},
		"FromEmailAddress":{"EmailAddress":"b@example.com"}}`
	s := &emailService{}
	w := putEmail(NewHandler(s, slog.New(slog.NewTextHandler(io.Discard, nil))), []byte(body))
	if s.in == nil {
		t.Fatalf("StartEmailContact was not called: %d %s", w.Code, w.Body)
	}
	if n := len(s.in.FromEmailAddress.DisplayName); n != 0 {
		t.Errorf("the operation got a DisplayName of %d bytes that validation never saw", n)
	}
}

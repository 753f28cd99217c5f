// Package api is connectlocal's wire layer for the Amazon Connect restJson1 protocol: it
// routes a request to its operation, binds path, query and body into one document,
// validates that document against the service model, calls the Service, and writes the
// answer or the error the way the official SDKs expect to read it.
//
// Everything mechanical (operations, shapes, Go types, the Service interface) is generated
// from the service model into gen_*.go; this file and its siblings are the hand-written
// machinery that interprets those tables.
package api

//go:generate go run ../apigen -model ../../../shared/aws-models/connect/2017-08-08/service-2.json -out .

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// Kind is the model type of a shape.
type Kind uint8

const (
	KindStructure Kind = iota
	KindList
	KindMap
	KindString
	KindInteger
	KindLong
	KindDouble
	KindBoolean
	KindTimestamp
	KindBlob
)

// Location is where an input member travels on the wire.
type Location uint8

const (
	LocationBody Location = iota
	LocationPath
	LocationQuery
	LocationHeader
)

// Shape is one shape of the model with the constraints the validator enforces.
type Shape struct {
	Name        string
	Kind        Kind
	Min, Max    *float64
	Pattern     *Pattern // anchored; see apigen's translatePattern
	PatternText string   // the pattern as the model spells it, for messages
	// PatternMinRunes and PatternMaxRunes, when PatternMaxRunes > 0, are the length in
	// runes the model's pattern also demands (a class repeated {min,max} times, which
	// Pattern checks as repeated any number of times; see apigen's translatePattern).
	PatternMinRunes, PatternMaxRunes int
	NotPrefix                        []string // values may not start with these (the model's leading lookaheads)
	NotExact                         []string // values may not be exactly these
	Enum                             []string
	Union                            bool
	Sensitive                        bool
	Elem                             int // list member or map value shape
	Key                              int // map key shape
	Members                          []Member
}

// Pattern is a regular expression of the model, compiled the first time it is used:
// compiling the model's patterns costs milliseconds at every start-up, and most belong
// to operations a given run never sees. apigen has checked that each compiles.
type Pattern struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// MatchString reports whether s matches the pattern.
func (p *Pattern) MatchString(s string) bool {
	p.once.Do(func() { p.re = regexp.MustCompile(p.expr) })
	return p.re.MatchString(s)
}

// Member is one member of a structure shape.
type Member struct {
	Name             string
	Shape            int
	Required         bool
	Location         Location
	Wire             string // path label, query key or header name
	IdempotencyToken bool
}

// Operation is one operation of the model and its HTTP binding.
type Operation struct {
	Name      string
	Method    string
	Path      string
	Input     int // shape index, -1 for none
	Output    int // shape index, -1 for none
	HasOutput bool
	Errors    []string
	call      handlerFunc
}

// Lists reports whether the operation's model lists the error shape.
func (op *Operation) Lists(code string) bool {
	for _, e := range op.Errors {
		if e == code {
			return true
		}
	}
	return false
}

// Operations returns the operation table, in name order.
func Operations() []Operation { return operations }

// Empty is the input or output of an operation that has none in the model.
type Empty struct{}

// Time is a timestamp member. restJson1 carries it as epoch seconds, a JSON number.
type Time struct{ time.Time }

// NewTime returns t as a timestamp member, truncated to milliseconds like Connect's.
func NewTime(t time.Time) *Time { return &Time{t.UTC().Truncate(time.Millisecond)} }

func (t Time) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	sec, frac := ms/1000, ms%1000
	if frac < 0 {
		sec, frac = sec-1, frac+1000
	}
	b := strconv.AppendInt(nil, sec, 10)
	if frac == 0 {
		return b, nil
	}
	digits := strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
	return append(append(b, '.'), digits...), nil
}

func (t *Time) UnmarshalJSON(b []byte) error {
	// The decoder hands over one valid JSON value, so anything but a string is read as
	// a number as written (the other literals fail to parse): no second decoder, which
	// cost about 2% of a DescribeContact.
	if len(b) > 0 && b[0] != '"' {
		parsed, err := parseEpoch(string(b))
		t.Time = parsed
		return err
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	parsed, err := parseTimeString(s)
	if err != nil {
		return err
	}
	t.Time = parsed
	return nil
}

// parseTimeString reads a timestamp sent as text: epoch seconds or RFC 3339.
func parseTimeString(s string) (time.Time, error) {
	if t, err := parseEpoch(s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// parseEpoch reads epoch seconds written in decimal ("1795594610.01", "1.7e9") to the
// millisecond, exactly: the digits are read as digits, because float arithmetic turns
// .01 into .009999… and a millisecond would be lost on every round trip.
func parseEpoch(s string) (time.Time, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if strings.ContainsAny(s, "eE") || whole == "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return time.Time{}, err
		}
		return time.UnixMilli(int64(math.Round(f * 1000))).UTC(), nil
	}
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	frac = (frac + "000")[:3]
	ms, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || ms < 0 {
		return time.Time{}, fmt.Errorf("%q is not epoch seconds", s)
	}
	if strings.HasPrefix(whole, "-") {
		ms = -ms
	}
	return time.UnixMilli(sec*1000 + ms).UTC(), nil
}

// ISOTime formats t as Connect's ISO8601Datetime string shape (2024-05-03T02:41:28.172Z).
func ISOTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type handlerFunc func(ctx context.Context, s Service, doc map[string]any) (any, error)

// handle calls a Service method for the generic dispatcher (each operation's generated
// handlerFunc calls it): the validated request document sets the operation's generated
// input type (fromDocument). What validation lets through but the type cannot hold, an
// integer beyond its Go type, goes through JSON once more, so that its message is
// encoding/json's; it is decoded by encoding/json/v2's implementation of v1 (the module
// that mirrors what Go 1.27 makes standard), matching names exactly as validation and
// fromDocument do: Connect ignores keys it does not know, "body" beside "Body" among
// them.
func handle[I, O any](ctx context.Context, s Service, doc map[string]any, method func(Service, context.Context, *I) (*O, error)) (any, error) {
	in := new(I)
	if !fromDocument(in, doc) {
		body, err := json.Marshal(doc)
		if err != nil {
			return nil, err
		}
		*in = *new(I)
		if err := jsonv2.Unmarshal(body, in, jsonv1.DefaultOptionsV1(), jsonv2.MatchCaseInsensitiveNames(false)); err != nil {
			return nil, Errorf(SerializationException, "%v", err)
		}
	}
	out, err := method(s, ctx, in)
	if err != nil || out == nil {
		return nil, err
	}
	return out, nil
}

// String returns a pointer to s, for optional members.
func String(s string) *string { return &s }

// Bool returns a pointer to b, for optional members.
func Bool(b bool) *bool { return &b }

// Int32 returns a pointer to n, for optional members.
func Int32(n int32) *int32 { return &n }

// Int64 returns a pointer to n, for optional members.
func Int64(n int64) *int64 { return &n }

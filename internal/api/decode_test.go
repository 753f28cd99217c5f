package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// A request body is decoded by JSON v2 for speed; what validation then sees must be what
// encoding/json's Decoder with UseNumber, which it replaced, would have given it.
func TestARequestDecodesAsEncodingJSONDecodesIt(t *testing.T) {
	bodies := []string{
		`{}`,
		`{"InstanceId":"abc","Attributes":{"a":"1","b":""},"References":{}}`,
		`{"n":9007199254740993,"f":1.50,"e":1e400,"neg":-0,"x":[1,2.0,3e2]}`,
		`{"a":1,"a":{"b":2}}`,             // the last duplicate wins
		`{"a":{"b":1,"c":2},"a":{"b":3}}`, // wins whole, not merged
		`{"a":[1,2],"a":[3]}`,
		"{\"s\":\"caf\xc3\xa9 \xff\xfe end\"}", // invalid UTF-8 becomes U+FFFD
		`{"s":"\ud800 lone \udc00 halves"}`,
		`{"s":"\u003cp\u003e \"q\" \\ \/ \n"}`,
		`{"t":true,"f":false,"z":null,"deep":[[[{"k":[null]}]]]}`,
		" \n {\"a\":1} \t\n",
		`[1,2]`,
		`"text"`,
		`null`,
		`{"a":1} {"b":2}`,
		`{"a":1}x`,
		`{"a":}`,
		`{"a":1,}`,
		`{'a':1}`,
		`{"a":01}`,
		`{"a":1`,
		`{"a":"unterminated}`,
		`{"a":"\x"}`,
		`{"a":NaN}`,
	}
	for _, body := range bodies {
		want, wantErr := decodeAsEncodingJSON([]byte(body))

		got, gotErr := decodeBody([]byte(body))
		if (gotErr != nil) != (wantErr != nil) {
			t.Errorf("%q: error %v, encoding/json's %v", body, gotErr, wantErr)
			continue
		}
		if gotErr == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%q: decoded %#v, encoding/json %#v", body, got, want)
		}
	}
}

// decodeAsEncodingJSON is how document decoded a body before: one value, nothing after it.
func decodeAsEncodingJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(body[dec.InputOffset():])) > 0 {
		return nil, errTrailing
	}
	return v, nil
}

var errTrailing = errors.New("data after the top-level value")

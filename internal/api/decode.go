package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// asEncodingJSON makes JSON v2's decoding of a request into an any give what
// encoding/json's Decoder with UseNumber gives (TestARequestDecodesAsEncodingJSONDecodesIt),
// in two thirds of its time: numbers as json.Number, as written (validation reads
// integers beyond 2^53 exactly); the last of duplicate names; invalid UTF-8 replaced.
var asEncodingJSON = jsonv2.JoinOptions(
	jsonv2.WithUnmarshalers(jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *any) error {
		if dec.PeekKind() != '0' {
			return errors.ErrUnsupported // JSON v2's own decoding
		}
		raw, err := dec.ReadValue()
		*v = json.Number(raw)
		return err
	})),
	jsontext.AllowDuplicateNames(true),
	jsonv1.MergeWithLegacySemantics(true), // a duplicate name's value replaces, not merges
	jsontext.AllowInvalidUTF8(true),
)

// document binds a request into one JSON object keyed by member name: the body's members,
// then the path labels, query parameters and headers the input shape binds. An empty or
// missing body means no members.
func document(op *Operation, r *http.Request, body []byte, labels map[string]string) (map[string]any, error) {
	doc := map[string]any{}
	if len(bytes.TrimSpace(body)) > 0 {
		var v any
		if err := jsonv2.Unmarshal(body, &v, asEncodingJSON); err != nil {
			return nil, Errorf(SerializationException, "Malformed JSON request body: %v", err)
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, Errorf(SerializationException, "The request body must be a JSON object")
		}
		doc = obj
	}
	if op.Input < 0 {
		return doc, nil
	}
	query := r.URL.Query()
	for _, m := range shapes[op.Input].Members {
		if m.Location == LocationBody {
			continue
		}
		delete(doc, m.Name) // a located member never comes from the body
		var values []string
		switch m.Location {
		case LocationPath:
			if v, ok := labels[m.Wire]; ok {
				values = []string{v}
			}
		case LocationQuery:
			values = query[m.Wire]
		case LocationHeader:
			values = r.Header.Values(m.Wire)
		}
		if len(values) == 0 {
			continue
		}
		v, err := fromText(&shapes[m.Shape], values, m.Name)
		if err != nil {
			return nil, err
		}
		doc[m.Name] = v
	}
	return doc, nil
}

// fromText converts path, query or header text to the JSON value of its shape. A list
// shape takes every value of a repeated query key. An error names the input member as
// Connect does (lowerFirst), made only then: most requests have no error to name.
func fromText(s *Shape, values []string, member string) (any, error) {
	if s.Kind == KindList {
		elem := &shapes[s.Elem]
		list := make([]any, 0, len(values))
		for _, v := range values {
			e, err := fromText(elem, []string{v}, member)
			if err != nil {
				return nil, err
			}
			list = append(list, e)
		}
		return list, nil
	}
	v := values[0]
	switch s.Kind {
	case KindInteger, KindLong, KindDouble:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return nil, Errorf(SerializationException, "Value '%s' at '%s' is not a number", v, lowerFirst(member))
		}
		return json.Number(v), nil
	case KindBoolean:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, Errorf(SerializationException, "Value '%s' at '%s' is not a boolean", v, lowerFirst(member))
		}
		return b, nil
	}
	return v, nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

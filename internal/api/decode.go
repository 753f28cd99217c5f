package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// decodeBody decodes a request body into an any as encoding/json's Decoder with
// UseNumber does (TestARequestDecodesAsEncodingJSONDecodesIt): objects as
// map[string]any, numbers as json.Number as written (validation reads integers beyond
// 2^53 exactly), the last of duplicate names, invalid UTF-8 replaced. It reads
// jsontext's tokens itself: JSON v2's Unmarshal into an any, with a hook for numbers,
// took its reflective path and made a reflect.Value for each member.
func decodeBody(body []byte) (any, error) {
	dec := jsontext.NewDecoder(bytes.NewBuffer(body), // parsed in place, not copied
		jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	rest := bytes.TrimLeft(body[dec.InputOffset():], " \t\r\n")
	if len(rest) > 0 { // in jsontext's words: the decoder would take it as a second value
		r, _ := utf8.DecodeRune(rest)
		return nil, fmt.Errorf("jsontext: invalid character %q after top-level value after offset %d", r, len(body)-len(rest))
	}
	return v, nil
}

func decodeValue(dec *jsontext.Decoder) (any, error) {
	switch dec.PeekKind() {
	case '{':
		if _, err := dec.ReadToken(); err != nil {
			return nil, err
		}
		obj := map[string]any{}
		for dec.PeekKind() != '}' {
			tok, err := dec.ReadToken()
			if err != nil {
				return nil, err
			}
			name := tok.String() // before the next read voids tok
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			obj[name] = v
		}
		_, err := dec.ReadToken()
		return obj, err
	case '[':
		if _, err := dec.ReadToken(); err != nil {
			return nil, err
		}
		list := []any{}
		for dec.PeekKind() != ']' {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		_, err := dec.ReadToken()
		return list, err
	case '0':
		raw, err := dec.ReadValue()
		return json.Number(raw), err
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case '"':
		return tok.String(), nil
	case 't', 'f':
		return tok.Bool(), nil
	}
	return nil, nil // null
}

// document binds a request into one JSON object keyed by member name: the body's members,
// then the path labels, query parameters and headers the input shape binds. An empty or
// missing body means no members.
func document(op *Operation, r *http.Request, body []byte, labels map[string]string) (map[string]any, error) {
	doc := map[string]any{}
	if len(bytes.TrimSpace(body)) > 0 {
		v, err := decodeBody(body)
		if err != nil {
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

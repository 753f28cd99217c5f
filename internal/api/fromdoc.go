package api

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fromDocument sets *in, an operation's input, from its validated request document,
// member by member, and reports whether it could. Validation decoded and checked the
// JSON already; parsing it a second time into the input type cost StartEmailContact
// as much as the first parse. A document it cannot set exactly as encoding/json would
// (a number beyond its Go type) is left to encoding/json: it returns false.
func fromDocument(in any, doc map[string]any) bool {
	v := reflect.ValueOf(in).Elem()
	return docSetterFor(v.Type())(v, doc)
}

// A docSetter sets v, a zero value, from x, a validated document value that is not nil.
type docSetter func(v reflect.Value, x any) bool

var docSetters sync.Map // reflect.Type → docSetter

// docSetterFor returns the setter of type t, made once. A type that refers to itself
// gets, while its setter is being made, one that waits for it (as encoding/json's
// encoders do).
func docSetterFor(t reflect.Type) docSetter {
	if f, ok := docSetters.Load(t); ok {
		return f.(docSetter)
	}
	var (
		wg sync.WaitGroup
		f  docSetter
	)
	wg.Add(1)
	fi, loaded := docSetters.LoadOrStore(t, docSetter(func(v reflect.Value, x any) bool {
		wg.Wait()
		return f(v, x)
	}))
	if loaded {
		return fi.(docSetter)
	}
	f = newDocSetter(t)
	wg.Done()
	docSetters.Store(t, f)
	return f
}

var timeType = reflect.TypeFor[Time]()

func newDocSetter(t reflect.Type) docSetter {
	if t == timeType {
		return setTime
	}
	switch t.Kind() {
	case reflect.String:
		return func(v reflect.Value, x any) bool {
			s, ok := x.(string)
			v.SetString(s)
			return ok
		}
	case reflect.Bool:
		return func(v reflect.Value, x any) bool {
			b, ok := x.(bool)
			v.SetBool(b)
			return ok
		}
	case reflect.Int32, reflect.Int64:
		bits := t.Bits()
		return func(v reflect.Value, x any) bool {
			n, ok := x.(json.Number)
			i, err := strconv.ParseInt(string(n), 10, bits)
			v.SetInt(i)
			return ok && err == nil
		}
	case reflect.Float64:
		return func(v reflect.Value, x any) bool {
			n, ok := x.(json.Number)
			f, err := strconv.ParseFloat(string(n), 64)
			v.SetFloat(f)
			return ok && err == nil
		}
	case reflect.Pointer:
		elem := docSetterFor(t.Elem())
		return func(v reflect.Value, x any) bool {
			p := reflect.New(t.Elem())
			v.Set(p)
			return elem(p.Elem(), x)
		}
	case reflect.Slice:
		elem := docSetterFor(t.Elem())
		return func(v reflect.Value, x any) bool {
			list, ok := x.([]any)
			if !ok {
				return false
			}
			s := reflect.MakeSlice(t, len(list), len(list))
			for i, e := range list {
				if e != nil && !elem(s.Index(i), e) {
					return false
				}
			}
			v.Set(s)
			return true
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return func(reflect.Value, any) bool { return false }
		}
		elem := docSetterFor(t.Elem())
		return func(v reflect.Value, x any) bool {
			obj, ok := x.(map[string]any)
			if !ok {
				return false
			}
			m := reflect.MakeMapWithSize(t, len(obj))
			for k, e := range obj {
				ev := reflect.New(t.Elem()).Elem() // null is the zero value, as in encoding/json
				if e != nil && !elem(ev, e) {
					return false
				}
				m.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), ev)
			}
			v.Set(m)
			return true
		}
	case reflect.Struct:
		return structSetter(t)
	}
	return func(reflect.Value, any) bool { return false }
}

// structSetter sets a generated type's fields from the object's members of the same
// names (the json tags), exactly: other keys, those that differ from a member's name only
// in case among them, are ignored, as Connect and validation ignore them.
func structSetter(t reflect.Type) docSetter {
	type field struct {
		name  string
		index int
		set   docSetter
	}
	var fields []field
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		fields = append(fields, field{name, i, docSetterFor(f.Type)})
	}
	return func(v reflect.Value, x any) bool {
		obj, ok := x.(map[string]any)
		if !ok {
			return false
		}
		for _, f := range fields {
			if e := obj[f.name]; e != nil && !f.set(v.Field(f.index), e) {
				return false
			}
		}
		return true
	}
}

// setTime reads a timestamp as Time.UnmarshalJSON does: epoch seconds as a number, or
// text.
func setTime(v reflect.Value, x any) bool {
	var (
		t   time.Time
		err error
	)
	switch x := x.(type) {
	case json.Number:
		t, err = parseEpoch(string(x))
	case string:
		t, err = parseTimeString(x)
	default:
		return false
	}
	v.Set(reflect.ValueOf(Time{t}))
	return err == nil
}

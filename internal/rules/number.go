package rules

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// number reads a numeric event value. encoding/json gives float64, or json.Number with
// UseNumber; Go-built events may hold ints. Strings are read as numbers only when
// asTime is set (case date/time fields), see timeNumber.
func number(v any, asTime bool) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	case string:
		if asTime {
			return timeNumber(x)
		}
	}
	return 0, false
}

// timeNumber reads a case date/time. The OnCaseCreate/OnCaseUpdate pages give operands
// such as "2023-11-11T11:11:11.111111Z" and say "The value is interpreted as a numeric
// value". Decision: an RFC 3339 date-time becomes its Unix time in seconds (with
// fraction); a plain numeric string is taken as is.
func timeNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return f, true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, false
	}
	return float64(t.UnixNano()) / 1e9, true
}

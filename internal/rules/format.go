package rules

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// sprintf is fmt.Sprintf without the import in every validation file.
func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// scalarString renders a scalar event value as text: the form used both to compare
// identifiers (so a Zendesk id sent as a JSON number equals the operand "123") and to
// inject values into task text. ok is false for maps, lists and null.
func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case uint:
		return strconv.FormatUint(uint64(x), 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

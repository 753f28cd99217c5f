package connect

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/connectlocal/connectlocal/internal/api"
)

// arn builds the ARN of a resource: instance/<instance> for an instance, and
// instance/<instance>/<kind>/<id> for what lives in one.
func (s *Service) arn(account, instance, kind, id string) string {
	if kind == kindInstance {
		return fmt.Sprintf("arn:aws:connect:%s:%s:instance/%s", s.region, account, instance)
	}
	return fmt.Sprintf("arn:aws:connect:%s:%s:instance/%s/%s/%s", s.region, account, instance, kind, id)
}

// resourceARN is a parsed Connect ARN.
type resourceARN struct {
	Region, Account, Instance, Kind, ID string
}

// parseARN reads arn:aws:connect:<region>:<account>:instance/<id>[/<kind>/<id>].
func parseARN(s string) (resourceARN, bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "connect" {
		return resourceARN{}, false
	}
	a := resourceARN{Region: parts[3], Account: parts[4]}
	path := strings.Split(parts[5], "/")
	switch {
	case len(path) == 2 && path[0] == "instance" && path[1] != "":
		a.Instance, a.Kind, a.ID = path[1], kindInstance, path[1]
	case len(path) == 4 && path[0] == "instance" && path[1] != "" && path[3] != "":
		a.Instance, a.Kind, a.ID = path[1], path[2], path[3]
	default:
		return resourceARN{}, false
	}
	return a, true
}

// Pagination tokens are opaque to clients; they wrap the store's cursor.
func encodeToken(cursor string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1:" + cursor))
}

func decodeToken(token string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || !strings.HasPrefix(string(b), "v1:") {
		return "", api.Errorf(api.InvalidInput, "The NextToken is not valid: %s", token)
	}
	return strings.TrimPrefix(string(b), "v1:"), nil
}

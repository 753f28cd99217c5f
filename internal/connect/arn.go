package connect

import (
	"encoding/base64"
	"fmt"
	"strconv"
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

// pageEnd is what a NextToken carries: the last item of the page returned, and its place
// in the listing when the listing has places (0 otherwise).
type pageEnd struct {
	id  string
	pos int64
}

// Tokens are opaque to clients: "v2:<pos>:<id>", base64. "v1:<id>" tokens, from before
// places were kept, are still read.
func encodeToken(e pageEnd) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v2:" + strconv.FormatInt(e.pos, 10) + ":" + e.id))
}

func decodeToken(token string) (pageEnd, error) {
	invalid := api.Errorf(api.InvalidInput, "The NextToken is not valid: %s", token)
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return pageEnd{}, invalid
	}
	if id, ok := strings.CutPrefix(string(b), "v1:"); ok {
		return pageEnd{id: id}, nil
	}
	rest, ok := strings.CutPrefix(string(b), "v2:")
	p, id, ok2 := strings.Cut(rest, ":")
	pos, err := strconv.ParseInt(p, 10, 64)
	if !ok || !ok2 || err != nil || pos < 0 {
		return pageEnd{}, invalid
	}
	return pageEnd{id: id, pos: pos}, nil
}

package api

import (
	"net/url"
	"strings"
)

// router finds the operation of a request from its method and path. A literal segment
// beats a label at the same position, so `/users/{InstanceId}/search` wins over
// `/users/{InstanceId}/{UserId}`.
type router struct {
	// Routes by method, segment count and first segment ("" for a label), so a request
	// is matched against a few routes rather than a method's hundred or so.
	routes map[routeKey][]route
}

type routeKey struct {
	method string
	n      int
	first  string
}

type route struct {
	segments []string // literal text, or "" for a label
	labels   []string // label name per segment, "" for literals
	op       *Operation
}

func newRouter(ops []Operation) *router {
	rt := &router{routes: map[routeKey][]route{}}
	for i := range ops {
		op := &ops[i]
		parts := strings.Split(strings.Trim(op.Path, "/"), "/")
		r := route{segments: make([]string, len(parts)), labels: make([]string, len(parts)), op: op}
		for j, p := range parts {
			if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
				r.labels[j] = strings.Trim(p, "{}")
			} else {
				r.segments[j] = p
			}
		}
		k := routeKey{op.Method, len(parts), r.segments[0]}
		rt.routes[k] = append(rt.routes[k], r)
	}
	return rt
}

// match returns the operation for method and the escaped path, with its path labels
// unescaped segment by segment (an ARN label arrives with its '/' and ':' percent-encoded).
func (rt *router) match(method, escapedPath string) (*Operation, map[string]string) {
	raw := strings.Split(strings.Trim(escapedPath, "/"), "/")
	segs := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, nil
		}
		segs[i] = u
	}
	var best *route
	for _, first := range []string{segs[0], ""} {
		routes := rt.routes[routeKey{method, len(segs), first}]
		for i := range routes {
			r := &routes[i]
			if r.matches(segs) && (best == nil || r.moreSpecific(best)) {
				best = r
			}
		}
	}
	if best == nil {
		return nil, nil
	}
	labels := map[string]string{}
	for i, name := range best.labels {
		if name != "" {
			labels[name] = segs[i]
		}
	}
	return best.op, labels
}

func (r *route) matches(segs []string) bool {
	for i, s := range segs {
		if r.labels[i] != "" {
			if s == "" {
				return false
			}
		} else if r.segments[i] != s {
			return false
		}
	}
	return true
}

// moreSpecific reports whether r has a literal at the first position where r and o differ.
func (r *route) moreSpecific(o *route) bool {
	for i := range r.labels {
		rl, ol := r.labels[i] == "", o.labels[i] == ""
		if rl != ol {
			return rl
		}
	}
	return false
}

package api

import (
	"net/url"
	"regexp"
	"testing"
)

// Every operation of the model is found from its own method and path, with its labels
// unescaped (an ARN arrives percent-encoded).
func TestEveryOperationIsRoutedFromItsPath(t *testing.T) {
	rt := newRouter(operations)
	label := regexp.MustCompile(`\{(\w+)\+?\}`)
	const arn = "arn:aws:connect:us-east-1:123456789012:instance/abc"
	for i := range operations {
		op := &operations[i]
		path := label.ReplaceAllStringFunc(op.Path, func(string) string { return url.PathEscape(arn) })
		got, labels := rt.match(op.Method, path)
		if got != op {
			name := "nothing"
			if got != nil {
				name = got.Name
			}
			t.Errorf("%s %s: routed to %s, want %s", op.Method, path, name, op.Name)
			continue
		}
		for _, m := range label.FindAllStringSubmatch(op.Path, -1) {
			if labels[m[1]] != arn {
				t.Errorf("%s: label %s = %q, want %q", op.Name, m[1], labels[m[1]], arn)
			}
		}
	}
	if op, _ := rt.match("GET", "/no-such-resource/x"); op != nil {
		t.Errorf("an unknown path was routed to %s", op.Name)
	}
	if op, _ := rt.match("DELETE", "/contacts/i/c"); op != nil {
		t.Errorf("DescribeContact's path with another method was routed to %s", op.Name)
	}
}

// Where two routes match a path, the one with a literal at the first position where
// they differ wins, whichever was listed first; a route that starts with a label is
// found beside those that start with a literal.
func TestALiteralSegmentBeatsALabel(t *testing.T) {
	ops := []Operation{
		{Name: "DescribeUser", Method: "GET", Path: "/users/{InstanceId}/{UserId}"},
		{Name: "SearchUsers", Method: "GET", Path: "/users/{InstanceId}/search"},
		{Name: "ByBucket", Method: "GET", Path: "/{Bucket}/objects"},
	}
	for _, order := range [][]Operation{ops, {ops[2], ops[1], ops[0]}} {
		rt := newRouter(order)
		for path, want := range map[string]string{
			"/users/i-1/search": "SearchUsers",
			"/users/i-1/u-1":    "DescribeUser",
			"/users/objects":    "ByBucket",
			"/b-1/objects":      "ByBucket",
		} {
			if op, _ := rt.match("GET", path); op == nil || op.Name != want {
				t.Errorf("GET %s routed to %v, want %s", path, op, want)
			}
		}
	}
}

func BenchmarkMatchDescribeContact(b *testing.B) {
	rt := newRouter(operations)
	for b.Loop() {
		if op, _ := rt.match("GET", "/contacts/8f5c7d0e-1c7a-4f8e-9a57-6b4f0d7f2a11/2d8c6c1e-5b0a-4c3b-8e8f-0f6f1c2a3b4d"); op == nil {
			b.Fatal("no route")
		}
	}
}

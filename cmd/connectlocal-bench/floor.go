package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// The floor is the least any HTTP JSON API server written in Go can do per request: a
// bare net/http server that reads the body, decodes the JSON (the same JSON the workload
// sends connectlocal) and answers a fixed body. It runs in its own process, like
// connectlocal, and is driven by the same generator, so a workload's throughput divided by
// the floor's is the share of the machine's request capacity connectlocal reaches.

// floorBody is the floor's fixed answer.
var floorBody = []byte(`{}`)

func floorHandler(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if len(body) > 0 && strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(floorBody)
}

// serveFloor is the floor process: it listens on addr, prints "ready" and serves until
// killed.
func serveFloor(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stdout, "ready", ln.Addr())
	srv := &http.Server{Handler: http.HandlerFunc(floorHandler), ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

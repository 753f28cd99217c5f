package server

import (
	"io"
	"net/http"
	"time"
)

// defaultBodyIdleTimeout bounds how long a request body may go without a byte arriving
// (Config.BodyIdleTimeout). ReadHeaderTimeout covers only the headers, so a client that
// declared a body and stalled held its connection and goroutine for good. S3 ends an
// upload that stalls about this long with RequestTimeout.
const defaultBodyIdleTimeout = 20 * time.Second

// defaultIdleTimeout bounds how long a keep-alive connection may wait for its next
// request (Config.IdleTimeout); without it a client that kept idle connections open
// held them, and a goroutine apiece, until it closed them. Go's clients close theirs
// after 90 s, so the server is not the one to close a connection a client is about to
// reuse.
const defaultIdleTimeout = 2 * time.Minute

// idleBody is a request body each read of which must see bytes within idle. It clears
// the connection's read deadline once the body has ended: net/http then reads the
// connection in the background, and a deadline left behind would end that read, which
// cancels the request's context, part-way through the handler. After a read that timed
// out the deadline stays passed, so that net/http's own reads of what is left of the
// body (it discards some before answering) fail too, and it closes the connection.
type idleBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	idle time.Duration
}

// limitIdle puts r's body under an idle timeout, w being the connection's own writer.
func limitIdle(w http.ResponseWriter, r *http.Request, idle time.Duration) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	r.Body = &idleBody{ReadCloser: r.Body, rc: http.NewResponseController(w), idle: idle}
}

func (b *idleBody) Read(p []byte) (int, error) {
	_ = b.rc.SetReadDeadline(time.Now().Add(b.idle))
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

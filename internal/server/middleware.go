package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/connectlocal/connectlocal/internal/api"
	"github.com/connectlocal/connectlocal/internal/connect"
	"github.com/connectlocal/connectlocal/internal/sigv4"
)

// maxBody bounds a request body. The largest Connect input is StartEmailContact, whose
// message body may be 5 MiB; JSON escaping can double that.
const maxBody = 12 << 20

// middleware wraps the API in what every request passes, outermost first: request ID and
// log line, panic recovery, body limit, authentication.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.cfg.Now()
		s.service.RequestStarted()
		defer s.service.RequestEnded()
		id := connect.NewUUID()
		w.Header().Set("x-amzn-RequestId", id)
		info := &api.RequestInfo{}
		// The request is copied with its context once, when it passes (each copy
		// allocates a whole http.Request); an error before that answers on a copy.
		ctx := api.WithRequestInfo(r.Context(), info)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				// The stack of a panic in an Update is in p (the writer's goroutine ran it).
				s.cfg.Logger.ErrorContext(ctx, "panic", "request_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				s.api.WriteError(rec, r.WithContext(ctx), nil, fmt.Errorf("panic: %v", p))
			}
			logRequest(ctx, s.cfg.Logger, slog.String("request_id", id), slog.String("method", r.Method),
				slog.String("path", r.URL.Path), slog.String("operation", info.Operation), slog.Int("status", rec.status),
				slog.String("error", info.ErrorCode), slog.Duration("duration", s.cfg.Now().Sub(start)))
		}()
		limitIdle(w, r, s.cfg.BodyIdleTimeout)
		body, err := readBody(rec, r)
		if err != nil {
			s.api.WriteError(rec, r.WithContext(ctx), nil, err)
			return
		}
		caller, err := s.authenticate(r, body)
		if err != nil {
			s.api.WriteError(rec, r.WithContext(ctx), nil, err)
			return
		}
		r = r.WithContext(connect.WithCaller(ctx, caller))
		if body != nil {
			r.Body = api.NewBody(body)
		}
		next.ServeHTTP(rec, r)
	})
}

// logRequest logs a request's line at Info, with typed attributes (the key-value form
// boxes each value, an allocation apiece). It hands the handler a record of its own
// rather than calling Logger.LogAttrs, which looks up its caller's program counter
// (runtime.Callers, 1% of a DescribeContact's server CPU) for a source that would
// always be this line.
func logRequest(ctx context.Context, logger *slog.Logger, attrs ...slog.Attr) {
	h := logger.Handler()
	if !h.Enabled(ctx, slog.LevelInfo) {
		return
	}
	r := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
	r.AddAttrs(attrs...)
	_ = h.Handle(ctx, r)
}

// readBody reads the whole body, which the signature covers. A body of a declared
// length up to preallocBody is read into a buffer of that length; a longer one, or a
// chunked one, grows as its bytes arrive, so that a client declaring 12 MiB and
// sending nothing does not make the server hold 12 MiB.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	// Made only for a body refused: formatting it took two allocations a request.
	tooLarge := func() error {
		return api.Errorf(api.SerializationException, "The request body is larger than %d bytes", maxBody)
	}
	switch {
	case r.ContentLength == 0:
		return nil, nil
	case r.ContentLength > maxBody:
		return nil, tooLarge()
	case r.ContentLength > 0 && r.ContentLength <= preallocBody:
		body := make([]byte, r.ContentLength)
		if _, err := io.ReadFull(r.Body, body); err != nil {
			return nil, api.Errorf(api.SerializationException, "Could not read the request body: %v", err)
		}
		return body, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var max *http.MaxBytesError
	if errors.As(err, &max) {
		return nil, tooLarge()
	}
	if err != nil {
		return nil, api.Errorf(api.SerializationException, "Could not read the request body: %v", err)
	}
	return body, nil
}

// preallocBody is the largest declared body length readBody trusts with a buffer before
// the bytes arrive: more than any request but an email's or a large tag set's.
const preallocBody = 64 << 10

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// authenticate verifies the request's SigV4 signature and returns who signed it. With
// --auth off any signature passes, and the account comes from the access key: a
// configured key's account, a 12-digit key as the account itself, else the default.
func (s *Server) authenticate(r *http.Request, body []byte) (connect.Caller, error) {
	if s.cfg.Auth == "off" {
		key, _, err := sigv4.ParseUnverified(r)
		if err != nil || key == "" {
			return connect.Caller{Account: connect.DefaultAccount, AccessKeyID: connect.DefaultAccessKey}, nil
		}
		account := connect.DefaultAccount
		if k, ok := s.keys[key]; ok {
			account = k.Account
		} else if accountID.MatchString(key) {
			account = key
		}
		return connect.Caller{Account: account, AccessKeyID: key}, nil
	}
	p, err := s.verifier.Verify(r, body)
	var sigErr *sigv4.SignatureError
	switch {
	case err == nil:
		return connect.Caller{Account: p.Account, AccessKeyID: p.AccessKeyID}, nil
	case errors.Is(err, sigv4.ErrMissingAuth):
		return connect.Caller{}, api.Errorf(api.MissingAuthenticationToken, "Missing Authentication Token")
	case errors.Is(err, sigv4.ErrUnknownKey):
		return connect.Caller{}, api.Errorf(api.UnrecognizedClient, "The security token included in the request is invalid.")
	case errors.As(err, &sigErr):
		s.cfg.Logger.DebugContext(r.Context(), "signature mismatch", "canonical_request", sigErr.CanonicalRequest, "string_to_sign", sigErr.StringToSign)
		return connect.Caller{}, api.Errorf(api.InvalidSignature, "%s", sigErr.Reason)
	default:
		return connect.Caller{}, api.Errorf(api.InvalidSignature, "%v", err)
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

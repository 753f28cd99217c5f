package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
)

// Handler serves the Connect API from a Service.
type Handler struct {
	service Service
	logger  *slog.Logger
	router  *router
}

// NewHandler returns a Handler dispatching every operation of the model to s.
func NewHandler(s Service, logger *slog.Logger) *Handler {
	return &Handler{service: s, logger: logger, router: newRouter(operations)}
}

// RequestInfo is filled in by the Handler for the middleware that logs the request.
type RequestInfo struct {
	Operation string
	ErrorCode string
}

type infoKey struct{}

// WithRequestInfo returns a context in which the Handler records what it did in info.
func WithRequestInfo(ctx context.Context, info *RequestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

func requestInfo(ctx context.Context) *RequestInfo {
	info, _ := ctx.Value(infoKey{}).(*RequestInfo)
	if info == nil {
		return &RequestInfo{}
	}
	return info
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, labels := h.router.match(r.Method, r.URL.EscapedPath())
	if op == nil {
		h.WriteError(w, r, nil, Errorf(UnknownOperation, "No operation matches %s %s", r.Method, r.URL.Path))
		return
	}
	requestInfo(r.Context()).Operation = op.Name
	out, err := h.serve(r, op, labels)
	if err != nil {
		h.WriteError(w, r, op, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if !op.HasOutput {
		w.WriteHeader(http.StatusOK)
		return
	}
	body := []byte("{}")
	if out != nil {
		if body, err = json.Marshal(out); err != nil {
			h.WriteError(w, r, op, err)
			return
		}
	}
	w.Write(body)
}

func (h *Handler) serve(r *http.Request, op *Operation, labels map[string]string) (any, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, Errorf(SerializationException, "Could not read the request body: %v", err)
	}
	doc, err := document(op, r, body, labels)
	if err != nil {
		return nil, err
	}
	if err := validate(op, doc); err != nil {
		return nil, err
	}
	return op.call(r.Context(), h.service, doc)
}

// Body is a request body already read into memory, by the middleware that checks its
// signature; the Handler takes its bytes rather than reading them again.
type Body struct {
	bytes.Reader
	data []byte
}

// NewBody returns data as a request body.
func NewBody(data []byte) *Body {
	b := &Body{data: data}
	b.Reset(data)
	return b
}

// Close does nothing: the body is in memory.
func (*Body) Close() error { return nil }

func readBody(r *http.Request) ([]byte, error) {
	switch b := r.Body.(type) {
	case *Body:
		return b.data, nil
	case nil:
		return nil, nil
	}
	if r.Body == http.NoBody {
		return nil, nil
	}
	return io.ReadAll(r.Body)
}

// WriteError answers err the way every SDK parses a restJson1 error: the model's status,
// X-Amzn-ErrorType, and a body of {"__type", "Message"} plus the error shape's other
// members. For an operation, only the error shapes it lists reach the client; anything
// else is logged and answered as InternalServiceException, so Go users can always
// errors.As what they get.
func (h *Handler) WriteError(w http.ResponseWriter, r *http.Request, op *Operation, err error) {
	var e *Error
	if !errors.As(err, &e) {
		h.logger.ErrorContext(r.Context(), "internal error", "err", err)
		e = Errorf(InternalService, "An internal error occurred.")
	}
	if e.Code == InvalidInput {
		e = &Error{Code: validationCode(op), Message: e.Message, Fields: e.Fields}
	}
	if op != nil && modelled(e.Code) && !op.Lists(e.Code) {
		h.logger.ErrorContext(r.Context(), "operation answered an error its model does not list", "operation", op.Name, "code", e.Code, "message", e.Message)
		e = Errorf(InternalService, "An internal error occurred.")
	}
	requestInfo(r.Context()).ErrorCode = e.Code
	body := map[string]any{"__type": e.Code, "Message": e.Message}
	for k, v := range e.Fields {
		body[k] = v
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	w.WriteHeader(e.Status())
	w.Write(b)
}

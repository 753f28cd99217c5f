package api

import (
	"fmt"
	"net/http"
)

// Error codes the service returns. They are the model's error shape names, plus the
// protocol-level codes every AWS JSON service answers with.
const (
	AccessDenied               = "AccessDeniedException"
	Conflict                   = "ConflictException"
	ContactNotFound            = "ContactNotFoundException"
	DuplicateResource          = "DuplicateResourceException"
	Idempotency                = "IdempotencyException"
	InternalService            = "InternalServiceException"
	InvalidContactFlow         = "InvalidContactFlowException"
	InvalidParameter           = "InvalidParameterException"
	InvalidRequest             = "InvalidRequestException"
	LimitExceeded              = "LimitExceededException"
	PropertyValidation         = "PropertyValidationException"
	ResourceConflict           = "ResourceConflictException"
	ResourceInUse              = "ResourceInUseException"
	ResourceNotFound           = "ResourceNotFoundException"
	ServiceQuotaExceeded       = "ServiceQuotaExceededException"
	Throttling                 = "ThrottlingException"
	DestinationNotAllowed      = "DestinationNotAllowedException"
	OutboundContactNotPermited = "OutboundContactNotPermittedException"

	// InvalidInput stands for the validation error the operation lists:
	// InvalidParameterException where the model lists it, else InvalidRequestException.
	InvalidInput = "validation"

	SerializationException     = "SerializationException"
	UnknownOperation           = "UnknownOperationException"
	NotImplemented             = "NotImplementedException"
	UnrecognizedClient         = "UnrecognizedClientException"
	InvalidSignature           = "InvalidSignatureException"
	MissingAuthenticationToken = "MissingAuthenticationTokenException"
)

// protocolStatus is the HTTP status of the codes that are not shapes of the model.
var protocolStatus = map[string]int{
	SerializationException:     http.StatusBadRequest,
	UnknownOperation:           http.StatusNotFound,
	NotImplemented:             http.StatusNotImplemented,
	UnrecognizedClient:         http.StatusForbidden,
	InvalidSignature:           http.StatusForbidden,
	MissingAuthenticationToken: http.StatusForbidden,
}

// Error is an error a client is meant to see: a Connect error shape and its message.
type Error struct {
	Code    string
	Message string
	// Fields are the error shape's other members, e.g. "Reason" or "ResourceType".
	Fields map[string]any
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// With returns e with one more member of the error shape set.
func (e *Error) With(member string, value any) *Error {
	fields := make(map[string]any, len(e.Fields)+1)
	for k, v := range e.Fields {
		fields[k] = v
	}
	fields[member] = value
	return &Error{Code: e.Code, Message: e.Message, Fields: fields}
}

// Status is the HTTP status the model gives the error.
func (e *Error) Status() int {
	if s, ok := errorStatus[e.Code]; ok {
		return s
	}
	if s, ok := protocolStatus[e.Code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// modelled reports whether code is an error shape of the model (as opposed to a protocol error).
func modelled(code string) bool {
	_, ok := errorStatus[code]
	return ok
}

func notImplemented(op string) error {
	return Errorf(NotImplemented, "connectlocal does not implement %s yet", op)
}

// validationCode is the validation error the operation lists.
func validationCode(op *Operation) string {
	if op.Lists(InvalidParameter) {
		return InvalidParameter
	}
	return InvalidRequest
}

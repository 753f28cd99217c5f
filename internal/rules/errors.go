package rules

// Error is a validation error. Path points at the offending part of the rule function
// (or of the action list) in the dotted form a person reads in an API error message,
// for example RuleFunction.Operands[1].Operator.
type Error struct {
	Path    string
	Message string
}

func (e *Error) Error() string { return e.Path + ": " + e.Message }

// errorf builds an *Error; kept short because validation code calls it a lot.
func errorf(path, format string, args ...any) *Error {
	return &Error{Path: path, Message: sprintf(format, args...)}
}

package piieval

import "fmt"

func errorf(email string, err error) error { return fmt.Errorf("%s: %w", email, err) }

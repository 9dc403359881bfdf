// Package fabrique holds the domain of the service: the types of action plans,
// organisations, people, venues, events and registrations, the rules that
// validate them, the roles of accounts, and the coded errors that every layer
// shares. It imports only the standard library.
package fabrique

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes, mapped once to HTTP statuses by the web package.
const (
	EINVALID      = "invalid"      // the input breaks a rule (400/422)
	ENOTFOUND     = "not_found"    // the object does not exist or is hidden (404)
	ECONFLICT     = "conflict"     // the change clashes with stored data (409)
	EUNAUTHORIZED = "unauthorized" // no valid credentials (401)
	EFORBIDDEN    = "forbidden"    // credentials without the right (403)
	ETOOLARGE     = "too_large"    // the body is too large (413)
	EUNAVAILABLE  = "unavailable"  // the database is locked, full or gone (503)
	EINTERNAL     = "internal"     // a bug: never shown in detail to the user (500)
)

// FieldError names one field at fault and says, in French, what is wrong.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the domain error: a code, a French message for people, and for
// validation errors the list of fields at fault.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("fabrique error: code=%s message=%s", e.Code, e.Message)
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + " : " + f.Message
	}
	return fmt.Sprintf("fabrique error: code=%s message=%s (%s)", e.Code, e.Message, strings.Join(parts, " ; "))
}

// Errorf returns a coded error with a French message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the French message of a coded error, or a generic one.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Erreur interne du service. L'équipe technique a été prévenue."
}

// ErrorFields returns the field errors of a validation error.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems accumulates field errors while validating an input.
type Problems struct {
	fields []FieldError
}

// Add records that field is wrong, with a French message.
func (p *Problems) Add(field, format string, args ...any) {
	p.fields = append(p.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Has reports whether field already has a problem.
func (p *Problems) Has(field string) bool {
	for _, f := range p.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Merge adds the fields of a validation error under a prefix ("rooms[2].").
func (p *Problems) Merge(prefix string, err error) {
	for _, f := range ErrorFields(err) {
		p.fields = append(p.fields, FieldError{Field: prefix + f.Field, Message: f.Message})
	}
}

// Err returns nil when nothing was recorded, otherwise an EINVALID error
// listing the fields in a stable order.
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	fields := append([]FieldError(nil), p.fields...)
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
	msg := "Les données envoyées ne sont pas valides : " + fields[0].Field + " : " + fields[0].Message
	if len(fields) > 1 {
		msg = fmt.Sprintf("Les données envoyées ne sont pas valides (%d champs à corriger).", len(fields))
	}
	return &Error{Code: EINVALID, Message: msg, Fields: fields}
}

// Invalid returns an EINVALID error for a single field.
func Invalid(field, format string, args ...any) error {
	var p Problems
	p.Add(field, format, args...)
	return p.Err()
}

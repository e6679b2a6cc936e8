// Package followup holds the domain of the followup Slack assistant: customers, follow-ups,
// next actions and the rules that govern them (tiers, cadences, the funnel, due dates).
// It imports nothing from Slack, SQL or Redis; the adapters in bot/, storage/ and
// scheduler/ implement and consume what it declares.
package followup

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes shared by every layer. Storage maps driver errors onto them and the bot turns
// them into friendly messages, so no layer needs to know another's error types.
const (
	ECONFLICT    = "conflict"    // a unique value is already taken
	EINTERNAL    = "internal"    // a bug or an unexpected failure
	EINVALID     = "invalid"     // the input breaks a rule
	ENOTFOUND    = "not_found"   // the thing asked for does not exist
	EUNAVAILABLE = "unavailable" // a dependency (database, Redis) cannot be reached
	EEXPIRED     = "expired"     // a conversation or pending confirmation timed out
	EFORBIDDEN   = "forbidden"   // the access policy (Allowed) refuses it
)

// Error is a domain error: a code for programs and a message safe to show a user.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("followup error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil and EINTERNAL
// for any other error.
func ErrorCode(err error) string {
	var e *Error
	var fe FieldErrors
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.As(err, &fe):
		return EINVALID
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of the first *Error in err's chain, or a generic
// message for any other error so that internals never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// FieldErrors maps an input field (the same names the Slack forms use as block ids) to what is
// wrong with it. It is returned by validation so a form can show each message beside its field.
type FieldErrors map[string]string

// Error implements the error interface with a stable, sorted rendering.
func (fe FieldErrors) Error() string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + fe[k]
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Err returns fe as an error, or nil when it is empty, so validators can end with
// `return fe.Err()`.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

package ical

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldError reports an invalid input field. These are programmer errors: the
// service must never map its domain onto an invalid Item.
type FieldError struct {
	// Field names the field, as a Go path from the Item (e.g. "UID",
	// "Organizer.Email", "Attendees[0].Email"), prefixed by "items[i]." for
	// Publish.
	Field string
	// Problem says what is wrong with it.
	Problem string
}

// Error implements error.
func (e *FieldError) Error() string {
	return "ical: " + e.Field + ": " + e.Problem
}

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// cleanText returns s as it is written in, and read back from, a TEXT value:
// invalid UTF-8 becomes U+FFFD, CRLF and lone CR become LF, and every other
// control character except TAB and LF is removed (RFC 5545 §3.3.11 allows
// none). The characters that TEXT escapes (backslash, ';', ',', LF) are kept.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// cleanName returns the person name s as it is written in a CN parameter:
// invalid UTF-8 becomes U+FFFD, '"' (which a parameter value cannot hold)
// becomes '\”, every control character (CR, LF, TAB included) becomes a
// space, runs of spaces collapse to one, and leading and trailing spaces are
// removed. Parameter values have no escape mechanism, so this is what keeps a
// name from closing the quoted value or starting a new line.
//
// A backslash becomes '/': RFC 5545 gives it no meaning in a parameter value,
// but some parsers (github.com/arran4/golang-ical among them) read it as an
// escape, and `\"` would then not close the quoted value.
func cleanName(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r == '\\':
			return '/'
		case r < 0x20 || r == 0x7f || unicode.IsSpace(r):
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// checkEmail checks that s is a bare e-mail address (addr-spec) that can be
// written as a mailto: URI without percent-encoding.
func checkEmail(field, s string) error {
	if s == "" {
		return fieldErr(field, "is required")
	}
	if !utf8.ValidString(s) || strings.ContainsAny(s, "%?#\"<>()[]\\,;: \t\r\n") {
		return fieldErr(field, "%q is not a plain e-mail address", s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || unicode.IsSpace(r) {
			return fieldErr(field, "%q is not a plain e-mail address", s)
		}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return fieldErr(field, "%q is not a plain e-mail address", s)
	}
	return nil
}

// checkPerson checks p; the name is optional, the e-mail address required.
func checkPerson(field string, p Person) error {
	return checkEmail(field+".Email", p.Email)
}

// checkURL checks that s is empty or an absolute http(s) URL and returns it in
// its canonical form.
func checkURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fieldErr("URL", "%q is not an absolute http(s) URL", s)
	}
	out := u.String()
	if strings.ContainsFunc(out, func(r rune) bool { return r <= 0x20 || r >= 0x7f }) {
		return "", fieldErr("URL", "%q is not an absolute http(s) URL", s)
	}
	return out, nil
}

// checkItem checks the fields every method needs. withAttendees also requires
// at least one attendee, with distinct e-mail addresses.
func checkItem(it Item, withAttendees bool) error {
	if strings.TrimSpace(it.UID) == "" {
		return fieldErr("UID", "is required")
	}
	if strings.ContainsFunc(it.UID, func(r rune) bool { return r < 0x20 || r == 0x7f }) ||
		!utf8.ValidString(it.UID) {
		return fieldErr("UID", "must be valid UTF-8 without control characters")
	}
	if it.Sequence < 0 {
		return fieldErr("Sequence", "must not be negative, got %d", it.Sequence)
	}
	if it.Start.IsZero() {
		return fieldErr("Start", "is required")
	}
	if it.End.IsZero() {
		return fieldErr("End", "is required")
	}
	if !it.End.After(it.Start) {
		return fieldErr("End", "must be after Start (%s), got %s",
			it.Start.Format("2006-01-02T15:04:05Z07:00"), it.End.Format("2006-01-02T15:04:05Z07:00"))
	}
	if strings.TrimSpace(cleanText(it.Summary)) == "" {
		return fieldErr("Summary", "is required")
	}
	switch it.Status {
	case "", StatusConfirmed, StatusTentative, StatusCancelled:
	default:
		return fieldErr("Status", "must be %s, %s or %s, got %q",
			StatusConfirmed, StatusTentative, StatusCancelled, it.Status)
	}
	if err := checkPerson("Organizer", it.Organizer); err != nil {
		return err
	}
	if _, err := checkURL(it.URL); err != nil {
		return err
	}
	for i, c := range it.Categories {
		if strings.TrimSpace(cleanText(c)) == "" {
			return fieldErr(fmt.Sprintf("Categories[%d]", i), "must not be empty")
		}
	}
	if !withAttendees {
		return nil
	}
	if len(it.Attendees) == 0 {
		return fieldErr("Attendees", "at least one attendee is required")
	}
	seen := make(map[string]bool, len(it.Attendees))
	for i, a := range it.Attendees {
		field := fmt.Sprintf("Attendees[%d]", i)
		if err := checkPerson(field, a); err != nil {
			return err
		}
		key := strings.ToLower(a.Email)
		if seen[key] {
			return fieldErr(field+".Email", "duplicate attendee %q", a.Email)
		}
		seen[key] = true
	}
	return nil
}

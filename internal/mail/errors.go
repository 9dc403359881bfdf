package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"

	gomail "github.com/go-mail/mail/v2"
)

// SendError is the error a Sender reports for one message.
type SendError struct {
	ID string // Message.ID
	// Code is the SMTP reply code (e.g. 550) when the failure is an SMTP
	// answer, 0 otherwise.
	Code int
	// Reply is the SMTP answer as received, such as
	// "550 5.1.1 mailbox unavailable", for staff to read; "" when the failure
	// is not an SMTP answer.
	Reply string
	// Temporary is true when a later retry may succeed: SMTP 4xx answers,
	// network failures, timeouts, cancellation.
	Temporary bool
	Err       error // underlying error
}

// Error implements error.
func (e *SendError) Error() string {
	kind := "permanent"
	if e.Temporary {
		kind = "temporary"
	}
	detail := e.Reply
	if detail == "" && e.Err != nil {
		detail = e.Err.Error()
	}
	return "mail: message " + strconv.Quote(e.ID) + ": " + kind + " failure: " + detail
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// IsTemporary reports whether err, as returned by a Sender, is worth
// retrying later: SMTP 4xx answers, network errors, timeouts and context
// cancellation are temporary; SMTP 5xx answers, invalid messages
// (*FieldError), TLS failures (server without STARTTLS, untrusted
// certificate) and nil are not.
func IsTemporary(err error) bool {
	if err == nil {
		return false
	}
	var se *SendError
	if errors.As(err, &se) {
		return se.Temporary
	}
	return classify(err)
}

// classify decides whether a raw error is temporary.
func classify(err error) bool {
	var tp *textproto.Error
	var fe *FieldError
	var unsupported gomail.StartTLSUnsupportedError
	var certErr *tls.CertificateVerificationError
	var recordErr tls.RecordHeaderError
	var netErr net.Error
	switch {
	case errors.As(err, &tp):
		return tp.Code < 500
	case errors.As(err, &fe), errors.As(err, &unsupported), errors.As(err, &certErr), errors.As(err, &recordErr):
		return false
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &netErr):
		return true
	}
	// Unknown errors (I/O errors of the transport...) are retried rather
	// than losing the message; the worker bounds the number of attempts.
	return true
}

// newSendError wraps err for message id, extracting the SMTP answer.
func newSendError(id string, err error) *SendError {
	se := &SendError{ID: id, Err: err, Temporary: classify(err)}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		se.Code = tp.Code
		// textproto.Error.Error quotes the text; keep the answer as sent.
		se.Reply = fmt.Sprintf("%03d %s", tp.Code, strings.ReplaceAll(tp.Msg, "\n", " / "))
	}
	var unsupported gomail.StartTLSUnsupportedError
	if errors.As(err, &unsupported) {
		se.Err = errNoStartTLS{err}
	}
	return se
}

// errNoStartTLS explains the refusal to fall back to cleartext.
type errNoStartTLS struct{ err error }

func (e errNoStartTLS) Error() string {
	return "the SMTP server does not offer STARTTLS and STARTTLS is required: refusing to send in cleartext " +
		"(add ?starttls=off to " + EnvSMTPURL + " only for a trusted local relay)"
}

func (e errNoStartTLS) Unwrap() error { return e.err }

// Package mail renders the e-mails the service sends to participants (a
// French text/plain body, an HTML body and, for invitations, an iCalendar
// object) as complete RFC 5322 messages built with github.com/go-mail/mail/v2,
// and delivers them through a Sender: SMTPSender talks to an SMTP relay,
// DirSender writes .eml files into a directory (the default when no SMTP URL
// is configured).
//
// A message with a calendar has this structure:
//
//	multipart/mixed
//	├── multipart/alternative
//	│   ├── text/plain; charset=UTF-8
//	│   ├── text/html; charset=UTF-8
//	│   └── text/calendar; method=REQUEST; charset=UTF-8
//	└── application/ics; name="invitation.ics" (attachment, base64)
//
// Without a calendar it is a multipart/alternative of the text and HTML
// bodies. Header values are sanitised: control characters in the subject and
// display names are replaced by spaces, so they can never start a new header,
// and e-mail addresses are validated strictly (ASCII addr-spec only).
package mail

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	netmail "net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	gomail "github.com/go-mail/mail/v2"
)

// DefaultCalendarName is the file name of the calendar attachment when
// Message.CalendarName is empty.
const DefaultCalendarName = "invitation.ics"

// Calendar methods accepted in Message.Method (RFC 5546).
const (
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
	MethodPublish = "PUBLISH"
)

// Length limits, in bytes after CleanHeaderText. They keep every header
// line under the 998 bytes of RFC 5322 even when a long word cannot be
// folded.
const (
	maxIDLen      = 200 // Message.ID, so that the Message-ID header stays short
	maxSubjectLen = 900 // Message.Subject
	maxNameLen    = 300 // Address.Name
)

// Address is a mailbox: an optional display name and an e-mail address.
type Address struct {
	Name  string // display name, may be non-ASCII (encoded per RFC 2047)
	Email string // addr-spec such as "francoise@example.org"; ASCII only
}

// Message is an e-mail to render and send to one recipient.
type Message struct {
	// ID identifies the message; the Message-ID header is <ID@domain of
	// From>. It is required and must be stable: a resend of the same outbox
	// row must reuse the same ID. Allowed characters are those of an RFC 5322
	// dot-atom (letters, digits, "!#$%&'*+-/=?^_`{|}~" and non-consecutive
	// inner dots), at most 200 bytes.
	ID       string
	From     Address
	To       Address
	Subject  string
	Text     string // text/plain body (French)
	HTML     string // text/html body
	Calendar []byte // optional iCalendar object, sent inline and as attachment
	// Method is the iTIP method of Calendar: MethodRequest, MethodCancel or
	// MethodPublish. Required when Calendar is set, forbidden otherwise.
	Method string
	// CalendarName is the attachment's file name; DefaultCalendarName when
	// empty. Non-ASCII names are encoded per RFC 2231.
	CalendarName string
	// Date is the Date header; the rendering time when zero.
	Date time.Time

	raw []byte // set by Prepare
}

// Prepare renders m once, ahead of its sending: senders then write these
// bytes instead of building the MIME structure again, so that a worker can
// prepare the next messages while the current one is in its SMTP exchange.
// It returns a *FieldError when m is invalid. A change to m after Prepare
// is not seen until Prepare is called again.
func (m *Message) Prepare() error {
	if m == nil {
		return &FieldError{Field: "message", Reason: "nil"}
	}
	m.raw = nil
	raw, err := Render(m)
	if err != nil {
		return err
	}
	m.raw = raw
	return nil
}

// FieldError reports an invalid field of a Message. Field is a lower-case
// path such as "to.email", "from.name", "id" or "method".
type FieldError struct {
	Field  string
	Reason string
}

// Error implements error.
func (e *FieldError) Error() string {
	return "mail: invalid " + e.Field + ": " + e.Reason
}

// MessageID returns the Message-ID header value, "<ID@domain>", where domain
// is the lower-cased domain of From.Email. It does not validate the message.
func (m *Message) MessageID() string {
	_, domain, _ := strings.Cut(m.From.Email, "@")
	return "<" + m.ID + "@" + strings.ToLower(domain) + ">"
}

// Render returns the complete RFC 5322 message (CRLF line endings) for m, or
// a *FieldError when m is invalid; the bytes of Prepare when it was called.
func Render(m *Message) ([]byte, error) {
	if m != nil && m.raw != nil {
		return m.raw, nil
	}
	gm, err := build(m)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(2048 + len(m.Text) + len(m.HTML) + 3*len(m.Calendar))
	if _, err := gm.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("mail: render %q: %w", m.ID, err)
	}
	return buf.Bytes(), nil
}

// build validates m and assembles the go-mail message. Every body and the
// attachment are written by functions copying the caller's strings and
// bytes, so the returned message can be written any number of times (a
// resend never gets an empty attachment).
func build(m *Message) (*gomail.Message, error) {
	if m == nil {
		return nil, &FieldError{Field: "message", Reason: "nil"}
	}
	if err := checkID(m.ID); err != nil {
		return nil, err
	}
	if err := checkEmail("from.email", m.From.Email); err != nil {
		return nil, err
	}
	if err := checkEmail("to.email", m.To.Email); err != nil {
		return nil, err
	}
	if m.Text == "" && m.HTML == "" {
		return nil, &FieldError{Field: "text", Reason: "no text or HTML body"}
	}
	calName, err := checkCalendar(m)
	if err != nil {
		return nil, err
	}
	subject, fromName, toName := CleanHeaderText(m.Subject), CleanHeaderText(m.From.Name), CleanHeaderText(m.To.Name)
	for _, c := range []struct {
		field, value string
		max          int
	}{{"subject", subject, maxSubjectLen}, {"from.name", fromName, maxNameLen}, {"to.name", toName, maxNameLen}} {
		if len(c.value) > c.max {
			return nil, &FieldError{Field: c.field, Reason: fmt.Sprintf("longer than %d bytes", c.max)}
		}
	}

	gm := gomail.NewMessage()
	gm.SetAddressHeader("From", m.From.Email, fromName)
	gm.SetAddressHeader("To", m.To.Email, toName)
	gm.SetHeader("Subject", subject)
	gm.SetHeader("Message-ID", m.MessageID())
	gm.SetHeader("Auto-Submitted", "auto-generated")
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	gm.SetDateHeader("Date", date)

	var parts []func()
	if m.Text != "" {
		parts = append(parts, func() { gm.AddAlternativeWriter("text/plain", copyString(m.Text)) })
	}
	if m.HTML != "" {
		parts = append(parts, func() { gm.AddAlternativeWriter("text/html", copyString(m.HTML)) })
	}
	if len(m.Calendar) > 0 {
		cal := m.Calendar
		parts = append(parts, func() {
			// go-mail appends "; charset=UTF-8" to the part's content type.
			gm.AddAlternativeWriter("text/calendar; method="+m.Method, copyBytes(cal))
		})
		gm.Attach(calName,
			gomail.SetCopyFunc(copyBytes(cal)),
			gomail.SetHeader(map[string][]string{
				"Content-Type":              {mime.FormatMediaType("application/ics", map[string]string{"name": calName})},
				"Content-Disposition":       {ContentDisposition(calName)},
				"Content-Transfer-Encoding": {string(gomail.Base64)},
			}))
	}
	for _, add := range parts {
		add()
	}
	return gm, nil
}

// ContentDisposition returns an "attachment" Content-Disposition header value
// for filename. ASCII names are quoted (attachment; filename="a.ics");
// non-ASCII names are encoded per RFC 2231, e.g. for
// "invitation-élysée.ics": attachment; filename*=utf-8”invitation-%C3%A9lys%C3%A9e.ics
func ContentDisposition(filename string) string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": filename})
}

// CleanHeaderText makes s safe for a header value: invalid UTF-8 is replaced
// by U+FFFD, every run of control characters (CR, LF, TAB, DEL, C1...),
// Unicode line or paragraph separators and spaces becomes one space, and the
// result is trimmed. It is applied to the subject and display names.
func CleanHeaderText(s string) string {
	if isCleanASCII(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// isCleanASCII reports whether s is printable ASCII without leading,
// trailing or doubled spaces, the common case CleanHeaderText returns as is.
func isCleanASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' {
			return false
		}
		if c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}

func checkID(id string) error {
	if id == "" {
		return &FieldError{Field: "id", Reason: "empty"}
	}
	if len(id) > maxIDLen {
		return &FieldError{Field: "id", Reason: fmt.Sprintf("longer than %d bytes", maxIDLen)}
	}
	if id[0] == '.' || id[len(id)-1] == '.' || strings.Contains(id, "..") {
		return &FieldError{Field: "id", Reason: fmt.Sprintf("%q: misplaced dot", id)}
	}
	for i := 0; i < len(id); i++ {
		if !isAtext(id[i]) && id[i] != '.' {
			return &FieldError{Field: "id", Reason: fmt.Sprintf("%q: character %q not allowed", id, id[i])}
		}
	}
	return nil
}

// isAtext reports whether c is an RFC 5322 atext character.
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// checkEmail accepts only a plain ASCII addr-spec: dot-atom local part (no
// quoted strings, no comments), a domain, nothing else.
func checkEmail(field, s string) error {
	bad := func(reason string) error {
		return &FieldError{Field: field, Reason: fmt.Sprintf("%q: %s", s, reason)}
	}
	if s == "" {
		return bad("empty address")
	}
	if len(s) > 254 {
		return bad("address longer than 254 bytes")
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return bad("not of the form local@domain")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '@' && c != '.' && c != '-' && !isAtext(c) {
			return bad(fmt.Sprintf("character %q not allowed", c))
		}
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return bad("invalid domain")
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return bad("invalid domain")
			}
		}
	}
	a, err := netmail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return bad("invalid address")
	}
	return nil
}

// checkCalendar validates Calendar, Method and CalendarName and returns the
// attachment name.
func checkCalendar(m *Message) (string, error) {
	if len(m.Calendar) == 0 {
		if m.Method != "" {
			return "", &FieldError{Field: "method", Reason: "set without a calendar"}
		}
		return "", nil
	}
	switch m.Method {
	case MethodRequest, MethodCancel, MethodPublish:
	case "":
		return "", &FieldError{Field: "method", Reason: "required with a calendar"}
	default:
		return "", &FieldError{Field: "method", Reason: fmt.Sprintf("%q: want REQUEST, CANCEL or PUBLISH", m.Method)}
	}
	body := bytes.TrimPrefix(m.Calendar, []byte("\xef\xbb\xbf"))
	if !bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("BEGIN:VCALENDAR")) {
		return "", &FieldError{Field: "calendar", Reason: "does not start with BEGIN:VCALENDAR"}
	}
	if !utf8.Valid(body) {
		return "", &FieldError{Field: "calendar", Reason: "not valid UTF-8"}
	}
	// RFC 6047 2.4: the method parameter must match the METHOD property.
	for line := range strings.Lines(string(body)) {
		if len(line) > 7 && strings.EqualFold(line[:7], "METHOD:") {
			if v := strings.TrimRight(line[7:], "\r\n"); !strings.EqualFold(v, m.Method) {
				return "", &FieldError{Field: "method", Reason: fmt.Sprintf("%q does not match the calendar's METHOD:%s", m.Method, v)}
			}
			break
		}
	}

	name := m.CalendarName
	if name == "" {
		return DefaultCalendarName, nil
	}
	if name != CleanHeaderText(name) || strings.ContainsAny(name, `/\"`) || name == "." || name == ".." {
		return "", &FieldError{Field: "calendar_name", Reason: fmt.Sprintf("%q: not a plain file name", name)}
	}
	return name, nil
}

func copyString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func copyBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
}

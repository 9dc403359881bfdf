package mail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"
)

const (
	frenchText = "Bonjour Françoise,\n\nVous êtes invitée à « Ministère ouvert #1 », mardi 21 juin 2016 à l'Élysée.\nÀ bientôt !\n"
	frenchHTML = "<p>Bonjour Françoise,</p><p>Vous êtes invitée à « Ministère ouvert #1 ».</p>"
	frenchSubj = "Invitation : Ministère ouvert #1 — mardi 21 juin 2016"
)

func calendar(method string) []byte {
	return []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fabrique//FR\r\nMETHOD:" + method +
		"\r\nBEGIN:VEVENT\r\nUID:evt-1@fabrique.example.org\r\nSUMMARY:Ministère ouvert #1\r\n" +
		"DTSTART:20160621T080000Z\r\nDTEND:20160621T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
}

// invitation returns a complete invitation message with the given ID.
func invitation(id string) *Message {
	return &Message{
		ID:       id,
		From:     Address{Name: "Françoise Waintrop", Email: "noreply@fabrique.example.org"},
		To:       Address{Name: "Jean Dupont", Email: "jean.dupont@example.org"},
		Subject:  frenchSubj,
		Text:     frenchText,
		HTML:     frenchHTML,
		Calendar: calendar(MethodRequest),
		Method:   MethodRequest,
		Date:     time.Date(2016, 6, 1, 9, 30, 0, 0, time.FixedZone("CEST", 2*3600)),
	}
}

// part is a decoded MIME leaf or multipart node.
type part struct {
	mediaType string
	params    map[string]string
	header    map[string][]string
	filename  string
	body      []byte // decoded content of a leaf
	children  []*part
}

// parseRaw parses a complete message with net/mail and mime/multipart.
func parseRaw(t testing.TB, raw []byte) (netmail.Header, *part) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("net/mail cannot read the message: %v\n%s", err, raw)
	}
	p, err := parsePart(msg.Header, msg.Body)
	if err != nil {
		t.Fatalf("MIME structure: %v\n%s", err, raw)
	}
	return msg.Header, p
}

func parsePart(h map[string][]string, body io.Reader) (*part, error) {
	ct := ""
	if v := h["Content-Type"]; len(v) > 0 {
		ct = v[0]
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, err
	}
	p := &part{mediaType: mt, params: params, header: h}
	if d := h["Content-Disposition"]; len(d) > 0 {
		_, dp, err := mime.ParseMediaType(d[0])
		if err != nil {
			return nil, err
		}
		p.filename = dp["filename"]
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			np, err := mr.NextRawPart()
			if err == io.EOF {
				return p, nil
			}
			if err != nil {
				return nil, err
			}
			child, err := parsePart(np.Header, np)
			if err != nil {
				return nil, err
			}
			p.children = append(p.children, child)
		}
	}
	var r io.Reader = body
	enc := ""
	if v := h["Content-Transfer-Encoding"]; len(v) > 0 {
		enc = strings.ToLower(v[0])
	}
	switch enc {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body)
	}
	p.body, err = io.ReadAll(r)
	return p, err
}

// crlf converts LF line endings to CRLF, as the transfer encodings do.
func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// checkInvitation asserts the full structure of a rendered invitation m.
func checkInvitation(t testing.TB, raw []byte, m *Message) {
	t.Helper()
	h, root := parseRaw(t, raw)
	dec := new(mime.WordDecoder)
	if got, err := dec.DecodeHeader(h.Get("Subject")); err != nil || got != m.Subject {
		t.Errorf("Subject = %q (%v), want %q", got, err, m.Subject)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != m.From.Name || from[0].Address != m.From.Email {
		t.Errorf("From = %v (%v), want %v", from, err, m.From)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != m.To.Name || to[0].Address != m.To.Email {
		t.Errorf("To = %v (%v), want %v", to, err, m.To)
	}
	if got, want := h.Get("Message-ID"), "<"+m.ID+"@fabrique.example.org>"; got != want {
		t.Errorf("Message-ID = %q, want %q", got, want)
	}
	if got := h.Get("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", got)
	}
	if d, err := h.Date(); err != nil || !d.Equal(m.Date) {
		t.Errorf("Date = %v (%v), want %v", d, err, m.Date)
	}
	if root.mediaType != "multipart/mixed" || len(root.children) != 2 {
		t.Fatalf("root = %s with %d parts, want multipart/mixed with 2", root.mediaType, len(root.children))
	}
	alt, att := root.children[0], root.children[1]
	if alt.mediaType != "multipart/alternative" || len(alt.children) != 3 {
		t.Fatalf("first part = %s with %d parts, want multipart/alternative with 3", alt.mediaType, len(alt.children))
	}
	want := []struct{ mt, body string }{
		{"text/plain", crlf(m.Text)}, {"text/html", m.HTML}, {"text/calendar", string(m.Calendar)},
	}
	for i, w := range want {
		c := alt.children[i]
		if c.mediaType != w.mt || !strings.EqualFold(c.params["charset"], "UTF-8") {
			t.Errorf("alternative %d = %s %v, want %s; charset=UTF-8", i, c.mediaType, c.params, w.mt)
		}
		if string(c.body) != w.body {
			t.Errorf("alternative %d body = %q, want %q", i, c.body, w.body)
		}
	}
	if got := alt.children[2].params["method"]; got != m.Method {
		t.Errorf("text/calendar method = %q, want %q", got, m.Method)
	}
	wantName := m.CalendarName
	if wantName == "" {
		wantName = DefaultCalendarName
	}
	if att.mediaType != "application/ics" || att.params["name"] != wantName {
		t.Errorf("attachment type = %s %v, want application/ics name=%s", att.mediaType, att.params, wantName)
	}
	if cd := att.header["Content-Disposition"]; len(cd) != 1 || !strings.HasPrefix(cd[0], "attachment;") || att.filename != wantName {
		t.Errorf("attachment disposition = %q (filename %q), want attachment %s", cd, att.filename, wantName)
	}
	if len(att.body) == 0 || !bytes.Equal(att.body, m.Calendar) {
		t.Errorf("attachment body = %q, want the calendar", att.body)
	}
}

package mail

import (
	"bytes"
	"errors"
	"mime"
	"strings"
	"testing"
)

func TestRenderInvitationStructure(t *testing.T) {
	m := invitation("invite-42")
	raw, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	checkInvitation(t, raw, m)

	head, _, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		t.Fatal("no blank line between header and body")
	}
	for i, c := range head {
		if c > 0x7e || (c < ' ' && c != '\r' && c != '\n') {
			t.Fatalf("raw header byte %d = %#x is not printable ASCII:\n%s", i, c, head)
		}
	}
	for _, want := range []string{"MIME-Version: 1.0\r\n", "=?UTF-8?", "Auto-Submitted: auto-generated\r\n"} {
		if !bytes.Contains(head, []byte(want)) {
			t.Errorf("header lacks %q:\n%s", want, head)
		}
	}
	// The French text is transfer-encoded, not sent as raw 8-bit.
	if bytes.Contains(raw, []byte("Françoise")) {
		t.Error("raw message contains unencoded UTF-8")
	}
}

func TestRenderCancelAndPublish(t *testing.T) {
	for _, method := range []string{MethodCancel, MethodPublish} {
		m := invitation("evt-7." + strings.ToLower(method))
		m.Method, m.Calendar = method, calendar(method)
		raw, err := Render(m)
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		checkInvitation(t, raw, m)
	}
}

func TestRenderWithoutCalendar(t *testing.T) {
	m := invitation("reminder-1")
	m.Calendar, m.Method = nil, ""
	raw, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	_, root := parseRaw(t, raw)
	if root.mediaType != "multipart/alternative" || len(root.children) != 2 {
		t.Fatalf("root = %s with %d parts, want multipart/alternative with 2", root.mediaType, len(root.children))
	}
	if root.children[0].mediaType != "text/plain" || string(root.children[0].body) != crlf(frenchText) {
		t.Errorf("text part = %s %q", root.children[0].mediaType, root.children[0].body)
	}
	if root.children[1].mediaType != "text/html" || string(root.children[1].body) != frenchHTML {
		t.Errorf("html part = %s %q", root.children[1].mediaType, root.children[1].body)
	}
	if bytes.Contains(raw, []byte("text/calendar")) || bytes.Contains(raw, []byte("application/ics")) {
		t.Error("calendar parts rendered without a calendar")
	}
}

func TestRenderTextOnly(t *testing.T) {
	m := invitation("text-only")
	m.Calendar, m.Method, m.HTML = nil, "", ""
	raw, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	_, root := parseRaw(t, raw)
	if root.mediaType != "text/plain" || root.params["charset"] != "UTF-8" || string(root.body) != crlf(frenchText) {
		t.Errorf("got %s %v %q, want a single text/plain part", root.mediaType, root.params, root.body)
	}
}

func TestRenderNonASCIIAttachmentName(t *testing.T) {
	const name = "invitation-élysée.ics"
	if got, want := ContentDisposition(name), "attachment; filename*=utf-8''invitation-%C3%A9lys%C3%A9e.ics"; got != want {
		t.Errorf("ContentDisposition = %q, want %q", got, want)
	}
	if got, want := ContentDisposition(DefaultCalendarName), "attachment; filename=invitation.ics"; got != want {
		t.Errorf("ContentDisposition = %q, want %q", got, want)
	}
	m := invitation("elysee")
	m.CalendarName = name
	raw, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("élysée")) {
		t.Error("attachment name sent unencoded")
	}
	checkInvitation(t, raw, m) // decodes filename* and name* back to the UTF-8 name
}

func TestRenderStableMessageIDAndAttachment(t *testing.T) {
	m := invitation("row-123")
	first, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	h1, _ := parseRaw(t, first)
	h2, _ := parseRaw(t, second)
	if h1.Get("Message-ID") != h2.Get("Message-ID") || h1.Get("Message-ID") != "<row-123@fabrique.example.org>" {
		t.Errorf("Message-IDs %q and %q, want both <row-123@fabrique.example.org>", h1.Get("Message-ID"), h2.Get("Message-ID"))
	}
	checkInvitation(t, second, m)
	if m.MessageID() != "<row-123@fabrique.example.org>" {
		t.Errorf("MessageID() = %q", m.MessageID())
	}
}

func TestRenderHeaderInjection(t *testing.T) {
	for _, evil := range []string{"\r\nBcc: x@evil", "\nBcc: x@evil", "\rBcc: x@evil", "a\u2028Bcc: x@evil", "a\x85Bcc: x@evil", "a\x00\r\n\r\nbody"} {
		m := invitation("inj")
		m.Subject = "Hello " + evil
		m.To.Name = "Jean" + evil
		m.From.Name = "Fabrique" + evil
		raw, err := Render(m)
		if err != nil {
			t.Fatalf("%q: %v", evil, err)
		}
		h, _ := parseRaw(t, raw)
		if _, ok := h["Bcc"]; ok {
			t.Errorf("%q created a Bcc header", evil)
		}
		if len(h["Subject"]) != 1 || len(h["To"]) != 1 || len(h["From"]) != 1 {
			t.Errorf("%q: Subject/To/From counts %d/%d/%d", evil, len(h["Subject"]), len(h["To"]), len(h["From"]))
		}
		for line := range strings.Lines(string(raw[:bytes.Index(raw, []byte("\r\n\r\n"))])) {
			if strings.HasPrefix(strings.ToLower(line), "bcc") {
				t.Errorf("%q: header line %q", evil, line)
			}
		}
		subj, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
		if want := CleanHeaderText(m.Subject); subj != want || strings.ContainsAny(subj, "\r\n") {
			t.Errorf("%q: subject decodes to %q, want %q", evil, subj, want)
		}
	}
}

func TestRenderRejectsInvalidAddresses(t *testing.T) {
	cases := []struct {
		field string
		set   func(m *Message)
	}{
		{"to.email", func(m *Message) { m.To.Email = "" }},
		{"to.email", func(m *Message) { m.To.Email = "jean" }},
		{"to.email", func(m *Message) { m.To.Email = "a@b@c.org" }},
		{"to.email", func(m *Message) { m.To.Email = "jean@example.org\r\nBcc: x@evil.org" }},
		{"to.email", func(m *Message) { m.To.Email = "Jean <jean@example.org>" }},
		{"to.email", func(m *Message) { m.To.Email = "jean dupont@example.org" }},
		{"to.email", func(m *Message) { m.To.Email = "jean@example.org, x@evil.org" }},
		{"to.email", func(m *Message) { m.To.Email = "élise@example.org" }},
		{"to.email", func(m *Message) { m.To.Email = "jean..dupont@example.org" }},
		{"to.email", func(m *Message) { m.To.Email = "jean@-example.org" }},
		{"to.email", func(m *Message) { m.To.Email = `"jean"@example.org` }},
		{"from.email", func(m *Message) { m.From.Email = "noreply@" }},
		{"from.email", func(m *Message) { m.From.Email = "noreply@exa mple.org" }},
	}
	for _, c := range cases {
		m := invitation("x")
		c.set(m)
		_, err := Render(m)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%q/%q: err = %v, want a FieldError on %s", m.From.Email, m.To.Email, err, c.field)
			continue
		}
		if !strings.Contains(err.Error(), c.field) || IsTemporary(err) {
			t.Errorf("error %q should name %s and be permanent", err, c.field)
		}
	}
	for _, ok := range []string{"jean.dupont@example.org", "j+tag@sub.example.fr", "x_y-z@localhost"} {
		m := invitation("ok")
		m.To.Email = ok
		if _, err := Render(m); err != nil {
			t.Errorf("%s rejected: %v", ok, err)
		}
	}
}

func TestRenderRejectsInvalidFields(t *testing.T) {
	cases := []struct {
		field string
		set   func(m *Message)
	}{
		{"id", func(m *Message) { m.ID = "" }},
		{"id", func(m *Message) { m.ID = "a b" }},
		{"id", func(m *Message) { m.ID = "a>b" }},
		{"id", func(m *Message) { m.ID = ".a" }},
		{"id", func(m *Message) { m.ID = "a..b" }},
		{"id", func(m *Message) { m.ID = strings.Repeat("a", 201) }},
		{"method", func(m *Message) { m.Method = "" }},
		{"method", func(m *Message) { m.Method = "REPLY" }},
		{"method", func(m *Message) { m.Method = MethodCancel }}, // calendar says REQUEST
		{"method", func(m *Message) { m.Calendar = nil }},
		{"calendar", func(m *Message) { m.Calendar = []byte("not a calendar") }},
		{"calendar", func(m *Message) { m.Calendar = []byte("BEGIN:VCALENDAR\r\n\xff\r\n") }},
		{"text", func(m *Message) { m.Text, m.HTML = "", "" }},
		{"calendar_name", func(m *Message) { m.CalendarName = "../x.ics" }},
		{"calendar_name", func(m *Message) { m.CalendarName = "a\r\n.ics" }},
	}
	for i, c := range cases {
		m := invitation("x")
		c.set(m)
		_, err := Render(m)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("case %d: err = %v, want a FieldError on %s", i, err, c.field)
		}
	}
	if _, err := Render(nil); err == nil {
		t.Error("Render(nil) succeeded")
	}
}

func TestCleanHeaderText(t *testing.T) {
	cases := map[string]string{
		"Ministère ouvert":        "Ministère ouvert",
		"  a \t b\r\n\r\nc  ":     "a b c",
		"a\x00b\x7fc":             "a b c",
		"a\u2028b\u0085c":         "a b c",
		"bad \xff utf8":           "bad \uFFFD utf8",
		"\r\nBcc: x@evil":         "Bcc: x@evil",
		"plain ascii subject #1!": "plain ascii subject #1!",
	}
	for in, want := range cases {
		if got := CleanHeaderText(in); got != want {
			t.Errorf("CleanHeaderText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFileName(t *testing.T) {
	if got := FileName("invite-42.v2_x"); got != "invite-42.v2_x.eml" {
		t.Errorf("FileName = %q", got)
	}
	seen := map[string]string{}
	for _, id := range []string{"a/b", "a_b", "a+b", "a=b", "../etc", "..", ".hidden", "é"} {
		name := FileName(id)
		if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".eml") {
			t.Errorf("FileName(%q) = %q is unsafe", id, name)
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; c > 0x7e || c <= ' ' {
				t.Errorf("FileName(%q) = %q has byte %#x", id, name, c)
			}
		}
		if prev, ok := seen[name]; ok {
			t.Errorf("FileName(%q) = FileName(%q) = %q", id, prev, name)
		}
		seen[name] = id
	}
}

func TestRenderRejectsOverlongHeaders(t *testing.T) {
	m := invitation("long")
	m.Subject = strings.Repeat("é", maxSubjectLen/2) + "x"
	if _, err := Render(m); err == nil || !strings.Contains(err.Error(), "subject") {
		t.Errorf("overlong subject: %v", err)
	}
	m.Subject = strings.Repeat("é", maxSubjectLen/2)
	m.To.Name = strings.Repeat("a", maxNameLen+1)
	if _, err := Render(m); err == nil || !strings.Contains(err.Error(), "to.name") {
		t.Errorf("overlong name: %v", err)
	}
	m.To.Name = strings.Repeat("\"", maxNameLen) // worst case for quoting
	m.Subject = strings.Repeat("a", maxSubjectLen)
	raw, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(raw)) {
		if len(line) > 1000 {
			t.Errorf("line of %d bytes: %.60q...", len(line), line)
		}
	}
	h, _ := parseRaw(t, raw)
	if to, err := h.AddressList("To"); err != nil || to[0].Name != m.To.Name {
		t.Errorf("To = %v, %v", to, err)
	}
}

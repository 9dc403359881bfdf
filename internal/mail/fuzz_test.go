package mail

import (
	"bytes"
	"errors"
	"mime"
	netmail "net/mail"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzHeader renders messages with arbitrary subjects and display names and
// checks that the result parses with net/mail, has exactly the expected
// header fields (one Subject, one To...) and that the values decode back to
// their cleaned form.
func FuzzHeader(f *testing.F) {
	f.Add("Invitation : Ministère ouvert #1 — mardi 21 juin 2016", "Françoise Waintrop", "Jean Dupont")
	f.Add("Hello\r\nBcc: x@evil.org", "Eve\r\nBcc: x@evil.org", "Bob\nTo: y@evil.org")
	f.Add("\r\n\r\nbody", `"quoted" \name\`, "a, b <c@d.e>")
	f.Add(strings.Repeat("long subject ", 20), strings.Repeat("é", 60), "")
	f.Add("=?UTF-8?q?fake?=", "=?utf-8?b?ZmFrZQ==?=", "x\x00y\x7fz\u2028w\x85v")
	f.Add("\xff\xfe invalid utf-8", "a\tb", "  spaced   name  ")

	wantKeys := []string{"Auto-Submitted", "Content-Type", "Date", "From", "Message-Id", "Mime-Version", "Subject", "To"}
	f.Fuzz(func(t *testing.T, subject, fromName, toName string) {
		m := &Message{
			ID:      "fuzz-1",
			From:    Address{Name: fromName, Email: "noreply@fabrique.example.org"},
			To:      Address{Name: toName, Email: "jean@example.org"},
			Subject: subject,
			Text:    "Bonjour",
			HTML:    "<p>Bonjour</p>",
			Date:    time.Date(2016, 6, 21, 10, 0, 0, 0, time.UTC),
		}
		raw, err := Render(m)
		if err != nil {
			// Only over-long values may be refused.
			var fe *FieldError
			tooLong := len(CleanHeaderText(subject)) > maxSubjectLen || len(CleanHeaderText(fromName)) > maxNameLen ||
				len(CleanHeaderText(toName)) > maxNameLen
			if !errors.As(err, &fe) || !tooLong {
				t.Fatalf("Render: %v", err)
			}
			return
		}
		for line := range strings.Lines(string(raw)) {
			if len(line) > 1000 {
				t.Fatalf("line of %d bytes exceeds RFC 5322's 998", len(line)-2)
			}
		}
		msg, err := netmail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("net/mail: %v\n%q", err, raw)
		}
		var keys []string
		for k, v := range msg.Header {
			keys = append(keys, k)
			if len(v) != 1 {
				t.Errorf("%d %s headers", len(v), k)
			}
		}
		slices.Sort(keys)
		if !slices.Equal(keys, wantKeys) {
			t.Fatalf("header fields %v, want %v\n%q", keys, wantKeys, raw)
		}
		from, err := msg.Header.AddressList("From")
		if err != nil || len(from) != 1 || from[0].Address != m.From.Email {
			t.Fatalf("From = %v, %v\n%q", from, err, raw)
		}
		to, err := msg.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != m.To.Email {
			t.Fatalf("To = %v, %v\n%q", to, err, raw)
		}
		// Encoded-word look-alikes in the input are decoded by readers; only
		// compare values that cannot contain one.
		if !strings.Contains(subject, "=?") {
			got, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if want := CleanHeaderText(subject); err != nil || got != want {
				t.Errorf("Subject decodes to %q (%v), want %q", got, err, want)
			}
		}
		if !strings.Contains(fromName, "=?") && from[0].Name != CleanHeaderText(fromName) {
			t.Errorf("From name %q, want %q", from[0].Name, CleanHeaderText(fromName))
		}
		if !strings.Contains(toName, "=?") && to[0].Name != CleanHeaderText(toName) {
			t.Errorf("To name %q, want %q", to[0].Name, CleanHeaderText(toName))
		}
	})
}

package mailtest

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
)

func send(t *testing.T, s *Server, auth smtp.Auth, to string) error {
	t.Helper()
	msg := "Subject: test\r\n\r\nline one\r\n.dot line\r\n"
	return smtp.SendMail(s.Addr(), auth, "from@example.org", []string{to}, []byte(msg))
}

func TestServerRecordsEnvelopeAndData(t *testing.T) {
	s := NewServer(t)
	if err := send(t, s, nil, "a@example.org"); err != nil {
		t.Fatal(err)
	}
	got := s.Messages()
	if len(got) != 1 || got[0].From != "from@example.org" || len(got[0].To) != 1 || got[0].To[0] != "a@example.org" {
		t.Fatalf("messages = %+v", got)
	}
	if want := "Subject: test\r\n\r\nline one\r\n.dot line\r\n"; string(got[0].Data) != want {
		t.Errorf("data = %q, want %q", got[0].Data, want)
	}
	if s.Connections() != 1 || s.Count() != 1 || got[0].User != "" || got[0].TLS {
		t.Errorf("connections %d count %d user %q tls %v", s.Connections(), s.Count(), got[0].User, got[0].TLS)
	}
	s.Reset()
	if s.Connections() != 0 || s.Count() != 0 || len(s.Messages()) != 0 {
		t.Error("Reset kept state")
	}
}

func TestServerFailNext(t *testing.T) {
	s := NewServer(t)
	s.FailNext(2, Reply{Code: 550, Enhanced: [3]int{5, 1, 1}, Text: "mailbox unavailable"})
	for i := 0; i < 2; i++ {
		err := send(t, s, nil, "a@example.org")
		var tp *textproto.Error
		if !errors.As(err, &tp) || tp.Code != 550 || tp.Msg != "5.1.1 mailbox unavailable" {
			t.Fatalf("attempt %d: err = %v, want 550 5.1.1", i, err)
		}
	}
	s.FailNext(1, Reply{Code: 451, Text: "later", AtData: true})
	err := send(t, s, nil, "a@example.org")
	var tp *textproto.Error
	if !errors.As(err, &tp) || tp.Code != 451 || tp.Msg != "4.0.0 later" {
		t.Fatalf("err = %v, want 451 4.0.0 later", err)
	}
	if err := send(t, s, nil, "a@example.org"); err != nil {
		t.Fatalf("failures should be used up: %v", err)
	}
	if s.Count() != 1 || s.Connections() != 4 {
		t.Errorf("count %d connections %d, want 1 and 4", s.Count(), s.Connections())
	}
}

func TestServerAuth(t *testing.T) {
	s := NewServer(t, WithAuth("user", "pass"))
	if !strings.HasPrefix(s.URL("starttls=off"), "smtp://user:pass@127.0.0.1:") || !strings.HasSuffix(s.URL("starttls=off"), "?starttls=off") {
		t.Errorf("URL = %s", s.URL("starttls=off"))
	}
	if err := send(t, s, nil, "a@example.org"); err == nil || !strings.Contains(err.Error(), "530") {
		t.Errorf("unauthenticated: %v, want 530", err)
	}
	if err := send(t, s, smtp.PlainAuth("", "user", "wrong", "127.0.0.1"), "a@example.org"); err == nil || !strings.Contains(err.Error(), "535") {
		t.Errorf("bad password: %v, want 535", err)
	}
	if err := send(t, s, smtp.PlainAuth("", "user", "pass", "127.0.0.1"), "a@example.org"); err != nil {
		t.Fatal(err)
	}
	if got := s.Messages(); len(got) != 1 || got[0].User != "user" {
		t.Errorf("messages = %+v", got)
	}
}

func TestServerStartTLS(t *testing.T) {
	s := NewServer(t, WithStartTLS())
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not advertised")
	}
	if err := c.StartTLS(s.ClientTLSConfig()); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("f@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("t@example.org"); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("Subject: x\r\n\r\nhi\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := s.Messages(); len(got) != 1 || !got[0].TLS {
		t.Errorf("messages = %+v, want one over TLS", got)
	}
	if NewServer(t).ClientTLSConfig() != nil {
		t.Error("ClientTLSConfig without TLS should be nil")
	}
}

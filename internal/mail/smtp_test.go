package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"fabrique/internal/mail/mailtest"
)

// newSender builds an SMTPSender from the server URL and query.
func newSender(t *testing.T, srv *mailtest.Server, query string, tweak ...func(*SMTPConfig)) *SMTPSender {
	t.Helper()
	cfg, err := ParseURL(srv.URL(query))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 5 * time.Second
	for _, f := range tweak {
		f(&cfg)
	}
	s, err := NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func noErrors(t *testing.T, errs []error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
}

func TestSMTPSenderBatchOverOneConnection(t *testing.T) {
	srv := mailtest.NewServer(t, mailtest.WithAuth("fabrique", "s3cr:t/é"))
	s := newSender(t, srv, "starttls=off")
	msgs := []*Message{invitation("b-1"), invitation("b-2"), invitation("b-3")}
	msgs[1].To = Address{Name: "Élise Lefèvre", Email: "elise@example.org"}
	msgs[2].Method, msgs[2].Calendar = MethodCancel, calendar(MethodCancel)

	noErrors(t, s.Send(context.Background(), msgs...))

	if n := srv.Connections(); n != 1 {
		t.Errorf("connections = %d, want 1", n)
	}
	got := srv.Messages()
	if len(got) != 3 {
		t.Fatalf("server received %d messages, want 3", len(got))
	}
	for i, r := range got {
		m := msgs[i]
		if r.From != m.From.Email || len(r.To) != 1 || r.To[0] != m.To.Email {
			t.Errorf("envelope %d = %s -> %v, want %s -> %s", i, r.From, r.To, m.From.Email, m.To.Email)
		}
		if r.User != "fabrique" || r.TLS {
			t.Errorf("message %d: user %q tls %v, want authenticated cleartext", i, r.User, r.TLS)
		}
		checkInvitation(t, r.Data, m)
	}
}

// A prepared message is sent as the bytes Prepare rendered, complete every
// time, and an invalid message cannot be prepared.
func TestSMTPSenderSendsPreparedBytes(t *testing.T) {
	srv := mailtest.NewServer(t)
	s := newSender(t, srv, "starttls=off")
	m := invitation("outbox-row-10")
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	want, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, s.Send(context.Background(), m))
	noErrors(t, s.Send(context.Background(), m))
	got := srv.Messages()
	if len(got) != 2 || !bytes.Equal(got[0].Data, want) || !bytes.Equal(got[1].Data, want) {
		t.Fatalf("received %d messages, not the prepared bytes", len(got))
	}
	checkInvitation(t, got[1].Data, m)
	bad := invitation("outbox-row-11")
	bad.To.Email = "pas une adresse"
	var fe *FieldError
	if err := bad.Prepare(); !errors.As(err, &fe) || fe.Field != "to.email" {
		t.Errorf("Prepare of an invalid message: %v", err)
	}
}

func TestSMTPSenderResendSameMessage(t *testing.T) {
	srv := mailtest.NewServer(t)
	s := newSender(t, srv, "starttls=off")
	m := invitation("outbox-row-9")
	noErrors(t, s.Send(context.Background(), m))
	noErrors(t, s.Send(context.Background(), m))
	got := srv.Messages()
	if len(got) != 2 {
		t.Fatalf("received %d messages, want 2", len(got))
	}
	h1, _ := parseRaw(t, got[0].Data)
	h2, _ := parseRaw(t, got[1].Data)
	if id := h1.Get("Message-ID"); id == "" || id != h2.Get("Message-ID") {
		t.Errorf("Message-IDs %q and %q differ", id, h2.Get("Message-ID"))
	}
	checkInvitation(t, got[1].Data, m) // attachment still complete on the resend
	if n := srv.Connections(); n != 1 {
		t.Errorf("connections = %d, want 1 (reused across batches)", n)
	}
}

func TestSMTPSenderClassifiesFailures(t *testing.T) {
	srv := mailtest.NewServer(t)
	s := newSender(t, srv, "starttls=off")

	srv.FailNext(1, mailtest.Reply{Code: 451, Enhanced: [3]int{4, 3, 0}, Text: "try again later", AtData: true})
	errs := s.Send(context.Background(), invitation("t-1"), invitation("t-2"))
	var se *SendError
	if !errors.As(errs[0], &se) || !IsTemporary(errs[0]) || se.Code != 451 || se.Reply != "451 4.3.0 try again later" {
		t.Errorf("451: err = %#v, want temporary with reply", errs[0])
	}
	if errs[1] != nil {
		t.Errorf("message after a 451: %v", errs[1])
	}

	srv.FailNext(1, mailtest.Reply{Code: 550, Enhanced: [3]int{5, 1, 1}, Text: "mailbox unavailable"})
	errs = s.Send(context.Background(), invitation("p-1"), invitation("p-2"))
	if !errors.As(errs[0], &se) || IsTemporary(errs[0]) || se.Code != 550 || se.Reply != "550 5.1.1 mailbox unavailable" {
		t.Errorf("550: err = %#v, want permanent with reply", errs[0])
	}
	if errs[0] != nil && !strings.Contains(errs[0].Error(), "550 5.1.1 mailbox unavailable") {
		t.Errorf("error text %q lacks the SMTP answer", errs[0])
	}
	if errs[1] != nil {
		t.Errorf("message after a 550: %v", errs[1])
	}

	var ids []string
	for _, r := range srv.Messages() {
		h, _ := parseRaw(t, r.Data)
		ids = append(ids, h.Get("Message-ID"))
	}
	if want := "<t-2@fabrique.example.org> <p-2@fabrique.example.org>"; strings.Join(ids, " ") != want {
		t.Errorf("delivered %v, want %s", ids, want)
	}
	// Each failure drops the connection (its SMTP state is unknown).
	if n := srv.Connections(); n != 3 {
		t.Errorf("connections = %d, want 3", n)
	}
}

func TestSMTPSenderNetworkErrorIsTemporary(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close() // nothing listens there any more
	s, err := NewSMTPSender(SMTPConfig{Host: "127.0.0.1", Port: addr.Port, Security: Cleartext, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	errs := s.Send(context.Background(), invitation("n-1"))
	if errs[0] == nil || !IsTemporary(errs[0]) {
		t.Errorf("refused connection: %v, want a temporary error", errs[0])
	}
}

func TestSMTPSenderRequiresStartTLSByDefault(t *testing.T) {
	srv := mailtest.NewServer(t, mailtest.WithAuth("fabrique", "secret"))
	s := newSender(t, srv, "") // default: STARTTLS required
	errs := s.Send(context.Background(), invitation("tls-1"))
	if errs[0] == nil {
		t.Fatal("sent without TLS to a server offering no STARTTLS")
	}
	if IsTemporary(errs[0]) || !strings.Contains(errs[0].Error(), "STARTTLS") || !strings.Contains(errs[0].Error(), "cleartext") {
		t.Errorf("err = %v, want a permanent error explaining STARTTLS is required", errs[0])
	}
	if n := srv.Count(); n != 0 {
		t.Errorf("server accepted %d messages in cleartext", n)
	}
}

func TestSMTPSenderStartTLS(t *testing.T) {
	srv := mailtest.NewServer(t, mailtest.WithStartTLS(), mailtest.WithAuth("fabrique", "secret"))
	s := newSender(t, srv, "", func(c *SMTPConfig) { c.TLSConfig = srv.ClientTLSConfig() })
	m := invitation("tls-2")
	noErrors(t, s.Send(context.Background(), m, invitation("tls-3")))
	got := srv.Messages()
	if len(got) != 2 || !got[0].TLS || got[0].User != "fabrique" {
		t.Fatalf("received %+v, want 2 messages over TLS, authenticated", got)
	}
	checkInvitation(t, got[0].Data, m)
	if n := srv.Connections(); n != 1 {
		t.Errorf("connections = %d, want 1", n)
	}

	// Without trusting the self-signed certificate the handshake fails:
	// permanent, nothing is sent.
	s2 := newSender(t, srv, "")
	errs := s2.Send(context.Background(), invitation("tls-4"))
	if errs[0] == nil || IsTemporary(errs[0]) {
		t.Errorf("untrusted certificate: %v, want a permanent error", errs[0])
	}
	if n := srv.Count(); n != 2 {
		t.Errorf("server accepted %d messages, want 2", n)
	}
}

func TestSMTPSenderImplicitTLS(t *testing.T) {
	srv := mailtest.NewServer(t, mailtest.WithImplicitTLS())
	if !strings.HasPrefix(srv.URL(""), "smtps://") {
		t.Fatalf("URL = %s", srv.URL(""))
	}
	s := newSender(t, srv, "", func(c *SMTPConfig) { c.TLSConfig = srv.ClientTLSConfig() })
	noErrors(t, s.Send(context.Background(), invitation("ssl-1")))
	if got := srv.Messages(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("received %+v, want 1 message over TLS", got)
	}
}

func TestSMTPSenderRateLimit(t *testing.T) {
	srv := mailtest.NewServer(t)
	s := newSender(t, srv, "starttls=off&rate=20") // one message per 50ms
	msgs := []*Message{invitation("r-1"), invitation("r-2"), invitation("r-3"), invitation("r-4"), invitation("r-5")}
	start := time.Now()
	noErrors(t, s.Send(context.Background(), msgs...))
	if d := time.Since(start); d < 190*time.Millisecond || d > 3*time.Second {
		t.Errorf("5 messages at 20/s took %v, want about 200ms", d)
	}

	// The wait honours the context.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	errs := s.Send(ctx, invitation("r-6"), invitation("r-7"), invitation("r-8"))
	if errs[len(errs)-1] == nil || !IsTemporary(errs[len(errs)-1]) {
		t.Errorf("rate-limited send past the deadline: %v, want a temporary error", errs)
	}
}

func TestSMTPSenderRedialsAfterIdle(t *testing.T) {
	srv := mailtest.NewServer(t)
	s := newSender(t, srv, "starttls=off&idle=50ms")
	noErrors(t, s.Send(context.Background(), invitation("i-1")))
	time.Sleep(200 * time.Millisecond)
	s.mu.Lock()
	open := s.conn != nil
	s.mu.Unlock()
	if open {
		t.Error("idle connection still open after the idle timeout")
	}
	noErrors(t, s.Send(context.Background(), invitation("i-2")))
	if n, c := srv.Connections(), srv.Count(); n != 2 || c != 2 {
		t.Errorf("connections = %d, messages = %d, want 2 and 2", n, c)
	}
}

func TestSMTPSenderInvalidAndCancelled(t *testing.T) {
	srv := mailtest.NewServer(t)
	s := newSender(t, srv, "starttls=off")
	bad := invitation("bad")
	bad.To.Email = "jean@example.org\r\nRCPT TO:<x@evil.org>"
	errs := s.Send(context.Background(), bad)
	var fe *FieldError
	if !errors.As(errs[0], &fe) || fe.Field != "to.email" || IsTemporary(errs[0]) {
		t.Errorf("invalid recipient: %v", errs[0])
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	errs = s.Send(ctx, invitation("c-1"))
	if !errors.Is(errs[0], context.Canceled) || !IsTemporary(errs[0]) {
		t.Errorf("cancelled: %v", errs[0])
	}
	if n := srv.Connections(); n != 0 {
		t.Errorf("connections = %d, want 0", n)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if errs := s.Send(context.Background(), invitation("after-close")); errs[0] == nil {
		t.Error("Send after Close succeeded")
	}
}

func TestSMTPSubjectInjectionOverTheWire(t *testing.T) {
	srv := mailtest.NewServer(t)
	s := newSender(t, srv, "starttls=off")
	m := invitation("evil")
	m.Subject = "Invitation\r\nBcc: x@evil.org\r\n\r\nfake body"
	noErrors(t, s.Send(context.Background(), m))
	got := srv.Messages()
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != m.To.Email {
		t.Fatalf("envelope recipients %+v, want only %s", got, m.To.Email)
	}
	h, _ := parseRaw(t, got[0].Data)
	if _, ok := h["Bcc"]; ok {
		t.Error("Bcc header injected")
	}
	if len(h["Subject"]) != 1 {
		t.Errorf("%d Subject headers", len(h["Subject"]))
	}
}

func TestIsTemporary(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&textproto.Error{Code: 421, Msg: "4.4.2 bye"}, true},
		{&textproto.Error{Code: 452, Msg: "4.2.2 mailbox full"}, true},
		{&textproto.Error{Code: 554, Msg: "5.7.1 rejected"}, false},
		{fmt.Errorf("wrapped: %w", &textproto.Error{Code: 535, Msg: "5.7.8 auth failed"}), false},
		{io.EOF, true},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
		{context.DeadlineExceeded, true},
		{&FieldError{Field: "to.email", Reason: "x"}, false},
		{&SendError{Temporary: true, Err: errors.New("x")}, true},
		{&SendError{Temporary: false, Err: io.EOF}, false},
	}
	for _, c := range cases {
		if got := IsTemporary(c.err); got != c.want {
			t.Errorf("IsTemporary(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestParseURL(t *testing.T) {
	cfg, err := ParseURL("smtp://user%40x:p%40ss%3Aw@smtp.example.org:2525?rate=2.5&timeout=5s&idle=1m&helo=fabrique.example.org")
	if err != nil {
		t.Fatal(err)
	}
	want := SMTPConfig{Host: "smtp.example.org", Port: 2525, Username: "user@x", Password: "p@ss:w", Security: StartTLS,
		Rate: 2.5, Timeout: 5 * time.Second, IdleTimeout: time.Minute, LocalName: "fabrique.example.org"}
	if fmt.Sprint(cfg) != fmt.Sprint(want) {
		t.Errorf("got %+v\nwant %+v", cfg, want)
	}
	if r := cfg.Redacted(); strings.Contains(r, "p@ss") || !strings.Contains(r, "smtp.example.org:2525") {
		t.Errorf("Redacted = %s", r)
	}
	defaults := map[string]SMTPConfig{
		"smtp://smtp.example.org":               {Host: "smtp.example.org", Port: 587, Security: StartTLS},
		"smtps://smtp.example.org":              {Host: "smtps.example.org"[:0] + "smtp.example.org", Port: 465, Security: ImplicitTLS},
		"smtp://127.0.0.1:2525/?starttls=off":   {Host: "127.0.0.1", Port: 2525, Security: Cleartext},
		"smtp://u:p@localhost:25?starttls=off":  {Host: "localhost", Port: 25, Username: "u", Password: "p", Security: Cleartext},
		"smtp://[::1]:25?starttls=on":           {Host: "::1", Port: 25, Security: StartTLS},
		" smtp://relay.example.org:587?rate=0 ": {Host: "relay.example.org", Port: 587, Security: StartTLS},
	}
	for raw, want := range defaults {
		got, err := ParseURL(raw)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	bad := map[string]string{
		"":                           "vide",
		"http://smtp.example.org":    "schéma « http »",
		"smtp.example.org:587":       "smtp",
		"smtp://":                    "hôte manquant",
		"smtp://:pw@:587":            "hôte manquant",
		"smtp://host:99999":          "port « 99999 »",
		"smtp://host:0":              "port « 0 »",
		"smtp://host:abc":            "",
		"smtp://host:":               "port vide",
		"smtp://host/path":           "chemin",
		"smtp://host?startls=off":    "paramètre « startls » inconnu",
		"smtp://host?starttls=maybe": "starttls=maybe",
		"smtps://host?starttls=off":  "smtps",
		"smtp://host?rate=-1":        "rate=-1",
		"smtp://host?timeout=soon":   "timeout=soon",
		"smtp://host?rate=1&rate=2":  "répété",
		"smtp://u:topsecret@smtp.example.org?starttls=off": "identifiants",
		"smtp://u:topsecret@ho st":                         "",
	}
	for raw, frag := range bad {
		_, err := ParseURL(raw)
		if err == nil {
			t.Errorf("ParseURL(%q) succeeded", raw)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "FABRIQUE_SMTP_URL invalide : ") || !strings.Contains(msg, frag) {
			t.Errorf("ParseURL(%q) error %q, want FABRIQUE_SMTP_URL and %q", raw, msg, frag)
		}
		if strings.Contains(msg, "topsecret") {
			t.Errorf("ParseURL(%q) error leaks the password: %q", raw, msg)
		}
	}
}

func TestNewSMTPSenderDefaults(t *testing.T) {
	s, err := NewSMTPSender(SMTPConfig{Host: "smtp.example.org", Port: 587})
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Config(); c.Timeout != DefaultTimeout || c.IdleTimeout != DefaultIdleTimeout || c.Security != StartTLS {
		t.Errorf("defaults %+v", c)
	}
	s, err = NewSMTPSender(SMTPConfig{Host: "smtp.example.org", Port: 587, Timeout: 4 * time.Second, IdleTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Config().IdleTimeout; got != 2*time.Second {
		t.Errorf("idle timeout %v, want it capped at Timeout/2 = 2s", got)
	}
	for _, bad := range []SMTPConfig{{Port: 25}, {Host: "h", Port: 0}, {Host: "h", Port: 25, Rate: -1}, {Host: "h", Port: 25, Security: 9}} {
		if _, err := NewSMTPSender(bad); err == nil {
			t.Errorf("NewSMTPSender(%+v) succeeded", bad)
		}
	}
}

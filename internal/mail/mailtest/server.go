// Package mailtest runs a real SMTP server on the loopback interface for
// tests, built with github.com/emersion/go-smtp.
//
// The Server records every accepted message with its envelope, counts the
// TCP connections it accepted, can be told to reject the next messages with a
// chosen 4xx or 5xx reply, and optionally requires AUTH PLAIN and offers
// STARTTLS or implicit TLS with a throwaway self-signed certificate.
//
// Typical use:
//
//	srv := mailtest.NewServer(t)
//	sender, _ := mail.NewSMTPSender(cfg) // cfg from srv.URL("starttls=off")
//	... send ...
//	msgs := srv.Messages()
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message accepted by the Server, with its SMTP envelope.
type Message struct {
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients (RCPT TO)
	Data []byte   // message content as received after DATA (CRLF line endings, dot-unstuffed); nil with WithDiscard
	User string   // authenticated username, "" when the session did not authenticate
	TLS  bool     // whether the session ran over TLS (STARTTLS or implicit)
}

// Reply describes the SMTP error answer the Server gives to a message it has
// been told to reject with FailNext.
type Reply struct {
	Code     int    // SMTP reply code, 4xx (temporary) or 5xx (permanent)
	Enhanced [3]int // enhanced status code such as {5, 1, 1}; the zero value means "X.0.0"
	Text     string // human readable text, e.g. "mailbox unavailable"
	// AtData rejects the message after its content was received (answer to
	// the final "."), instead of rejecting the recipient at RCPT TO.
	AtData bool
}

// Option configures a Server created by NewServer.
type Option func(*config)

type config struct {
	user, pass  string
	startTLS    bool
	implicitTLS bool
	discard     bool
}

// WithAuth makes the Server advertise AUTH PLAIN (allowed without TLS, the
// server only listens on loopback) and require a successful authentication
// with this username and password before MAIL FROM.
func WithAuth(username, password string) Option {
	return func(c *config) { c.user, c.pass = username, password }
}

// WithStartTLS makes the Server advertise STARTTLS with a self-signed
// certificate for 127.0.0.1; clients trust it through ClientTLSConfig.
func WithStartTLS() Option {
	return func(c *config) { c.startTLS = true }
}

// WithImplicitTLS makes the Server speak TLS from the first byte (SMTPS, the
// port 465 style) with a self-signed certificate for 127.0.0.1.
func WithImplicitTLS() Option {
	return func(c *config) { c.implicitTLS = true }
}

// WithDiscard makes the Server count accepted messages without keeping their
// content, for benchmarks that send many messages.
func WithDiscard() Option {
	return func(c *config) { c.discard = true }
}

// Server is an SMTP server listening on 127.0.0.1 on a random port. It is
// safe for concurrent use. Create it with NewServer.
type Server struct {
	cfg      config
	srv      *smtp.Server
	ln       net.Listener
	port     int
	clientTC *tls.Config
	done     chan struct{}

	mu       sync.Mutex
	msgs     []Message
	count    int
	conns    int
	failN    int
	failWith Reply
}

// NewServer starts a Server on 127.0.0.1 and registers its shutdown with
// tb.Cleanup. It fails the test when the server cannot start.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := &Server{done: make(chan struct{})}
	for _, o := range opts {
		o(&s.cfg)
	}

	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv = srv

	var serverTC *tls.Config
	if s.cfg.startTLS || s.cfg.implicitTLS {
		var err error
		serverTC, s.clientTC, err = selfSigned()
		if err != nil {
			tb.Fatalf("mailtest: certificate: %v", err)
		}
	}
	if s.cfg.startTLS {
		srv.TLSConfig = serverTC
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("mailtest: listen: %v", err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	ln = &countingListener{Listener: ln, s: s}
	if s.cfg.implicitTLS {
		ln = tls.NewListener(ln, serverTC)
	}
	s.ln = ln

	go func() {
		defer close(s.done)
		_ = srv.Serve(ln)
	}()
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// Host returns the host the Server listens on, "127.0.0.1".
func (s *Server) Host() string { return "127.0.0.1" }

// Port returns the TCP port the Server listens on.
func (s *Server) Port() int { return s.port }

// Addr returns "127.0.0.1:port".
func (s *Server) Addr() string { return net.JoinHostPort(s.Host(), strconv.Itoa(s.port)) }

// URL returns an SMTP URL pointing at the Server: smtps:// with
// WithImplicitTLS, smtp:// otherwise, with the WithAuth credentials as
// userinfo, and query (such as "starttls=off") appended when not empty.
func (s *Server) URL(query string) string {
	u := url.URL{Scheme: "smtp", Host: s.Addr(), RawQuery: query}
	if s.cfg.implicitTLS {
		u.Scheme = "smtps"
	}
	if s.cfg.user != "" {
		u.User = url.UserPassword(s.cfg.user, s.cfg.pass)
	}
	return u.String()
}

// ClientTLSConfig returns a TLS client configuration that trusts the
// Server's certificate, or nil when the Server has no TLS.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.clientTC == nil {
		return nil
	}
	return s.clientTC.Clone()
}

// Messages returns a copy of the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.msgs))
	for i, m := range s.msgs {
		m.To = append([]string(nil), m.To...)
		out[i] = m
	}
	return out
}

// Count returns the number of messages accepted so far (also with
// WithDiscard).
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Connections returns the number of TCP connections accepted so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// FailNext makes the Server answer r to the next n messages (at RCPT TO, or
// after the content when r.AtData is set) instead of accepting them. A later
// call replaces the pending failures.
func (s *Server) FailNext(n int, r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failWith = n, r
}

// Reset forgets the recorded messages, the counters and pending failures.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs, s.count, s.conns, s.failN = nil, 0, 0, 0
}

// Close stops the Server and closes its connections. It is called
// automatically at the end of the test; calling it twice is harmless.
func (s *Server) Close() error {
	err := s.srv.Close()
	// Serve may not have registered the listener yet: close it ourselves.
	_ = s.ln.Close()
	<-s.done
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// takeFailure consumes one pending failure matching the stage, if any.
func (s *Server) takeFailure(atData bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failN <= 0 || s.failWith.AtData != atData {
		return nil
	}
	s.failN--
	r := s.failWith
	return &smtp.SMTPError{Code: r.Code, EnhancedCode: smtp.EnhancedCode(r.Enhanced), Message: r.Text}
}

type countingListener struct {
	net.Listener
	s *Server
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.s.mu.Lock()
		l.s.conns++
		l.s.mu.Unlock()
	}
	return c, err
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{s: b.s, tls: isTLS}, nil
}

type session struct {
	s    *Server
	tls  bool
	user string
	from string
	to   []string
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (se *session) AuthMechanisms() []string {
	if se.s.cfg.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || se.s.cfg.user == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != se.s.cfg.user || password != se.s.cfg.pass || (identity != "" && identity != username) {
			return smtp.ErrAuthFailed
		}
		se.user = username
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.s.cfg.user != "" && se.user == "" {
		return errAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := se.s.takeFailure(false); err != nil {
		return err
	}
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	var data []byte
	var err error
	if se.s.cfg.discard {
		_, err = io.Copy(io.Discard, r)
	} else {
		data, err = io.ReadAll(r)
	}
	if err != nil {
		return err
	}
	if err := se.s.takeFailure(true); err != nil {
		return err
	}
	se.s.mu.Lock()
	defer se.s.mu.Unlock()
	se.s.count++
	if !se.s.cfg.discard {
		se.s.msgs = append(se.s.msgs, Message{
			From: se.from, To: append([]string(nil), se.to...), Data: data, User: se.user, TLS: se.tls,
		})
	}
	return nil
}

func (se *session) Reset() { se.from, se.to = "", nil }

func (se *session) Logout() error { return nil }

// selfSigned makes a short-lived ECDSA certificate for 127.0.0.1 and
// returns a server configuration using it and a client one trusting it.
func selfSigned() (server, client *tls.Config, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "mailtest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		IsCA:         true,

		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("parse certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	server = &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}},
		MinVersion:   tls.VersionTLS12,
	}
	client = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	return server, client, nil
}

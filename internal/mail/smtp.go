package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/go-mail/mail/v2"
)

// EnvSMTPURL is the environment variable holding the SMTP URL parsed by
// ParseURL; when it is empty the service writes messages with a DirSender.
const EnvSMTPURL = "FABRIQUE_SMTP_URL"

// Defaults applied by NewSMTPSender to a zero SMTPConfig field.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultIdleTimeout = 10 * time.Second
)

// Security is how an SMTPSender protects its connection.
type Security int

const (
	// StartTLS (the default) upgrades the connection with STARTTLS and fails
	// when the server does not offer it: there is no cleartext fallback.
	StartTLS Security = iota
	// ImplicitTLS speaks TLS from the first byte (smtps://, port 465).
	ImplicitTLS
	// Cleartext never uses TLS (smtp://...?starttls=off), for a trusted
	// local relay or tests on loopback.
	Cleartext
)

// String returns the URL spelling of the mode.
func (s Security) String() string {
	switch s {
	case StartTLS:
		return "starttls"
	case ImplicitTLS:
		return "tls"
	case Cleartext:
		return "cleartext"
	}
	return "Security(" + strconv.Itoa(int(s)) + ")"
}

// SMTPConfig configures an SMTPSender. ParseURL builds one from
// FABRIQUE_SMTP_URL.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // AUTH (PLAIN, LOGIN or CRAM-MD5, as offered) when not empty
	Password string
	Security Security
	// Rate limits sending to this many messages per second; 0 is unlimited.
	Rate float64
	// Timeout bounds connecting and each message's SMTP exchange;
	// DefaultTimeout when 0.
	Timeout time.Duration
	// IdleTimeout closes the reused connection (with QUIT) after this long
	// without a message; DefaultIdleTimeout when 0. It is capped at
	// Timeout/2: go-mail sets the connection deadline to Timeout when a
	// message starts and offers no way to extend it, so a later QUIT must
	// happen before that deadline.
	IdleTimeout time.Duration
	// LocalName is the name sent with EHLO; "localhost" when empty.
	LocalName string
	// TLSConfig overrides the TLS client configuration (ServerName defaults
	// to Host). Tests use it to trust a self-signed certificate.
	TLSConfig *tls.Config
}

// Redacted returns the configuration as a URL with the password hidden,
// suitable for logs.
func (c SMTPConfig) Redacted() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.Security == ImplicitTLS {
		u.Scheme = "smtps"
	}
	if c.Username != "" {
		u.User = url.UserPassword(c.Username, "xxxxx")
	}
	if c.Security == Cleartext {
		u.RawQuery = "starttls=off"
	}
	return u.String()
}

// ParseURL parses an SMTP URL such as
//
//	smtp://user:password@smtp.example.org:587   STARTTLS required (default port 587)
//	smtps://user:password@smtp.example.org      implicit TLS (default port 465)
//	smtp://127.0.0.1:2525?starttls=off          no TLS at all
//
// User name and password are percent-decoded. Query parameters:
//
//	starttls=off|on   "off" disables TLS (smtp:// only); default "on" (required)
//	rate=N            at most N messages per second (decimal allowed); 0 = unlimited
//	timeout=D         connection and per-message timeout (Go duration, e.g. 30s)
//	idle=D            close the connection after D without messages
//	helo=NAME         name sent with EHLO
//
// Credentials without TLS are only accepted for a loopback host. Errors are
// in French and name FABRIQUE_SMTP_URL; they never contain the password.
func ParseURL(raw string) (SMTPConfig, error) {
	var cfg SMTPConfig
	bad := func(format string, args ...any) (SMTPConfig, error) {
		return SMTPConfig{}, fmt.Errorf(EnvSMTPURL+" invalide : "+format, args...)
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return bad("valeur vide (attendu smtp://utilisateur:motdepasse@hôte:587)")
	}
	u, err := url.Parse(raw)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err // url.Error would print the URL, password included
		}
		return bad("URL illisible (%v)", err)
	}
	switch u.Scheme {
	case "smtp":
		cfg.Security, cfg.Port = StartTLS, 587
	case "smtps":
		cfg.Security, cfg.Port = ImplicitTLS, 465
	case "":
		return bad("schéma manquant (attendu smtp:// ou smtps://)")
	default:
		return bad("schéma « %s » non pris en charge (attendu smtp:// ou smtps://)", u.Scheme)
	}
	if u.Opaque != "" {
		return bad("il manque « // » après « %s: »", u.Scheme)
	}
	cfg.Host = u.Hostname()
	if cfg.Host == "" {
		return bad("hôte manquant")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("port « %s » invalide (attendu un nombre entre 1 et 65535)", p)
		}
		cfg.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return bad("port vide après « : »")
	}
	if u.Path != "" && u.Path != "/" {
		return bad("chemin « %s » inattendu", u.Path)
	}
	if u.Fragment != "" {
		return bad("fragment « #%s » inattendu", u.Fragment)
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}

	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return bad("paramètres illisibles (%v)", err)
	}
	for key, vals := range q {
		if len(vals) != 1 {
			return bad("paramètre « %s » répété", key)
		}
		v := vals[0]
		switch key {
		case "starttls":
			switch strings.ToLower(v) {
			case "off", "false", "no", "0":
				if cfg.Security == ImplicitTLS {
					return bad("starttls=off n'a pas de sens avec smtps:// (TLS implicite)")
				}
				cfg.Security = Cleartext
			case "on", "true", "yes", "1", "required":
			default:
				return bad("starttls=%s : valeur attendue « on » ou « off »", v)
			}
		case "rate":
			r, err := strconv.ParseFloat(v, 64)
			if err != nil || r < 0 || math.IsNaN(r) || r > 1e6 {
				return bad("rate=%s : nombre de messages par seconde attendu (0 = illimité)", v)
			}
			cfg.Rate = r
		case "timeout", "idle":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return bad("%s=%s : durée positive attendue (par exemple 30s)", key, v)
			}
			if key == "timeout" {
				cfg.Timeout = d
			} else {
				cfg.IdleTimeout = d
			}
		case "helo":
			if v == "" || strings.ContainsAny(v, " \t\r\n") {
				return bad("helo=%q : nom d'hôte attendu", v)
			}
			cfg.LocalName = v
		default:
			return bad("paramètre « %s » inconnu (connus : starttls, rate, timeout, idle, helo)", key)
		}
	}
	if cfg.Security == Cleartext && cfg.Username != "" && !isLoopback(cfg.Host) {
		return bad("identifiants refusés sans TLS vers « %s » (starttls=off n'est permis avec identifiants que sur 127.0.0.1/localhost)", cfg.Host)
	}
	return cfg, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SMTPSender is a Sender delivering through an SMTP server with go-mail. It
// keeps one connection open and reuses it for all the messages of a batch
// and for the following batches, until it has been idle for IdleTimeout or
// an error occurred (the next message then dials again). Batches are
// serialised: concurrent Send calls wait for each other. Close it when done.
//
// The context is checked between messages and while waiting for the rate
// limit; an SMTP exchange already started is bounded by Timeout instead.
type SMTPSender struct {
	cfg    SMTPConfig
	dialer *gomail.Dialer

	mu       sync.Mutex
	conn     gomail.SendCloser
	lastUse  time.Time
	next     time.Time // earliest start of the next message (rate limit)
	idle     *time.Timer
	closed   bool
	interval time.Duration
}

var _ Sender = (*SMTPSender)(nil)

// NewSMTPSender validates cfg and returns a sender; it does not connect
// until the first message.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if cfg.Host == "" {
		return nil, fmt.Errorf("mail: SMTP host is empty")
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("mail: SMTP port %d out of range", cfg.Port)
	}
	if cfg.Rate < 0 {
		return nil, fmt.Errorf("mail: negative SMTP rate %v", cfg.Rate)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	cfg.IdleTimeout = min(cfg.IdleTimeout, cfg.Timeout/2)
	d := gomail.NewDialer(cfg.Host, cfg.Port, cfg.Username, cfg.Password)
	d.Timeout = cfg.Timeout
	d.LocalName = cfg.LocalName
	// A server that closed our idle connection is noticed at MAIL FROM
	// (EOF): go-mail then dials again and retries that message once.
	d.RetryFailure = true
	switch cfg.Security {
	case StartTLS:
		d.SSL, d.StartTLSPolicy = false, gomail.MandatoryStartTLS
	case ImplicitTLS:
		d.SSL = true
	case Cleartext:
		d.SSL, d.StartTLSPolicy = false, gomail.NoStartTLS
	default:
		return nil, fmt.Errorf("mail: unknown SMTP security %v", cfg.Security)
	}
	if cfg.TLSConfig != nil {
		d.TLSConfig = cfg.TLSConfig.Clone()
	} else {
		d.TLSConfig = &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	}
	if d.TLSConfig.ServerName == "" {
		d.TLSConfig.ServerName = cfg.Host
	}
	s := &SMTPSender{cfg: cfg, dialer: d}
	if cfg.Rate > 0 {
		s.interval = time.Duration(float64(time.Second) / cfg.Rate)
	}
	return s, nil
}

// Config returns the configuration in use, defaults applied.
func (s *SMTPSender) Config() SMTPConfig { return s.cfg }

// Send renders and delivers msgs in order over one reused connection and
// returns one error per message (nil when the server accepted it). Each
// error is a *SendError carrying the SMTP answer; see IsTemporary. Invalid
// messages are reported without touching the connection.
func (s *SMTPSender) Send(ctx context.Context, msgs ...*Message) []error {
	errs := make([]error, len(msgs))
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			errs[i] = &SendError{ID: idOf(m), Temporary: true, Err: err}
			continue
		}
		if s.closed {
			errs[i] = &SendError{ID: idOf(m), Temporary: true, Err: fmt.Errorf("mail: SMTP sender is closed")}
			continue
		}
		var body io.WriterTo
		if m != nil && m.raw != nil {
			body = bytes.NewReader(m.raw)
		} else if gm, err := build(m); err != nil {
			errs[i] = &SendError{ID: idOf(m), Err: err}
			continue
		} else {
			body = gm
		}
		if err := s.wait(ctx); err != nil {
			errs[i] = &SendError{ID: m.ID, Temporary: true, Err: err}
			continue
		}
		if err := s.deliver(m.From.Email, m.To.Email, body); err != nil {
			errs[i] = newSendError(m.ID, err)
		}
	}
	s.armIdle()
	return errs
}

// deliver sends one message, dialing when there is no usable connection and
// dropping the connection after any error (its SMTP state is unknown).
func (s *SMTPSender) deliver(from, to string, body io.WriterTo) error {
	if s.conn != nil && time.Since(s.lastUse) >= s.cfg.IdleTimeout {
		s.closeConn()
	}
	if s.conn == nil {
		c, err := s.dialer.Dial()
		if err != nil {
			return fmt.Errorf("connect to %s:%d: %w", s.cfg.Host, s.cfg.Port, err)
		}
		s.conn = c
	}
	err := s.conn.Send(from, []string{to}, body)
	s.lastUse = time.Now()
	if err != nil {
		s.closeConn()
	}
	return err
}

// wait blocks until the rate limit allows the next message.
func (s *SMTPSender) wait(ctx context.Context) error {
	if s.interval == 0 {
		return nil
	}
	now := time.Now()
	if d := s.next.Sub(now); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		now = s.next
	}
	s.next = now.Add(s.interval)
	return nil
}

// armIdle schedules closing the connection once it has been idle for
// IdleTimeout. Called with s.mu held.
func (s *SMTPSender) armIdle() {
	if s.conn == nil {
		return
	}
	if s.idle == nil {
		s.idle = time.AfterFunc(s.cfg.IdleTimeout, s.closeIfIdle)
		return
	}
	s.idle.Reset(s.cfg.IdleTimeout)
}

func (s *SMTPSender) closeIfIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil && time.Since(s.lastUse) >= s.cfg.IdleTimeout {
		s.closeConn()
	}
}

// closeConn ends the session with QUIT. Called with s.mu held.
func (s *SMTPSender) closeConn() error {
	if s.conn == nil {
		return nil
	}
	err := s.conn.Close()
	s.conn = nil
	return err
}

// Close sends QUIT on the open connection, if any. Later Send calls report
// a temporary error for every message.
func (s *SMTPSender) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.idle != nil {
		s.idle.Stop()
	}
	return s.closeConn()
}

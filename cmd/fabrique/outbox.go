package main

import (
	"context"
	"fmt"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strconv"

	"fabrique/internal/mail"
	"fabrique/internal/outbox"
	"fabrique/internal/sqlite"
)

// sender is a Mailer that holds resources.
type sender interface {
	outbox.Mailer
	Close() error
}

// startOutbox starts the worker that sends the outbox: through
// FABRIQUE_SMTP_URL when set, otherwise as .eml files in outbox/ beside the
// database (data/outbox/ by default). FABRIQUE_MAIL_FROM sets the sender
// ("Nom <adresse>"), FABRIQUE_MAIL_RATE the messages per second. The
// returned function stops the worker and waits for it.
func (a *app) startOutbox(ctx context.Context, st *sqlite.Store, c Config) (func(), error) {
	var s sender
	if c.SMTPURL != "" {
		cfg, err := mail.ParseURL(c.SMTPURL)
		if err != nil {
			return nil, usageError{"--smtp-url : " + err.Error()}
		}
		smtp, err := mail.NewSMTPSender(cfg)
		if err != nil {
			return nil, usageError{"--smtp-url : " + err.Error()}
		}
		s = smtp
		fmt.Fprintf(a.stderr, "Courriels envoyés par %s\n", cfg.Redacted())
	} else {
		dir := filepath.Join(filepath.Dir(c.DB), "outbox")
		d, err := mail.NewDirSender(dir)
		if err != nil {
			return nil, fmt.Errorf("dossier des courriels %s : %w", dir, err)
		}
		s = d
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
		fmt.Fprintf(a.stderr, "Sans FABRIQUE_SMTP_URL, les courriels sont écrits dans %s (fichiers .eml)\n", dir)
	}
	cfg := outbox.Config{BaseURL: c.BaseURL, Log: a.log}
	if v := os.Getenv("FABRIQUE_MAIL_FROM"); v != "" {
		addr, err := netmail.ParseAddress(v)
		if err != nil {
			s.Close()
			return nil, usageError{fmt.Sprintf("FABRIQUE_MAIL_FROM : adresse invalide « %s » (attendu : Nom <adresse@domaine.fr>)", v)}
		}
		cfg.From = mail.Address{Name: addr.Name, Email: addr.Address}
	}
	if v := os.Getenv("FABRIQUE_MAIL_RATE"); v != "" {
		rate, err := strconv.ParseFloat(v, 64)
		if err != nil || rate < 0 {
			s.Close()
			return nil, usageError{fmt.Sprintf("FABRIQUE_MAIL_RATE : nombre de messages par seconde attendu (reçu « %s »)", v)}
		}
		cfg.Rate = rate
	}
	w := outbox.New(st.Queue(), s, cfg)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
		s.Close()
	}, nil
}

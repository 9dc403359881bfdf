package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
	"fabrique/internal/web"
)

// describe turns an error into the sentence printed for the user.
func describe(err error) string {
	var fe *fabrique.Error
	if errors.As(err, &fe) {
		msg := fe.Message
		if len(fe.Fields) > 0 {
			parts := make([]string, len(fe.Fields))
			for i, f := range fe.Fields {
				name := "--" + strings.ReplaceAll(f.Field, "_", "-")
				if f.Field == "password" {
					name = "FABRIQUE_PASSWORD"
				}
				parts[i] = name + " : " + f.Message
			}
			msg = strings.Join(parts, "\n")
		}
		return msg
	}
	return err.Error()
}

func openStore(ctx context.Context, c Config) (*sqlite.Store, error) {
	db, err := sqlite.Open(ctx, c.DB)
	if err != nil {
		return nil, fmt.Errorf("ouverture de la base %s : %w", c.DB, err)
	}
	return sqlite.NewStore(db), nil
}

func (a *app) migrate(ctx context.Context, args []string) error {
	c := defaults()
	if err := parse(flags("migrate", &c), args); err != nil {
		return err
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	fmt.Fprintf(a.stderr, "Base %s à jour.\n", c.DB)
	return nil
}

func (a *app) demo(ctx context.Context, args []string) error {
	c := defaults()
	if err := parse(flags("demo", &c), args); err != nil {
		return err
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	return a.loadDemo(ctx, st)
}

func (a *app) loadDemo(ctx context.Context, st fabrique.Store) error {
	res, err := demo.Load(ctx, st)
	if err != nil {
		return err
	}
	if res.Loaded {
		fmt.Fprintln(a.stderr, "Données de démonstration chargées.")
	} else {
		fmt.Fprintln(a.stderr, "Données de démonstration déjà présentes : rien à faire.")
	}
	return nil
}

func (a *app) serve(ctx context.Context, args []string) error {
	c := defaults()
	fs := flags("serve", &c)
	fs.StringVar(&c.Addr, "addr", c.Addr, "adresse d'écoute (FABRIQUE_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "adresse publique du service (FABRIQUE_BASE_URL)")
	fs.StringVar(&c.SMTPURL, "smtp-url", c.SMTPURL, "serveur SMTP, smtp://utilisateur:mot-de-passe@hôte:587 (FABRIQUE_SMTP_URL)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "charger les données de démonstration si absentes (FABRIQUE_DEMO)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return usageError{fmt.Sprintf("--addr (FABRIQUE_ADDR) : adresse invalide « %s », attendu hôte:port (par exemple 127.0.0.1:8080)", c.Addr)}
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError{fmt.Sprintf("--base-url (FABRIQUE_BASE_URL) : adresse invalide « %s », attendu http(s)://hôte", c.BaseURL)}
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	if c.Demo {
		if err := a.loadDemo(ctx, st); err != nil {
			return err
		}
	}
	stopOutbox, err := a.startOutbox(ctx, st, c) // issue 4: the worker sending the outbox
	if err != nil {
		return err
	}
	defer stopOutbox()
	defer a.startPurge(ctx, st)()      // issue 7: participants anonymised when their event's retention ends (purge.go)
	defer a.startAllocation(ctx, st)() // issue 4: places by ranked choices allocated when registration closes (allocate.go)
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("écoute sur %s impossible : %w", c.Addr, err)
	}
	srv := &http.Server{Handler: web.New(st, a.log, web.Config{BaseURL: c.BaseURL}), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(a.stderr, "fabrique écoute sur %s (base %s)\n", c.BaseURL, c.DB)
	if c.Demo {
		fmt.Fprintf(a.stderr, "Compte de démonstration : %s / %s\n", demo.AdminEmail, demo.Password)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(a.stderr, "Arrêt demandé : fin des requêtes en cours…")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

func (a *app) userAdd(ctx context.Context, args []string) error {
	c := defaults()
	fs := flags("user add", &c)
	var u fabrique.User
	var role string
	var org, person int64
	fs.StringVar(&u.Email, "email", "", "adresse électronique du compte")
	fs.StringVar(&u.Name, "name", "", "nom affiché (par défaut l'adresse)")
	fs.StringVar(&role, "role", "", "admin, organiser ou facilitator")
	fs.Int64Var(&org, "organisation-id", 0, "organisation représentée (organiser)")
	fs.Int64Var(&person, "person-id", 0, "personne animatrice liée (facilitator)")
	if err := parse(fs, args); err != nil {
		return err
	}
	u.Role = fabrique.Role(role)
	if u.Name == "" {
		u.Name = u.Email
	}
	if org != 0 {
		u.OrganisationID = &org
	}
	if person != 0 {
		u.PersonID = &person
	}
	password, generated := os.Getenv("FABRIQUE_PASSWORD"), false
	if password == "" {
		b := make([]byte, 15)
		rand.Read(b)
		password, generated = base64.RawURLEncoding.EncodeToString(b), true
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	if err := st.Users().CreateUser(ctx, &u, password); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "Compte n° %d créé pour %s (%s).\n", u.ID, u.Email, u.Role)
	if generated {
		fmt.Fprintln(a.stderr, "Mot de passe généré (affiché une seule fois) :")
		fmt.Fprintln(a.stdout, password)
	}
	return nil
}

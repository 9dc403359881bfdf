package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
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

// errNoDatabase is the refusal of a command run on a missing database.
type errNoDatabase struct{ path string }

func (e errNoDatabase) Error() string {
	abs, err := filepath.Abs(e.path)
	if err != nil {
		abs = e.path
	}
	return fmt.Sprintf("la base %s est introuvable (cherchée dans %s) : indiquez la bonne avec --db FICHIER ou FABRIQUE_DB, "+
		"ou créez-en une avec « fabrique migrate --db %s » (ou « fabrique demo » pour la démonstration)", e.path, abs, e.path)
}

// openStore opens an existing database: every command but migrate, demo
// and serve --demo refuses to create one by mistake.
func openStore(ctx context.Context, c Config) (*sqlite.Store, error) {
	fi, err := os.Stat(c.DB)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, errNoDatabase{c.DB}
	case err != nil:
		return nil, fmt.Errorf("la base %s est illisible (droits d'accès ?) : indiquez la bonne avec --db ou FABRIQUE_DB", c.DB)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s n'est pas un fichier de base SQLite : indiquez la bonne avec --db ou FABRIQUE_DB", c.DB)
	}
	return createStore(ctx, c)
}

// createStore opens the database, creating it (and its folder) if needed.
func createStore(ctx context.Context, c Config) (*sqlite.Store, error) {
	db, err := sqlite.Open(ctx, c.DB)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("ouverture de la base %s impossible : %s", c.DB, pathProblem(pe))
		}
		return nil, fmt.Errorf("ouverture de la base %s : %w", c.DB, err)
	}
	return sqlite.NewStore(db), nil
}

// pathProblem says in French why a file operation failed.
func pathProblem(pe *os.PathError) string {
	switch {
	case errors.Is(pe.Err, os.ErrNotExist):
		return "le dossier " + filepath.Dir(pe.Path) + " n'existe pas"
	case errors.Is(pe.Err, os.ErrPermission):
		return "droits d'accès insuffisants sur " + pe.Path
	case errors.Is(pe.Err, syscall.ENOTDIR):
		return "un élément du chemin " + pe.Path + " n'est pas un dossier"
	case errors.Is(pe.Err, syscall.EISDIR):
		return pe.Path + " est un dossier"
	case errors.Is(pe.Err, syscall.ENOSPC):
		return "le disque est plein"
	case errors.Is(pe.Err, syscall.EROFS):
		return "le système de fichiers est en lecture seule"
	}
	return "erreur du système de fichiers sur " + pe.Path
}

func (a *app) migrate(ctx context.Context, args []string) error {
	c := defaults()
	if err := parse(flags("migrate", &c), args); err != nil {
		return err
	}
	st, err := createStore(ctx, c)
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
	st, err := createStore(ctx, c)
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

// serveGCPercent is the collector's setting of the service when GOGC is
// not set: a rush of registrations (issue 14) holds thousands of requests,
// their buffers and goroutines in memory at once, and with the default of
// 100 the collector ran eight times during 4,000 of them, marking and
// scanning them each time; at 400 it runs twice, for a heap at most five
// times the live data instead of twice.
const serveGCPercent = 400

func (a *app) serve(ctx context.Context, args []string) error {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	c := defaults()
	fs := flags("serve", &c)
	fs.StringVar(&c.Addr, "addr", c.Addr, "adresse d'écoute (FABRIQUE_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "adresse publique du service (FABRIQUE_BASE_URL)")
	fs.StringVar(&c.SMTPURL, "smtp-url", c.SMTPURL, "serveur SMTP, smtp://utilisateur:mot-de-passe@hôte:587 (FABRIQUE_SMTP_URL)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "adresse d'écoute des métriques /metrics (FABRIQUE_METRICS_ADDR)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "mandataires inverses de confiance, CIDR séparés par des virgules (FABRIQUE_TRUSTED_PROXIES)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "charger les données de démonstration si absentes (FABRIQUE_DEMO)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return usageError{fmt.Sprintf("--addr (FABRIQUE_ADDR) : adresse invalide « %s », attendu hôte:port (par exemple 127.0.0.1:8080)", c.Addr)}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return usageError{fmt.Sprintf("--metrics-addr (FABRIQUE_METRICS_ADDR) : adresse invalide « %s », attendu hôte:port (par exemple 127.0.0.1:9090)", c.MetricsAddr)}
		}
	}
	proxies, err := parseProxies(c.TrustedProxies)
	if err != nil {
		return err
	}
	baseSet := c.BaseURL != ""
	if baseSet {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError{fmt.Sprintf("--base-url (FABRIQUE_BASE_URL) : adresse invalide « %s », attendu http(s)://hôte", c.BaseURL)}
		}
	}
	var st *sqlite.Store
	if c.Demo {
		st, err = createStore(ctx, c)
	} else {
		st, err = openStore(ctx, c)
	}
	if err != nil {
		return err
	}
	defer a.closeStore(st)
	if c.Demo {
		if err := a.loadDemo(ctx, st); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("--addr : écoute sur %s impossible (adresse déjà utilisée, ou droits insuffisants ?)", c.Addr)
	}
	defer ln.Close()
	listened := ln.Addr().String()
	if !baseSet {
		c.BaseURL = "http://" + listened
	}
	var mln net.Listener
	if c.MetricsAddr != "" {
		if mln, err = net.Listen("tcp", c.MetricsAddr); err != nil {
			return fmt.Errorf("--metrics-addr : écoute sur %s impossible (adresse déjà utilisée, ou droits insuffisants ?)", c.MetricsAddr)
		}
		defer mln.Close()
	}
	handler := web.New(st, a.log, web.Config{BaseURL: c.BaseURL, TrustedProxies: proxies})
	srv := handler.HTTPServer()
	fmt.Fprintf(a.stderr, "fabrique écoute sur http://%s (base %s)\n", listened, c.DB)
	if baseSet {
		fmt.Fprintf(a.stderr, "Adresse publique : %s\n", c.BaseURL)
	}
	stopOutbox, err := a.startOutbox(ctx, st, c) // issue 4: the worker sending the outbox; says where mails go
	if err != nil {
		return err
	}
	defer stopOutbox()
	defer a.startPurge(ctx, st)()      // issue 7: participants anonymised when their event's retention ends (purge.go)
	defer a.startAllocation(ctx, st)() // issue 4: places by ranked choices allocated when registration closes (allocate.go)
	defer a.startReleases(ctx, st)()   // issue 15: changes told once their quiet delay has passed, reminders (releases.go)
	a.banner(ctx, st, c, listened, mln, proxies)
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	var msrv *http.Server
	if mln != nil {
		msrv = &http.Server{Handler: handler.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: 30 * time.Second}
		go func() { errc <- msrv.Serve(mln) }()
	}
	select {
	case err := <-errc:
		return fmt.Errorf("le serveur HTTP s'est arrêté : %w", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(a.stderr, "Arrêt demandé : fin des requêtes en cours…")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if msrv != nil {
		msrv.Shutdown(shutdown)
	}
	return srv.Shutdown(shutdown)
}

// banner tells the operator what runs: metrics, proxies, the demo's
// account (and that its password is public off loopback), and for a
// database without accounts the command that creates the first one.
func (a *app) banner(ctx context.Context, st *sqlite.Store, c Config, listened string, mln net.Listener, proxies []string) {
	if mln != nil {
		fmt.Fprintf(a.stderr, "Métriques : http://%s/metrics (sans authentification : à réserver à la supervision)\n", mln.Addr())
	} else {
		fmt.Fprintln(a.stderr, "Métriques : /metrics pour les administrateurs (--metrics-addr pour une adresse à part)")
	}
	if len(proxies) > 0 {
		fmt.Fprintf(a.stderr, "Mandataires de confiance (X-Forwarded-For lu) : %s\n", strings.Join(proxies, ", "))
	}
	if c.Demo {
		fmt.Fprintf(a.stderr, "Compte de démonstration : %s / %s\n", demo.AdminEmail, demo.Password)
		if host, _, _ := net.SplitHostPort(listened); !isLoopback(host) {
			fmt.Fprintf(a.stderr, "ATTENTION : la démonstration écoute sur %s, hors de la boucle locale ; son mot de passe est public (README) : "+
				"n'y mettez aucune donnée réelle, ou servez sur 127.0.0.1.\n", listened)
		}
	}
	if vr, ok := any(st).(fabrique.VitalsReader); ok {
		if v, err := vr.Vitals(ctx, time.Now()); err == nil && v.Accounts == 0 {
			fmt.Fprintf(a.stderr, "Aucun compte dans cette base. Créez le premier administrateur :\n  fabrique user add --db %s --email VOUS@exemple.gouv.fr --role admin\n"+
				"(mot de passe lu dans FABRIQUE_PASSWORD, ou généré et affiché)\n", shellQuote(c.DB))
		}
	}
}

// isLoopback reports whether a listen host is the loopback.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// shellQuote quotes a path for a command line to copy, when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// parseProxies reads --trusted-proxies: addresses or CIDRs, comma-separated.
func parseProxies(v string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return nil, usageError{fmt.Sprintf("--trusted-proxies (FABRIQUE_TRUSTED_PROXIES) : « %s » n'est ni une adresse IP ni un bloc CIDR (par exemple 10.0.0.0/8)", p)}
		}
		out = append(out, p)
	}
	return out, nil
}

// closeStore closes the database at the end of serve: the last connection
// closed checkpoints the WAL, so no -wal or -shm file is left.
func (a *app) closeStore(st *sqlite.Store) {
	if err := st.DB().Close(); err != nil {
		a.log.Error("database: close failed", slog.String("error", err.Error()))
	}
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
	if err := missing("user add", [2]string{"email", u.Email}, [2]string{"role", role}); err != nil {
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

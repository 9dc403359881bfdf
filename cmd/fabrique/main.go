// Command fabrique plans and runs French open-government participation
// events: it serves the web interface and the JSON API, and offers the
// commands to migrate the database, load the demo, manage accounts and
// tokens.
//
// Every command prints what a script needs on stdout and everything else
// on stderr, and exits non-zero with a clear message on error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// Config is the service's configuration, read from flags and FABRIQUE_*
// environment variables (a flag wins over its variable).
type Config struct {
	Addr    string // FABRIQUE_ADDR
	DB      string // FABRIQUE_DB
	BaseURL string // FABRIQUE_BASE_URL
	SMTPURL string // FABRIQUE_SMTP_URL
	Demo    bool   // FABRIQUE_DEMO: load the demo data at start when absent
}

// defaults returns the configuration from the environment.
func defaults() Config {
	c := Config{
		Addr:    envOr("FABRIQUE_ADDR", "127.0.0.1:8080"),
		DB:      envOr("FABRIQUE_DB", "data/fabrique.db"),
		BaseURL: os.Getenv("FABRIQUE_BASE_URL"),
		SMTPURL: os.Getenv("FABRIQUE_SMTP_URL"),
		Demo:    os.Getenv("FABRIQUE_DEMO") == "1" || os.Getenv("FABRIQUE_DEMO") == "true",
	}
	return c
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// app is what every command receives.
type app struct {
	stdout, stderr io.Writer
	log            *slog.Logger
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `fabrique : planifier et animer les événements de gouvernement ouvert.

Usage :
  fabrique serve   [--addr A] [--db F] [--base-url U] [--smtp-url U] [--demo]
  fabrique migrate [--db F]
  fabrique demo    [--db F]
  fabrique user add --email E --role admin|organiser|facilitator [--name N] [--organisation-id ID] [--person-id ID] [--db F]
  fabrique user list | user disable --email E | user enable --email E | user password --email E [--db F]
  fabrique token create --email E [--expires 90d] | token list --email E | token revoke ID [--db F]
  fabrique assign --instance FICHIER.json [--lp]
  fabrique kit     EVENEMENT [-o kit.pdf] [--html] [--db F]
  fabrique minutes EVENEMENT [-o compte-rendu.pdf] [--db F]
  fabrique backup FICHIER [--db F]
  fabrique purge [--db F]   (anonymiser les participants dont la durée de conservation est échue)

Variables d'environnement : FABRIQUE_ADDR, FABRIQUE_DB, FABRIQUE_BASE_URL,
FABRIQUE_SMTP_URL, FABRIQUE_MAIL_FROM, FABRIQUE_MAIL_RATE, FABRIQUE_DEMO,
FABRIQUE_PASSWORD (mot de passe de user add et user password).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{stdout: os.Stdout, stderr: os.Stderr, log: slog.New(slog.NewJSONHandler(os.Stderr, nil))}
	err := a.run(ctx, os.Args[1:])
	var ue usageError
	switch {
	case err == nil:
	case errors.As(err, &ue):
		fmt.Fprintf(os.Stderr, "fabrique : %s\n\n%s", ue.msg, usage)
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "fabrique : %s\n", describe(err))
		os.Exit(1)
	}
}

func (a *app) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"indiquez une commande"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return a.serve(ctx, rest)
	case "migrate":
		return a.migrate(ctx, rest)
	case "demo":
		return a.demo(ctx, rest)
	case "user":
		return a.user(ctx, rest) // accounts.go
	case "token":
		return a.token(ctx, rest) // accounts.go
	case "assign":
		return a.assign(ctx, rest)
	case "backup":
		return a.backup(ctx, rest)
	case "purge":
		return a.purge(ctx, rest)
	case "kit", "minutes":
		return a.documents(ctx, cmd, rest)
	case "help", "-h", "--help":
		fmt.Fprint(a.stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("commande inconnue « %s »", cmd)}
}

// flags returns a flag set bound to the common configuration.
func flags(name string, c *Config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.DB, "db", c.DB, "fichier de la base SQLite (FABRIQUE_DB)")
	return fs
}

// parse parses flags, turning their errors into usage errors in French.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("%s : %v", fs.Name(), err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s : argument inattendu « %s »", fs.Name(), fs.Arg(0))}
	}
	return nil
}

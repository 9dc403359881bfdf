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
	// MetricsAddr (FABRIQUE_METRICS_ADDR) serves /metrics on an address of
	// its own; without it, /metrics is for administrators on Addr.
	MetricsAddr string
	// TrustedProxies (FABRIQUE_TRUSTED_PROXIES) are the CIDRs of the
	// reverse proxies whose X-Forwarded-For gives the client's address.
	TrustedProxies string
}

// defaults returns the configuration from the environment.
func defaults() Config {
	c := Config{
		Addr:    envOr("FABRIQUE_ADDR", "127.0.0.1:8080"),
		DB:      envOr("FABRIQUE_DB", "data/fabrique.db"),
		BaseURL: os.Getenv("FABRIQUE_BASE_URL"),
		SMTPURL: os.Getenv("FABRIQUE_SMTP_URL"),
		Demo:    os.Getenv("FABRIQUE_DEMO") == "1" || os.Getenv("FABRIQUE_DEMO") == "true",

		MetricsAddr:    os.Getenv("FABRIQUE_METRICS_ADDR"),
		TrustedProxies: os.Getenv("FABRIQUE_TRUSTED_PROXIES"),
	}
	return c
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// newLogger writes the service's log on w: JSON lines when FABRIQUE_LOG
// is json, text lines (key=value) otherwise.
func newLogger(w io.Writer) *slog.Logger {
	if os.Getenv("FABRIQUE_LOG") == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// app is what every command receives.
type app struct {
	stdout, stderr io.Writer
	log            *slog.Logger
}

// usageError is a mistake in the command line: exit status 2, with the
// usage of the command (or of the whole binary).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// commandError is a usageError of a known command, whose usage is printed.
type commandError struct {
	usageError
	cmd string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{stdout: os.Stdout, stderr: os.Stderr, log: newLogger(os.Stderr)}
	os.Exit(a.exit(ctx, os.Args[1:]))
}

// exit runs a command and says how it ended, with the exit status: 0,
// 1 for an error, 2 for a mistake in the command line.
func (a *app) exit(ctx context.Context, args []string) int {
	err := a.run(ctx, args)
	var ue usageError
	var ce commandError
	var help helpRequest
	switch {
	case err == nil:
		return 0
	case errors.As(err, &help):
		if c, ok := commandNamed(help.name); ok {
			fmt.Fprint(a.stdout, commandUsage(c))
		} else if g := groupUsage(help.name); g != "" {
			fmt.Fprint(a.stdout, g)
		} else {
			fmt.Fprint(a.stdout, usageText())
		}
		return 0
	case errors.As(err, &ce):
		c, _ := commandNamed(ce.cmd)
		fmt.Fprintf(a.stderr, "fabrique : %s\n\n%s« fabrique --help » liste toutes les commandes.\n", ce.msg, commandUsage(c))
		return 2
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "fabrique : %s\n\n%s", ue.msg, usageText())
		return 2
	default:
		fmt.Fprintf(a.stderr, "fabrique : %s\n", describe(err))
		return 1
	}
}

func (a *app) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"indiquez une commande"}
	}
	if isHelp(args[0]) {
		return helpRequest{}
	}
	c, rest, err := lookup(args)
	if err != nil {
		return err
	}
	err = c.run(a, ctx, rest)
	var ue usageError
	if errors.As(err, &ue) {
		return commandError{ue, c.name}
	}
	if errors.As(err, new(helpRequest)) {
		return helpRequest{c.name} // whatever its flag set is named
	}
	return err
}

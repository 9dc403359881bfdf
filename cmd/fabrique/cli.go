package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// command is one command of the binary: one entry of the commands table.
// The rules common to every command live here, once: « --help » / « -h »
// print its usage on stdout, an unknown flag or a bad value is named in
// French, and the database must exist unless the command creates it
// (openStore refuses a missing file; createStore is for migrate, demo and
// serve --demo).
type command struct {
	name  string // one or two words: "serve", "user add"
	usage string // French: the arguments after the name
	what  string // French: what it does, one line
	run   func(a *app, ctx context.Context, args []string) error
}

// commands is the table of commands, in the order of the usage.
var commands = []command{
	{"serve", "[--addr A] [--db F] [--base-url U] [--smtp-url U] [--metrics-addr A] [--trusted-proxies CIDR,…] [--demo]",
		"servir l'API et les pages jusqu'à SIGINT/SIGTERM", (*app).serve},
	{"migrate", "[--db F]", "créer ou mettre à jour la base", (*app).migrate},
	{"demo", "[--db F]", "charger les données de démonstration (créer la base au besoin)", (*app).demo},
	{"user add", "--email E --role admin|organiser|facilitator [--name N] [--organisation-id ID] [--person-id ID] [--db F]",
		"créer un compte (mot de passe lu dans FABRIQUE_PASSWORD, ou généré)", (*app).userAdd},
	{"user list", "[--db F]", "lister les comptes : rôle, organisation, désactivé ou non, jetons", (*app).userList},
	{"user disable", "--email E [--db F]", "désactiver un compte : ses sessions et ses jetons cessent aussitôt", userDisable},
	{"user enable", "--email E [--db F]", "réactiver un compte désactivé", userEnable},
	{"user password", "--email E [--db F]", "changer le mot de passe (lu dans FABRIQUE_PASSWORD, ou généré)", (*app).userPassword},
	{"token create", "--email E [--name N] [--expires 90d] [--db F]", "créer un jeton d'API (sans --expires : jusqu'à révocation)", (*app).tokenCreate},
	{"token list", "--email E [--db F]", "lister les jetons d'un compte : création, dernier usage, expiration", (*app).tokenList},
	{"token revoke", "ID [--db F]", "révoquer un jeton", (*app).tokenRevoke},
	{"assign", "--instance FICHIER.json [--lp] [--time-limit 5s]", "résoudre une instance d'affectation autonome", (*app).assign},
	{"kit", "EVENEMENT [-o kit.pdf] [--html] [--db F]", "imprimer le kit de l'événement (PDF, ou HTML : kit.html par défaut)", kitCommand},
	{"minutes", "EVENEMENT [-o compte-rendu.pdf] [--db F]", "imprimer le compte rendu de l'événement", minutesCommand},
	{"backup", "FICHIER [--db F]", "écrire une copie cohérente de la base (jamais par-dessus un fichier)", (*app).backup},
	{"purge", "[--db F]", "anonymiser les participants dont la durée de conservation est échue", (*app).purge},
}

func userDisable(a *app, ctx context.Context, args []string) error {
	return a.userSetDisabled(ctx, "disable", args)
}

func userEnable(a *app, ctx context.Context, args []string) error {
	return a.userSetDisabled(ctx, "enable", args)
}

func kitCommand(a *app, ctx context.Context, args []string) error {
	return a.documents(ctx, "kit", args)
}

func minutesCommand(a *app, ctx context.Context, args []string) error {
	return a.documents(ctx, "minutes", args)
}

// usageText is the usage of the whole binary, built from the table.
func usageText() string {
	var b strings.Builder
	b.WriteString("fabrique : planifier et animer les événements de gouvernement ouvert.\n\nUsage :\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  fabrique %s %s\n      %s\n", c.name, c.usage, c.what)
	}
	b.WriteString(`
« fabrique COMMANDE --help » affiche l'aide d'une commande.
Toutes les commandes sauf migrate, demo et serve --demo exigent une base
existante : --db F ou FABRIQUE_DB (par défaut data/fabrique.db).

Variables d'environnement : FABRIQUE_ADDR, FABRIQUE_DB, FABRIQUE_BASE_URL,
FABRIQUE_SMTP_URL, FABRIQUE_MAIL_FROM, FABRIQUE_MAIL_RATE, FABRIQUE_DEMO,
FABRIQUE_METRICS_ADDR, FABRIQUE_TRUSTED_PROXIES, FABRIQUE_LOG (json),
FABRIQUE_PASSWORD (mot de passe pour user add et user password).
`)
	return b.String()
}

// groupUsage is the usage of the commands of a group (« user »), or "".
func groupUsage(group string) string {
	var b strings.Builder
	for _, c := range commands {
		if g, _, ok := strings.Cut(c.name, " "); ok && g == group {
			b.WriteString(commandUsage(c))
		}
	}
	return b.String()
}

// commandUsage is the usage of one command.
func commandUsage(c command) string {
	return fmt.Sprintf("Usage : fabrique %s %s\n%s.\n", c.name, c.usage, capitalize(c.what))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// helpRequest is « --help » given to a command: its usage on stdout, exit 0.
type helpRequest struct{ name string }

func (h helpRequest) Error() string { return "aide de " + h.name }

// lookup finds the command named by the first one or two arguments.
func lookup(args []string) (command, []string, error) {
	if len(args) >= 2 {
		for _, c := range commands {
			if c.name == args[0]+" "+args[1] {
				return c, args[2:], nil
			}
		}
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c, args[1:], nil
		}
	}
	// A group such as « user »: name its subcommands.
	var subs []string
	for _, c := range commands {
		if group, sub, ok := strings.Cut(c.name, " "); ok && group == args[0] {
			subs = append(subs, sub)
		}
	}
	if len(subs) > 0 {
		sort.Strings(subs)
		if len(args) > 1 && isHelp(args[1]) {
			return command{}, nil, helpRequest{args[0]}
		}
		if len(args) == 1 {
			return command{}, nil, usageError{fmt.Sprintf("%s : indiquez une sous-commande (%s)", args[0], strings.Join(subs, ", "))}
		}
		return command{}, nil, usageError{fmt.Sprintf("%s : sous-commande inconnue « %s » (attendu : %s)", args[0], args[1], strings.Join(subs, ", "))}
	}
	return command{}, nil, usageError{fmt.Sprintf("commande inconnue « %s »", args[0])}
}

func isHelp(s string) bool { return s == "-h" || s == "--help" || s == "-help" || s == "help" }

// commandNamed returns the command of a flag set's name.
func commandNamed(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// flags returns a flag set bound to the common configuration.
func flags(name string, c *Config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.DB, "db", c.DB, "fichier de la base SQLite (FABRIQUE_DB)")
	return fs
}

// parse parses flags, turning their errors into usage errors in French;
// « --help » becomes a helpRequest. No argument is accepted after them.
func parse(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s : argument inattendu « %s »", fs.Name(), fs.Arg(0))}
	}
	return nil
}

// parseFlags parses flags with the French errors of parse, leaving the
// arguments after them to the caller.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil {
		return nil
	}
	if errors.Is(err, flag.ErrHelp) {
		return helpRequest{fs.Name()}
	}
	return usageError{fs.Name() + " : " + frenchFlagError(err)}
}

// frenchFlagError says in French what the flag package found wrong.
func frenchFlagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return fmt.Sprintf("option inconnue « %s »", dashes(name))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Sprintf("l'option %s attend une valeur", dashes(name))
	}
	// invalid value "x" for flag -n: parse error
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		value, rest, _ := strings.Cut(rest, " for flag ")
		name, reason, _ := strings.Cut(rest, ": ")
		hint := ""
		switch {
		case strings.Contains(reason, "parse error") || strings.Contains(reason, "invalid syntax"):
			hint = " : un nombre entier est attendu"
		case strings.Contains(reason, "value out of range"):
			hint = " : nombre trop grand"
		}
		return fmt.Sprintf("%s : valeur invalide « %s »%s", dashes(name), strings.Trim(value, `"`), hint)
	}
	if name, ok := strings.CutPrefix(msg, "invalid boolean flag "); ok {
		name, _, _ = strings.Cut(name, ":")
		return fmt.Sprintf("%s : true ou false est attendu", dashes(name))
	}
	if strings.HasPrefix(msg, "bad flag syntax: ") {
		return fmt.Sprintf("option mal écrite « %s »", strings.TrimPrefix(msg, "bad flag syntax: "))
	}
	return "option invalide"
}

// dashes writes a flag as the usage shows it: -o, --db.
func dashes(name string) string {
	name = strings.TrimLeft(name, "-")
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// missing names the required flags left empty: a usage error, or nil.
func missing(cmd string, required ...[2]string) error {
	var names []string
	for _, r := range required {
		if r[1] == "" {
			names = append(names, "--"+r[0])
		}
	}
	switch len(names) {
	case 0:
		return nil
	case 1:
		return usageError{fmt.Sprintf("%s : %s est obligatoire", cmd, names[0])}
	}
	return usageError{fmt.Sprintf("%s : %s et %s sont obligatoires", cmd, strings.Join(names[:len(names)-1], ", "), names[len(names)-1])}
}

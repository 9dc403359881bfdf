package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// Accounts and tokens on the command line (issue 11): the commands act as
// the system, an administrator.

// systemStore opens the store with the system as the user.
func systemStore(ctx context.Context, c Config) (context.Context, *sqlite.Store, error) {
	st, err := openStore(ctx, c)
	return fabrique.WithUser(ctx, fabrique.System), st, err
}

// accountCommand reads the flags of a command about one account (--email,
// --db), opens the store as the system and finds the account. The caller
// closes the store.
func accountCommand(ctx context.Context, name string, args []string) (context.Context, *sqlite.Store, *fabrique.User, error) {
	c := defaults()
	fs := flags(name, &c)
	var email string
	fs.StringVar(&email, "email", "", "adresse du compte")
	if err := parse(fs, args); err != nil {
		return ctx, nil, nil, err
	}
	ctx, st, err := systemStore(ctx, c)
	if err != nil {
		return ctx, nil, nil, err
	}
	u, err := accountOf(ctx, st, name, email)
	if err != nil {
		st.DB().Close()
		return ctx, nil, nil, err
	}
	return ctx, st, u, nil
}

// accountOf finds the account of an address given with --email.
func accountOf(ctx context.Context, st *sqlite.Store, cmd, email string) (*fabrique.User, error) {
	if strings.TrimSpace(email) == "" {
		return nil, usageError{cmd + " : --email est obligatoire"}
	}
	return st.Users().UserByEmail(ctx, strings.TrimSpace(email))
}

// day formats an instant for a listing (Paris time), "-" when absent.
func day(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.In(fabrique.Paris).Format("2006-01-02 15:04")
}

func (a *app) userList(ctx context.Context, args []string) error {
	c := defaults()
	if err := parse(flags("user list", &c), args); err != nil {
		return err
	}
	ctx, st, err := systemStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	list, err := st.Accounts().Accounts(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tADRESSE\tRÔLE\tORGANISATION\tÉTAT\tJETONS")
	for _, u := range list {
		state := "actif"
		if u.DisabledAt != nil {
			state = "désactivé le " + day(u.DisabledAt)
		}
		org := u.Organisation
		if org == "" {
			org = "-"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%d\n", u.ID, u.Email, u.Role, org, state, len(u.Tokens))
	}
	return w.Flush()
}

func (a *app) userSetDisabled(ctx context.Context, verb string, args []string) error {
	ctx, st, u, err := accountCommand(ctx, "user "+verb, args)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	if err := st.Accounts().SetDisabled(ctx, u.ID, verb == "disable"); err != nil {
		return err
	}
	if verb == "disable" {
		fmt.Fprintf(a.stderr, "Compte %s désactivé : ses sessions sont fermées et ses jetons refusés.\n", u.Email)
	} else {
		fmt.Fprintf(a.stderr, "Compte %s réactivé.\n", u.Email)
	}
	return nil
}

// newPassword reads FABRIQUE_PASSWORD, or generates a password; generated
// says whether it must be printed.
func newPassword() (password string, generated bool) {
	if p := os.Getenv("FABRIQUE_PASSWORD"); p != "" {
		return p, false
	}
	b := make([]byte, 15)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b), true
}

func (a *app) userPassword(ctx context.Context, args []string) error {
	ctx, st, u, err := accountCommand(ctx, "user password", args)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	password, generated := newPassword()
	if err := st.Accounts().SetPassword(ctx, u.ID, password); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "Mot de passe de %s changé ; ses sessions sont fermées.\n", u.Email)
	if generated {
		fmt.Fprintln(a.stderr, "Mot de passe généré (affiché une seule fois) :")
		fmt.Fprintln(a.stdout, password)
	}
	return nil
}

// parseValidity reads a validity such as 90d, 12h or 2w; "" is no expiry.
func parseValidity(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	bad := usageError{fmt.Sprintf("token create : --expires « %s » : durée attendue en jours (90d), semaines (2w) ou heures (12h)", s)}
	if len(s) < 2 {
		return 0, bad
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || n > 3650 {
		return 0, bad
	}
	switch s[len(s)-1] {
	case 'd', 'j':
		return time.Duration(n) * 24 * time.Hour, nil
	case 'w':
		return time.Duration(n) * 7 * 24 * time.Hour, nil
	case 'h':
		return time.Duration(n) * time.Hour, nil
	}
	return 0, bad
}

func (a *app) tokenCreate(ctx context.Context, args []string) error {
	c := defaults()
	fs := flags("token create", &c)
	var email, name, expires string
	fs.StringVar(&email, "email", "", "adresse du compte")
	fs.StringVar(&name, "name", "ligne de commande", "nom du jeton")
	fs.StringVar(&expires, "expires", "", "durée de validité : 90d, 2w, 12h (sans : jusqu'à révocation)")
	if err := parse(fs, args); err != nil {
		return err
	}
	ttl, err := parseValidity(expires)
	if err != nil {
		return err
	}
	if email == "" {
		return usageError{"token create : --email est obligatoire"}
	}
	ctx, st, err := systemStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	u, err := accountOf(ctx, st, "token create", email)
	if err != nil {
		return err
	}
	token, t, err := st.Accounts().IssueToken(ctx, u.ID, name, ttl)
	if err != nil {
		return err
	}
	until := "jusqu'à sa révocation"
	if t.ExpiresAt != nil {
		until = "jusqu'au " + day(t.ExpiresAt)
	}
	fmt.Fprintf(a.stderr, "Jeton n° %d créé pour %s (%s), valable %s. Conservez-le : il ne sera plus affiché.\n", t.ID, u.Email, u.Role, until)
	fmt.Fprintln(a.stdout, token)
	return nil
}

func (a *app) tokenList(ctx context.Context, args []string) error {
	ctx, st, u, err := accountCommand(ctx, "token list", args)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	acc, err := st.Accounts().Account(ctx, u.ID)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNOM\tCRÉÉ\tDERNIER USAGE\tEXPIRE")
	now := time.Now()
	for _, t := range acc.Tokens {
		exp := day(t.ExpiresAt)
		if t.Expired(now) {
			exp += " (expiré)"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, day(&t.CreatedAt), day(t.LastUsedAt), exp)
	}
	return w.Flush()
}

func (a *app) tokenRevoke(ctx context.Context, args []string) error {
	c := defaults()
	fs := flags("token revoke", &c)
	// The id comes first (fabrique token revoke 12 --db F) or after the flags.
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if id == "" && fs.NArg() == 1 {
		id = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("token revoke : argument inattendu « %s »", fs.Arg(0))}
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return usageError{"token revoke : indiquez le numéro du jeton (fabrique token list --email E le donne)"}
	}
	ctx, st, err := systemStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	t, err := st.Accounts().RevokeTokenID(ctx, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "Jeton n° %d (« %s ») révoqué.\n", t.ID, t.Name)
	return nil
}

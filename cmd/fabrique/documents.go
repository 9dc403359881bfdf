package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/internal/web"
)

// documentsUsage is printed by « fabrique kit --help » and on its mistakes.
const documentsUsage = `  fabrique kit     EVENEMENT [-o kit.pdf] [--html] [--db F]
  fabrique minutes EVENEMENT [-o compte-rendu.pdf] [--db F]
EVENEMENT est l'identifiant numérique de l'événement ; « -o - » écrit sur la sortie standard.`

// documents writes the kit (« fabrique kit ») or the minutes (« fabrique
// minutes ») of an event to a file, as the command line's administrator.
func (a *app) documents(ctx context.Context, cmd string, args []string) error {
	c := defaults()
	fs := flags(cmd, &c)
	out := map[string]string{"kit": "kit.pdf", "minutes": "compte-rendu.pdf"}[cmd]
	var html bool
	fs.StringVar(&out, "o", out, "fichier à écrire (« - » : sortie standard)")
	if cmd == "kit" {
		fs.BoolVar(&html, "html", false, "écrire la version HTML accessible au lieu du PDF")
	}
	var event string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		event, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return usageError{err.Error() + "\n" + documentsUsage}
	}
	id, err := strconv.ParseInt(event, 10, 64)
	if err != nil || id <= 0 {
		if event == "" {
			return usageError{cmd + " : indiquez l'identifiant de l'événement\n" + documentsUsage}
		}
		return usageError{fmt.Sprintf("%s : identifiant d'événement invalide « %s » : un nombre entier positif est attendu\n%s", cmd, event, documentsUsage)}
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	ctx = fabrique.WithUser(ctx, fabrique.System)
	var buf bytes.Buffer
	switch {
	case cmd == "kit":
		f, err := st.Minutes().KitFile(ctx, id)
		if err != nil {
			return err
		}
		if html {
			b, err := web.RenderKitHTML(pdf.KitFrom(f))
			if err != nil {
				return err
			}
			buf.Write(b)
		} else if err := pdf.WriteKit(&buf, pdf.KitFrom(f)); err != nil {
			return err
		}
	default:
		f, err := st.Minutes().MinutesFile(ctx, id)
		if err != nil {
			return err
		}
		if err := pdf.WriteMinutes(&buf, pdf.MinutesFrom(f)); err != nil {
			return err
		}
	}
	return a.writeOutput(out, buf.Bytes())
}

// writeOutput writes b to path atomically (a temporary file renamed), or
// to stdout for « - ».
func (a *app) writeOutput(path string, b []byte) error {
	if path == "-" {
		_, err := a.stdout.Write(b)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fabrique-*")
	if err != nil {
		return fmt.Errorf("écriture de %s impossible : %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("écriture de %s impossible : %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("écriture de %s impossible : %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("écriture de %s impossible : %w", path, err)
	}
	os.Chmod(path, 0o644)
	fmt.Fprintf(a.stderr, "%s écrit (%d octets).\n", path, len(b))
	return nil
}

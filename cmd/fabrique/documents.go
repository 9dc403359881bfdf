package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/internal/web/pages"
)

// documents writes the kit (« fabrique kit ») or the minutes (« fabrique
// minutes ») of an event to a file, as the command line's administrator.
func (a *app) documents(ctx context.Context, cmd string, args []string) error {
	c := defaults()
	fs := flags(cmd, &c)
	var out string
	var html bool
	fs.StringVar(&out, "o", "", "fichier à écrire (« - » : sortie standard)")
	if cmd == "kit" {
		fs.BoolVar(&html, "html", false, "écrire la version HTML accessible au lieu du PDF")
	}
	var event string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		event, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	id, err := strconv.ParseInt(event, 10, 64)
	if err != nil || id <= 0 {
		if event == "" {
			return usageError{cmd + " : indiquez l'identifiant de l'événement (EVENEMENT, un nombre)"}
		}
		return usageError{fmt.Sprintf("%s : identifiant d'événement invalide « %s » : un nombre entier positif est attendu", cmd, event)}
	}
	if out == "" {
		out = map[string]string{"kit": "kit.pdf", "minutes": "compte-rendu.pdf"}[cmd]
		if html {
			out = "kit.html"
		}
	}
	if err := checkOutput("-o", out); err != nil {
		return err
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
			b, err := pages.RenderKitHTML(pdf.KitFrom(f))
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

// checkOutput refuses early, before any work, an output whose folder is
// missing or which is a folder.
func checkOutput(flagName, path string) error {
	if path == "-" {
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s : %s est un dossier : indiquez un fichier", flagName, path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s : le dossier %s n'existe pas : créez-le ou choisissez un autre fichier", flagName, dir)
	case err != nil:
		return fmt.Errorf("%s : le dossier %s est inaccessible (droits d'accès ?)", flagName, dir)
	case !fi.IsDir():
		return fmt.Errorf("%s : %s n'est pas un dossier", flagName, dir)
	}
	return nil
}

// writeOutput writes b to path, or to stdout for « - ». A regular file
// (new, or the target of a symbolic link) is written atomically: a
// temporary file beside it, renamed over it. A special file (a FIFO,
// /dev/stdout, a terminal) is written into, never replaced; so is the
// target of a symbolic link, which stays a link.
func (a *app) writeOutput(path string, b []byte) error {
	if path == "-" {
		_, err := a.stdout.Write(b)
		return err
	}
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	} else if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&os.ModeSymlink != 0 {
		// A dangling link: create its target through it.
		return a.writeInto(path, b, os.O_CREATE|os.O_TRUNC)
	}
	if fi, err := os.Stat(target); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return fmt.Errorf("-o : %s est un dossier : indiquez un fichier", path)
		}
		return a.writeInto(target, b, 0)
	}
	if err := writeAtomic(target, b); err != nil {
		return fmt.Errorf("-o : écriture de %s impossible : %s", path, describeFileError(err))
	}
	fmt.Fprintf(a.stderr, "%s écrit (%d octets).\n", path, len(b))
	return nil
}

// writeInto writes b into an existing file without replacing it.
func (a *app) writeInto(path string, b []byte, flag int) error {
	f, err := os.OpenFile(path, os.O_WRONLY|flag, 0o644)
	if err != nil {
		return fmt.Errorf("-o : écriture dans %s impossible : %s", path, describeFileError(err))
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("-o : écriture dans %s impossible : %s", path, describeFileError(err))
	}
	fmt.Fprintf(a.stderr, "%s écrit (%d octets).\n", path, len(b))
	return nil
}

// writeAtomic writes a regular file by a temporary file renamed over it.
func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fabrique-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// describeFileError says in French why a file could not be written,
// without Go's raw message (nor the temporary file's name).
func describeFileError(err error) string {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pathProblem(pe)
	case errors.As(err, &le):
		return pathProblem(&os.PathError{Op: le.Op, Path: le.New, Err: le.Err})
	}
	return "erreur du système de fichiers"
}

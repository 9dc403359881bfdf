package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// backup writes a consistent copy of the database while the service runs.
func (a *app) backup(ctx context.Context, args []string) error {
	c := defaults()
	fs := flags("backup", &c)
	// The file may come before or after the flags.
	var target string
	for {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		if target != "" {
			return usageError{fmt.Sprintf("backup : un seul fichier est attendu (reçu aussi « %s »)", fs.Arg(0))}
		}
		target, args = fs.Arg(0), fs.Args()[1:]
	}
	if target == "" {
		return usageError{"backup : indiquez le fichier de la copie, par exemple « fabrique backup sauvegarde.db »"}
	}
	if err := checkBackupTarget(target); err != nil {
		return err
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	if err := st.DB().Backup(ctx, target); err != nil {
		var pe *os.PathError
		var le *os.LinkError
		if errors.As(err, &pe) || errors.As(err, &le) {
			return fmt.Errorf("destination %s : %s", target, describeFileError(err))
		}
		return fmt.Errorf("sauvegarde vers %s : %w", target, err)
	}
	fmt.Fprintf(a.stderr, "Copie cohérente de %s écrite dans %s (intégrité vérifiée).\n", c.DB, target)
	fmt.Fprintln(a.stdout, target)
	return nil
}

// checkBackupTarget refuses, naming the destination, a copy over an
// existing file or into a folder that does not exist or cannot be written.
func checkBackupTarget(target string) error {
	if _, err := os.Lstat(target); err == nil {
		return fmt.Errorf("destination %s : le fichier existe déjà : choisissez un autre nom, rien n'a été écrasé", target)
	}
	dir := filepath.Dir(target)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("destination %s : le dossier %s n'existe pas : créez-le d'abord (rien n'a été écrit)", target, dir)
	case err != nil:
		return fmt.Errorf("destination %s : le dossier %s est inaccessible (droits d'accès ?)", target, dir)
	case !fi.IsDir():
		return fmt.Errorf("destination %s : %s n'est pas un dossier", target, dir)
	}
	if err := syscall.Access(dir, 0x2); err != nil { // W_OK
		return fmt.Errorf("destination %s : écriture interdite dans le dossier %s (droits d'accès)", target, dir)
	}
	return nil
}

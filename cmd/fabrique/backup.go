package main

import (
	"context"
	"fmt"
)

// backup writes a consistent copy of the database while the service runs.
func (a *app) backup(ctx context.Context, args []string) error {
	c := defaults()
	fs := flags("backup", &c)
	// The file may come before or after the flags.
	var target string
	for {
		if err := fs.Parse(args); err != nil {
			return usageError{fmt.Sprintf("backup : %v", err)}
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
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	if err := st.DB().Backup(ctx, target); err != nil {
		return fmt.Errorf("sauvegarde vers %s : %w", target, err)
	}
	fmt.Fprintf(a.stderr, "Copie cohérente de %s écrite dans %s (intégrité vérifiée).\n", c.DB, target)
	fmt.Fprintln(a.stdout, target)
	return nil
}

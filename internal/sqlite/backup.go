package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to path while the
// service keeps running: VACUUM INTO reads one snapshot (WAL lets writers
// go on) and writes a compact, self-contained file. The copy is written
// beside its destination and renamed, so a failed backup leaves nothing
// half written; an existing file is never overwritten.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("le fichier %s existe déjà : choisissez un autre nom, rien n'a été écrasé", path)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("destination %s : le dossier %s n'existe pas : rien n'a été écrit", path, dir)
	}
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".partial")
	os.Remove(tmp)
	// A connection of its own: the reader pool is query-only and the
	// writer must stay free for the service.
	conn, err := sql.Open("sqlite3", "file:"+db.path+"?_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return translate(err)
	}
	if err := verify(ctx, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// verify checks the integrity of a database file.
func verify(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer conn.Close()
	var result string
	if err := conn.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return err
	}
	if result != "ok" {
		return errors.New("la copie est corrompue : " + result)
	}
	return nil
}

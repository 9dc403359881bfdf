// Package sqlite is the store of fabrique: it implements the domain's
// repositories on SQLite (github.com/mattn/go-sqlite3), with one write
// connection beside a pool of readers, WAL, foreign keys on, and migrations
// embedded and applied in order at start. Every public method is one
// transaction; unexported helpers take the *sql.Tx.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"fabrique/internal/fabrique"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open fabrique database: one connection that writes, a pool that reads.
type DB struct {
	path  string
	write *sql.DB
	read  *sql.DB
	now   func() time.Time

	// The group commit of registrations (groupcommit.go).
	groups    *groupCommit
	groupOnce sync.Once
	groupStop sync.Once
	// passwords hashes passwords at the cost of the options (users.go).
	passwords passwordHasher
	links     linkKey // the key of the private links (links.go)
}

// Open opens (creating it if needed) the database file at path and applies
// the pending migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	return OpenWith(ctx, path, Options{})
}

// OpenWith is Open with options (options.go).
func OpenWith(ctx context.Context, path string, o Options) (*DB, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("sqlite: a database file is required (not %q)", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("sqlite: create folder of the database: %w", err)
		}
	}
	params := "_foreign_keys=on&_journal_mode=WAL&_synchronous=NORMAL&_stmt_cache_size=128&_busy_timeout=" + o.busyMillis()
	w, err := sql.Open(driverName, "file:"+url.PathEscape(path)+"?"+params+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open(driverName, "file:"+url.PathEscape(path)+"?"+params+"&_query_only=true")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	db := &DB{path: path, write: w, read: r, now: func() time.Time { return time.Now().UTC().Truncate(time.Second) }, passwords: newPasswordHasher(o.PasswordCost)}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Path returns the file of the database.
func (db *DB) Path() string { return db.path }

// Close stops the group commit, then closes both pools.
func (db *DB) Close() error {
	db.stopGroup()
	return errors.Join(db.read.Close(), db.write.Close())
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return translate(err)
	}
	return nil
}

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrations table: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", name, err)
		}
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil || n > 0 {
			return err
		}
		body, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, ts(db.now()))
		return err
	})
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE), committed when fn
// returns nil and rolled back otherwise.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return translate(err)
	}
	return translate(tx.Commit())
}

// inReadTx runs fn in a read-only transaction on the reader pool, so that
// every query of fn sees the same snapshot.
func (db *DB) inReadTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return translate(err)
	}
	defer tx.Rollback()
	return translate(fn(tx))
}

// translate turns SQLite failures a user can meet into coded domain errors.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var fe *fabrique.Error
	if errors.As(err, &fe) {
		return err
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return &fabrique.Error{Code: fabrique.EUNAVAILABLE, Message: "La base de données est occupée. Réessayez dans un instant : rien n'a été enregistré."}
		case sqlite3.ErrFull:
			return &fabrique.Error{Code: fabrique.EUNAVAILABLE, Message: "Le disque du service est plein : rien n'a été enregistré. Prévenez l'administrateur."}
		case sqlite3.ErrReadonly, sqlite3.ErrCantOpen, sqlite3.ErrIoErr:
			return &fabrique.Error{Code: fabrique.EUNAVAILABLE, Message: "La base de données est indisponible : rien n'a été enregistré. Prévenez l'administrateur."}
		case sqlite3.ErrConstraint:
			if se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey {
				return &fabrique.Error{Code: fabrique.ECONFLICT, Message: "Cet élément existe déjà (" + uniqueWhat(se.Error()) + ")."}
			}
			if se.ExtendedCode == sqlite3.ErrConstraintForeignKey {
				return &fabrique.Error{Code: fabrique.ECONFLICT, Message: "D'autres données font référence à cet élément, ou une référence n'existe pas : rien n'a été modifié."}
			}
		}
	}
	return err
}

func uniqueWhat(msg string) string {
	if i := strings.Index(msg, "failed: "); i >= 0 {
		return "valeur déjà prise : " + msg[i+len("failed: "):]
	}
	return "valeur déjà prise"
}

// ts formats an instant for storage: UTC, RFC 3339, second precision.
func ts(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// tsOrNil is ts for optional instants.
func tsOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// instant scans a stored instant into a time in Europe/Paris.
type instant struct{ t *time.Time }

// Scan implements sql.Scanner.
func (i instant) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*i.t = time.Time{}
		return nil
	case string:
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return fmt.Errorf("sqlite: stored instant %q: %w", v, err)
		}
		*i.t = t.In(fabrique.Paris)
		return nil
	case []byte:
		return i.Scan(string(v))
	}
	return fmt.Errorf("sqlite: cannot scan %T into an instant", src)
}

package sqlite

import "context"

// Pragmas returns the journal mode and the foreign_keys setting of the writer.
func (db *DB) Pragmas(ctx context.Context) (mode string, fk int, err error) {
	if err = db.write.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return
	}
	err = db.write.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk)
	return
}

// Count counts the rows of a table.
func (db *DB) Count(ctx context.Context, table string, n *int) error {
	return db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(n)
}

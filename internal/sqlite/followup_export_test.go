package sqlite

import "context"

// CountWhere counts the rows of a table matching a condition.
func (db *DB) CountWhere(ctx context.Context, table, where string, n *int) error {
	return db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+where).Scan(n)
}

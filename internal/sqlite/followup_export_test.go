package sqlite

import "context"

// CountWhere counts the rows of a table matching a condition.
func (db *DB) CountWhere(ctx context.Context, table, where string, n *int) error {
	return db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+where).Scan(n)
}

// ConfirmLink is the confirmation link mailed to the author of a comment.
func (db *DB) ConfirmLink(ctx context.Context, commentID int64) string {
	key, err := db.links.get(ctx, db.read)
	if err != nil {
		panic(err)
	}
	return confirmToken(key, commentID)
}

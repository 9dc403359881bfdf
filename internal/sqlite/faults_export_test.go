package sqlite

import (
	"context"
	"strconv"
)

// LimitPages caps the size of the database for the writer's connection
// (PRAGMA max_page_count) at its current size, so that the next write
// growing it fails as on a full disk. It returns the page count.
func (db *DB) LimitPages(ctx context.Context) (int, error) {
	var n int
	if err := db.write.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&n); err != nil {
		return 0, err
	}
	_, err := db.write.ExecContext(ctx, `PRAGMA max_page_count = `+strconv.Itoa(n))
	return n, err
}

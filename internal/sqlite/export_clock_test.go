package sqlite

import "time"

// SetNow sets the clock of the store (tests only).
func (db *DB) SetNow(now func() time.Time) { db.now = now }

package sqlite

import "time"

// SetClock replaces the clock of the store (tests and demonstrations that
// need "today" to be a given day); now is read at each use. Set it before
// the store serves requests.
func (db *DB) SetClock(now func() time.Time) {
	db.now = func() time.Time { return now().UTC().Truncate(time.Second) }
}

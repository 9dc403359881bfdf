package fabrique

import (
	"context"
	"time"
)

// SessionTTL is how long a staff member stays signed in to the web interface.
const SessionTTL = 12 * time.Hour

// SessionService keeps the web sessions of staff accounts. A session id is
// a random secret given to the browser; only its hash is stored.
type SessionService interface {
	// CreateSession opens a session for the account, valid for ttl, and
	// returns its secret id (shown once) and its expiry.
	CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, time.Time, error)
	// UserBySession returns the account of a live session; EUNAUTHORIZED
	// when the session is unknown, revoked or expired.
	UserBySession(ctx context.Context, id string) (*User, error)
	// RevokeSession ends a session; ending an unknown one is not an error.
	RevokeSession(ctx context.Context, id string) error
}

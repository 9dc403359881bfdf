package fabrique

import (
	"context"
	"time"
)

// DefaultTokenTTL is how long a token issued by signing in to the API
// (POST /api/v1/auth/token) lives: tokens do not pile up for ever.
const DefaultTokenTTL = 30 * 24 * time.Hour

// APIToken describes an API token of an account; the secret itself is
// never kept (only its SHA-256).
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"` // recorded at most once a minute
	ExpiresAt  *time.Time `json:"expires_at"`   // nil: until revoked
}

// Expired reports whether the token has expired at now.
func (t *APIToken) Expired(now time.Time) bool {
	return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
}

// Account is a staff account as administrators manage it.
type Account struct {
	User
	Organisation string      `json:"organisation"` // the organisation's name, "" without
	DisabledAt   *time.Time  `json:"disabled_at"`  // nil while the account may sign in
	Tokens       []*APIToken `json:"tokens"`
}

// AccountService lets administrators (and the command line, as the
// system) manage staff accounts: list, disable and enable, set a
// password, list, issue and revoke tokens. A disabled account's sessions
// are ended and its tokens refused at once.
type AccountService interface {
	// Accounts lists every account with its tokens.
	Accounts(ctx context.Context) ([]*Account, error)
	// Account reads one account with its tokens.
	Account(ctx context.Context, userID int64) (*Account, error)
	// SetDisabled disables (ending its sessions) or enables an account.
	SetDisabled(ctx context.Context, userID int64, disabled bool) error
	// SetPassword replaces an account's password.
	SetPassword(ctx context.Context, userID int64, password string) error
	// IssueToken creates a token for the account, valid for ttl (0: until
	// revoked); the secret is returned once. An account may issue its own.
	IssueToken(ctx context.Context, userID int64, name string, ttl time.Duration) (string, *APIToken, error)
	// RevokeTokenID deletes a token by its id.
	RevokeTokenID(ctx context.Context, tokenID int64) (*APIToken, error)
}

package sqlite

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"fabrique/internal/fabrique"
)

// UserService implements fabrique.UserService: accounts with bcrypt
// passwords and API tokens stored as SHA-256 hashes.
type UserService struct {
	db *DB
}

var _ fabrique.UserService = (*UserService)(nil)

var errBadCredentials = &fabrique.Error{Code: fabrique.EUNAUTHORIZED, Message: "Adresse électronique ou mot de passe incorrect."}

// passwordHasher hashes passwords at one bcrypt cost. Its dummy hash, of
// the same cost, is compared when the account does not exist, so that
// timing does not tell which addresses have an account.
type passwordHasher struct {
	cost  int
	dummy func() []byte
}

func newPasswordHasher(cost int) passwordHasher {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	return passwordHasher{cost: cost, dummy: sync.OnceValue(func() []byte {
		h, _ := bcrypt.GenerateFromPassword([]byte("fabrique-dummy-password"), cost)
		return h
	})}
}

// CreateUser stores a new account.
func (s *UserService) CreateUser(ctx context.Context, u *fabrique.User, password string) error {
	var p fabrique.Problems
	p.Merge("", u.Validate())
	if len([]rune(password)) < fabrique.MinPasswordLength {
		p.Add("password", "le mot de passe doit compter au moins %d caractères", fabrique.MinPasswordLength)
	} else if len(password) > 72 {
		p.Add("password", "le mot de passe doit compter au plus 72 octets")
	}
	if err := p.Err(); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.db.passwords.cost)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		if u.OrganisationID != nil {
			if ok, err := exists(ctx, tx, "organisations", *u.OrganisationID); err != nil || !ok {
				return errors.Join(err, fabrique.Invalid("organisation_id", "l'organisation n° %d n'existe pas", *u.OrganisationID))
			}
		}
		if u.PersonID != nil {
			if ok, err := exists(ctx, tx, "people", *u.PersonID); err != nil || !ok {
				return errors.Join(err, fabrique.Invalid("person_id", "la personne n° %d n'existe pas", *u.PersonID))
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = ?`, u.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fabrique.Errorf(fabrique.ECONFLICT, "Un compte existe déjà pour %s.", u.Email)
		}
		now := s.db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO users (email, name, role, organisation_id, person_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			u.Email, u.Name, u.Role, u.OrganisationID, u.PersonID, string(hash), ts(now))
		if err != nil {
			return err
		}
		u.CreatedAt = now.In(fabrique.Paris)
		u.ID, err = res.LastInsertId()
		return err
	})
}

const userColumns = `u.id, u.email, u.name, u.role, u.organisation_id, u.person_id, u.created_at`

func scanUser(row *sql.Row, extra ...any) (*fabrique.User, error) {
	u := &fabrique.User{}
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.OrganisationID, &u.PersonID, instant{&u.CreatedAt}}, extra...)...)
	return u, err
}

// UserByEmail finds an account by its address (case-insensitive).
func (s *UserService) UserByEmail(ctx context.Context, email string) (*fabrique.User, error) {
	var u *fabrique.User
	err := s.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.email = ?`, email))
		if errors.Is(err, sql.ErrNoRows) {
			return fabrique.Errorf(fabrique.ENOTFOUND, "Aucun compte pour %s.", email)
		}
		return err
	})
	return u, err
}

// Authenticate checks an email and a password.
func (s *UserService) Authenticate(ctx context.Context, c fabrique.Credentials) (*fabrique.User, error) {
	var u *fabrique.User
	var hash string
	err := s.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+`, u.password_hash FROM users u WHERE u.email = ?`, strings.TrimSpace(c.Email)), &hash)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(s.db.passwords.dummy(), []byte(c.Password))
		return nil, errBadCredentials
	} else if err != nil {
		return nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(c.Password)) != nil {
		return nil, errBadCredentials
	}
	if err := s.refuseDisabled(ctx, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

// hashToken is how tokens are stored: a SHA-256 of a random 32-byte secret
// is enough (no need for a slow hash on a high-entropy value).
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewSecret returns a random URL-safe secret of 32 bytes, prefixed.
func NewSecret(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// CreateToken returns a new API token for the account; only its hash is kept.
func (s *UserService) CreateToken(ctx context.Context, userID int64, name string) (string, error) {
	token := NewSecret("fab_")
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		if ok, err := exists(ctx, tx, "users", userID); err != nil {
			return err
		} else if !ok {
			return fabrique.Errorf(fabrique.ENOTFOUND, "Le compte n° %d n'existe pas.", userID)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, hash, name, created_at) VALUES (?, ?, ?, ?)`, userID, hashToken(token), name, ts(s.db.now()))
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

var errBadToken = &fabrique.Error{Code: fabrique.EUNAUTHORIZED, Message: "Jeton d'API inconnu, expiré ou révoqué, ou compte désactivé."}

// UserByToken finds the account of a token.
func (s *UserService) UserByToken(ctx context.Context, token string) (*fabrique.User, error) {
	var u *fabrique.User
	var id int64
	var last *time.Time
	err := s.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		// A disabled account's tokens and an expired token stop at once (issue 11).
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+`, k.id, k.last_used_at FROM users u JOIN api_tokens k ON k.user_id = u.id
			WHERE k.hash = ? AND u.disabled_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?)`, hashToken(token), ts(s.db.now())), &id, nullInstant{&last})
		if errors.Is(err, sql.ErrNoRows) {
			return errBadToken
		}
		return err
	})
	if err == nil {
		s.touchToken(ctx, id, last)
	}
	return u, err
}

// RevokeToken deletes a token.
func (s *UserService) RevokeToken(ctx context.Context, token string) error {
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE hash = ?`, hashToken(token))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errBadToken
		}
		return nil
	})
}

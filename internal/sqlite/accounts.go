package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"golang.org/x/crypto/bcrypt"

	"fabrique/internal/fabrique"
)

// Accounts implements fabrique.AccountService, for administrators.
type Accounts struct {
	db *DB
}

var _ fabrique.AccountService = (*Accounts)(nil)

// Accounts implements fabrique.Store.
func (s *Store) Accounts() fabrique.AccountService { return &Accounts{db: s.db} }

// tokenTouchEvery is how often a token's last use is written: at most
// once a minute, not on every request.
const tokenTouchEvery = time.Minute

func accountAdmin(ctx context.Context, what string) error {
	return adminOnly(fabrique.UserFrom(ctx), fabrique.ActChange, what)
}

const accountColumns = `u.id, u.email, u.name, u.role, u.organisation_id, u.person_id, u.created_at, COALESCE(o.name, ''), u.disabled_at`

func queryAccounts(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]*fabrique.Account, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+accountColumns+` FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id `+where+` ORDER BY u.email`, args...)
	if err != nil {
		return nil, err
	}
	var out []*fabrique.Account
	byID := map[int64]*fabrique.Account{}
	for rows.Next() {
		a := &fabrique.Account{Tokens: []*fabrique.APIToken{}}
		if err := rows.Scan(&a.ID, &a.Email, &a.Name, &a.Role, &a.OrganisationID, &a.PersonID, instant{&a.CreatedAt}, &a.Organisation, nullInstant{&a.DisabledAt}); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
		byID[a.ID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	trows, err := tx.QueryContext(ctx, `SELECT id, user_id, name, created_at, last_used_at, expires_at FROM api_tokens ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer trows.Close()
	for trows.Next() {
		t := &fabrique.APIToken{}
		if err := trows.Scan(&t.ID, &t.UserID, &t.Name, instant{&t.CreatedAt}, nullInstant{&t.LastUsedAt}, nullInstant{&t.ExpiresAt}); err != nil {
			return nil, err
		}
		if a := byID[t.UserID]; a != nil {
			a.Tokens = append(a.Tokens, t)
		}
	}
	return out, trows.Err()
}

// Accounts implements fabrique.AccountService.
func (s *Accounts) Accounts(ctx context.Context) ([]*fabrique.Account, error) {
	if err := accountAdmin(ctx, "gérer les comptes"); err != nil {
		return nil, err
	}
	var out []*fabrique.Account
	err := s.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		out, err = queryAccounts(ctx, tx, "")
		return err
	})
	return out, err
}

// Account implements fabrique.AccountService.
func (s *Accounts) Account(ctx context.Context, userID int64) (*fabrique.Account, error) {
	if err := accountAdmin(ctx, "gérer les comptes"); err != nil {
		return nil, err
	}
	var a *fabrique.Account
	err := s.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		a, err = oneAccount(ctx, tx, userID)
		return err
	})
	return a, err
}

func oneAccount(ctx context.Context, tx *sql.Tx, userID int64) (*fabrique.Account, error) {
	list, err := queryAccounts(ctx, tx, "WHERE u.id = ?", userID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "Le compte n° %d n'existe pas.", userID)
	}
	return list[0], nil
}

// SetDisabled implements fabrique.AccountService. An administrator cannot
// disable their own account, nor the last administrator able to sign in.
func (s *Accounts) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	if err := accountAdmin(ctx, "désactiver ou réactiver un compte"); err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		a, err := oneAccount(ctx, tx, userID)
		if err != nil {
			return err
		}
		if !disabled {
			_, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = NULL WHERE id = ?`, userID)
			return err
		}
		if a.DisabledAt != nil {
			return nil
		}
		if u := fabrique.UserFrom(ctx); u != nil && u.ID == userID {
			return fabrique.Errorf(fabrique.ECONFLICT, "Vous ne pouvez pas désactiver votre propre compte.")
		}
		if a.Role == fabrique.RoleAdmin {
			var others int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?`, userID).Scan(&others); err != nil {
				return err
			}
			if others == 0 {
				return fabrique.Errorf(fabrique.ECONFLICT, "%s est le dernier administrateur actif : réactivez ou créez-en un autre avant de le désactiver.", a.Email)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = ? WHERE id = ?`, ts(s.db.now()), userID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM web_sessions WHERE user_id = ?`, userID)
		return err
	})
}

// checkPassword checks a new password.
func checkPassword(p *fabrique.Problems, password string) {
	if len([]rune(password)) < fabrique.MinPasswordLength {
		p.Add("password", "le mot de passe doit compter au moins %d caractères", fabrique.MinPasswordLength)
	} else if len(password) > 72 {
		p.Add("password", "le mot de passe doit compter au plus 72 octets")
	}
}

// SetPassword implements fabrique.AccountService; the account's sessions
// end (its tokens stay).
func (s *Accounts) SetPassword(ctx context.Context, userID int64, password string) error {
	if err := accountAdmin(ctx, "changer le mot de passe d'un compte"); err != nil {
		return err
	}
	var p fabrique.Problems
	checkPassword(&p, password)
	if err := p.Err(); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := oneAccount(ctx, tx, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, string(hash), userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM web_sessions WHERE user_id = ?`, userID)
		return err
	})
}

// IssueToken implements fabrique.AccountService: administrators, and an
// account for itself (signing in to the API).
func (s *Accounts) IssueToken(ctx context.Context, userID int64, name string, ttl time.Duration) (string, *fabrique.APIToken, error) {
	if u := fabrique.UserFrom(ctx); u == nil || u.ID != userID {
		if err := accountAdmin(ctx, "créer un jeton pour un autre compte"); err != nil {
			return "", nil, err
		}
	}
	return issueToken(ctx, s.db, userID, name, ttl)
}

// issueToken stores a new token of the account (hashed), valid for ttl (0:
// until revoked).
func issueToken(ctx context.Context, db *DB, userID int64, name string, ttl time.Duration) (string, *fabrique.APIToken, error) {
	if ttl < 0 {
		return "", nil, fabrique.Invalid("expires", "la durée de validité doit être positive")
	}
	token := NewSecret("fab_")
	now := db.now()
	t := &fabrique.APIToken{UserID: userID, Name: name, CreatedAt: now.In(fabrique.Paris)}
	var expires any
	if ttl > 0 {
		e := now.Add(ttl).In(fabrique.Paris)
		t.ExpiresAt, expires = &e, ts(e)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := oneAccount(ctx, tx, userID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, hash, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			userID, hashToken(token), name, ts(now), expires)
		if err != nil {
			return err
		}
		t.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return token, t, nil
}

// RevokeTokenID implements fabrique.AccountService.
func (s *Accounts) RevokeTokenID(ctx context.Context, tokenID int64) (*fabrique.APIToken, error) {
	if err := accountAdmin(ctx, "révoquer un jeton"); err != nil {
		return nil, err
	}
	t := &fabrique.APIToken{ID: tokenID}
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT user_id, name, created_at, last_used_at, expires_at FROM api_tokens WHERE id = ?`, tokenID).
			Scan(&t.UserID, &t.Name, instant{&t.CreatedAt}, nullInstant{&t.LastUsedAt}, nullInstant{&t.ExpiresAt})
		if errors.Is(err, sql.ErrNoRows) {
			return fabrique.Errorf(fabrique.ENOTFOUND, "Le jeton n° %d n'existe pas (déjà révoqué ?).", tokenID)
		} else if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = ?`, tokenID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// touchToken records a token's use when the last one recorded is older
// than tokenTouchEvery; a failure to record it does not refuse the request.
func (s *UserService) touchToken(ctx context.Context, id int64, last *time.Time) {
	now := s.db.now()
	if last != nil && now.Sub(*last) < tokenTouchEvery {
		return
	}
	// Never hold the request long for this: a busy writer skips it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 250*time.Millisecond)
	defer cancel()
	_ = s.db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, ts(now), id)
		return err
	})
}

var errDisabled = &fabrique.Error{Code: fabrique.EUNAUTHORIZED, Message: "Ce compte est désactivé : adressez-vous à un administrateur."}

// refuseDisabled refuses the sign-in of a disabled account.
func (s *UserService) refuseDisabled(ctx context.Context, userID int64) error {
	var disabled bool
	err := s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT disabled_at IS NOT NULL FROM users WHERE id = ?`, userID).Scan(&disabled)
	})
	if err == nil && disabled {
		return errDisabled
	}
	return err
}

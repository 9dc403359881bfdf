package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"fabrique/internal/fabrique"
)

// SessionService implements fabrique.SessionService: web sessions whose
// secret ids are stored as SHA-256 hashes, with an expiry.
type SessionService struct {
	db *DB
}

var _ fabrique.SessionService = (*SessionService)(nil)

// Sessions implements fabrique.Store.
func (s *Store) Sessions() fabrique.SessionService { return &SessionService{db: s.db} }

var errBadSession = &fabrique.Error{Code: fabrique.EUNAUTHORIZED, Message: "Votre session a expiré ou a été fermée : connectez-vous de nouveau."}

// CreateSession opens a session and removes the expired ones.
func (s *SessionService) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, time.Time, error) {
	if ttl <= 0 {
		return "", time.Time{}, fabrique.Errorf(fabrique.EINVALID, "La durée d'une session doit être positive.")
	}
	id := NewSecret("ses_")
	now := s.db.now()
	expires := now.Add(ttl)
	err := s.db.inTx(ctx, func(tx *sql.Tx) error {
		if ok, err := exists(ctx, tx, "users", userID); err != nil {
			return err
		} else if !ok {
			return fabrique.Errorf(fabrique.ENOTFOUND, "Le compte n° %d n'existe pas.", userID)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM web_sessions WHERE expires_at <= ?`, ts(now)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO web_sessions (user_id, hash, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			userID, hashToken(id), ts(now), ts(expires))
		return err
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return id, expires.In(fabrique.Paris), nil
}

// UserBySession returns the account of a live session.
func (s *SessionService) UserBySession(ctx context.Context, id string) (*fabrique.User, error) {
	var u *fabrique.User
	err := s.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u JOIN web_sessions w ON w.user_id = u.id WHERE w.hash = ? AND w.expires_at > ? AND u.disabled_at IS NULL`,
			hashToken(id), ts(s.db.now())))
		if errors.Is(err, sql.ErrNoRows) {
			return errBadSession
		}
		return err
	})
	return u, err
}

// RevokeSession deletes a session.
func (s *SessionService) RevokeSession(ctx context.Context, id string) error {
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM web_sessions WHERE hash = ?`, hashToken(id))
		return err
	})
}

// Partners implements fabrique.Store: the community map of forums, for staff.
func (s *Store) Partners() fabrique.Repository[fabrique.Partner] {
	return &resource[fabrique.Partner]{
		db: s.db, table: "event_partners", label: "le partenaire",
		cols: []string{"event_id", "name", "kind", "contact", "status", "notes"},
		values: func(v *fabrique.Partner) []any {
			return []any{v.EventID, v.Name, v.Kind, v.Contact, v.Status, v.Notes}
		},
		scan: func(v *fabrique.Partner) []any {
			return []any{&v.EventID, &v.Name, &v.Kind, &v.Contact, &v.Status, &v.Notes}
		},
		meta: func(v *fabrique.Partner) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order: "t.event_id, t.kind, t.name, t.id",
		filters: map[string]filter{
			"event_id": {column: "event_id", kind: filterID}, "kind": {column: "kind"}, "status": {column: "status"},
		},
		parents: func(v *fabrique.Partner) []parentRef {
			return []parentRef{{"event_id", "events", "l'événement", &v.EventID}}
		},
		visible: func(u *fabrique.User) (string, []any, error) {
			if u == nil {
				return "", nil, errAnonymous
			}
			return visibleThroughEvent(u)
		},
		canWrite: eventScoped("modifier la carte de la communauté", func(v *fabrique.Partner) int64 { return v.EventID }),
		check:    checkPartner,
	}
}

// checkPartner: the community map belongs to a Forum Open d'État.
func checkPartner(ctx context.Context, tx *sql.Tx, v *fabrique.Partner) error {
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT kind FROM events WHERE id = ?`, v.EventID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // left to the reference check
	} else if err != nil {
		return err
	}
	if fabrique.EventKind(kind) != fabrique.EventForum {
		return fabrique.Invalid("event_id", "la carte de la communauté à mobiliser ne concerne que les Forums Open d'État")
	}
	return nil
}

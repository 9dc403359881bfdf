package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"fabrique/internal/fabrique"
)

// MinutesService implements fabrique.MinutesService: contributions,
// attendance, and the minutes of workshops and events.
type MinutesService struct {
	s *Store
}

var _ fabrique.MinutesService = (*MinutesService)(nil)

// Minutes implements fabrique.Store.
func (s *Store) Minutes() fabrique.MinutesService { return &MinutesService{s: s} }

const contributionColumns = `c.id, c.workshop_id, c.category, c.text, c.author, c.person_id, c.organisation_id, c.consent, c.publishable, c.created_by, c.created_at`

func scanContribution(sc interface{ Scan(...any) error }) (*fabrique.Contribution, error) {
	c := &fabrique.Contribution{}
	err := sc.Scan(&c.ID, &c.WorkshopID, &c.Category, &c.Text, &c.Author, &c.PersonID, &c.OrganisationID, &c.Consent, &c.Publishable, &c.CreatedBy, instant{&c.CreatedAt})
	return c, err
}

// CreateContribution records a contribution: one small insert, so that a
// facilitator keeps up with a live discussion.
func (m *MinutesService) CreateContribution(ctx context.Context, c *fabrique.Contribution) error {
	c.ID = 0
	if err := c.Validate(); err != nil {
		return err
	}
	u := fabrique.UserFrom(ctx)
	return m.s.db.inTx(ctx, func(tx *sql.Tx) error {
		w, err := loadWorkshopScope(ctx, tx, c.WorkshopID)
		if err != nil {
			return fieldNotFound(err, "workshop_id", "l'atelier n° %d n'existe pas", c.WorkshopID)
		}
		if err := w.mayRecord(u, "noter des contributions dans cet atelier"); err != nil {
			return err
		}
		if err := checkContribution(ctx, tx, w, c); err != nil {
			return err
		}
		if err := reopenMinutes(ctx, tx, c.WorkshopID); err != nil {
			return err
		}
		now := m.s.db.now()
		c.CreatedBy, c.CreatedAt = actingAccount(u), now.In(fabrique.Paris)
		res, err := tx.ExecContext(ctx, `INSERT INTO contributions (workshop_id, category, text, author, person_id, organisation_id, consent, publishable, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.WorkshopID, c.Category, c.Text, c.Author, c.PersonID, c.OrganisationID, c.Consent, c.Publishable, c.CreatedBy, ts(now))
		if err != nil {
			return err
		}
		c.ID, err = res.LastInsertId()
		return err
	})
}

// checkContribution checks what a contribution refers to: a question of
// its event's format, and the person and organisation named.
func checkContribution(ctx context.Context, tx *sql.Tx, w *workshopScope, c *fabrique.Contribution) error {
	if c.Category.ForumOnly() && w.kind != fabrique.EventForum {
		return fabrique.Invalid("category", "la rubrique « %s » est réservée aux Forums Open d'État ; rubriques possibles ici : %s", c.Category, categoryList(fabrique.CategoriesFor(w.kind)))
	}
	var p fabrique.Problems
	for _, ref := range []parentRef{{"person_id", "people", "la personne", c.PersonID}, {"organisation_id", "organisations", "l'organisation", c.OrganisationID}} {
		if ref.id == nil {
			continue
		}
		if ok, err := exists(ctx, tx, ref.table, *ref.id); err != nil {
			return err
		} else if !ok {
			p.Add(ref.field, "%s n° %d n'existe pas", ref.label, *ref.id)
		}
	}
	return p.Err()
}

// UpdateContribution corrects a contribution (its question, text, author,
// consent and publication) until the workshop's minutes are published:
// approved minutes go back to draft for a new approval.
func (m *MinutesService) UpdateContribution(ctx context.Context, c *fabrique.Contribution) error {
	u := fabrique.UserFrom(ctx)
	if u == nil {
		return errAnonymous
	}
	return m.s.db.inTx(ctx, func(tx *sql.Tx) error {
		stored, err := scanContribution(tx.QueryRowContext(ctx, `SELECT `+contributionColumns+` FROM contributions c WHERE c.id = ?`, c.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return fabrique.Errorf(fabrique.ENOTFOUND, "La contribution n° %d n'existe pas.", c.ID)
		} else if err != nil {
			return err
		}
		if c.WorkshopID != 0 && c.WorkshopID != stored.WorkshopID {
			return fabrique.Invalid("workshop_id", "une contribution reste dans son atelier (n° %d)", stored.WorkshopID)
		}
		c.WorkshopID, c.CreatedBy, c.CreatedAt = stored.WorkshopID, stored.CreatedBy, stored.CreatedAt
		w, err := loadWorkshopScope(ctx, tx, c.WorkshopID)
		if err != nil {
			return err
		}
		if err := w.mayRecord(u, "corriger des contributions de cet atelier"); err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if err := checkContribution(ctx, tx, w, c); err != nil {
			return err
		}
		if err := reopenMinutes(ctx, tx, c.WorkshopID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE contributions SET category = ?, text = ?, author = ?, person_id = ?, organisation_id = ?, consent = ?, publishable = ? WHERE id = ?`,
			c.Category, c.Text, c.Author, c.PersonID, c.OrganisationID, c.Consent, c.Publishable, c.ID)
		return err
	})
}

// Contribution reads one contribution, for those who record them.
func (m *MinutesService) Contribution(ctx context.Context, id int64) (*fabrique.Contribution, error) {
	u := fabrique.UserFrom(ctx)
	if u == nil {
		return nil, errAnonymous
	}
	var c *fabrique.Contribution
	err := m.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = scanContribution(tx.QueryRowContext(ctx, `SELECT `+contributionColumns+` FROM contributions c WHERE c.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return fabrique.Errorf(fabrique.ENOTFOUND, "La contribution n° %d n'existe pas.", id)
		} else if err != nil {
			return err
		}
		w, err := loadWorkshopScope(ctx, tx, c.WorkshopID)
		if err != nil {
			return err
		}
		return w.mayRecord(u, "lire les contributions de cet atelier")
	})
	return c, err
}

// Contributions lists the contributions of a workshop, oldest first.
func (m *MinutesService) Contributions(ctx context.Context, workshopID int64) ([]*fabrique.Contribution, error) {
	var out []*fabrique.Contribution
	err := m.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		w, err := loadWorkshopScope(ctx, tx, workshopID)
		if err != nil {
			return err
		}
		if err := w.mayRecord(fabrique.UserFrom(ctx), "lire les contributions de cet atelier"); err != nil {
			return err
		}
		out, err = queryContributions(ctx, tx, `WHERE c.workshop_id = ? ORDER BY c.id`, workshopID)
		return err
	})
	return out, err
}

func queryContributions(ctx context.Context, q queryer, clause string, args ...any) ([]*fabrique.Contribution, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+contributionColumns+` FROM contributions c `+clause, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*fabrique.Contribution{}
	for rows.Next() {
		c, err := scanContribution(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DeleteContribution removes a contribution of minutes not yet published.
func (m *MinutesService) DeleteContribution(ctx context.Context, id int64) error {
	if fabrique.UserFrom(ctx) == nil {
		return errAnonymous
	}
	return m.s.db.inTx(ctx, func(tx *sql.Tx) error {
		var workshop int64
		err := tx.QueryRowContext(ctx, `SELECT workshop_id FROM contributions WHERE id = ?`, id).Scan(&workshop)
		if errors.Is(err, sql.ErrNoRows) {
			return fabrique.Errorf(fabrique.ENOTFOUND, "La contribution n° %d n'existe pas.", id)
		} else if err != nil {
			return err
		}
		w, err := loadWorkshopScope(ctx, tx, workshop)
		if err != nil {
			return err
		}
		if err := w.mayRecord(fabrique.UserFrom(ctx), "supprimer des contributions de cet atelier"); err != nil {
			return err
		}
		if err := reopenMinutes(ctx, tx, workshop); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM contributions WHERE id = ?`, id)
		return err
	})
}

// reopenMinutes is called before a change to what the minutes of a
// workshop report: published minutes are frozen, approved ones go back to
// draft for a new approval.
func reopenMinutes(ctx context.Context, tx *sql.Tx, workshopID int64) error {
	var state fabrique.MinutesState
	err := tx.QueryRowContext(ctx, `SELECT state FROM workshop_minutes WHERE workshop_id = ?`, workshopID).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	switch state {
	case fabrique.MinutesPublished:
		return fabrique.Errorf(fabrique.ECONFLICT, "Le compte rendu de cet atelier est publié : il ne peut plus être modifié.")
	case fabrique.MinutesApproved:
		_, err = tx.ExecContext(ctx, `UPDATE workshop_minutes SET state = 'draft', approved_by = NULL, approved_at = NULL WHERE workshop_id = ?`, workshopID)
	}
	return err
}

// actingAccount is the id of the account acting, nil for the command line.
func actingAccount(u *fabrique.User) *int64 {
	if u == nil || u.ID <= 0 {
		return nil
	}
	id := u.ID
	return &id
}

// fieldNotFound turns a not-found error about a referenced object into a
// field error; other errors pass.
func fieldNotFound(err error, field, format string, args ...any) error {
	if fabrique.ErrorCode(err) == fabrique.ENOTFOUND {
		return fabrique.Invalid(field, format, args...)
	}
	return err
}

func categoryList(cs []fabrique.ContributionCategory) string {
	s := ""
	for i, c := range cs {
		if i > 0 {
			s += ", "
		}
		s += string(c)
	}
	return s
}

// optInstant scans an optional instant into a pointer.
type optInstant struct{ t **time.Time }

// Scan implements sql.Scanner.
func (n optInstant) Scan(src any) error {
	var t time.Time
	if err := (instant{&t}).Scan(src); err != nil {
		return err
	}
	*n.t = nil
	if !t.IsZero() {
		*n.t = &t
	}
	return nil
}

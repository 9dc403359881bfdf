package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"fabrique/internal/fabrique"
)

// readWorkshopMinutes reads the minutes of a workshop, a draft when none
// was written yet.
func readWorkshopMinutes(ctx context.Context, q queryer, workshopID int64) (*fabrique.WorkshopMinutes, error) {
	m := &fabrique.WorkshopMinutes{WorkshopID: workshopID, State: fabrique.MinutesDraft}
	err := q.QueryRowContext(ctx, `SELECT summary, state, approved_by, approved_at, published_at, updated_at FROM workshop_minutes WHERE workshop_id = ?`, workshopID).
		Scan(&m.Summary, &m.State, &m.ApprovedBy, optInstant{&m.ApprovedAt}, optInstant{&m.PublishedAt}, instant{&m.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return m, nil
	}
	return m, err
}

// writeWorkshopMinutes stores the minutes of a workshop.
func (m *MinutesService) writeWorkshopMinutes(ctx context.Context, tx *sql.Tx, w *fabrique.WorkshopMinutes) error {
	w.UpdatedAt = m.s.db.now().In(fabrique.Paris)
	_, err := tx.ExecContext(ctx, `INSERT INTO workshop_minutes (workshop_id, summary, state, approved_by, approved_at, published_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (workshop_id) DO UPDATE SET summary = excluded.summary, state = excluded.state, approved_by = excluded.approved_by,
		approved_at = excluded.approved_at, published_at = excluded.published_at, updated_at = excluded.updated_at`,
		w.WorkshopID, w.Summary, w.State, w.ApprovedBy, optStamp(w.ApprovedAt), optStamp(w.PublishedAt), ts(w.UpdatedAt))
	return err
}

// WorkshopMinutes returns the minutes of a workshop: public once
// published, for the people who may record in it before.
func (m *MinutesService) WorkshopMinutes(ctx context.Context, workshopID int64) (*fabrique.WorkshopMinutes, error) {
	var out *fabrique.WorkshopMinutes
	err := m.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		w, err := loadWorkshopScope(ctx, tx, workshopID)
		if err != nil {
			return err
		}
		u := fabrique.UserFrom(ctx)
		if ok, err := eventVisibleTo(ctx, tx, u, w.id); err != nil {
			return err
		} else if !ok {
			return fabrique.Errorf(fabrique.ENOTFOUND, "L'atelier n° %d n'existe pas.", workshopID)
		}
		if out, err = readWorkshopMinutes(ctx, tx, workshopID); err != nil {
			return err
		}
		if out.State == fabrique.MinutesPublished {
			return nil
		}
		if err := w.mayRecord(u, "lire ce compte rendu avant sa publication"); err != nil {
			return err
		}
		return nil
	})
	return out, err
}

// SaveWorkshopMinutes replaces the summary; approved minutes return to draft.
func (m *MinutesService) SaveWorkshopMinutes(ctx context.Context, in *fabrique.WorkshopMinutes) error {
	if err := in.Validate(); err != nil {
		return err
	}
	return m.s.db.inTx(ctx, func(tx *sql.Tx) error {
		w, err := loadWorkshopScope(ctx, tx, in.WorkshopID)
		if err != nil {
			return err
		}
		if err := w.mayRecord(fabrique.UserFrom(ctx), "rédiger ce compte rendu"); err != nil {
			return err
		}
		if err := reopenMinutes(ctx, tx, in.WorkshopID); err != nil {
			return err
		}
		cur, err := readWorkshopMinutes(ctx, tx, in.WorkshopID)
		if err != nil {
			return err
		}
		cur.Summary = in.Summary
		if err := m.writeWorkshopMinutes(ctx, tx, cur); err != nil {
			return err
		}
		*in = *cur
		return nil
	})
}

// ApproveWorkshopMinutes approves the minutes of a workshop.
func (m *MinutesService) ApproveWorkshopMinutes(ctx context.Context, workshopID int64) (*fabrique.WorkshopMinutes, error) {
	var out *fabrique.WorkshopMinutes
	err := m.s.db.inTx(ctx, func(tx *sql.Tx) error {
		w, err := loadWorkshopScope(ctx, tx, workshopID)
		if err != nil {
			return err
		}
		u := fabrique.UserFrom(ctx)
		if err := w.mayApprove(u); err != nil {
			return err
		}
		if out, err = readWorkshopMinutes(ctx, tx, workshopID); err != nil {
			return err
		}
		if out.State == fabrique.MinutesPublished {
			return fabrique.Errorf(fabrique.ECONFLICT, "Le compte rendu de cet atelier est déjà publié.")
		}
		now := m.s.db.now().In(fabrique.Paris)
		out.State, out.ApprovedBy, out.ApprovedAt = fabrique.MinutesApproved, actingAccount(u), &now
		return m.writeWorkshopMinutes(ctx, tx, out)
	})
	return out, err
}

// PublishWorkshopMinutes publishes approved minutes of a workshop.
func (m *MinutesService) PublishWorkshopMinutes(ctx context.Context, workshopID int64) (*fabrique.WorkshopMinutes, error) {
	var out *fabrique.WorkshopMinutes
	err := m.s.db.inTx(ctx, func(tx *sql.Tx) error {
		w, err := loadWorkshopScope(ctx, tx, workshopID)
		if err != nil {
			return err
		}
		if err := w.mayPublish(fabrique.UserFrom(ctx), "publier ce compte rendu"); err != nil {
			return err
		}
		if out, err = readWorkshopMinutes(ctx, tx, workshopID); err != nil {
			return err
		}
		switch out.State {
		case fabrique.MinutesPublished:
			return nil
		case fabrique.MinutesDraft:
			return fabrique.Errorf(fabrique.ECONFLICT, "Le compte rendu de l'atelier %d doit d'abord être approuvé par un de ses animateurs.", w.number)
		}
		now := m.s.db.now().In(fabrique.Paris)
		out.State, out.PublishedAt = fabrique.MinutesPublished, &now
		return m.writeWorkshopMinutes(ctx, tx, out)
	})
	return out, err
}

func readEventMinutes(ctx context.Context, q queryer, eventID int64) (*fabrique.EventMinutes, error) {
	m := &fabrique.EventMinutes{EventID: eventID, State: fabrique.MinutesDraft}
	err := q.QueryRowContext(ctx, `SELECT report_back, state, published_at, updated_at FROM event_minutes WHERE event_id = ?`, eventID).
		Scan(&m.ReportBack, &m.State, optInstant{&m.PublishedAt}, instant{&m.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return m, nil
	}
	return m, err
}

func (m *MinutesService) writeEventMinutes(ctx context.Context, tx *sql.Tx, e *fabrique.EventMinutes) error {
	e.UpdatedAt = m.s.db.now().In(fabrique.Paris)
	_, err := tx.ExecContext(ctx, `INSERT INTO event_minutes (event_id, report_back, state, published_at, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (event_id) DO UPDATE SET report_back = excluded.report_back, state = excluded.state, published_at = excluded.published_at, updated_at = excluded.updated_at`,
		e.EventID, e.ReportBack, e.State, optStamp(e.PublishedAt), ts(e.UpdatedAt))
	return err
}

// EventMinutes returns the report-back and the state of an event's
// minutes: public once published, for the staff of the event before.
func (m *MinutesService) EventMinutes(ctx context.Context, eventID int64) (*fabrique.EventMinutes, error) {
	var out *fabrique.EventMinutes
	err := m.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		e, err := m.readableMinutes(ctx, tx, eventID)
		if err != nil {
			return err
		}
		out, err = readEventMinutes(ctx, tx, e.id)
		return err
	})
	return out, err
}

// readableMinutes checks that the user may read the minutes of the event:
// anyone who sees the event once they are published, its staff before.
func (m *MinutesService) readableMinutes(ctx context.Context, tx *sql.Tx, eventID int64) (*eventScope, error) {
	e, err := loadEventScope(ctx, tx, eventID)
	if err != nil {
		return nil, err
	}
	u := fabrique.UserFrom(ctx)
	if ok, err := eventVisibleTo(ctx, tx, u, eventID); err != nil {
		return nil, err
	} else if !ok {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "L'événement n° %d n'existe pas.", eventID)
	}
	em, err := readEventMinutes(ctx, tx, eventID)
	if err != nil {
		return nil, err
	}
	if em.State != fabrique.MinutesPublished {
		if err := e.mayReadStaff(u, "lire le compte rendu avant sa publication"); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// SaveEventMinutes replaces the report-back of unpublished minutes.
func (m *MinutesService) SaveEventMinutes(ctx context.Context, in *fabrique.EventMinutes) error {
	if err := in.Validate(); err != nil {
		return err
	}
	return m.s.db.inTx(ctx, func(tx *sql.Tx) error {
		e, err := loadEventScope(ctx, tx, in.EventID)
		if err != nil {
			return err
		}
		if err := e.mayPublish(fabrique.UserFrom(ctx), "rédiger la restitution de cet événement"); err != nil {
			return err
		}
		cur, err := readEventMinutes(ctx, tx, in.EventID)
		if err != nil {
			return err
		}
		if cur.State == fabrique.MinutesPublished {
			return fabrique.Errorf(fabrique.ECONFLICT, "Le compte rendu de cet événement est publié : il ne peut plus être modifié.")
		}
		cur.ReportBack = in.ReportBack
		if err := m.writeEventMinutes(ctx, tx, cur); err != nil {
			return err
		}
		*in = *cur
		return nil
	})
}

// PublishEventMinutes publishes the minutes of the event and of all its
// workshops, each of which must have been approved.
func (m *MinutesService) PublishEventMinutes(ctx context.Context, eventID int64) (*fabrique.EventMinutes, error) {
	var out *fabrique.EventMinutes
	err := m.s.db.inTx(ctx, func(tx *sql.Tx) error {
		e, err := loadEventScope(ctx, tx, eventID)
		if err != nil {
			return err
		}
		if err := e.mayPublish(fabrique.UserFrom(ctx), "publier le compte rendu de cet événement"); err != nil {
			return err
		}
		if out, err = readEventMinutes(ctx, tx, eventID); err != nil || out.State == fabrique.MinutesPublished {
			return err
		}
		pending, err := unapprovedWorkshops(ctx, tx, eventID)
		if err != nil {
			return err
		}
		if len(pending) > 0 {
			return fabrique.Errorf(fabrique.ECONFLICT, "Compte rendu non approuvé par un animateur : %s. Rien n'a été publié.", strings.Join(pending, ", "))
		}
		now := m.s.db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE workshop_minutes SET state = 'published', published_at = ?, updated_at = ?
			WHERE state = 'approved' AND workshop_id IN (SELECT id FROM workshops WHERE event_id = ?)`, ts(now), ts(now), eventID); err != nil {
			return err
		}
		at := now.In(fabrique.Paris)
		out.State, out.PublishedAt = fabrique.MinutesPublished, &at
		if err := m.writeEventMinutes(ctx, tx, out); err != nil {
			return err
		}
		return announceMinutes(ctx, m.s.db, tx, eventID)
	})
	return out, err
}

// unapprovedWorkshops names the workshops of the event whose minutes are
// neither approved nor published.
func unapprovedWorkshops(ctx context.Context, tx *sql.Tx, eventID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT w.number, w.title FROM workshops w LEFT JOIN workshop_minutes m ON m.workshop_id = w.id
		WHERE w.event_id = ? AND COALESCE(m.state, 'draft') = 'draft' ORDER BY w.number, w.id`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n int
		var title string
		if err := rows.Scan(&n, &title); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("atelier %d (%s)", n, title))
	}
	return out, rows.Err()
}

// optStamp stores an optional instant.
func optStamp(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return ts(*t)
}

// announceMinutes tells everyone who registered and came (or held a seat)
// that the minutes are published, in the transaction that publishes them.
func announceMinutes(ctx context.Context, db *DB, tx *sql.Tx, eventID int64) error {
	ids, err := readIDs(ctx, tx, `SELECT id FROM registrations WHERE event_id = ? AND status IN ('registered', 'attended') ORDER BY id`, eventID)
	if err != nil || len(ids) == 0 {
		return err
	}
	ev, q, err := db.eventQueue(ctx, tx, eventID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := q.notice(ev, id, fabrique.MsgMinutesPublished); err != nil {
			return err
		}
	}
	return nil
}

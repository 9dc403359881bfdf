package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"fabrique/internal/fabrique"
)

// actorName is how a change is signed in the history: the account's name
// and, for an organiser, its organisation.
func actorName(ctx context.Context, tx *sql.Tx, u *fabrique.User) (string, error) {
	if u == nil {
		return "", nil
	}
	if u.OrganisationID == nil {
		return u.Name, nil
	}
	var org string
	err := tx.QueryRowContext(ctx, `SELECT name FROM organisations WHERE id = ?`, *u.OrganisationID).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) {
		return u.Name, nil
	}
	return u.Name + " (" + org + ")", err
}

// SetStatus implements fabrique.FollowUpService: the status and its
// history in one transaction, and the notices to the subscribers.
func (f *FollowUpService) SetStatus(ctx context.Context, commitmentID int64, in *fabrique.StatusInput) (*fabrique.StatusChange, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u := fabrique.UserFrom(ctx)
	var ch *fabrique.StatusChange
	err := f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		_, carriers, err := commitmentCarriers(ctx, tx, commitmentID)
		if err != nil {
			return err
		}
		if err := mayReportProgress(u, carriers); err != nil {
			return err
		}
		var from string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM commitments WHERE id = ?`, commitmentID).Scan(&from); err != nil {
			return err
		}
		by, err := actorName(ctx, tx, u)
		if err != nil {
			return err
		}
		now := f.s.db.now()
		when, err := assessedAt(in.Date, now)
		if err != nil {
			return err
		}
		ch = &fabrique.StatusChange{CommitmentID: commitmentID, From: fabrique.CommitmentStatus(from), To: in.Status,
			Justification: in.Justification, ChangedBy: by, ChangedAt: when.In(fabrique.Paris)}
		res, err := tx.ExecContext(ctx, `INSERT INTO commitment_status_changes (commitment_id, from_status, to_status, justification, changed_by, user_id, changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, commitmentID, from, in.Status, in.Justification, by, actingAccount(u), ts(when))
		if err != nil {
			return err
		}
		if ch.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE commitments SET status = ?, updated_at = ? WHERE id = ?`, in.Status, ts(now), commitmentID); err != nil {
			return err
		}
		return f.s.db.notifyStatusChange(ctx, tx, ch)
	})
	return ch, err
}

// assessedAt is the instant of a status change: now, or noon in Paris of
// the date given, which may not be after today.
func assessedAt(date string, now time.Time) (time.Time, error) {
	today := now.In(fabrique.Paris).Format("2006-01-02")
	if date == "" || date == today {
		return now, nil
	}
	if date > today {
		return time.Time{}, fabrique.Invalid("date", "la date de l'évaluation ne peut pas être après aujourd'hui (%s)", today)
	}
	d, err := time.ParseInLocation("2006-01-02", date, fabrique.Paris)
	if err != nil {
		return time.Time{}, fabrique.Invalid("date", "date invalide « %s »", date)
	}
	return d.Add(12 * time.Hour), nil
}

// mayReportOn checks that the user reports on the commitment of a milestone
// or an indicator (row id of table, 0 for a new one; what names it, « le
// jalon »), filling commitmentID from the stored row when it is 0.
func mayReportOn(ctx context.Context, tx *sql.Tx, table, what string, id int64, commitmentID *int64) error {
	if id != 0 {
		var owner int64
		err := tx.QueryRowContext(ctx, `SELECT commitment_id FROM `+table+` WHERE id = ?`, id).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			return fabrique.Errorf(fabrique.ENOTFOUND, "%s n° %d n'existe pas.", capitalise(what), id)
		} else if err != nil {
			return err
		}
		if *commitmentID == 0 {
			*commitmentID = owner
		} else if owner != *commitmentID {
			return fabrique.Invalid("commitment_id", "%s n° %d appartient à un autre engagement", what, id)
		}
	}
	_, carriers, err := commitmentCarriers(ctx, tx, *commitmentID)
	if err != nil {
		return fieldNotFound(err, "commitment_id", "l'engagement n° %d n'existe pas", *commitmentID)
	}
	return mayReportProgress(fabrique.UserFrom(ctx), carriers)
}

// SaveMilestone implements fabrique.FollowUpService.
func (f *FollowUpService) SaveMilestone(ctx context.Context, m *fabrique.Milestone) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if fabrique.UserFrom(ctx) == nil {
		return errAnonymous
	}
	return f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := mayReportOn(ctx, tx, "milestones", "le jalon", m.ID, &m.CommitmentID); err != nil {
			return err
		}
		now := f.s.db.now()
		m.UpdatedAt = now.In(fabrique.Paris)
		if m.ID != 0 {
			_, err := tx.ExecContext(ctx, `UPDATE milestones SET title = ?, due = ?, done_on = ?, updated_at = ? WHERE id = ?`, m.Title, m.Due, m.DoneOn, ts(now), m.ID)
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO milestones (commitment_id, title, due, done_on, updated_at) VALUES (?, ?, ?, ?, ?)`, m.CommitmentID, m.Title, m.Due, m.DoneOn, ts(now))
		if err != nil {
			return err
		}
		m.ID, err = res.LastInsertId()
		return err
	})
}

// DeleteMilestone implements fabrique.FollowUpService.
func (f *FollowUpService) DeleteMilestone(ctx context.Context, id int64) error {
	return f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		var owner int64
		err := tx.QueryRowContext(ctx, `SELECT commitment_id FROM milestones WHERE id = ?`, id).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			if fabrique.UserFrom(ctx) == nil {
				return errAnonymous
			}
			return fabrique.Errorf(fabrique.ENOTFOUND, "Le jalon n° %d n'existe pas.", id)
		} else if err != nil {
			return err
		}
		_, carriers, err := commitmentCarriers(ctx, tx, owner)
		if err != nil {
			return err
		}
		if err := mayReportProgress(fabrique.UserFrom(ctx), carriers); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM milestones WHERE id = ?`, id)
		return err
	})
}

// SaveIndicator implements fabrique.FollowUpService.
func (f *FollowUpService) SaveIndicator(ctx context.Context, i *fabrique.Indicator) error {
	if err := i.Validate(); err != nil {
		return err
	}
	if fabrique.UserFrom(ctx) == nil {
		return errAnonymous
	}
	return f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := mayReportOn(ctx, tx, "indicators", "l'indicateur", i.ID, &i.CommitmentID); err != nil {
			return err
		}
		if i.Measurements == nil {
			i.Measurements = []*fabrique.Measurement{}
		}
		if i.ID != 0 {
			_, err := tx.ExecContext(ctx, `UPDATE indicators SET name = ?, unit = ?, target = ? WHERE id = ?`, i.Name, i.Unit, i.Target, i.ID)
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO indicators (commitment_id, name, unit, target) VALUES (?, ?, ?, ?)`, i.CommitmentID, i.Name, i.Unit, i.Target)
		if err != nil {
			return err
		}
		i.ID, err = res.LastInsertId()
		return err
	})
}

// AddMeasurement implements fabrique.FollowUpService.
func (f *FollowUpService) AddMeasurement(ctx context.Context, m *fabrique.Measurement) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		var owner int64
		err := tx.QueryRowContext(ctx, `SELECT commitment_id FROM indicators WHERE id = ?`, m.IndicatorID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) {
			if fabrique.UserFrom(ctx) == nil {
				return errAnonymous
			}
			return fabrique.Errorf(fabrique.ENOTFOUND, "L'indicateur n° %d n'existe pas.", m.IndicatorID)
		} else if err != nil {
			return err
		}
		_, carriers, err := commitmentCarriers(ctx, tx, owner)
		if err != nil {
			return err
		}
		if err := mayReportProgress(fabrique.UserFrom(ctx), carriers); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO indicator_values (indicator_id, value, measured_on, source, created_at) VALUES (?, ?, ?, ?, ?)`,
			m.IndicatorID, m.Value, m.MeasuredOn, m.Source, ts(f.s.db.now()))
		if err != nil {
			return err
		}
		m.ID, err = res.LastInsertId()
		return err
	})
}

// SetModeration implements fabrique.FollowUpService.
func (f *FollowUpService) SetModeration(ctx context.Context, planID int64, m fabrique.Moderation) error {
	var p fabrique.Problems
	fabrique.OneOf(&p, "moderation", m, fabrique.Moderations, true)
	if err := p.Err(); err != nil {
		return err
	}
	return f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := mayManageConsultations(fabrique.UserFrom(ctx)); err != nil {
			return err
		}
		if ok, err := exists(ctx, tx, "action_plans", planID); err != nil {
			return err
		} else if !ok {
			return fabrique.Errorf(fabrique.ENOTFOUND, "Le plan d'action n° %d n'existe pas.", planID)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO plan_followup (plan_id, moderation) VALUES (?, ?) ON CONFLICT (plan_id) DO UPDATE SET moderation = excluded.moderation`, planID, m)
		return err
	})
}

// OpenConsultation implements fabrique.FollowUpService; consultations of a
// plan may not overlap.
func (f *FollowUpService) OpenConsultation(ctx context.Context, c *fabrique.Consultation) error {
	if c.Moderation == "" {
		c.Moderation = fabrique.ModerationBefore
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := mayManageConsultations(fabrique.UserFrom(ctx)); err != nil {
			return err
		}
		if ok, err := exists(ctx, tx, "action_plans", c.PlanID); err != nil {
			return err
		} else if !ok {
			return fabrique.Errorf(fabrique.ENOTFOUND, "Le plan d'action n° %d n'existe pas.", c.PlanID)
		}
		var clash string
		err := tx.QueryRowContext(ctx, `SELECT title FROM consultations WHERE plan_id = ? AND opens <= ? AND closes >= ? LIMIT 1`, c.PlanID, c.Closes, c.Opens).Scan(&clash)
		if err == nil {
			return fabrique.Invalid("opens", "ces dates chevauchent la consultation « %s » de ce plan", clash)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO plan_followup (plan_id, moderation) VALUES (?, ?) ON CONFLICT (plan_id) DO UPDATE SET moderation = excluded.moderation`, c.PlanID, c.Moderation); err != nil {
			return err
		}
		now := f.s.db.now()
		c.CreatedAt = now.In(fabrique.Paris)
		res, err := tx.ExecContext(ctx, `INSERT INTO consultations (plan_id, title, opens, closes, created_at) VALUES (?, ?, ?, ?, ?)`, c.PlanID, c.Title, c.Opens, c.Closes, ts(now))
		if err != nil {
			return err
		}
		c.ID, err = res.LastInsertId()
		return err
	})
}

// Comment implements fabrique.FollowUpService: anyone, while a
// consultation of the commitment's plan is open.
func (f *FollowUpService) Comment(ctx context.Context, commitmentID int64, in *fabrique.CommentInput) (*fabrique.Comment, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var c *fabrique.Comment
	err := f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		plan, _, err := commitmentCarriers(ctx, tx, commitmentID)
		if err != nil {
			return err
		}
		var consultation int64
		var mod string
		today := f.today()
		err = tx.QueryRowContext(ctx, `SELECT c.id, COALESCE(p.moderation, 'before') FROM consultations c LEFT JOIN plan_followup p ON p.plan_id = c.plan_id
			WHERE c.plan_id = ? AND c.opens <= ? AND c.closes >= ? ORDER BY c.opens LIMIT 1`, plan, today, today).Scan(&consultation, &mod)
		if errors.Is(err, sql.ErrNoRows) {
			return fabrique.Errorf(fabrique.ECONFLICT, "Aucune consultation n'est ouverte sur ce plan d'action aujourd'hui : les commentaires sont fermés.")
		} else if err != nil {
			return err
		}
		// Pending until its author confirms it with the link mailed to
		// them (ConfirmComment); then moderated, or published at once.
		now := f.s.db.now()
		c = &fabrique.Comment{CommitmentID: commitmentID, ConsultationID: consultation, Author: in.Author, Text: in.Text,
			State: fabrique.CommentPending, CreatedAt: now.In(fabrique.Paris)}
		res, err := tx.ExecContext(ctx, `INSERT INTO comments (commitment_id, consultation_id, author, email, text, state, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
			commitmentID, consultation, in.Author, in.Email, in.Text, ts(now))
		if err != nil {
			return err
		}
		if c.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return f.s.db.queueCommentConfirmation(ctx, tx, c, in.Email, fabrique.Moderation(mod) != fabrique.ModerationNone)
	})
	return c, err
}

// Moderate implements fabrique.FollowUpService.
func (f *FollowUpService) Moderate(ctx context.Context, commentID int64, in *fabrique.ModerationInput) (*fabrique.Comment, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var c *fabrique.Comment
	err := f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := mayModerateComments(fabrique.UserFrom(ctx)); err != nil {
			return err
		}
		var err error
		if c, err = getComment(ctx, tx, commentID); err != nil {
			return err
		}
		if c.State != fabrique.CommentPending {
			return fabrique.Errorf(fabrique.ECONFLICT, "Ce commentaire a déjà été modéré.")
		}
		if !c.Confirmed {
			return fabrique.Errorf(fabrique.ECONFLICT, "Ce commentaire attend encore la confirmation de son auteur (le lien envoyé par courriel) : il ne peut pas être modéré.")
		}
		now := f.s.db.now()
		c.State = in.Decision
		var published any
		if in.Decision == fabrique.CommentPublished {
			t := now.In(fabrique.Paris)
			c.PublishedAt, published = &t, ts(now)
		}
		_, err = tx.ExecContext(ctx, `UPDATE comments SET state = ?, published_at = ? WHERE id = ?`, c.State, published, commentID)
		return err
	})
	return c, err
}

// Answer implements fabrique.FollowUpService: published at once, marked
// as the carrier's answer, signed by the carrying organisation.
func (f *FollowUpService) Answer(ctx context.Context, commentID int64, in *fabrique.AnswerInput) (*fabrique.Comment, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	u := fabrique.UserFrom(ctx)
	var a *fabrique.Comment
	err := f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		if u == nil {
			return errAnonymous
		}
		parent, err := getComment(ctx, tx, commentID)
		if err != nil {
			return err
		}
		_, carriers, err := commitmentCarriers(ctx, tx, parent.CommitmentID)
		if err != nil {
			return err
		}
		if err := mayAnswerComment(u, carriers); err != nil {
			return err
		}
		if parent.State != fabrique.CommentPublished || parent.ParentID != nil {
			return fabrique.Errorf(fabrique.ECONFLICT, "On ne répond qu'à un commentaire publié (ni en attente de modération, ni refusé, ni déjà une réponse).")
		}
		author, err := actorName(ctx, tx, u)
		if err != nil {
			return err
		}
		if u.OrganisationID != nil {
			if err := tx.QueryRowContext(ctx, `SELECT name FROM organisations WHERE id = ?`, *u.OrganisationID).Scan(&author); err != nil {
				return err
			}
		}
		now := f.s.db.now()
		t := now.In(fabrique.Paris)
		a = &fabrique.Comment{CommitmentID: parent.CommitmentID, ConsultationID: parent.ConsultationID, ParentID: &parent.ID, Author: author,
			Text: in.Text, State: fabrique.CommentPublished, CarrierAnswer: true, CreatedAt: t, PublishedAt: &t}
		a.Confirmed = true
		res, err := tx.ExecContext(ctx, `INSERT INTO comments (commitment_id, consultation_id, parent_id, author, text, state, carrier_answer, user_id, created_at, published_at, confirmed_at)
			VALUES (?, ?, ?, ?, ?, 'published', 1, ?, ?, ?, ?)`, a.CommitmentID, a.ConsultationID, parent.ID, author, in.Text, actingAccount(u), ts(now), ts(now), ts(now))
		if err != nil {
			return err
		}
		a.ID, err = res.LastInsertId()
		return err
	})
	return a, err
}

// RecordComment implements fabrique.FollowUpService: administrators
// record a comment (or a carrier's answer) received by email during a
// consultation of the commitment's plan, published, dated within it.
func (f *FollowUpService) RecordComment(ctx context.Context, c *fabrique.Comment) error {
	var p fabrique.Problems
	p.Name("author", c.Author)
	if (&fabrique.AnswerInput{Text: c.Text}).Validate() != nil {
		p.Add("text", "le texte est obligatoire (4 000 caractères au plus)")
	}
	if c.CreatedAt.IsZero() {
		p.Add("created_at", "la date de réception est obligatoire")
	}
	if err := p.Err(); err != nil {
		return err
	}
	return f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := mayModerateComments(fabrique.UserFrom(ctx)); err != nil {
			return err
		}
		plan, _, err := commitmentCarriers(ctx, tx, c.CommitmentID)
		if err != nil {
			return fieldNotFound(err, "commitment_id", "l'engagement n° %d n'existe pas", c.CommitmentID)
		}
		day := c.CreatedAt.In(fabrique.Paris).Format("2006-01-02")
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM consultations WHERE id = ? AND plan_id = ? AND opens <= ? AND closes >= ?`, c.ConsultationID, plan, day, day).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fabrique.Invalid("consultation_id", "le commentaire doit dater d'une consultation de ce plan d'action")
		}
		if c.ParentID != nil {
			parent, err := getComment(ctx, tx, *c.ParentID)
			if err != nil || parent.CommitmentID != c.CommitmentID {
				return fabrique.Invalid("parent_id", "le commentaire auquel il répond n'est pas un commentaire de cet engagement")
			}
		}
		c.State, c.PublishedAt, c.Confirmed = fabrique.CommentPublished, &c.CreatedAt, true
		res, err := tx.ExecContext(ctx, `INSERT INTO comments (commitment_id, consultation_id, parent_id, author, text, state, carrier_answer, created_at, published_at, confirmed_at)
			VALUES (?, ?, ?, ?, ?, 'published', ?, ?, ?, ?)`, c.CommitmentID, c.ConsultationID, c.ParentID, c.Author, c.Text, c.CarrierAnswer, ts(c.CreatedAt), ts(c.CreatedAt), ts(c.CreatedAt))
		if err != nil {
			return err
		}
		c.ID, err = res.LastInsertId()
		return err
	})
}

// Milestone implements fabrique.FollowUpService.
func (f *FollowUpService) Milestone(ctx context.Context, id int64) (*fabrique.Milestone, error) {
	m := &fabrique.Milestone{}
	err := f.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, commitment_id, title, due, done_on, updated_at FROM milestones WHERE id = ?`, id).
			Scan(&m.ID, &m.CommitmentID, &m.Title, &m.Due, &m.DoneOn, instant{&m.UpdatedAt})
		if errors.Is(err, sql.ErrNoRows) {
			return fabrique.Errorf(fabrique.ENOTFOUND, "Le jalon n° %d n'existe pas.", id)
		}
		return err
	})
	return m, err
}

// Indicator implements fabrique.FollowUpService.
func (f *FollowUpService) Indicator(ctx context.Context, id int64) (*fabrique.Indicator, error) {
	i := &fabrique.Indicator{Measurements: []*fabrique.Measurement{}}
	err := f.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		var target sql.NullFloat64
		err := tx.QueryRowContext(ctx, `SELECT id, commitment_id, name, unit, target FROM indicators WHERE id = ?`, id).Scan(&i.ID, &i.CommitmentID, &i.Name, &i.Unit, &target)
		if errors.Is(err, sql.ErrNoRows) {
			return fabrique.Errorf(fabrique.ENOTFOUND, "L'indicateur n° %d n'existe pas.", id)
		} else if err != nil {
			return err
		}
		if target.Valid {
			i.Target = &target.Float64
		}
		return each(ctx, tx, `SELECT id, indicator_id, value, measured_on, source FROM indicator_values WHERE indicator_id = ? ORDER BY measured_on, id`, []any{id},
			func(rows *sql.Rows) error {
				m := &fabrique.Measurement{}
				if err := rows.Scan(&m.ID, &m.IndicatorID, &m.Value, &m.MeasuredOn, &m.Source); err != nil {
					return err
				}
				i.Measurements = append(i.Measurements, m)
				return nil
			})
	})
	return i, err
}

// PendingComments implements fabrique.FollowUpService.
func (f *FollowUpService) PendingComments(ctx context.Context, planID int64) ([]*fabrique.Comment, error) {
	out := []*fabrique.Comment{}
	err := f.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := mayModerateComments(fabrique.UserFrom(ctx)); err != nil {
			return err
		}
		return each(ctx, tx, `SELECT `+commentColumns+` FROM comments WHERE state = 'pending' AND confirmed_at IS NOT NULL AND commitment_id IN (SELECT id FROM commitments WHERE plan_id = ?) ORDER BY id`,
			[]any{planID}, func(rows *sql.Rows) error {
				c, err := scanComment(rows)
				if err == nil {
					out = append(out, c)
				}
				return err
			})
	})
	return out, err
}

// CommentEmailMonths is how long after its consultation closes the email
// of a commenter is kept (fabrique.CommentRetention says so).
const CommentEmailMonths = 12

// purgeCommentEmails erases the emails of the comments of consultations
// closed more than CommentEmailMonths ago; the comments stay, signed by
// the name or pseudonym their authors chose.
func purgeCommentEmails(ctx context.Context, tx *sql.Tx, now time.Time) error {
	limit := now.In(fabrique.Paris).AddDate(0, -CommentEmailMonths, 0).Format("2006-01-02")
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET email = '' WHERE email <> ''
		AND consultation_id IN (SELECT id FROM consultations WHERE closes < ?)`, limit); err != nil {
		return err
	}
	// Comments never confirmed go, with their email, after CommentConfirmDays.
	_, err := tx.ExecContext(ctx, `DELETE FROM comments WHERE confirmed_at IS NULL AND created_at < ?`, ts(now.AddDate(0, 0, -fabrique.CommentConfirmDays)))
	return err
}

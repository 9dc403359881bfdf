package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"fabrique/internal/fabrique"
)

// MarkAttendance ticks registrations of the workshop as attended, or back
// to registered when attended is false.
func (m *MinutesService) MarkAttendance(ctx context.Context, workshopID int64, registrationIDs []int64, attended bool) (*fabrique.Attendance, error) {
	var p fabrique.Problems
	if len(registrationIDs) == 0 {
		p.Add("registration_ids", "indiquez au moins une inscription")
	}
	p.Refs("registration_ids", registrationIDs, fabrique.MaxPageSize)
	if err := p.Err(); err != nil {
		return nil, err
	}
	status := fabrique.RegRegistered
	if attended {
		status = fabrique.RegAttended
	}
	var a *fabrique.Attendance
	err := m.s.db.inTx(ctx, func(tx *sql.Tx) error {
		w, err := loadWorkshopScope(ctx, tx, workshopID)
		if err != nil {
			return err
		}
		if err := w.mayRecord(fabrique.UserFrom(ctx), "pointer les présents de cet atelier"); err != nil {
			return err
		}
		for _, id := range registrationIDs {
			var ws sql.NullInt64
			var st fabrique.RegistrationStatus
			err := tx.QueryRowContext(ctx, `SELECT workshop_id, status FROM registrations WHERE id = ?`, id).Scan(&ws, &st)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && (!ws.Valid || ws.Int64 != workshopID)) {
				return fabrique.Invalid("registration_ids", "l'inscription n° %d n'est pas une inscription à cet atelier", id)
			} else if err != nil {
				return err
			}
			if st != fabrique.RegRegistered && st != fabrique.RegAttended {
				return fabrique.Invalid("registration_ids", "l'inscription n° %d est « %s » : seules les inscriptions confirmées se pointent", id, st)
			}
		}
		if err := reopenMinutes(ctx, tx, workshopID); err != nil {
			return err
		}
		now := ts(m.s.db.now())
		for _, id := range registrationIDs {
			if _, err := tx.ExecContext(ctx, `UPDATE registrations SET status = ?, updated_at = ? WHERE id = ?`, status, now, id); err != nil {
				return err
			}
		}
		a, err = readAttendance(ctx, tx, workshopID)
		return err
	})
	return a, err
}

// AddWalkIn records a person who came without registering: a new person
// (or an existing one) and a registration with status attended. A person
// already registered to the event elsewhere is moved to this workshop.
func (m *MinutesService) AddWalkIn(ctx context.Context, workshopID int64, in *fabrique.WalkIn) (*fabrique.Registration, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var reg *fabrique.Registration
	err := m.s.db.inTx(ctx, func(tx *sql.Tx) error {
		w, err := loadWorkshopScope(ctx, tx, workshopID)
		if err != nil {
			return err
		}
		if err := w.mayRecord(fabrique.UserFrom(ctx), "ajouter des présents à cet atelier"); err != nil {
			return err
		}
		personID, err := walkInPerson(ctx, tx, in, w.host, m.s.db.now())
		if err != nil {
			return err
		}
		if err := reopenMinutes(ctx, tx, workshopID); err != nil {
			return err
		}
		now := m.s.db.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO registrations (event_id, workshop_id, person_id, status, choices, consent, created_at, updated_at)
			VALUES (?, ?, ?, 'attended', '[]', 0, ?, ?)
			ON CONFLICT (event_id, person_id) DO UPDATE SET workshop_id = excluded.workshop_id, status = 'attended', updated_at = excluded.updated_at`,
			w.id, workshopID, personID, ts(now), ts(now)); err != nil {
			return err
		}
		regs, err := m.s.registrations.query(ctx, tx, " WHERE t.event_id = ? AND t.person_id = ?", w.id, personID)
		if err != nil || len(regs) == 0 {
			return errors.Join(err, errors.New("sqlite: walk-in registration not found after insert"))
		}
		reg = regs[0]
		return nil
	})
	return reg, err
}

// walkInPerson returns the id of the existing person, or creates one.
// A new person is a participant of the host.
func walkInPerson(ctx context.Context, tx *sql.Tx, in *fabrique.WalkIn, host int64, now time.Time) (int64, error) {
	if in.PersonID != nil {
		if ok, err := exists(ctx, tx, "people", *in.PersonID); err != nil {
			return 0, err
		} else if !ok {
			return 0, fabrique.Invalid("person_id", "la personne n° %d n'existe pas", *in.PersonID)
		}
		return *in.PersonID, registrablePersonAt(ctx, tx, fabrique.UserFrom(ctx), *in.PersonID, host)
	}
	if in.OrganisationID != nil {
		if ok, err := exists(ctx, tx, "organisations", *in.OrganisationID); err != nil {
			return 0, err
		} else if !ok {
			return 0, fabrique.Invalid("organisation_id", "l'organisation n° %d n'existe pas", *in.OrganisationID)
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO people (name, email, organisation_id, category, kind, owner_organisation_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'participant', ?, ?, ?)`, in.Name, in.Email, in.OrganisationID, in.Category, host, ts(now), ts(now))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Attendance returns the sign-in sheet of a workshop and the counts of
// who came, by category.
func (m *MinutesService) Attendance(ctx context.Context, workshopID int64) (*fabrique.Attendance, error) {
	var a *fabrique.Attendance
	err := m.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		w, err := loadWorkshopScope(ctx, tx, workshopID)
		if err != nil {
			return err
		}
		if err := w.mayRecord(fabrique.UserFrom(ctx), "consulter la feuille d'émargement de cet atelier"); err != nil {
			return err
		}
		a, err = readAttendance(ctx, tx, workshopID)
		return err
	})
	return a, err
}

func readAttendance(ctx context.Context, tx *sql.Tx, workshopID int64) (*fabrique.Attendance, error) {
	rows, err := tx.QueryContext(ctx, `SELECT r.id, p.id, p.name, COALESCE(NULLIF(r.organisation_name, ''), o.name, ''), p.category, r.status
		FROM registrations r JOIN people p ON p.id = r.person_id LEFT JOIN organisations o ON o.id = p.organisation_id
		WHERE r.workshop_id = ? AND r.status IN ('registered', 'attended') ORDER BY p.name COLLATE NOCASE, r.id`, workshopID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	a := &fabrique.Attendance{WorkshopID: workshopID, Attendees: []fabrique.Attendee{}}
	for rows.Next() {
		var x fabrique.Attendee
		if err := rows.Scan(&x.RegistrationID, &x.PersonID, &x.Name, &x.Organisation, &x.Category, &x.Status); err != nil {
			return nil, err
		}
		a.Attendees = append(a.Attendees, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	a.Counts, a.Attended = countAttended(a.Attendees)
	return a, nil
}

// countAttended counts the attendees who came, for every category in order.
func countAttended(list []fabrique.Attendee) ([]fabrique.CategoryCount, int) {
	by := map[fabrique.Category]int{}
	total := 0
	for _, x := range list {
		if x.Status == fabrique.RegAttended {
			by[x.Category]++
			total++
		}
	}
	counts := make([]fabrique.CategoryCount, 0, len(fabrique.Categories))
	for _, c := range fabrique.Categories {
		counts = append(counts, fabrique.CategoryCount{Category: c, Label: c.Plural(), Count: by[c]})
	}
	return counts, total
}

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"fabrique/internal/fabrique"
)

// collect reads everything held about a person as a participant: the
// person record, their registrations with consent, the contributions they
// authored and the messages addressed to them.
func collect(ctx context.Context, q queryer, personID int64, now time.Time) (*fabrique.PersonalData, error) {
	d := &fabrique.PersonalData{GeneratedAt: now.In(fabrique.Paris), Processing: processingNote,
		Registrations: []fabrique.RegistrationData{}, Contributions: []fabrique.ContributionData{}, Messages: []fabrique.MessageData{}}
	p := &d.Person
	err := q.QueryRowContext(ctx, `SELECT p.id, p.name, p.email, p.category, COALESCE(o.name, ''), p.role, p.created_at, p.updated_at
		FROM people p LEFT JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ?`, personID).
		Scan(&p.ID, &p.Name, &p.Email, &p.Category, &p.Organisation, &p.Role, instant{&p.CreatedAt}, instant{&p.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "La personne n° %d n'existe pas.", personID)
	}
	if err != nil {
		return nil, err
	}
	if err := collectRegistrations(ctx, q, personID, d); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, workshop_id, category, text, author, created_at FROM contributions WHERE person_id = ? ORDER BY id`, personID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c fabrique.ContributionData
		if err := rows.Scan(&c.ID, &c.WorkshopID, &c.Category, &c.Text, &c.Author, instant{&c.CreatedAt}); err != nil {
			rows.Close()
			return nil, err
		}
		d.Contributions = append(d.Contributions, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT o.id, COALESCE(o.event_id, 0), o.kind, o.method, `+outboxState+`, o.recipient, o.created_at,
		CASE WHEN a.outcome = 'sent' THEN a.ended_at ELSE o.sent_at END FROM `+outboxFrom+`
		WHERE o.registration_id IN (SELECT id FROM registrations WHERE person_id = ?) OR (? <> '' AND lower(o.recipient) = lower(?)) ORDER BY o.id`,
		personID, p.Email, p.Email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m fabrique.MessageData
		if err := rows.Scan(&m.ID, &m.EventID, &m.Kind, &m.Method, &m.State, &m.Recipient, instant{&m.CreatedAt}, nullInstant{&m.SentAt}); err != nil {
			return nil, err
		}
		d.Messages = append(d.Messages, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	d.Subscriptions = []fabrique.SubscriptionData{}
	return d, each(ctx, q, `SELECT c.id, c.plan_id, c.number, c.title, s.created_at FROM status_subscriptions s JOIN commitments c ON c.id = s.commitment_id
		WHERE s.person_id = ? ORDER BY s.id`, []any{personID}, func(rows *sql.Rows) error {
		var s fabrique.SubscriptionData
		if err := rows.Scan(&s.CommitmentID, &s.PlanID, &s.Number, &s.Title, instant{&s.CreatedAt}); err != nil {
			return err
		}
		d.Subscriptions = append(d.Subscriptions, s)
		return nil
	})
}

func collectRegistrations(ctx context.Context, q queryer, personID int64, d *fabrique.PersonalData) error {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.event_id, e.title, e.end_at, e.retention_months, r.status, COALESCE(w.title, ''),
		r.choices, r.organisation_name, r.consent, r.consent_at, r.consent_text, r.created_at, r.updated_at,
		(SELECT COUNT(*) FROM calendar_copies c WHERE c.registration_id = r.id),
		(SELECT COUNT(*) FROM participant_tokens t WHERE t.registration_id = r.id) + (r.anonymised_at IS NULL)
		FROM registrations r JOIN events e ON e.id = r.event_id LEFT JOIN workshops w ON w.id = r.workshop_id
		WHERE r.person_id = ? ORDER BY r.id`, personID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r fabrique.RegistrationData
		var months int
		if err := rows.Scan(&r.ID, &r.EventID, &r.EventTitle, instant{&r.EventEnd}, &months, &r.Status, &r.Workshop,
			jsonScan[int64]{&r.Choices}, &r.Organisation, &r.Consent, nullInstant{&r.ConsentAt}, &r.ConsentText,
			instant{&r.CreatedAt}, instant{&r.UpdatedAt}, &r.CalendarEntries, &r.PrivateLinkCount); err != nil {
			return err
		}
		r.RetainedUntil = r.EventEnd.AddDate(0, months, 0)
		d.Registrations = append(d.Registrations, r)
	}
	return rows.Err()
}

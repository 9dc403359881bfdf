package sqlite

import (
	"context"
	"database/sql"

	"fabrique/internal/fabrique"
)

// Roster implements fabrique.EnrolmentService: the registrations of an
// event for the administrators and the organisers of its host, with the
// rank of each waiting person on the list of their workshop (the order
// promote follows: queue_seq, then id).
func (e *Enrolments) Roster(ctx context.Context, eventID int64) (*fabrique.Roster, error) {
	var r *fabrique.Roster
	err := e.db.inReadTx(ctx, func(tx *sql.Tx) error {
		ev, err := staffEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		ws, err := seats(ctx, tx, eventID)
		if err != nil {
			return err
		}
		r = &fabrique.Roster{EventID: ev.ID, Title: ev.Title, Allocation: ev.Settings.Allocation, Capacity: ev.Capacity,
			Workshops: ws, Entries: []fabrique.RosterEntry{}}
		return rosterEntries(ctx, tx, r)
	})
	return r, err
}

// rosterEntries reads the registrations of r's event into r.Entries.
func rosterEntries(ctx context.Context, tx *sql.Tx, r *fabrique.Roster) error {
	entries, err := scanAll(ctx, tx, func(rows *sql.Rows, x *fabrique.RosterEntry) error {
		return rows.Scan(&x.RegistrationID, &x.Name, &x.Email, &x.Organisation, &x.Category, &x.Status, &x.WorkshopID,
			jsonScan[int64]{&x.Choices}, instant{&x.CreatedAt}, &x.Rank)
	}, `SELECT r.id, p.name, p.email, COALESCE(NULLIF(r.organisation_name, ''), o.name, ''), p.category,
		r.status, r.workshop_id, r.choices, r.created_at,
		CASE WHEN r.status = 'waiting' THEN ROW_NUMBER() OVER (PARTITION BY r.workshop_id, r.status = 'waiting' ORDER BY r.queue_seq, r.id) ELSE 0 END AS rank
		FROM registrations r JOIN people p ON p.id = r.person_id LEFT JOIN organisations o ON o.id = p.organisation_id
		LEFT JOIN workshops w ON w.id = r.workshop_id
		WHERE r.event_id = ?
		ORDER BY w.id IS NULL, w.number, w.id,
			CASE r.status WHEN 'registered' THEN 0 WHEN 'attended' THEN 0 WHEN 'waiting' THEN 1 WHEN 'pending' THEN 2 ELSE 3 END,
			rank, p.name COLLATE NOCASE, r.id`, r.EventID)
	r.Entries = append(r.Entries, entries...)
	return err
}

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// QueryPlan returns the lines of EXPLAIN QUERY PLAN of query on the writer.
func (db *DB) QueryPlan(ctx context.Context, query string, args ...any) (string, error) {
	rows, err := db.write.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n"), rows.Err()
}

// SeatCountersDrift compares the seat counters of migration 0012 with a
// recount of the registrations and describes each difference.
func (db *DB) SeatCountersDrift(ctx context.Context) ([]string, error) {
	var drift []string
	check := func(query string) error {
		rows, err := db.read.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var what string
			var id int64
			var counters, recount string
			if err := rows.Scan(&what, &id, &counters, &recount); err != nil {
				return err
			}
			drift = append(drift, fmt.Sprintf("%s %d: counters %s, recount %s", what, id, counters, recount))
		}
		return rows.Err()
	}
	err := check(`SELECT 'event', e.id, COALESCE(s.seated, -1) || '/' || COALESCE(s.waiting, -1) || '/' || COALESCE(s.waiting_unassigned, -1),
		(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status IN ('registered', 'attended')) || '/' ||
		(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waiting') || '/' ||
		(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waiting' AND r.workshop_id IS NULL) AS recount
		FROM events e LEFT JOIN event_seats s ON s.event_id = e.id WHERE
		COALESCE(s.seated, -1) || '/' || COALESCE(s.waiting, -1) || '/' || COALESCE(s.waiting_unassigned, -1) <> recount`)
	if err != nil {
		return nil, err
	}
	err = check(`SELECT 'workshop', w.id, COALESCE(s.seated, -1) || '/' || COALESCE(s.waiting, -1),
		(SELECT COUNT(*) FROM registrations r WHERE r.workshop_id = w.id AND r.status IN ('registered', 'attended')) || '/' ||
		(SELECT COUNT(*) FROM registrations r WHERE r.workshop_id = w.id AND r.status = 'waiting') AS recount
		FROM workshops w LEFT JOIN workshop_seats s ON s.workshop_id = w.id WHERE
		COALESCE(s.seated, -1) || '/' || COALESCE(s.waiting, -1) <> recount`)
	return drift, err
}

// Fill adds n registrations of status to a workshop of an event, as
// registration writes them (a person, the registration, its waiting rank,
// a private link, a calendar copy and a message), in one transaction.
func (db *DB) Fill(ctx context.Context, eventID, workshopID int64, n int, status string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var first int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM registrations`).Scan(&first); err != nil {
			return err
		}
		for _, q := range []string{
			`WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < ?2)
				INSERT INTO people (name, email, category, created_at, updated_at)
				SELECT 'Rempli ' || value, 'rempli-' || ?1 || '-' || ?4 || '-' || value || '@exemple.fr', 'citizen', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
				FROM s`,
			`INSERT INTO registrations (event_id, workshop_id, person_id, status, consent, queue_seq, created_at, updated_at)
				SELECT ?1, ?3, p.id, ?4, 1, CASE WHEN ?4 = 'waiting' THEN
					(SELECT COALESCE(MAX(queue_seq), 0) FROM registrations WHERE event_id = ?1 AND status = 'waiting') + p.rn ELSE 0 END,
					'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
				FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM people WHERE email LIKE 'rempli-' || ?1 || '-' || ?4 || '-%' AND id NOT IN (SELECT person_id FROM registrations)) p`,
			`INSERT INTO participant_tokens (hash, registration_id, created_at) SELECT 'h' || id, id, '2026-01-01T00:00:00Z' FROM registrations WHERE id >= ?5`,
			`INSERT INTO calendar_copies (registration_id, item_key, uid, sequence, invited) SELECT id, 'event-' || ?1, 'fill-' || id, 0, 1 FROM registrations WHERE id >= ?5`,
			`INSERT INTO outbox (event_id, registration_id, recipient, item_uid, sequence, method, kind, payload, state, next_attempt_at, created_at, updated_at)
				SELECT ?1, r.id, p.email, 'fill-' || r.id, 0, 'REQUEST', 'invitation', '{}', 'sent', '2026', '2026', '2026'
				FROM registrations r JOIN people p ON p.id = r.person_id WHERE r.id >= ?5`,
		} {
			if _, err := tx.ExecContext(ctx, q, eventID, n, workshopID, status, first); err != nil {
				return err
			}
		}
		return nil
	})
}

// InGroupTx exposes the group commit of registrations.
func (db *DB) InGroupTx(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error {
	return db.inGroupTx(ctx, func(ctx context.Context, tx txer) error { return fn(ctx, tx) })
}

// Tx is what a change of a group runs its statements on.
type Tx = txer

// GroupQueued is the number of changes waiting for the next group.
func (db *DB) GroupQueued() int { return len(db.group().jobs) }

package sqlite

import (
	"context"
	"database/sql"
	"time"

	"fabrique/internal/fabrique"
)

var _ fabrique.VitalsReader = (*Store)(nil)

// outboxNextAttempt is when a message (over outboxFrom) is next tried.
const outboxNextAttempt = `CASE WHEN a.outcome = 'pending' THEN a.retry_at ELSE o.next_attempt_at END`

// Vitals implements fabrique.VitalsReader: counts only, in one read
// transaction.
func (s *Store) Vitals(ctx context.Context, now time.Time) (*fabrique.Vitals, error) {
	v := &fabrique.Vitals{Outbox: map[fabrique.OutboxState]int{}, Registrations: map[fabrique.RegistrationStatus]int{}}
	for _, st := range fabrique.OutboxStates {
		v.Outbox[st] = 0
	}
	for _, st := range fabrique.RegistrationStatuses {
		v.Registrations[st] = 0
	}
	err := s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&v.Accounts); err != nil {
			return err
		}
		if err := countBy(ctx, tx, `SELECT `+outboxState+`, COUNT(*) FROM `+outboxFrom+` GROUP BY 1`, func(k string, n int) {
			v.Outbox[fabrique.OutboxState(k)] = n
		}); err != nil {
			return err
		}
		if err := countBy(ctx, tx, `SELECT status, COUNT(*) FROM registrations GROUP BY 1`, func(k string, n int) {
			v.Registrations[fabrique.RegistrationStatus(k)] = n
		}); err != nil {
			return err
		}
		var oldest sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MIN(`+outboxNextAttempt+`) FROM `+outboxFrom+`
			WHERE `+outboxState+` = 'pending' AND `+outboxNextAttempt+` <= ?`, tsMicro(now)).Scan(&v.Due, &oldest)
		if err != nil || !oldest.Valid {
			return err
		}
		return instant{&v.OldestDue}.Scan(oldest.String)
	})
	if err != nil {
		return nil, translate(err)
	}
	return v, nil
}

func countBy(ctx context.Context, tx *sql.Tx, query string, add func(string, int)) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		add(k, n)
	}
	return rows.Err()
}

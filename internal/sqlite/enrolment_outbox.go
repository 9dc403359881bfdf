package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"fabrique/internal/fabrique"
)

// Outbox implements fabrique.OutboxService for staff.
type Outbox struct {
	db *DB
}

var _ fabrique.OutboxService = (*Outbox)(nil)

// Outbox implements fabrique.Store.
func (s *Store) Outbox() fabrique.OutboxService { return &Outbox{db: s.db} }

const outboxColumns = `o.id, o.event_id, o.registration_id, o.recipient, o.recipient_name, o.item_uid, o.sequence, o.method, o.kind,
	o.state, o.batch, o.attempts, o.next_attempt_at, o.last_error, o.smtp_reply, o.payload, o.created_at, o.updated_at, o.sent_at, o.link_token`

func scanOutbox(rows *sql.Rows) (*fabrique.OutboxMessage, error) {
	m := &fabrique.OutboxMessage{}
	var payload string
	err := rows.Scan(&m.ID, &m.EventID, &m.RegistrationID, &m.Recipient, &m.RecipientName, &m.ItemUID, &m.Sequence, &m.Method, &m.Kind,
		&m.State, &m.Batch, &m.Attempts, instant{&m.NextAttemptAt}, &m.LastError, &m.SMTPReply, &payload,
		instant{&m.CreatedAt}, instant{&m.UpdatedAt}, nullInstant{&m.SentAt}, &m.LinkToken)
	if err != nil {
		return nil, err
	}
	return m, json.Unmarshal([]byte(payload), &m.Payload)
}

func queryOutbox(ctx context.Context, q queryer, where string, args ...any) ([]*fabrique.OutboxMessage, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox o `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*fabrique.OutboxMessage{}
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// outboxVisible is the condition on outbox rows (alias o) for staff.
func outboxVisible(u *fabrique.User) (string, []any, error) {
	switch {
	case u == nil:
		return "", nil, errAnonymous
	case u.Is(fabrique.RoleAdmin):
		return "1", nil, nil
	case u.Is(fabrique.RoleOrganiser) && u.OrganisationID != nil:
		return "o.event_id IN (SELECT id FROM events WHERE host_organisation_id = ?)", []any{*u.OrganisationID}, nil
	}
	return "", nil, forbidden("consulter les messages envoyés aux participants")
}

// ListOutbox implements fabrique.OutboxService.
func (o *Outbox) ListOutbox(ctx context.Context, opt fabrique.ListOptions) (*fabrique.Page[fabrique.OutboxMessage], error) {
	cond, args, err := outboxVisible(fabrique.UserFrom(ctx))
	if err != nil {
		return nil, err
	}
	conds := []string{cond}
	var p fabrique.Problems
	for name, value := range opt.Filters {
		switch name {
		case "state":
			fabrique.OneOf(&p, "state", fabrique.OutboxState(value), fabrique.OutboxStates, true)
			conds, args = append(conds, "o.state = ?"), append(args, value)
		case "event_id":
			id, err := strconv.ParseInt(value, 10, 64)
			if err != nil || id <= 0 {
				p.Add("event_id", "identifiant invalide « %s »", value)
			}
			conds, args = append(conds, "o.event_id = ?"), append(args, id)
		case "batch", "kind", "recipient":
			conds, args = append(conds, "o."+name+" = ?"), append(args, value)
		default:
			p.Add(name, "filtre inconnu : filtres possibles batch, event_id, kind, recipient, state")
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if opt.Limit <= 0 || opt.Limit > fabrique.MaxPageSize {
		opt.Limit = 50
	}
	opt.Offset = max(opt.Offset, 0)
	where := "WHERE " + strings.Join(conds, " AND ")
	page := &fabrique.Page[fabrique.OutboxMessage]{Limit: opt.Limit, Offset: opt.Offset}
	err = o.db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox o `+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		page.Items, err = queryOutbox(ctx, tx, where+" ORDER BY o.id DESC LIMIT ? OFFSET ?", append(args, opt.Limit, opt.Offset)...)
		return err
	})
	return page, err
}

func visibleMessage(ctx context.Context, q queryer, id int64) (*fabrique.OutboxMessage, error) {
	cond, args, err := outboxVisible(fabrique.UserFrom(ctx))
	if err != nil {
		return nil, err
	}
	list, err := queryOutbox(ctx, q, "WHERE o.id = ? AND "+cond, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "Le message n° %d n'existe pas.", id)
	}
	return list[0], nil
}

// OutboxMessage implements fabrique.OutboxService.
func (o *Outbox) OutboxMessage(ctx context.Context, id int64) (*fabrique.OutboxMessage, error) {
	var m *fabrique.OutboxMessage
	err := o.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		m, err = visibleMessage(ctx, tx, id)
		return err
	})
	return m, err
}

// RetryMessage implements fabrique.OutboxService: a failed message, or one
// whose sending was interrupted ("doubt"), is queued again at once.
func (o *Outbox) RetryMessage(ctx context.Context, id int64) (*fabrique.OutboxMessage, error) {
	var m *fabrique.OutboxMessage
	err := o.db.inTx(ctx, func(tx *sql.Tx) (err error) {
		if m, err = visibleMessage(ctx, tx, id); err != nil {
			return err
		}
		if m.State != fabrique.OutboxFailed && m.State != fabrique.OutboxDoubt {
			return fabrique.Errorf(fabrique.ECONFLICT, "Seul un message en échec ou à l'envoi incertain peut être renvoyé (ce message est « %s »).", m.State)
		}
		now := tsMicro(o.db.now())
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', next_attempt_at = ?, lease_until = NULL, updated_at = ? WHERE id = ?`, now, now, id); err != nil {
			return err
		}
		m, err = visibleMessage(ctx, tx, id)
		return err
	})
	return m, err
}

// ReleaseHeld implements fabrique.OutboxService.
func (o *Outbox) ReleaseHeld(ctx context.Context, eventID int64) (*fabrique.Release, error) {
	r := &fabrique.Release{EventID: eventID, Batch: "r" + strconv.FormatInt(time.Now().UnixNano(), 36)}
	err := o.db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := staffEvent(ctx, tx, eventID); err != nil {
			return err
		}
		now := tsMicro(o.db.now())
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', batch = ?, next_attempt_at = ?, updated_at = ? WHERE event_id = ? AND state = 'held'`,
			r.Batch, now, now, eventID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		r.Released = int(n)
		return err
	})
	return r, err
}

// OutboxProgress implements fabrique.OutboxService.
func (o *Outbox) OutboxProgress(ctx context.Context, eventID int64, batch string) (*fabrique.OutboxProgress, error) {
	p := &fabrique.OutboxProgress{EventID: eventID, Batch: batch, Counts: map[string]int{}}
	for _, s := range fabrique.OutboxStates {
		p.Counts[string(s)] = 0
	}
	err := o.db.inReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := staffEvent(ctx, tx, eventID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox WHERE event_id = ? AND (? = '' OR batch = ?) GROUP BY state`, eventID, batch, batch)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var state string
			var n int
			if err := rows.Scan(&state, &n); err != nil {
				return err
			}
			p.Counts[state] = n
			p.Total += n
		}
		return rows.Err()
	})
	c := p.Counts
	p.Done = c["held"]+c["pending"]+c["claimed"]+c["sending"] == 0
	return p, err
}

// Queue is the worker's side of the outbox: claim, mark, recover. It
// checks no user: only the worker of the service uses it.
type Queue struct {
	db *DB
}

// Queue returns the worker's side of the outbox.
func (s *Store) Queue() *Queue { return &Queue{db: s.db} }

const doubtMessage = "Envoi interrompu (arrêt du service ou bail expiré) pendant la transaction SMTP : le message a peut-être été remis. Il n'est pas renvoyé automatiquement, pour ne jamais l'envoyer deux fois ; vérifiez puis renvoyez-le si besoin."

// Recover runs when a worker starts: a message left "sending" is a doubt,
// a message left "claimed" (never started) is pending again.
func (q *Queue) Recover(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := q.db.inTx(ctx, func(tx *sql.Tx) error {
		t := tsMicro(now)
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'doubt', last_error = ?, lease_until = NULL, updated_at = ? WHERE state = 'sending'`, doubtMessage, t)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', lease_until = NULL, updated_at = ? WHERE state = 'claimed'`, t)
		return err
	})
	return int(n), err
}

// Claim takes up to limit messages due at now for the lease: pending ones,
// and claimed ones whose lease ran out. A message whose lease ran out while
// "sending" becomes a doubt.
func (q *Queue) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*fabrique.OutboxMessage, error) {
	var out []*fabrique.OutboxMessage
	err := q.db.inTx(ctx, func(tx *sql.Tx) error {
		t := tsMicro(now)
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'doubt', last_error = ?, lease_until = NULL, updated_at = ? WHERE state = 'sending' AND lease_until < ?`, doubtMessage, t, t); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
			UNION SELECT id FROM outbox WHERE state = 'claimed' AND lease_until < ? ORDER BY 1 LIMIT ?`, t, t, limit)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			return nil
		}
		in := " IN (" + placeholders(len(ids)) + ")"
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'claimed', lease_until = ?, updated_at = ? WHERE id`+in,
			append([]any{tsMicro(now.Add(lease)), t}, ids...)...); err != nil {
			return err
		}
		out, err = queryOutbox(ctx, tx, "WHERE o.id"+in+" ORDER BY o.id", ids...)
		return err
	})
	return out, err
}

// ErrNotClaimed reports that a message is no longer claimed by the worker.
var ErrNotClaimed = errors.New("sqlite: the message is no longer claimed")

// Mark records the outcomes of the messages tried, then, when sending is
// not 0, marks that claimed message "sending" (leased until now+lease)
// before its SMTP transaction starts: one transaction for both. It reports
// false when the message was no longer claimed (it must not be sent).
func (q *Queue) Mark(ctx context.Context, now time.Time, done []fabrique.OutboxOutcome, sending int64, lease time.Duration) (bool, error) {
	started := false
	err := q.db.inTx(ctx, func(tx *sql.Tx) error {
		t := tsMicro(now)
		for _, d := range done {
			var err error
			switch d.State {
			case fabrique.OutboxSent:
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', sent_at = ?, smtp_reply = ?, last_error = '', link_token = '', lease_until = NULL, updated_at = ?
					WHERE id = ? AND state IN ('sending', 'doubt')`, t, d.Reply, t, d.ID)
			case fabrique.OutboxPending:
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', next_attempt_at = ?, smtp_reply = ?, last_error = ?, lease_until = NULL, updated_at = ?
					WHERE id = ? AND state = 'sending'`, tsMicro(d.RetryAt), d.Reply, d.Error, t, d.ID)
			default:
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', smtp_reply = ?, last_error = ?, lease_until = NULL, updated_at = ?
					WHERE id = ? AND state IN ('sending', 'claimed')`, d.Reply, d.Error, t, d.ID)
			}
			if err != nil {
				return err
			}
		}
		if sending == 0 {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?, updated_at = ? WHERE id = ? AND state = 'claimed'`,
			tsMicro(now.Add(lease)), t, sending)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		started = n == 1
		return err
	})
	return started, err
}
